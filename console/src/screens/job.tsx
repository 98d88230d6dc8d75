import { useEffect, useState } from 'react';
import { request, subscribe } from '../api/client';
import {
  ApproveImportMutation,
  CancelImportMutation,
  ImportJobProgressSubscription,
  ImportJobQuery,
} from '../api/operations';
import { useQuery } from '../api/use-query';
import type {
  ImportJobProgressSubscription as ProgressData,
  ImportJobQuery as JobData,
  ImportOutcome,
} from '../gql/graphql';
import { Dialog } from '../ui/dialog';
import { SelectField } from '../ui/field';
import { humanize } from '../ui/format';
import { useNotify } from '../ui/notifications';
import { ProgressBar } from '../ui/progress';
import { href } from '../ui/router';
import { Badge, Empty, ErrorPanel, Loading } from '../ui/status';
import { Time } from '../ui/time';

const OUTCOMES: ImportOutcome[] = [
  'CREATED',
  'UPDATED',
  'SUSPENDED',
  'REACTIVATED',
  'UNCHANGED',
  'SKIPPED',
  'FAILED',
];
const COUNT_OF: Record<ImportOutcome, Exclude<keyof Live['counts'], 'fetched'>> = {
  CREATED: 'created',
  UPDATED: 'updated',
  SUSPENDED: 'suspended',
  REACTIVATED: 'reactivated',
  UNCHANGED: 'unchanged',
  SKIPPED: 'skipped',
  FAILED: 'failed',
};
const RUNNING = new Set(['QUEUED', 'RUNNING']);

type Live = ProgressData['importJobProgress'];
type Job = NonNullable<JobData['importJob']>;
type ResultRow = Job['results']['nodes'][number];

const DRY_RUN_MARKER = 'Dry run — nothing was changed';

/** A changed value as admins read it: text as it is, anything else as JSON, nothing as a dash. */
function formatValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function Changes({ changes }: { changes: ResultRow['changes'] }) {
  if (changes.length === 0) return null;
  return (
    <ul className="changes">
      {changes.map((c) => (
        <li key={c.attribute}>
          {c.attribute}: {formatValue(c.from)} → {formatValue(c.to)}
        </li>
      ))}
    </ul>
  );
}

/** The server publishes a running job's progress at least every 2 s: a longer silence means the feed is stuck. */
const SILENCE_MS = 5_000;

/**
 * Follows the job over graphql-ws while it runs; `refresh` reloads the job when it ends, and every
 * few seconds while the feed is silent or lost, so the page never freezes on a stale figure.
 */
function useLiveProgress(
  jobId: string,
  running: boolean,
  refresh: () => void,
): { live: Live | null; lost: boolean } {
  const [live, setLive] = useState<Live | null>(null);
  const [lost, setLost] = useState(false);
  useEffect(() => {
    if (!running) return;
    let lastEventAt = Date.now();
    const unsubscribe = subscribe(
      ImportJobProgressSubscription,
      { jobId },
      {
        next: ({ importJobProgress }) => {
          lastEventAt = Date.now();
          setLive(importJobProgress);
          // A job the brake stops leaves the running states without reaching DONE.
          if (importJobProgress.phase === 'DONE' || !RUNNING.has(importJobProgress.status)) refresh();
        },
        error: () => {
          setLost(true);
          refresh();
        },
        complete: refresh,
      },
    );
    const watchdog = setInterval(() => {
      if (Date.now() - lastEventAt < SILENCE_MS) return;
      setLive(null); // the job as last read is newer than a stuck feed
      refresh();
    }, SILENCE_MS / 2);
    return () => {
      clearInterval(watchdog);
      unsubscribe();
    };
  }, [jobId, running, refresh]);
  return { live, lost };
}

