import { useState, type ReactNode } from 'react';
import { ApiError, request } from '../api/client';
import {
  ActivateConnectorMutation,
  BeginOAuthMutation,
  ConnectorQuery,
  DeactivateConnectorMutation,
  TestConnectionMutation,
} from '../api/operations';
import { useQuery } from '../api/use-query';
import type { TestConnectionMutation as TestData } from '../gql/graphql';
import { Dialog } from '../ui/dialog';
import { humanize } from '../ui/format';
import { useNotify } from '../ui/notifications';
import { href } from '../ui/router';
import { Badge, Empty, ErrorPanel, Loading } from '../ui/status';
import type { ConnectorDetails } from './connector-details';
import { CustomApiForm, PAGINATION } from './custom-api-form';
import { ImportSection } from './import-section';
import { MappingSection } from './mapping';
import { ScheduleSection } from './schedule';
import { DetailList } from '../ui/details';
import { Time } from '../ui/time';

const AUTH_LABELS: Record<string, string> = {
  API_KEY: 'API Key',
  BEARER_TOKEN: 'Bearer Token',
  OAUTH2_AUTHORIZATION_CODE: 'OAuth 2.0',
  OAUTH2_CLIENT_CREDENTIALS: 'OAuth 2.0 client credentials',
  BASIC: 'Basic',
};

function Configuration({ connector }: { connector: ConnectorDetails }) {
  const list = connector.listUsers;
  const rows: [string, string | null | undefined][] = [
    ['Base URL', connector.baseUrl],
    ['Authentication Method', AUTH_LABELS[connector.authMethod] ?? humanize(connector.authMethod)],
    ['Credentials', connector.authSummary],
    ['Description', connector.description],
  ];
  if (list) {
    rows.push(
      ['Endpoint Path', `GET ${list.path}`],
      ['Resource Location', list.resourceLocation],
      [
        'Response Parameter Location',
        `${humanize(list.totalCountSource)}${list.totalCountLocation ? `: ${list.totalCountLocation}` : ''}`,
      ],
      ['Pagination Style', PAGINATION[list.pagination].label],
      ['Limit Name', list.limitParam],
      [PAGINATION[list.pagination].offset?.[0] ?? 'Offset Name', list.offsetParam],
      ['First Page', list.pagination === 'PAGE_NUMBER' ? String(list.firstPage ?? 1) : null],
      ['Cursor JSON Path', list.cursorPath],
      [
        'Next URL JSON Path',
        list.pagination === 'NEXT_URL' ? (list.nextUrlPath ?? 'Link header (rel="next")') : null,
      ],
      ['Page size', String(list.pageSize)],
      ['Custom Headers', list.extraHeaderNames.join(', ')],
    );
  }
  return <DetailList rows={rows} />;
}

