/**
 * The console's shell: sign in with an API key (kept in sessionStorage for this tab), then a
 * navigation and pages that follow the user's role. Routes are hashes (#/incidents/…), so the
 * static host needs no rewrite rules.
 */
import { useEffect, useState } from 'preact/hooks';
import { api, type Me, storedKey, storeKey } from './api.ts';
import type { ConsoleConfig } from './auth.ts';
import { ApprovalsPage, usePendingCount } from './pages/approvals.tsx';
import { AuditPage } from './pages/audit.tsx';
import { BroadcastPage } from './pages/broadcast.tsx';
import { IncidentPage } from './pages/incident.tsx';
import { IncidentsPage } from './pages/incidents.tsx';
import { NewIncidentPage } from './pages/new-incident.tsx';
import { isSearchBy, PassengersPage } from './pages/passengers.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { TemplatePage } from './pages/template.tsx';
import { TemplatesPage } from './pages/templates.tsx';
import { displayZoneName, Loading } from './ui.tsx';

/** What a user may do, from their roles (the API enforces the same: functions/manifest.ts). */
export interface Abilities {
  operate: boolean;
  writeTemplates: boolean;
  review: boolean;
  audit: boolean;
  /** Read delivery records and look passengers up (GET /passengers, /broadcasts/{id}/deliveries). */
  lookUp: boolean;
}

export function abilitiesOf(me: Me): Abilities {
  const has = (role: Me['roles'][number]) => me.roles.includes(role);
  return {
    operate: has('operator') || has('admin'),
    writeTemplates: has('comms_lead') || has('admin'),
    review: has('comms_lead'),
    audit: has('admin'),
    lookUp: has('operator') || has('comms_lead') || has('admin'),
  };
}

function currentRoute(): string {
  return window.location.hash.replace(/^#/, '') || '/incidents';
}

function useRoute(): string {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const changed = () => {
      setRoute(currentRoute());
      window.scrollTo(0, 0);
    };
    window.addEventListener('hashchange', changed);
    return () => window.removeEventListener('hashchange', changed);
  }, []);
  return route;
}

function Page({ route, me, can }: { route: string; me: Me; can: Abilities }) {
  const parts = route.split('/').filter(Boolean).map(decodeURIComponent);
  const [section, id] = parts;
  if (section === 'incidents' && id === 'new' && can.operate) return <NewIncidentPage />;
  if (section === 'incidents' && id) return <IncidentPage id={id} me={me} can={can} />;
  if (section === 'broadcasts' && id) return <BroadcastPage id={id} me={me} can={can} />;
  if (section === 'templates' && id) return <TemplatePage id={id} me={me} can={can} />;
  if (section === 'templates') return <TemplatesPage can={can} />;
  if (section === 'approvals' && can.review) return <ApprovalsPage me={me} />;
  if (section === 'audit' && can.audit) return <AuditPage />;
  if (section === 'passengers' && can.lookUp)
    return <PassengersPage by={isSearchBy(id) ? id : undefined} value={parts[2]} />;
  return <IncidentsPage can={can} />;
}

export function App({ config, signInError }: { config?: ConsoleConfig; signInError?: unknown } = {}) {
  const [me, setMe] = useState<Me | undefined>();
  const [checking, setChecking] = useState(() => storedKey() !== undefined);
  const route = useRoute();
  const pendingCount = usePendingCount(route, me !== undefined && abilitiesOf(me).review);

  useEffect(() => {
    if (!storedKey()) return;
    api<Me>('GET', '/me').then(
      (found) => {
        setMe(found);
        setChecking(false);
      },
      () => {
        storeKey(undefined);
        setChecking(false);
      },
    );
  }, []);

  if (checking)
    return (
      <main id="main">
        <Loading what="your session" />
      </main>
    );
  if (!me) return <SignIn onSignedIn={setMe} auth={config?.auth} error={signInError} />;

  const can = abilitiesOf(me);
  const section = route.split('/')[1] ?? 'incidents';
  const link = (path: string, label: string, count?: number) => (
    <li>
      <a href={`#/${path}`} aria-current={section === path ? 'page' : undefined}>
        {label}
        {count ? (
          <span class="count-badge">
            {count}
            <span class="visually-hidden"> waiting</span>
          </span>
        ) : null}
      </a>
    </li>
  );
  const signOut = () => {
    storeKey(undefined);
    setMe(undefined);
    window.location.hash = '';
  };
  return (
    <>
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="top">
        <span class="brand" aria-hidden="true">
          Herald
        </span>
        <nav aria-label="Main">
          <ul>
            {link('incidents', 'Incidents')}
            {link('templates', 'Templates')}
            {can.review && link('approvals', 'Approvals', pendingCount)}
            {can.lookUp && link('passengers', 'Passengers')}
            {can.audit && link('audit', 'Audit log')}
          </ul>
        </nav>
        <div class="who">
          <span>
            Signed in as <strong>{me.user}</strong> ({me.roles.join(', ').replace(/_/g, ' ')})
          </span>
          <span>Times in {displayZoneName()}</span>
          <button type="button" class="secondary" onClick={signOut}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Page route={route} me={me} can={can} />
      </main>
    </>
  );
}
