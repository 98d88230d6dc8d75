/** Where import jobs wait for a worker: in this process by default, BullMQ on Redis with REDIS_URL. */
export interface JobQueue {
  enqueue(jobId: string): Promise<void>;
  /** Starts handing job ids to `run`, a few at a time. */
  consume(run: (jobId: string) => Promise<void>): void;
  close(): Promise<void>;
}
