import { createLogger } from '@uif/runtime';
import { afterEach, describe, expect, it } from 'vitest';
import { ProgressBus } from './progress-bus.js';

describe('the in-process progress bus', () => {
  const warnings: Error[] = [];
  const onWarning = (warning: Error) => warnings.push(warning);
  afterEach(() => {
    process.off('warning', onWarning);
  });

  it("takes a busy organization's many subscribers without warning of a leak", async () => {
    process.on('warning', onWarning);
    const bus = new ProgressBus(undefined, createLogger({ name: 'import', level: 'silent' }));
    const subscriptions = Array.from({ length: 30 }, () => bus.subscribe('org-1')[Symbol.asyncIterator]());
    const firstEvents = subscriptions.map((subscription) => subscription.next());
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
    for (const subscription of subscriptions) await subscription.return?.();
    await Promise.all(firstEvents);
    bus.close();
  });
});
