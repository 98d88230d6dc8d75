import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { FINISHED_STATUSES, ImportJob, ImportJobStatus } from './import-job.entity.js';
import { ImportCounts, ImportPhase } from './import-job.types.js';

@ObjectType()
export class ImportProgress {
  @Field(() => ID)
  jobId!: string;
  @Field(() => ImportJobStatus)
  status!: ImportJobStatus;
  @Field(() => ImportPhase)
  phase!: ImportPhase;
  @Field(() => Int, { nullable: true, description: 'Null when the provider gives no total.' })
  total!: number | null;
  @Field(() => Int)
  processed!: number;
  @Field(() => ImportCounts)
  counts!: ImportCounts;
  @Field(() => Float, { nullable: true, description: '0–100; null when the total is unknown.' })
  percent!: number | null;
  @Field()
  at!: Date;
  @Field(() => ImportJob, {
    description:
      'Resolved through the federation: a dashboard may ask for job { connector { displayLabel } }.',
  })
  job!: ImportJob;
}

/** The progress of a job as queries and subscribers see it; percent only grows. */
export function progressOf(job: ImportJob): ImportProgress {
  const finished = FINISHED_STATUSES.includes(job.status);
  const total = job.total ?? (finished ? job.processed : null);
  const percent = finished
    ? 100
    : total
      ? Math.min(100, Math.floor((job.processed / total) * 1000) / 10)
      : null;
  return {
    jobId: job.id,
    status: job.status,
    phase: job.phase,
    total,
    processed: job.processed,
    counts: job.counts,
    percent,
    at: job.finishedAt ?? new Date(),
    job,
  };
}
