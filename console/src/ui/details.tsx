import type { ReactNode } from 'react';

/** Term and value pairs; a pair without a value is left out. `children` adds pairs of its own. */
export function DetailList({
  rows,
  children,
}: {
  rows: [string, ReactNode | null | undefined][];
  children?: ReactNode;
}) {
  return (
    <dl className="details">
      {rows
        .filter(([, value]) => value)
        .map(([term, value]) => (
          <div key={term}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      {children}
    </dl>
  );
}
