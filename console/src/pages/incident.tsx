import { useEffect, useRef, useState } from 'preact/hooks';
import type { BroadcastAccepted, BroadcastSummary, Preview } from '#shared/api/broadcasts.ts';
import { incidentDeadline } from '#shared/domain/deadline.ts';
import {
  BROADCAST_KINDS,
  type BroadcastKind,
  CHANNELS,
  type Channel,
  type Incident,
  type TemplateDetail,
  type TemplateSummary,
  TRANSLATION_LANGUAGES,
  type TranslationLanguage,
} from '#shared/domain/model.ts';
import { api, apiList, type Me, seg } from '../api.ts';
import type { Abilities } from '../app.tsx';
import { ConfirmButton } from '../confirm-button.tsx';
import { Countdown, PreviewEta } from '../deadline.tsx';
import { ExerciseBadge, ExerciseNotice } from '../exercise.tsx';
import { RouteMap } from '../map/route-map.tsx';
import {
  Badge,
  ChoiceField,
  ColumnHeads,
  go,
  Loading,
  localTime,
  Panel,
  ProblemBox,
  plural,
  TableScroll,
  useLoad,
} from '../ui.tsx';
import { BroadcastTable, CHANNEL_NAMES } from './broadcast.tsx';
import { EvidenceDownload } from './evidence-download.tsx';

interface BroadcastRequest {
  templateId: string;
  templateVersion?: number;
  kind: BroadcastKind;
  channels: Channel[];
  variables: Record<string, string>;
  variablesByLanguage?: Translations;
}

/** Free text in Finnish and Swedish beside the English: a language left empty shows the English. */
type Translations = Record<TranslationLanguage, Record<string, string>>;
const TRANSLATION_NAMES: Record<TranslationLanguage, string> = { fi: 'Finnish', sv: 'Swedish' };
const filled = (values: Record<string, string>) =>
  Object.fromEntries(Object.entries(values).filter(([, value]) => value.trim() !== ''));

function Scope({ incident }: { incident: Incident }) {
  const { airports, area, includeOverflights, flights, carriers } = incident.scope;
  return (
    <dl class="facts">
      <dt>Window</dt>
      <dd>
        {localTime(incident.window.start)} – {localTime(incident.window.end)}
      </dd>
      {airports?.length ? (
        <>
          <dt>Airports</dt>
          <dd>{airports.join(', ')}</dd>
        </>
      ) : null}
      {area ? (
        <>
          <dt>Area</dt>
          <dd>
            {area.type}
            {includeOverflights ? ', with overflights' : ''}
          </dd>
        </>
      ) : null}
      {flights?.length ? (
        <>
          <dt>Flights</dt>
          <dd>{flights.map((flight) => `${flight.flightNumber} ${flight.date}`).join(', ')}</dd>
        </>
      ) : null}
      {carriers?.length ? (
        <>
          <dt>Carriers</dt>
          <dd>{carriers.join(', ')}</dd>
        </>
      ) : null}
      <dt>Opened</dt>
      <dd>
        {localTime(incident.createdAt)} by {incident.createdBy}
      </dd>
      {incident.resolvedAt && (
        <>
          <dt>Resolved</dt>
          <dd>{localTime(incident.resolvedAt)}</dd>
        </>
      )}
    </dl>
  );
}

