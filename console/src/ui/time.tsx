import { formatTime } from './format';

/** A timestamp as the console writes it (UTC), on one line however narrow its column. */
export function Time({ iso }: { iso: string | null | undefined }) {
  if (!iso) return <>—</>;
  return <time dateTime={iso}>{formatTime(iso)}</time>;
}