/** Test Connection: success says what was found; a failure slides out a notification and shows the provider's answer. */
function TestConnection({ connectorId, children }: { connectorId: string; children?: ReactNode }) {
  const notify = useNotify();
  const [result, setResult] = useState<TestData['testConnection'] | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState(false);
  async function test() {
    setBusy(true);
    setError(null);
    try {
      const { testConnection } = await request(TestConnectionMutation, { connectorId });
      setResult(testConnection);
      notify(
        testConnection.ok
          ? { kind: 'success', title: 'Connection successful', body: testConnection.message }
          : { kind: 'error', title: 'Test Connection failed', body: testConnection.message },
      );
    } catch (cause) {
      setError(cause instanceof ApiError ? cause : new ApiError(String(cause), 'INTERNAL_SERVER_ERROR'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="test-connection">
      <div className="actions">
        {children}
        <button type="button" onClick={() => void test()} disabled={busy}>
          {busy ? 'Testing…' : 'Test Connection'}
        </button>
      </div>
      {error && <ErrorPanel error={error} />}
      {result?.ok && (
        <p role="status" className="success">
          {result.message}
        </p>
      )}
      {result && !result.ok && (
        <section className="provider-response" aria-labelledby="provider-response-title">
          <h3 id="provider-response-title">Response from the service provider</h3>
          <p>{result.message}</p>
          {result.httpStatus !== null && result.httpStatus !== undefined && (
            <p>HTTP status {result.httpStatus}</p>
          )}
          {result.providerResponse && (
            <pre tabIndex={0} aria-label="Provider response body">
              {result.providerResponse}
            </pre>
          )}
          <p className="hint">You can share this with the application’s provider to troubleshoot.</p>
        </section>
      )}
    </div>
  );
}

function StateActions({ connector, reload }: { connector: ConnectorDetails; reload(): void }) {
  const notify = useNotify();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  async function run(action: 'activate' | 'deactivate') {
    setBusy(true);
    try {
      if (action === 'activate') {
        await request(ActivateConnectorMutation, { connectorId: connector.id });
        notify({
          kind: 'success',
          title: 'The Identity Management integration has been successfully verified.',
        });
      } else {
        await request(DeactivateConnectorMutation, { connectorId: connector.id });
        notify({
          kind: 'success',
          title: 'Identity Management deactivated',
          body: 'Users are left as they are.',
        });
      }
      reload();
    } catch (error) {
      notify({
        kind: 'error',
        title: `Could not ${action}`,
        body: error instanceof Error ? error.message : String(error),
      });
    } finally {
      setBusy(false);
      setConfirming(false);
    }
  }
  return (
    <div className="actions">
      {connector.state === 'CONFIGURED' && (
        <button
          type="button"
          className="primary"
          disabled={busy || !connector.mapping}
          onClick={() => void run('activate')}
        >
          Activate
        </button>
      )}
      {connector.state === 'CONFIGURED' && !connector.mapping && (
        <span className="hint">Save the attribute mapping first.</span>
      )}
      {connector.state === 'ACTIVE' && (
        <button type="button" className="danger-link" onClick={() => setConfirming(true)}>
          Deactivate IdM connection
        </button>
      )}
      <Dialog title="Deactivate Identity Management?" open={confirming} onClose={() => setConfirming(false)}>
        <p>Nothing syncs any more; users are left as they are on both systems.</p>
        <div className="actions">
          <button type="button" className="danger" disabled={busy} onClick={() => void run('deactivate')}>
            Confirm
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </Dialog>
    </div>
  );
}

function AuthorizeOAuth({ connectorId }: { connectorId: string }) {
  const notify = useNotify();
  async function authorize() {
    try {
      const { beginOAuthAuthorization } = await request(BeginOAuthMutation, { connectorId });
      window.location.assign(beginOAuthAuthorization.authorizationUrl);
    } catch (error) {
      notify({ kind: 'error', title: 'Could not start the authorization', body: String(error) });
    }
  }
  return (
    <p className="warning">
      This connector is not authorized yet.{' '}
      <button type="button" onClick={() => void authorize()}>
        Authorize at the provider
      </button>
    </p>
  );
}

function RecentImports({ connector }: { connector: ConnectorDetails }) {
  if (connector.importJobs.length === 0) return <Empty>No imports yet.</Empty>;
  return (
    <table>
      <caption className="visually-hidden">Recent imports</caption>
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Trigger</th>
          <th scope="col">Status</th>
          <th scope="col">Created</th>
          <th scope="col">Updated</th>
          <th scope="col">Suspended</th>
          <th scope="col">Failed</th>
        </tr>
      </thead>
      <tbody>
        {connector.importJobs.map((job) => (
          <tr key={job.id}>
            <td>
              <a href={href('jobs', job.id)}>
                <Time iso={job.createdAt} />
              </a>
            </td>
            <td>{humanize(job.trigger)}</td>
            <td>
              <Badge value={job.status} />
            </td>
            <td>{job.counts.created}</td>
            <td>{job.counts.updated}</td>
            <td>{job.counts.suspended}</td>
            <td>{job.counts.failed}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ConnectorPage({ id }: { id: string }) {
  const { data, error, loading, reload } = useQuery(ConnectorQuery, { id });
  const [editing, setEditing] = useState(false);
  if (error && !data) return <ErrorPanel error={error} retry={reload} />;
  if (loading && !data) return <Loading what="the connector" />;
  const connector = data?.connector;
  if (!connector)
    return (
      <Empty>
        This connector does not exist. <a href={href('connectors')}>Back to connectors</a>
      </Empty>
    );
  return (
    <>
      <p>
        <a href={href('connectors')}>← Connectors</a>
      </p>
      <div className="page-header">
        <h1>{connector.displayLabel}</h1>
        <span>
          {connector.kind === 'SCIM' ? 'SCIM' : 'Custom API'} <Badge value={connector.state} />
        </span>
      </div>
      {error && <ErrorPanel error={error} retry={reload} />}
      <section className="panel" aria-labelledby="configuration-title">
        <h2 id="configuration-title">Configuration Settings</h2>
        {editing ? (
          <CustomApiForm
            connector={connector}
            onDone={() => {
              setEditing(false);
              reload();
            }}
          />
        ) : (
          <Configuration connector={connector} />
        )}
        {connector.authMethod === 'OAUTH2_AUTHORIZATION_CODE' && !connector.authorized && (
          <AuthorizeOAuth connectorId={connector.id} />
        )}
        <TestConnection connectorId={connector.id}>
          {connector.kind === 'CUSTOM_API' && !editing && (
            <button type="button" onClick={() => setEditing(true)}>
              Edit configuration
            </button>
          )}
        </TestConnection>
      </section>
      <MappingSection connector={connector} onSaved={reload} />
      <section className="panel" aria-labelledby="state-title">
        <h2 id="state-title">Identity Management</h2>
        <StateActions connector={connector} reload={reload} />
      </section>
      {connector.state === 'ACTIVE' && <ImportSection connector={connector} />}
      {connector.state === 'ACTIVE' && connector.kind === 'CUSTOM_API' && (
        <ScheduleSection connectorId={connector.id} />
      )}
      <section className="panel" aria-labelledby="imports-title">
        <h2 id="imports-title">Recent imports</h2>
        <RecentImports connector={connector} />
      </section>
    </>
  );
}
