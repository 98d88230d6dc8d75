import { describe, expect, it } from 'vitest';
import { ImportOutcome } from '../import-job/import-job.types.js';
import { outcomeOf } from './outcomes.js';

describe("a user's outcome from the directory's answers", () => {
  it('lists the attribute changes of an update and of the suspension that follows it', () => {
    expect(
      outcomeOf([
        {
          externalId: '7',
          outcome: 'updated',
          userId: 'u7',
          changes: { department: { from: 'Ops', to: 'Sales' } },
        },
        {
          externalId: '7',
          outcome: 'suspended',
          userId: 'u7',
          changes: { state: { from: 'ACTIVE', to: 'SUSPENDED' } },
        },
      ]),
    ).toEqual({
      outcome: ImportOutcome.SUSPENDED,
      detail: 'Changed: department',
      userId: 'u7',
      changes: [
        { attribute: 'department', from: 'Ops', to: 'Sales' },
        { attribute: 'state', from: 'ACTIVE', to: 'SUSPENDED' },
      ],
    });
  });

  it('lists no changes for a creation or a refusal', () => {
    const created = outcomeOf([
      {
        externalId: '8',
        outcome: 'created',
        userId: 'u8',
        changes: { email: { from: null, to: 'a@b.example' } },
      },
    ]);
    expect(created).toMatchObject({ outcome: ImportOutcome.CREATED, changes: [] });
    const refused = outcomeOf([
      { externalId: '9', outcome: 'conflict', code: 'DUPLICATE_EMAIL', reason: 'Email a@b.example is taken' },
    ]);
    expect(refused).toMatchObject({
      outcome: ImportOutcome.FAILED,
      detail: 'Email a@b.example is taken',
      changes: [],
    });
  });
});
