/**
 * The bench's yardsticks: the users written straight into the directory's table, and the same with
 * what a first import must store beside each user.
 */
import { jsonLiteral } from '@uif/database';
import { openDirectoryDatabase } from '@uif/directory';
import { temporaryDirectory } from '@uif/testing';
import { createConnection } from 'mysql2/promise';
import type { Workload } from './workloads.js';

const FLOOR_ROWS_PER_INSERT = 1000;

/** Floor measurements: their median is the floor, so one slow moment of the machine does not set it. */
export const FLOOR_ROUNDS = 3;

/** The floor, and beside it what a first import must store. */
export interface Floors {
  /** The users alone: the floor of the targets. */
  usersMs: number;
  /** The users, each user's link to the provider and creation event (Directory Insights), as the directory stores them. */
  storedMs: number;
}

/** A table the floor writes: its columns, and the row it writes for the user at an index. */
interface FloorTable {
  name: string;
  columns: string[];
  row: (index: number) => unknown[];
}

/** The directory's users, links and creation events, as the floor writes them for `workload`. */
function floorTables(workload: Workload, now: Date): Record<'users' | 'links' | 'events', FloorTable> {
  const fields = Object.keys(workload.floorRow(0));
  const fixed = ['addresses', 'phoneNumbers', 'state', 'passwordStatus', 'createdAt', 'updatedAt'];
  return {
    users: {
      name: 'users',
      columns: ['id', 'organizationId', ...fields, ...fixed],
      row: (index) => {
        const user = workload.floorRow(index);
        return [
          `floor-${index}`,
          'bench',
          ...fields.map((field) => user[field]),
          '[]',
          '[]',
          'ACTIVE',
          'PENDING',
          now,
          now,
        ];
      },
    },
    links: {
      name: 'user_links',
      columns: ['organizationId', 'connectorId', 'externalId', 'userId', 'createdAt'],
      row: (index) => ['bench', 'floor-connector', `external-${index}`, `floor-${index}`, now],
    },
    events: {
      name: 'directory_events',
      columns: [
        'id',
        'organizationId',
        'type',
        'occurredAt',
        'actor',
        'userId',
        'connectorId',
        'importJobId',
        'changes',
      ],
      row: (index) => {
        const user = workload.floorRow(index);
        const initialValues = fields
          .filter((field) => field !== 'usernameKey')
          .map((field) => [field, { from: null, to: user[field] }]);
        return [
          // In creation order, as the directory's (UUIDv7) ids are.
          `floor-event-${String(index).padStart(9, '0')}`,
          'bench',
          'USER_CREATED',
          now,
          'bench',
          `floor-${index}`,
          'floor-connector',
          'floor-job',
          // As the directory writes JSON: mysql2 alone would escape each of its quotes, slowly.
          jsonLiteral(JSON.stringify(Object.fromEntries(initialValues))),
        ];
      },
    },
  };
}

/**
 * The floor: the same users written straight into the directory's table, 1,000 rows per INSERT,
 * into an empty table each round; the median of FLOOR_ROUNDS rounds. Then the same with every
 * user's link and creation event, written the same way: the rows a first import cannot do without.
 */
export async function measureFloors(databaseUrl: string, workload: Workload, users: number): Promise<Floors> {
  const migrated = await openDirectoryDatabase({ databaseUrl, dataDir: temporaryDirectory() });
  await migrated.destroy();
  const connection = await createConnection(databaseUrl);
  const tables = floorTables(workload, new Date());
  const write = async ({ name, columns, row }: FloorTable) => {
    for (let start = 0; start < users; start += FLOOR_ROWS_PER_INSERT) {
      const values = Array.from({ length: Math.min(FLOOR_ROWS_PER_INSERT, users - start) }, (_, i) =>
        row(start + i),
      );
      await connection.query(`INSERT INTO ${name} (${columns.join(', ')}) VALUES ?`, [values]);
    }
  };
  /** The median of FLOOR_ROUNDS rounds writing `written`, into empty tables each round. */
  const floorOf = async (written: FloorTable[]) => {
    const rounds: number[] = [];
    for (let round = 0; round < FLOOR_ROUNDS; round++) {
      for (const { name } of Object.values(tables)) await connection.query(`TRUNCATE TABLE ${name}`);
      const started = performance.now();
      for (const table of written) await write(table);
      rounds.push(performance.now() - started);
    }
    return rounds.sort((a, b) => a - b)[Math.floor(FLOOR_ROUNDS / 2)]!;
  };
  try {
    // The users' rounds first, as the floor was always measured: the other rows' writing may not slow them.
    const usersMs = await floorOf([tables.users]);
    return { usersMs, storedMs: await floorOf([tables.users, tables.links, tables.events]) };
  } finally {
    await connection.end();
  }
}
