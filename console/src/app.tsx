import { useState } from 'react';
import { closeSubscriptions } from './api/client';
import { loadSession, saveSession, type Session } from './api/session';
import { ConnectorPage } from './screens/connector';
import { ConnectorsPage } from './screens/connectors';
import { CustomApiForm } from './screens/custom-api-form';
import { InsightsPage } from './screens/insights';
import { JobPage } from './screens/job';
import { OrganizationPage } from './screens/organization';
import { ScimForm } from './screens/scim-form';
import { SelectUsersPage } from './screens/select-users';
import { SignIn } from './screens/sign-in';
import { UserPage, UsersPage } from './screens/users';
import { ErrorBoundary } from './ui/error-boundary';
import { NotificationProvider } from './ui/notifications';
import { href, useRoute } from './ui/router';

const NAV = [
  ['connectors', 'Connectors'],
  ['users', 'Users'],
  ['insights', 'Directory Insights'],
  ['organization', 'Organization'],
] as const;

function Screen({ route }: { route: string[] }) {
  const [section = 'connectors', id, sub] = route;
  if (section === 'connectors' && id === 'new') return sub === 'scim' ? <ScimForm /> : <CustomApiForm />;
  if (section === 'connectors' && id && sub === 'select') return <SelectUsersPage connectorId={id} />;
  if (section === 'connectors' && id) return <ConnectorPage id={id} />;
  if (section === 'jobs' && id) return <JobPage key={id} id={id} />;
  if (section === 'users' && id) return <UserPage id={id} />;
  if (section === 'users') return <UsersPage />;
  if (section === 'insights') return <InsightsPage />;
  if (section === 'organization') return <OrganizationPage />;
  return <ConnectorsPage />;
}

export function App() {
  const [session, setSession] = useState<Session | null>(loadSession);
  const route = useRoute();
  if (!session) return <SignIn onSignedIn={setSession} />;
  const signOut = () => {
    saveSession(null);
    closeSubscriptions();
    setSession(null);
  };
  return (
    <NotificationProvider>
      <header className="top">
        <span className="brand">User import</span>
        <nav aria-label="Main">
          <ul>
            {NAV.map(([path, label]) => (
              <li key={path}>
                <a href={href(path)} aria-current={(route[0] ?? 'connectors') === path ? 'page' : undefined}>
                  {label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <span className="who">
          {session.orgId}
          <button type="button" className="ghost" onClick={signOut}>
            Sign out
          </button>
        </span>
      </header>
      <main className="content">
        <ErrorBoundary key={route.join('/')}>
          <Screen route={route} />
        </ErrorBoundary>
      </main>
    </NotificationProvider>
  );
}
