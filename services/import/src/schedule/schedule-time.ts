/** The next time, strictly after `after`, at which the clock shows `minuteOfHour`:00 (UTC). */
export function nextRunAfter(after: Date, minuteOfHour: number): Date {
  const next = new Date(after);
  next.setUTCSeconds(0, 0);
  next.setUTCMinutes(minuteOfHour);
  if (next.getTime() <= after.getTime()) next.setUTCHours(next.getUTCHours() + 1);
  return next;
}

/** A minute for a new schedule: spread over the hour, so connectors do not all run at once. */
export function pickMinuteOfHour(random: () => number = Math.random): number {
  return Math.floor(random() * 60);
}
