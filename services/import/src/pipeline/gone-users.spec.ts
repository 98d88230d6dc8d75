import type { LinkedUser } from '@uif/directory-client';
import { describe, expect, it } from 'vitest';
import { ImportJob } from '../import-job/import-job.entity.js';
import { emptyCounts } from '../import-job/import-job.types.js';
import { GONE_DETAIL, GoneUsers } from './gone-users.js';
import type { PlannedChange } from './import-plan.entity.js';
import type { Decided } from './listing-doubt.js';

/** A job whose unfiltered listing read all `fetched` users the application said it had. */
function completeJob(fetched: number): ImportJob {
  return Object.assign(new ImportJob(), {
    id: 'job-1',
    organizationId: 'org-1',
    connectorId: 'connector-1',
    query: null,
    selectedExternalIds: null,
    total: fetched,
    counts: { ...emptyCounts(), fetched },
    warnings: [],
  });
}

/** The phase against a directory whose connector has `linked` active users; what it stores is kept. */
function goneUsersOf(linked: LinkedUser[]) {
  const asked: unknown[] = [];
  const stored: PlannedChange[][] = [];
  const gone = new GoneUsers(
    {
      activeLinkedUsers: async (request) => {
        asked.push(request);
        return linked;
      },
    },
    { store: async (_job, plans) => void stored.push(plans) },
  );
  return { gone, asked, stored };
}

const suspension = (seq: number, externalId: string, userId: string): PlannedChange => ({
  seq,
  externalId,
  email: null,
  username: null,
  action: 'suspend',
  userId,
  attributes: null,
  detail: GONE_DETAIL,
});

describe('planning the suspension of the users gone from the application', () => {
  it('plans to suspend the active linked users a complete listing lacked, numbered after the listing', async () => {
    const { gone, asked, stored } = goneUsersOf([
      { externalId: '1', userId: 'user-1' },
      { externalId: '2', userId: 'user-2' },
      { externalId: '3', userId: 'user-3' },
    ]);
    const decided: Decided = { seq: 2, suspensions: 1, listed: new Set(['1', '4']), unidentified: 0 };

    expect(await gone.plan(completeJob(2), decided)).toBe(2);
    expect(asked).toEqual([{ organizationId: 'org-1', connectorId: 'connector-1' }]);
    expect(stored).toEqual([[suspension(2, '2', 'user-2'), suspension(3, '3', 'user-3')]]);
    expect(decided).toMatchObject({ seq: 4, suspensions: 3 });
  });

  it('suspends nobody after a listing that may have missed users, saying why, without asking the directory', async () => {
    const { gone, asked, stored } = goneUsersOf([{ externalId: '1', userId: 'user-1' }]);
    const job = Object.assign(completeJob(2), { query: 'dept=ops' });
    const decided: Decided = { seq: 2, suspensions: 0, listed: new Set(['2', '3']), unidentified: 0 };

    expect(await gone.plan(job, decided)).toBe(0);
    expect(job.warnings).toEqual([
      'Nobody was suspended for being missing: the listing was filtered (query)',
    ]);
    expect(asked).toEqual([]);
    expect(stored).toEqual([]);
    expect(decided).toMatchObject({ seq: 2, suspensions: 0 });
  });
});