/** What a broadcast would do: who it reaches, who it leaves out and why, and every channel's words. */
function PreviewView({
  preview,
  channels,
  area,
}: {
  preview: Preview;
  channels: Channel[];
  area: Incident['scope']['area'];
}) {
  const languages = Object.entries(preview.recipients.byLanguage);
  return (
    <section class="preview" aria-labelledby="preview-heading">
      <h3 id="preview-heading">Preview</h3>
      <div class="stats">
        <div>
          <span class="stat">{preview.recipients.sms.toLocaleString()}</span> SMS recipients
          <span class="muted">
            {' '}
            ({languages.map(([language, count]) => `${language} ${count}`).join(', ')})
          </span>
        </div>
        <div>
          <span class="stat">{preview.affectedCustomers.toLocaleString()}</span> affected customers on{' '}
          {plural(preview.affectedFlights.length, 'flight')}
        </div>
        <div>
          Not texted: {preview.excluded.noConsent} without SMS consent, {preview.excluded.invalidPhone}{' '}
          invalid number, {preview.excluded.optedOut} opted out
        </div>
      </div>
      {preview.eta && <PreviewEta eta={preview.eta} />}
      {preview.warnings.length > 0 && (
        <div class="warning" role="status">
          <strong>Warnings</strong>
          <ul>
            {preview.warnings.map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      )}
      {preview.affectedFlights.length > 0 && (
        <RouteMap area={area} flights={preview.affectedFlights} airports={preview.airports} />
      )}
      <details>
        <summary>Affected flights ({preview.affectedFlights.length})</summary>
        <TableScroll label="Affected flights">
          <table>
            <ColumnHeads names={['Flight', 'From', 'To', 'Departure', 'Arrival', 'Passengers']} />
            <tbody>
              {preview.affectedFlights.map((flight) => (
                <tr key={`${flight.flightNumber}${flight.date}`}>
                  <td>
                    {flight.flightNumber}
                    {flight.overflight ? ' (overhead)' : ''}
                  </td>
                  <td>{flight.origin}</td>
                  <td>{flight.destination}</td>
                  <td>{localTime(flight.departure)}</td>
                  <td>{localTime(flight.arrival)}</td>
                  <td>{flight.passengers}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      </details>
      <div class="messages">
        {channels.includes('sms') &&
          Object.entries(preview.messages.sms ?? {}).map(([language, sms]) =>
            sms ? (
              <article class="message" key={`sms-${language}`}>
                <h4>
                  SMS · {language}{' '}
                  <span class="meta">
                    {sms.encoding}, {plural(sms.segments, 'segment')}, {sms.text.length} characters
                  </span>
                </h4>
                <p>{sms.text}</p>
              </article>
            ) : null,
          )}
        {channels.includes('x') &&
          Object.entries(preview.messages.x ?? {}).map(([language, post]) =>
            post ? (
              <article class="message" key={`x-${language}`}>
                <h4>
                  X · {language}{' '}
                  <span class={`meta${post.weightedLength > 280 ? ' over' : ''}`}>
                    {post.weightedLength}/280 weighted
                  </span>
                </h4>
                <p>{post.text}</p>
              </article>
            ) : null,
          )}
        {channels.includes('facebook') &&
          Object.entries(preview.messages.facebook ?? {}).map(([language, post]) =>
            post ? (
              <article class="message" key={`facebook-${language}`}>
                <h4>Facebook · {language}</h4>
                <p>{post.text}</p>
              </article>
            ) : null,
          )}
        {channels.includes('status') &&
          Object.entries(preview.messages.status ?? {}).map(([language, entry]) =>
            entry ? (
              <article class="message" key={`status-${language}`}>
                <h4>Status page · {language}</h4>
                <p>
                  <strong>{entry.title}</strong>
                </p>
                <p>{entry.body}</p>
              </article>
            ) : null,
          )}
      </div>
    </section>
  );
}

/**
 * One broadcast variable. Nothing typed is cut off: the count against the template's limit shows
 * as the operator types, and a value over it is marked here and refused by the preview and the
 * broadcast alike (the API's one rule, `variableValueErrors`).
 */
function VariableField({
  name,
  freeText,
  limit,
  value,
  onInput,
  language,
}: {
  name: string;
  freeText: boolean;
  limit: number;
  value: string;
  onInput: (value: string) => void;
  /** The Finnish or Swedish text of a free-text variable; without it, the English (or only) value. */
  language?: TranslationLanguage;
}) {
  const id = language ? `var-${name}-${language}` : `var-${name}`;
  const over = value.length > limit;
  return (
    <div>
      <label for={id}>
        {name}
        {language
          ? ` in ${TRANSLATION_NAMES[language]} (left empty: the English)`
          : freeText
            ? ' in English (free text: a comms lead must approve the broadcast)'
            : ''}
      </label>
      <input
        id={id}
        value={value}
        aria-invalid={over}
        aria-describedby={`${id}-count`}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      <p id={`${id}-count`} class={over ? 'field-error' : 'hint'}>
        {value.length}/{limit} characters
        {over ? `: ${value.length - limit} too many, the template allows ${limit}.` : ''}
      </p>
    </div>
  );
}

/**
 * When an X or Facebook post would repeat the incident's previous one (X refuses it), the
 * template's wording of another kind that reads differently, one click away.
 */
function DuplicateOffer({
  preview,
  onUseKind,
}: {
  preview: Preview;
  onUseKind: (kind: BroadcastKind) => void;
}) {
  const suggested = preview.duplicatePosts.find((duplicate) => duplicate.suggestion)?.suggestion;
  if (!suggested) return null;
  return (
    <div class="send-row">
      <button type="button" class="secondary" onClick={() => onUseKind(suggested.kind)}>
        Use the {suggested.kind} wording instead
      </button>
    </div>
  );
}

/** Choose an approved template, preview, then send after an explicit confirmation. */
function Composer({ incident, hasBroadcasts }: { incident: Incident; hasBroadcasts: boolean }) {
  const templates = useLoad(() => apiList<TemplateSummary>('/templates'), []);
  const approved = (templates.data?.items ?? []).filter((template) => template.approvedVersion !== undefined);
  const [templateId, setTemplateId] = useState('');
  const [kind, setKind] = useState<BroadcastKind>(hasBroadcasts ? 'update' : 'initial');
  const [channels, setChannels] = useState<Channel[]>([...CHANNELS]);
  const [variables, setVariables] = useState<Record<string, string>>({});
  const [translations, setTranslations] = useState<Translations>({ fi: {}, sv: {} });
  // The previewed request is what Send submits, under one Idempotency-Key: sending it again after
  // an error (a timeout, a lost answer) cannot create a second broadcast; a new preview is a new key.
  const [preview, setPreview] = useState<
    { request: BroadcastRequest; result: Preview; idempotencyKey: string } | undefined
  >();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => setKind(hasBroadcasts ? 'update' : 'initial'), [hasBroadcasts]);
  useEffect(() => {
    // The template named after the incident's type (a strike's strike-disruption) first.
    const first = approved.find((summary) => summary.id.startsWith(incident.type)) ?? approved[0];
    if (!templateId && first) setTemplateId(first.id);
  }, [approved, templateId, incident.type]);
  const template = useLoad(
    () =>
      templateId ? api<TemplateDetail>('GET', `/templates/${seg(templateId)}`) : Promise.resolve(undefined),
    [templateId],
  );
  const version = template.data?.versions.find(
    (candidate) => candidate.version === template.data?.approvedVersion,
  );
  const allowed = version?.allowedVariables ?? [];
  const freeText = version?.freeTextVariables ?? [];

  const request = (): BroadcastRequest => ({
    templateId,
    ...(version ? { templateVersion: version.version } : {}),
    kind,
    channels,
    variables: filled(variables),
    ...(TRANSLATION_LANGUAGES.some((language) => Object.keys(filled(translations[language])).length > 0)
      ? { variablesByLanguage: { fi: filled(translations.fi), sv: filled(translations.sv) } }
      : {}),
  });
  const runPreview = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const body = request();
      const result = await api<Preview>('POST', `/incidents/${seg(incident.id)}/preview`, body);
      setPreview({ request: body, result, idempotencyKey: crypto.randomUUID() });
    } catch (problem) {
      setError(problem);
      setPreview(undefined);
    } finally {
      setBusy(false);
    }
  };
  const send = async () => {
    if (!preview) return;
    setBusy(true);
    setError(undefined);
    try {
      const created = await api<BroadcastAccepted>(
        'POST',
        `/incidents/${seg(incident.id)}/broadcasts`,
        preview.request,
        undefined,
        { 'idempotency-key': preview.idempotencyKey },
      );
      dialog.current?.close();
      go(`/broadcasts/${created.id}`);
    } catch (problem) {
      dialog.current?.close();
      setError(problem);
      setBusy(false);
    }
  };
  // Any change to the request makes the preview stale: the operator must preview what they send.
  useEffect(() => setPreview(undefined), [templateId, kind, channels, variables, translations]);

  const recipients = preview?.result.recipients.sms ?? 0;
  const publicChannels = (preview?.request.channels ?? [])
    .filter((channel) => channel !== 'sms')
    .map((channel) => (channel === 'status' ? 'the status page' : CHANNEL_NAMES[channel]));
  const needsApproval = Object.entries(preview?.request.variables ?? {}).some(
    ([name]) => !allowed.includes(name),
  );

  return (
    <Panel title="Send a broadcast" id="compose-heading">
      {templates.loading && !templates.data && <Loading what="templates" />}
      <form class="stack" onSubmit={runPreview}>
        <div class="row">
          <div>
            <label for="broadcast-template">Approved template</label>
            <select
              id="broadcast-template"
              value={templateId}
              onChange={(event) => {
                setTemplateId(event.currentTarget.value);
                setVariables({});
                setTranslations({ fi: {}, sv: {} });
              }}
            >
              {approved.map((summary) => (
                <option key={summary.id} value={summary.id}>
                  {summary.name} ({summary.id} v{summary.approvedVersion})
                </option>
              ))}
            </select>
          </div>
          <ChoiceField
            id="broadcast-kind"
            label="Kind"
            value={kind}
            values={BROADCAST_KINDS}
            onChange={setKind}
          />
        </div>
        <fieldset>
          <legend>Channels</legend>
          <div class="row">
            {CHANNELS.map((channel) => (
              <label class="check" key={channel}>
                <input
                  type="checkbox"
                  checked={channels.includes(channel)}
                  onChange={(event) =>
                    setChannels(
                      event.currentTarget.checked
                        ? CHANNELS.filter((name) => name === channel || channels.includes(name))
                        : channels.filter((name) => name !== channel),
                    )
                  }
                />
                {CHANNEL_NAMES[channel]}
              </label>
            ))}
          </div>
        </fieldset>
        {[...allowed, ...freeText].length > 0 && (
          <fieldset>
            <legend>Variables</legend>
            {[...allowed, ...freeText].map((name) => (
              <div key={name}>
                <VariableField
                  name={name}
                  freeText={freeText.includes(name)}
                  limit={version?.maxVariableLength ?? 60}
                  value={variables[name] ?? ''}
                  onInput={(value) => setVariables({ ...variables, [name]: value })}
                />
                {freeText.includes(name) &&
                  TRANSLATION_LANGUAGES.map((language) => (
                    <VariableField
                      key={language}
                      name={name}
                      language={language}
                      freeText
                      limit={version?.maxVariableLength ?? 60}
                      value={translations[language][name] ?? ''}
                      onInput={(value) =>
                        setTranslations({
                          ...translations,
                          [language]: { ...translations[language], [name]: value },
                        })
                      }
                    />
                  ))}
              </div>
            ))}
          </fieldset>
        )}
        <div>
          <button type="submit" class="secondary" disabled={busy || !templateId || channels.length === 0}>
            Preview
          </button>
        </div>
      </form>
      <ProblemBox error={error} />
      {preview && (
        <>
          <PreviewView
            preview={preview.result}
            channels={preview.request.channels}
            area={incident.scope.area}
          />
          <DuplicateOffer preview={preview.result} onUseKind={setKind} />
          <div class="send-row">
            <button type="button" class="danger" disabled={busy} onClick={() => dialog.current?.showModal()}>
              Send to {plural(recipients, 'recipient')}…
            </button>
          </div>
        </>
      )}
      <dialog ref={dialog} aria-labelledby="confirm-heading" aria-describedby="confirm-text">
        <h2 id="confirm-heading">Send this broadcast?</h2>
        <p id="confirm-text">
          {preview?.request.channels.includes('sms')
            ? `An SMS goes to ${plural(recipients, 'recipient')}`
            : 'No SMS is sent'}
          {publicChannels.length > 0
            ? `, and it is posted on ${new Intl.ListFormat('en', { type: 'conjunction' }).format(publicChannels)}`
            : ''}
          . A message once sent or posted stays.
          {needsApproval ? ' It carries free text, so it waits for a comms lead to approve it.' : ''}
        </p>
        <div class="row">
          <button type="button" class="danger" disabled={busy} onClick={send}>
            {busy ? 'Sending…' : `Send to ${plural(recipients, 'recipient')}`}
          </button>
          <button type="button" class="secondary" onClick={() => dialog.current?.close()}>
            Go back
          </button>
        </div>
      </dialog>
    </Panel>
  );
}

/** One incident: its scope, its broadcasts, and for operators the composer and resolve. */
export function IncidentPage({ id, me, can }: { id: string; me: Me; can: Abilities }) {
  const incident = useLoad(() => api<Incident>('GET', `/incidents/${seg(id)}`), [id]);
  const broadcasts = useLoad(() => apiList<BroadcastSummary>(`/incidents/${seg(id)}/broadcasts`), [id]);
  const [error, setError] = useState<unknown>();
  const resolve = async () => {
    try {
      await api('POST', `/incidents/${seg(id)}/resolve`);
      incident.reload();
    } catch (problem) {
      setError(problem);
    }
  };
  if (!incident.data)
    return (
      <>
        <p>
          <a href="#/incidents">← Incidents</a>
        </p>
        {incident.loading ? <Loading what="the incident" /> : <ProblemBox error={incident.error} />}
      </>
    );
  const current = incident.data;
  return (
    <>
      <p>
        <a href="#/incidents">← Incidents</a>
      </p>
      <div class="title-row">
        <h1>{current.title}</h1>
        <div class="row">
          {current.exercise && <ExerciseBadge />}
          <Badge value={current.status} />
          <Badge value={current.severity} />
          <span class="muted">{current.type}</span>
        </div>
      </div>
      {current.exercise && <ExerciseNotice />}
      {current.status === 'open' && <Countdown deadline={incidentDeadline(current)} />}
      <Scope incident={current} />
      <ProblemBox error={error} />
      <Panel title="Broadcasts" id="broadcasts-heading">
        <ProblemBox error={broadcasts.error} />
        {broadcasts.data && (
          <BroadcastTable broadcasts={broadcasts.data.items} me={me} can={can} onChange={broadcasts.reload} />
        )}
      </Panel>
      {/* Operators, comms leads and admins answer passengers' claims; viewers do not (the route's roles). */}
      {(can.operate || can.review) && <EvidenceDownload incidentId={id} />}
      {can.operate && current.status === 'open' && (
        <>
          <Composer incident={current} hasBroadcasts={(broadcasts.data?.items.length ?? 0) > 0} />
          <Panel title="Resolve" id="resolve-heading">
            <p>
              When the disruption is over, send a <em>resolution</em> broadcast above (it resolves the
              incident), or resolve it without a message.
            </p>
            <ConfirmButton
              label="Resolve incident"
              question="Resolve this incident?"
              consequence="It takes no more broadcasts afterwards."
              confirmLabel="Resolve incident"
              keepLabel="Keep it open"
              onConfirm={resolve}
            />
          </Panel>
        </>
      )}
    </>
  );
}
