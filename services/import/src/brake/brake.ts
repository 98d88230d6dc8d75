/** The limits of a brake, as stored or as every connector has them by default. */
export interface BrakeLimits {
  enabled: boolean;
  maxSuspensions: number | null;
  maxSuspensionPercent: number | null;
}

export const DEFAULT_BRAKE: BrakeLimits = { enabled: true, maxSuspensions: 50, maxSuspensionPercent: 20 };

/** Below this many active users the percent limit does not count: 3 of 10 is no mass suspension. */
export const PERCENT_FROM_ACTIVE_USERS = 100;

/** Whether suspending `planned` of a connector's `active` users passes either limit of the brake. */
export function brakeTrips(limits: BrakeLimits, planned: number, active: number): boolean {
  if (!limits.enabled || planned === 0) return false;
  if (limits.maxSuspensions !== null && planned > limits.maxSuspensions) return true;
  return (
    limits.maxSuspensionPercent !== null &&
    active >= PERCENT_FROM_ACTIVE_USERS &&
    (planned / active) * 100 > limits.maxSuspensionPercent
  );
}
