import { capturedLogger } from '@uif/testing';
import { describe, expect, it } from 'vitest';
import { ImportJob, ImportJobStatus } from '../import-job/import-job.entity.js';
import type { BrakeTrip } from '../import-job/import-job.types.js';
import { BrakeCheck } from './brake-check.js';

const trip: BrakeTrip = {
  plannedSuspensions: 60,
  activeUsers: 100,
  maxSuspensions: 50,
  maxSuspensionPercent: 20,
  at: new Date(),
};

/** The check against a brake that trips on more than 50 planned suspensions; whom it asked is kept. */
function brakeCheck() {
  const asked: number[] = [];
  const check = new BrakeCheck({
    brakes: {
      check: async (_organizationId, _connectorId, planned) => {
        asked.push(planned);
        return planned > 50 ? trip : null;
      },
    },
    log: capturedLogger('brake-check-test').log,
    onBrakeTripped: async () => undefined,
  });
  return { check, asked };
}

const runningJob = (dryRun = false) =>
  Object.assign(new ImportJob(), {
    organizationId: 'org-1',
    connectorId: 'connector-1',
    status: ImportJobStatus.RUNNING,
    dryRun,
    brakeTrip: null,
  });

describe('the brake check between planning and applying', () => {
  it('holds a plan that trips the brake for approval, and lets one that does not go on', async () => {
    const { check, asked } = brakeCheck();
    const held = runningJob();
    await check.check(held, { kind: 'CUSTOM_API' }, 60);
    expect(held).toMatchObject({ brakeTrip: trip, status: ImportJobStatus.AWAITING_APPROVAL });

    const passed = runningJob();
    await check.check(passed, { kind: 'CUSTOM_API' }, 50);
    expect(passed).toMatchObject({ brakeTrip: null, status: ImportJobStatus.RUNNING });
    expect(asked).toEqual([60, 50]);
  });

  it('records the trip of a dry run without holding it, and never asks for a SCIM connector', async () => {
    const { check, asked } = brakeCheck();
    const dryRun = runningJob(true);
    await check.check(dryRun, { kind: 'CUSTOM_API' }, 60);
    expect(dryRun).toMatchObject({ brakeTrip: trip, status: ImportJobStatus.RUNNING });

    const scim = runningJob();
    await check.check(scim, { kind: 'SCIM' }, 60);
    expect(scim).toMatchObject({ brakeTrip: null, status: ImportJobStatus.RUNNING });
    expect(asked).toEqual([60]);
  });
});
