/** The import's progress as an accessible progressbar: percent when the total is known, else users read. */
export function ProgressBar({
  phase,
  percent,
  processed,
  read,
  total,
}: {
  /** Each phase (reading, then applying) counts the users again from 0. */
  phase: string;
  percent: number | null | undefined;
  processed: number;
  /** Users read from the provider so far: what there is to show while the total is unknown. */
  read: number;
  total: number | null | undefined;
}) {
  const known = typeof percent === 'number';
  const rounded = known ? Math.round(percent) : null;
  const text = `${phase}: ${known ? `${rounded} % (${processed} of ${total ?? '?'} users)` : `${read} users read`}`;
  return (
    <div className="progress">
      <div
        role="progressbar"
        aria-label="Import progress"
        aria-valuemin={0}
        aria-valuemax={known ? 100 : undefined}
        aria-valuenow={rounded ?? undefined}
        aria-valuetext={text}
        className={`progress-track${known ? '' : ' indeterminate'}`}
      >
        <div className="progress-fill" style={{ width: known ? `${percent}%` : '100%' }} />
      </div>
      <span className="progress-text">{text}</span>
    </div>
  );
}
