import type { Logger } from '@uif/runtime';
import { inTraceOf, traceCarrier } from '@uif/telemetry';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { JobQueue } from './job-queue.js';

interface ImportJobData {
  jobId: string;
  /** The trace context of the request that queued the job: the job's spans join its trace. */
  trace?: Record<string, string>;
}

/**
 * Jobs wait in Redis (BullMQ), so any number of worker processes share them; a job whose worker
 * dies is handed to another one by BullMQ's stalled-job check.
 */
export class BullmqQueue implements JobQueue {
  private readonly connection: Redis;
  private readonly queue: Queue<ImportJobData>;
  private worker: Worker<ImportJobData> | null = null;
  /** The worker's own connection: BullMQ leaves a connection it was given open on close. */
  private workerConnection: Redis | null = null;

  constructor(
    redisUrl: string,
    private readonly concurrency: number,
    private readonly log: Logger,
    private readonly name = 'uif-imports',
    /** A job whose worker stops renewing its lock this long is handed to another worker. */
    private readonly leaseMs = 60_000,
  ) {
    // BullMQ's workers block on Redis: they need unlimited retries per request.
    // Named, so `CLIENT LIST` tells an operator which connections are the import queue's.
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null, connectionName: `uif:${name}` });
    this.queue = new Queue<ImportJobData>(name, { connection: this.connection });
    // Without a listener BullMQ prints each error raw to stderr (every reconnect attempt while Redis
    // is down): log them. Jobs stay safe meanwhile: the database claim and lease guard them.
    this.queue.on('error', (error) => this.log.warn({ err: error }, 'the import queue cannot reach Redis'));
  }

  async enqueue(jobId: string): Promise<void> {
    // The job id doubles as BullMQ's: a job already waiting or running is not added twice.
    await this.queue.add(
      'import',
      { jobId, trace: traceCarrier() },
      { jobId, removeOnComplete: true, removeOnFail: 1000 },
    );
  }

  consume(run: (jobId: string) => Promise<void>): void {
    this.workerConnection = this.connection.duplicate({ maxRetriesPerRequest: null });
    this.worker = new Worker<ImportJobData>(
      this.name,
      (job) => inTraceOf(job.data.trace, () => run(job.data.jobId)),
      {
        connection: this.workerConnection,
        concurrency: this.concurrency,
        lockDuration: this.leaseMs,
        stalledInterval: this.leaseMs,
      },
    );
    // After Redis lost its data (a restart), a running job's lock and key are gone: BullMQ says so
    // here while the job itself goes on, guarded by its database lease.
    this.worker.on('error', (error) =>
      this.log.warn({ err: error }, 'the import queue worker hit a Redis error'),
    );
    this.worker.on('failed', (job, error) =>
      this.log.error({ jobId: job?.data.jobId, err: error }, 'an import job crashed its worker'),
    );
  }

  async close(): Promise<void> {
    await this.worker?.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }
}