function Results({
  jobId,
  dryRun,
  outcome,
  setOutcome,
}: {
  jobId: string;
  dryRun: boolean;
  outcome: ImportOutcome | '';
  setOutcome(outcome: ImportOutcome | ''): void;
}) {
  const [pages, setPages] = useState<string[]>([]);
  useEffect(() => setPages([]), [outcome]);
  const { data, error, loading, reload } = useQuery(ImportJobQuery, {
    id: jobId,
    outcome: outcome || null,
    after: pages.at(-1) ?? null,
  });
  const [rows, setRows] = useState<ResultRow[]>([]);
  const following = pages.length > 0;
  useEffect(() => {
    // Rows grow page by page ("Show more"); a new filter starts again from its first page.
    const nodes = data?.importJob?.results.nodes;
    if (nodes) setRows((previous) => (following ? [...previous, ...nodes] : nodes));
  }, [data]);
  const results = data?.importJob?.results;
  return (
    <section className="panel" aria-labelledby="results-title">
      <h2 id="results-title">{dryRun ? 'Results of the dry run' : 'Results'}</h2>
      {dryRun && (
        <p className="notice">
          {DRY_RUN_MARKER}: each row is the outcome the import would have, with the changes it would make.
        </p>
      )}
      <SelectField
        label="Outcome"
        value={outcome}
        onChange={(e) => setOutcome(e.target.value as ImportOutcome | '')}
      >
        <option value="">All outcomes</option>
        {OUTCOMES.map((o) => (
          <option key={o} value={o}>
            {humanize(o)}
          </option>
        ))}
      </SelectField>
      {error && <ErrorPanel error={error} retry={reload} />}
      {loading && !data && <Loading what="the results" />}
      {results && rows.length === 0 && <Empty>No user has this outcome.</Empty>}
      {rows.length > 0 && (
        <table>
          <caption className="visually-hidden">Per-user results</caption>
          <thead>
            <tr>
              <th scope="col">External ID</th>
              <th scope="col">Email</th>
              <th scope="col">Username</th>
              <th scope="col">Outcome</th>
              <th scope="col">Detail</th>
              <th scope="col">Changes</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row, index) => (
              <tr key={`${row.externalId ?? ''}-${index}`}>
                <td>{row.externalId ?? '—'}</td>
                <td>
                  {row.user ? <a href={href('users', row.user.id)}>{row.email}</a> : (row.email ?? '—')}
                </td>
                <td>{row.username ?? '—'}</td>
                <td>
                  <Badge value={row.outcome} />
                </td>
                <td>{row.detail ?? ''}</td>
                <td>
                  <Changes changes={row.changes} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {results?.pageInfo.hasNextPage && (
        <button
          type="button"
          disabled={loading}
          onClick={() => setPages((p) => [...p, results.pageInfo.endCursor!])}
        >
          Show more
        </button>
      )}
      {results && (
        <p className="muted">
          {rows.length} of {results.totalCount} shown
        </p>
      )}
    </section>
  );
}

function limitsOf(trip: NonNullable<Job['brakeTrip']>): string {
  const limits = [
    trip.maxSuspensions !== null && trip.maxSuspensions !== undefined
      ? `at most ${trip.maxSuspensions} suspensions`
      : null,
    trip.maxSuspensionPercent !== null && trip.maxSuspensionPercent !== undefined
      ? `at most ${trip.maxSuspensionPercent} % of the active users`
      : null,
  ].filter(Boolean);
  return limits.length > 0 ? limits.join(' and ') : 'none';
}

/**
 * A job the brake stopped: why, and the admin's choice. Approving applies the stored plan as decided
 * (the provider is not read again), so it asks for a confirmation that says how many are suspended.
 */
function AwaitingApproval({
  job,
  cancel,
  cancelling,
  approved,
}: {
  job: Job;
  cancel(): Promise<void>;
  cancelling: boolean;
  approved(): void;
}) {
  const notify = useNotify();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const trip = job.brakeTrip;

  async function approve() {
    setBusy(true);
    try {
      await request(ApproveImportMutation, { jobId: job.id });
      setConfirming(false);
      approved();
    } catch (err) {
      notify({ kind: 'error', title: 'Could not approve', body: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="panel approval" aria-labelledby="approval-title">
      <h2 id="approval-title">Awaiting approval</h2>
      {trip && (
        <>
          <p>
            The brake stopped this import before it changed anything:{' '}
            <strong>{trip.plannedSuspensions} suspensions planned</strong> of {trip.activeUsers} active users.
          </p>
          <p>
            Limits: {limitsOf(trip)} · stopped <Time iso={trip.at} />
          </p>
        </>
      )}
      <p className="muted">
        Approving applies the plan as decided, without reading the provider again; cancelling changes nothing.
      </p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => setConfirming(true)}>
          Approve
        </button>
        <button type="button" className="danger" disabled={cancelling} onClick={() => void cancel()}>
          Cancel import
        </button>
      </div>
      <Dialog title="Approve this import?" open={confirming} onClose={() => setConfirming(false)}>
        <p>
          {trip
            ? `${trip.plannedSuspensions} users will be suspended, with the other changes of the plan.`
            : 'The planned changes will be applied.'}
        </p>
        <div className="actions">
          <button type="button" className="danger" disabled={busy} onClick={() => void approve()}>
            Approve and apply
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep waiting
          </button>
        </div>
      </Dialog>
    </section>
  );
}

export function JobPage({ id }: { id: string }) {
  const notify = useNotify();
  const { data, error, loading, reload } = useQuery(ImportJobQuery, { id, outcome: null, after: null });
  const job = data?.importJob;
  const running = Boolean(job && RUNNING.has(job.status));
  const { live, lost } = useLiveProgress(id, running, reload);
  const [cancelling, setCancelling] = useState(false);
  const [outcome, setOutcome] = useState<ImportOutcome | ''>('');

  if (error && !data) return <ErrorPanel error={error} retry={reload} />;
  if (loading && !data) return <Loading what="the import" />;
  if (!job)
    return (
      <Empty>
        This import does not exist. <a href={href('connectors')}>Back to connectors</a>
      </Empty>
    );

  const useLive = running && live !== null;
  const status = useLive ? live.status : job.status;
  const phase = useLive ? live.phase : job.progress.phase;
  const counts = useLive ? live.counts : job.counts;
  const progress = useLive ? live : job.progress;
  // A stopped plan stays at the phase it reached: say that it waits, not that it applies.
  const phaseLabel = status === 'AWAITING_APPROVAL' ? 'Awaiting approval' : humanize(phase);

  async function cancel() {
    setCancelling(true);
    try {
      await request(CancelImportMutation, { jobId: id });
      reload();
    } catch (err) {
      notify({ kind: 'error', title: 'Could not cancel', body: (err as Error).message });
    } finally {
      setCancelling(false);
    }
  }

  return (
    <>
      <p>
        <a href={href('connectors', job.connector.id)}>← {job.connector.displayLabel}</a>
      </p>
      <div className="page-header">
        <h1>
          {job.dryRun ? 'Dry run' : 'Import'} of <Time iso={job.createdAt} />
        </h1>
        <Badge value={status} />
      </div>
      {job.dryRun && <p className="notice">{DRY_RUN_MARKER}</p>}
      {job.status === 'AWAITING_APPROVAL' && (
        <AwaitingApproval job={job} cancel={cancel} cancelling={cancelling} approved={reload} />
      )}
      <section className="panel" aria-labelledby="progress-title">
        <h2 id="progress-title">Progress</h2>
        <ProgressBar
          phase={phaseLabel}
          percent={progress.percent}
          processed={progress.processed}
          read={counts.fetched}
          total={progress.total}
        />
        <p>
          Phase: <strong>{phaseLabel}</strong> · {humanize(job.trigger)} import by {job.startedBy} ·{' '}
          {job.operations.map(humanize).join(' and ')}
          {job.allowUserReactivation ? ' · reactivation allowed' : ''}
          {job.suspendMissingUsers ? ' · suspends users no longer in the application' : ''}
          {job.query ? ` · filter ${job.query}` : ''}
          {job.approvedBy ? ` · approved by ${job.approvedBy}` : ''}
        </p>
        {job.warnings.length > 0 && (
          <ul className="warning" aria-label="Warnings">
            {job.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        )}
        {lost && (
          <p className="warning">
            Live progress was interrupted; the figures refresh every few seconds instead.
          </p>
        )}
        {job.error && (
          <p role="alert" className="form-error">
            {job.error}
          </p>
        )}
        <ul className="tiles" aria-label="Counts">
          {OUTCOMES.map((o) => (
            <li key={o}>
              <button
                type="button"
                className={`tile tile-${o.toLowerCase()}`}
                aria-pressed={outcome === o}
                disabled={running}
                onClick={() => setOutcome(outcome === o ? '' : o)}
              >
                <span className="tile-count">{counts[COUNT_OF[o]]}</span>
                <span className="tile-label">{humanize(o)}</span>
              </button>
            </li>
          ))}
        </ul>
        <div className="actions">
          {running && (
            <button type="button" className="danger" disabled={cancelling} onClick={() => void cancel()}>
              Cancel
            </button>
          )}
          {job.resultsDownloadUrl && !running && (
            <a className="button" href={job.resultsDownloadUrl} download>
              Download results (CSV)
            </a>
          )}
          {!running && <a href={href('users')}>Users</a>}
        </div>
        <p className="muted">
          Started <Time iso={job.startedAt ?? job.createdAt} />
          {job.finishedAt && (
            <>
              {' '}
              · finished <Time iso={job.finishedAt} />
            </>
          )}
        </p>
      </section>
      {!running && (
        <Results key={job.status} jobId={id} dryRun={job.dryRun} outcome={outcome} setOutcome={setOutcome} />
      )}
    </>
  );
}
