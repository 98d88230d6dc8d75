import { describe, expect, it } from 'vitest';
import { brakeTrips, DEFAULT_BRAKE } from './brake.js';

describe('the brake on mass suspensions', () => {
  it('trips past 50 suspensions, or past 20 % once the connector has 100 active users', () => {
    expect(brakeTrips(DEFAULT_BRAKE, 50, 10_000)).toBe(false);
    expect(brakeTrips(DEFAULT_BRAKE, 51, 10_000)).toBe(true);
    expect(brakeTrips(DEFAULT_BRAKE, 20, 100)).toBe(false);
    expect(brakeTrips(DEFAULT_BRAKE, 21, 100)).toBe(true);
    // 30 of 99 is 30 %, but the percent counts from 100 active users.
    expect(brakeTrips(DEFAULT_BRAKE, 30, 99)).toBe(false);
  });

  it('never trips when disabled, on nothing planned, or on a limit left empty', () => {
    expect(brakeTrips({ ...DEFAULT_BRAKE, enabled: false }, 5_000, 5_000)).toBe(false);
    expect(brakeTrips({ ...DEFAULT_BRAKE, maxSuspensions: 0 }, 0, 100)).toBe(false);
    expect(brakeTrips({ ...DEFAULT_BRAKE, maxSuspensions: 0 }, 1, 100)).toBe(true);
    expect(brakeTrips({ enabled: true, maxSuspensions: null, maxSuspensionPercent: null }, 900, 1_000)).toBe(
      false,
    );
  });
});
