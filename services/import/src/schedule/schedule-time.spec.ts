import { describe, expect, it } from 'vitest';
import { nextRunAfter, pickMinuteOfHour } from './schedule-time.js';

describe('nextRunAfter', () => {
  it('is the next time the clock shows that minute, within the hour', () => {
    expect(nextRunAfter(new Date('2026-11-23T10:20:30Z'), 45).toISOString()).toBe('2026-11-23T10:45:00.000Z');
    expect(nextRunAfter(new Date('2026-11-23T10:20:30Z'), 5).toISOString()).toBe('2026-11-23T11:05:00.000Z');
    expect(nextRunAfter(new Date('2026-11-23T23:59:10Z'), 0).toISOString()).toBe('2026-11-24T00:00:00.000Z');
  });

  it('is strictly after: a run at the minute itself is next due an hour later', () => {
    expect(nextRunAfter(new Date('2026-11-23T10:45:00Z'), 45).toISOString()).toBe('2026-11-23T11:45:00.000Z');
  });
});

describe('pickMinuteOfHour', () => {
  it('picks a minute from 0 to 59', () => {
    expect(pickMinuteOfHour(() => 0)).toBe(0);
    expect(pickMinuteOfHour(() => 0.9999)).toBe(59);
  });
});
