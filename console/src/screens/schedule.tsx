import { useEffect, useState } from 'react';
import { request } from '../api/client';
import { ImportScheduleQuery, SetImportScheduleMutation } from '../api/operations';
import { useQuery } from '../api/use-query';
import { CheckboxField, TextField } from '../ui/field';
import { humanize } from '../ui/format';
import { useNotify } from '../ui/notifications';
import { href } from '../ui/router';
import { ErrorPanel, Loading } from '../ui/status';
import { BrakeForm } from './brake';
import { Time } from '../ui/time';

interface Settings {
  enabled: boolean;
  userCreate: boolean;
  userUpdate: boolean;
  allowUserReactivation: boolean;
  suspendMissingUsers: boolean;
  query: string;
  sendEmail: boolean;
}

/** Scheduled Imports (hourly): on/off, the options, the summary email; the minute and next run as set. */
export function ScheduleSection({ connectorId }: { connectorId: string }) {
  const notify = useNotify();
  const { data, error, loading, reload } = useQuery(ImportScheduleQuery, { id: connectorId });
  const schedule = data?.connector?.importSchedule;
  const [settings, setSettings] = useState<Settings | null>(null);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (!data) return;
    setSettings({
      enabled: schedule?.enabled ?? false,
      userCreate: schedule?.operations.userCreate ?? true,
      userUpdate: schedule?.operations.userUpdate ?? true,
      allowUserReactivation: schedule?.allowUserReactivation ?? false,
      suspendMissingUsers: schedule?.suspendMissingUsers ?? false,
      query: schedule?.query ?? '',
      sendEmail: schedule?.sendEmail ?? false,
    });
  }, [data, schedule]);

  async function save() {
    if (!settings) return;
    setBusy(true);
    try {
      await request(SetImportScheduleMutation, {
        input: {
          connectorId,
          enabled: settings.enabled,
          operations: { userCreate: settings.userCreate, userUpdate: settings.userUpdate },
          allowUserReactivation: settings.allowUserReactivation,
          suspendMissingUsers: settings.suspendMissingUsers && settings.userUpdate,
          query: settings.query.trim() || null,
          sendEmail: settings.sendEmail,
        },
      });
      notify({ kind: 'success', title: 'Schedule saved' });
      reload();
    } catch (err) {
      notify({ kind: 'error', title: 'Could not save the schedule', body: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  const set = <K extends keyof Settings>(key: K, value: Settings[K]) =>
    setSettings((current) => (current ? { ...current, [key]: value } : current));

  return (
    <section className="panel" aria-labelledby="schedule-title">
      <h2 id="schedule-title">Scheduled imports</h2>
      {error && <ErrorPanel error={error} retry={reload} />}
      {loading && !data && <Loading what="the schedule" />}
      {settings && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void save();
          }}
        >
          <CheckboxField
            label="Scheduled Imports (hourly)"
            checked={settings.enabled}
            onChange={(e) => set('enabled', e.target.checked)}
          />
          {schedule && (
            <p className="muted">
              Runs every hour at minute {String(schedule.minuteOfHour).padStart(2, '0')} (UTC) · next run{' '}
              {schedule.enabled ? <Time iso={schedule.nextRunAt} /> : 'none (off)'}
              {schedule.lastJob && (
                <>
                  {' '}
                  · last run{' '}
                  <a href={href('jobs', schedule.lastJob.id)}>
                    {humanize(schedule.lastJob.status)} <Time iso={schedule.lastJob.finishedAt} />
                  </a>
                </>
              )}
            </p>
          )}
          {schedule?.pausedBy && (
            <p className="warning">
              Paused: scheduled runs are skipped until{' '}
              <a href={href('jobs', schedule.pausedBy.id)}>
                the import of <Time iso={schedule.pausedBy.createdAt} />
              </a>{' '}
              is approved or cancelled.
            </p>
          )}
          <fieldset>
            <legend>Options (scheduled imports)</legend>
            <CheckboxField
              label="Import new users"
              checked={settings.userCreate}
              onChange={(e) => set('userCreate', e.target.checked)}
            />
            <CheckboxField
              label="Import user updates"
              checked={settings.userUpdate}
              onChange={(e) => set('userUpdate', e.target.checked)}
            />
            <CheckboxField
              label="Allow reactivation of users on update"
              checked={settings.allowUserReactivation}
              onChange={(e) => set('allowUserReactivation', e.target.checked)}
            />
            {data?.connector?.kind !== 'SCIM' && settings.userUpdate && (
              <CheckboxField
                label="Suspend users no longer in the application"
                checked={settings.suspendMissingUsers}
                onChange={(e) => set('suspendMissingUsers', e.target.checked)}
              />
            )}
            <TextField
              label="Apply Advanced Filters on import (optional)"
              value={settings.query}
              onChange={(e) => set('query', e.target.value)}
            />
            <CheckboxField
              label="Receive summary email after each scheduled import"
              checked={settings.sendEmail}
              onChange={(e) => set('sendEmail', e.target.checked)}
            />
          </fieldset>
          <button type="submit" disabled={busy}>
            Save schedule
          </button>
        </form>
      )}
      {/* SCIM connectors import new users only: they suspend nobody, so they have no brake. */}
      {data?.connector && data.connector.kind !== 'SCIM' && (
        <BrakeForm
          key={JSON.stringify(data.connector.importBrake)}
          connectorId={connectorId}
          brake={data.connector.importBrake}
          saved={reload}
        />
      )}
    </section>
  );
}
