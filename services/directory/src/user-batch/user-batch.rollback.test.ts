import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createBatch,
  person,
  startDirectoryFixture,
  type DirectoryFixture,
} from '../testing/directory-fixture.js';

/** A database failure in the middle of a batch, made real by triggers that fail an insert. */
describe('a batch that fails inside the database (MySQL)', () => {
  let fixture: DirectoryFixture;
  /** Inserts into `table` whose new row meets `condition` fail as a full disk would. */
  const failInserts = (table: string, condition: string) =>
    fixture.directory.dataSource.query(`
      CREATE TRIGGER fail_doomed_${table} BEFORE INSERT ON ${table} FOR EACH ROW
      BEGIN
        IF ${condition} THEN
          SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'disk on fire';
        END IF;
      END`);
  beforeAll(async () => {
    fixture = await startDirectoryFixture('mysql');
    await failInserts('directory_events', "NEW.actor = 'doomed'");
    await failInserts('users', "NEW.department = 'doomed'");
  });
  afterAll(() => fixture?.close());

  it('leaves nothing of the batch behind, and the same batch goes through afterwards', async () => {
    const org = await fixture.newOrganization();
    const changes = Array.from({ length: 1200 }, (_, i) => ({
      kind: 'create' as const,
      externalId: `x${i}`,
      attributes: person(i),
    }));
    await expect(
      fixture.batches.applyUserBatch(createBatch(org, changes, { actor: 'doomed' })),
    ).rejects.toMatchObject({
      code: 'INTERNAL_SERVER_ERROR',
    });
    expect(await fixture.rows('users', org)).toBe(0);
    expect(await fixture.rows('user_links', org)).toBe(0);
    expect(await fixture.rows('directory_events', org)).toBe(0);

    const retried = await fixture.batches.applyUserBatch(createBatch(org, changes));
    expect(retried.results.every((r) => r.outcome === 'created')).toBe(true);
    expect(await fixture.rows('users', org)).toBe(1200);
    expect(await fixture.rows('directory_events', org)).toBe(1200);
  });

  it('keeps no update of a batch whose user insert failed', async () => {
    const org = await fixture.newOrganization();
    const existing = Array.from({ length: 50 }, (_, i) => ({
      kind: 'create' as const,
      externalId: `x${i}`,
      attributes: person(i),
    }));
    await fixture.batches.applyUserBatch(createBatch(org, existing));
    const updates = existing.map(({ externalId }) => ({
      kind: 'update' as const,
      externalId,
      attributes: { jobTitle: 'Changed' },
    }));
    const doomedCreate = {
      kind: 'create' as const,
      externalId: 'new',
      attributes: person(99, { department: 'doomed' }),
    };
    await expect(
      fixture.batches.applyUserBatch(createBatch(org, [...updates, doomedCreate])),
    ).rejects.toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
    expect(await fixture.rows('users', org, "jobTitle = 'Changed'")).toBe(0);
    expect(await fixture.rows('users', org)).toBe(50);
    expect(await fixture.rows('directory_events', org)).toBe(50);
  });
});
