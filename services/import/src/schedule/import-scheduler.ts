import type { Logger } from '@uif/runtime';
import type { ImportScheduleService } from './import-schedule.service.js';

/** Checks the schedules every few seconds in this process (embedded mode; any process may run one). */
export class ImportScheduler {
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> = Promise.resolve();

  constructor(
    private readonly schedules: ImportScheduleService,
    private readonly intervalMs: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    const tick = () => {
      this.ticking = this.schedules
        .tick()
        .catch((error: unknown) => this.log.warn({ err: error }, 'a schedule tick failed'));
    };
    tick();
    this.timer = setInterval(tick, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.ticking;
  }
}
