import type { Logger } from '@uif/runtime';
import type { JobQueue } from './job-queue.js';

/** Jobs run in this process, `concurrency` at a time, in the order they came. */
export class InProcessQueue implements JobQueue {
  private readonly waiting: string[] = [];
  private readonly running = new Set<Promise<void>>();
  private run: ((jobId: string) => Promise<void>) | null = null;
  private closed = false;

  constructor(
    private readonly concurrency: number,
    private readonly log: Logger,
  ) {}

  async enqueue(jobId: string): Promise<void> {
    if (this.waiting.includes(jobId)) return;
    this.waiting.push(jobId);
    this.pump();
  }

  consume(run: (jobId: string) => Promise<void>): void {
    this.run = run;
    this.pump();
  }

  /** Stops taking jobs and waits for the running ones. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.running]);
  }

  private pump(): void {
    while (this.run && !this.closed && this.running.size < this.concurrency && this.waiting.length > 0) {
      const jobId = this.waiting.shift()!;
      const task = this.run(jobId)
        .catch((error: unknown) => this.log.error({ jobId, err: error }, 'an import job crashed its worker'))
        .finally(() => {
          this.running.delete(task);
          this.pump();
        });
      this.running.add(task);
    }
  }
}
