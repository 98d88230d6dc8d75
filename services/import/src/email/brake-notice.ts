import { escapeHtml, type RenderedEmail } from './import-summary.js';

/** What the "Import awaits approval" email says when a job's planned suspensions trip the brake. */
export interface BrakeNotice {
  jobId: string;
  connectorName: string;
  trigger: 'MANUAL' | 'SCHEDULED';
  plannedSuspensions: number;
  activeUsers: number;
  maxSuspensions: number | null;
  maxSuspensionPercent: number | null;
}

export function renderBrakeNotice(notice: BrakeNotice): RenderedEmail {
  const limits = [
    notice.maxSuspensions === null ? null : `${notice.maxSuspensions} users`,
    notice.maxSuspensionPercent === null
      ? null
      : `${notice.maxSuspensionPercent} % of the connector's active users`,
  ].filter((limit): limit is string => limit !== null);
  const paragraphs = [
    `The ${notice.trigger.toLowerCase()} user import from "${notice.connectorName}" would suspend ` +
      `${notice.plannedSuspensions} of its ${notice.activeUsers} active users, more than the brake ` +
      `allows (${limits.join(' or ')}). It stopped before changing anything.`,
    `To apply it exactly as planned: approveImport(jobId: "${notice.jobId}"). To drop it: ` +
      `cancelImport(jobId: "${notice.jobId}"). A plan can be approved for 24 hours; until then the ` +
      `connector's scheduled imports are skipped.`,
  ];
  return {
    subject: `User import from "${notice.connectorName}" awaits approval: ${notice.plannedSuspensions} suspensions planned`,
    text: `${paragraphs.join('\n\n')}\n`,
    html: paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n'),
  };
}
