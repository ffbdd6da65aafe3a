import Mustache from 'mustache';
import { useEffect, useState } from 'preact/hooks';
import {
  BROADCAST_KINDS,
  type BroadcastKind,
  LANGUAGES,
  type Language,
  TEMPLATE_FIELDS,
  type TemplateContent,
  type TemplateDetail,
  type TemplateField,
  type TemplateVersion,
  WORDING_FIELDS,
} from '#shared/domain/model.ts';
import { ApiProblem, api, type Me, seg } from '../api.ts';
import type { Abilities } from '../app.tsx';
import { Badge, ChoiceField, go, Loading, localTime, Panel, ProblemBox, TextField, useLoad } from '../ui.tsx';

const FIELD_LABELS: Record<TemplateField, string> = {
  sms: 'SMS (private: may use customer, booking and flight)',
  social: 'X and Facebook post',
  statusTitle: 'Status page title',
  statusBody: 'Status page text',
};
const LANGUAGE_NAMES: Record<Language, string> = { fi: 'Finnish', sv: 'Swedish', en: 'English' };

type Content = Record<Language, TemplateContent>;
/** The editor's texts: a wording per broadcast kind (an update's or a resolution's left blank is none). */
type Wordings = Record<BroadcastKind, Content>;

const KIND_NAMES: Record<BroadcastKind, string> = {
  initial: 'First message',
  update: 'Update',
  resolution: 'Resolution',
};
const KIND_HINTS: Record<BroadcastKind, string> = {
  initial: 'The first message of an incident; also its updates when the update wording is blank',
  update: 'Left blank, updates send the first message’s wording',
  resolution: 'The all-clear; left blank, no resolution can be sent with this template',
};

const emptyContent = (): Content =>
  Object.fromEntries(
    LANGUAGES.map((language) => [
      language,
      Object.fromEntries(TEMPLATE_FIELDS.map((field) => [field, ''])) as TemplateContent,
    ]),
  ) as Content;

const emptyWordings = (): Wordings => ({
  initial: emptyContent(),
  update: emptyContent(),
  resolution: emptyContent(),
});

const isBlank = (content: Content) =>
  LANGUAGES.every((language) => TEMPLATE_FIELDS.every((field) => !content[language][field].trim()));

/**
 * The wordings as the API takes them: `content` always; an update's or a resolution's left
 * blank is null, which removes it from the new version.
 */
function wordingsBody(wordings: Wordings) {
  const optional = (content: Content) => (isBlank(content) ? null : content);
  return {
    content: wordings.initial,
    updateContent: optional(wordings.update),
    resolutionContent: optional(wordings.resolution),
  };
}

const names = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((name) => name.trim())
    .filter(Boolean);

/** Sample values for the live preview: what an incident and one passenger might look like. */
function sampleContext(variables: string[]) {
  return {
    incident: {
      title: 'Ground handling strike at Helsinki Airport',
      type: 'strike',
      severity: 'severe',
      airports: 'HEL, OSL',
      windowStart: '2026-11-23T06:00:00+02:00',
      windowEnd: '2026-11-23T18:00:00+02:00',
    },
    vars: Object.fromEntries(variables.map((name) => [name, `[${name}]`])),
    customer: { firstName: 'Aino' },
    booking: { ref: 'ABC123' },
    flight: { number: 'AY123', date: '2026-11-23', origin: 'HEL', departureTime: '06:05' },
  };
}

/** Renders as the server does: Mustache, plain text (no HTML escaping), trimmed. */
function render(text: string, context: object): { text: string; error?: string } {
  try {
    return { text: Mustache.render(text, context, {}, { escape: (value: unknown) => String(value) }).trim() };
  } catch (error) {
    return { text: '', error: error instanceof Error ? error.message : String(error) };
  }
}

/** The editor's live preview of one language: each channel's text with sample values. */
function LivePreview({
  content,
  language,
  variables,
}: {
  content: TemplateContent;
  language: Language;
  variables: string[];
}) {
  const context = sampleContext(variables);
  const sms = render(content.sms, context);
  const social = render(content.social, context);
  const title = render(content.statusTitle, context);
  const body = render(content.statusBody, context);
  return (
    <section class="live-preview" aria-label={`Live preview, ${LANGUAGE_NAMES[language]}`}>
      <h3>Live preview with sample values</h3>
      <article class="message">
        <h4>
          SMS <span class="meta">{sms.text.length} characters</span>
        </h4>
        {sms.error ? <p class="bad">{sms.error}</p> : <p>{sms.text}</p>}
      </article>
      <article class="message">
        <h4>
          X / Facebook <span class="meta">{social.text.length} characters</span>
        </h4>
        {social.error ? <p class="bad">{social.error}</p> : <p>{social.text}</p>}
      </article>
      <article class="message">
        <h4>Status page</h4>
        {title.error || body.error ? (
          <p class="bad">{title.error ?? body.error}</p>
        ) : (
          <>
            <p>
              <strong>{title.text}</strong>
            </p>
            <p>{body.text}</p>
          </>
        )}
      </article>
    </section>
  );
}

/** Submit, approve and reject for one version, as the user's role and authorship allow. */
function VersionActions({
  template,
  version,
  me,
  can,
  onChange,
  onProblem,
  latest,
}: {
  template: string;
  version: TemplateVersion;
  /** Only the newest draft may be submitted: an older one is superseded. */
  latest: boolean;
  me: Me;
  can: Abilities;
  onChange: () => void;
  onProblem: (problem: unknown) => void;
}) {
  const [reason, setReason] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const act = async (action: 'submit' | 'approve' | 'reject') => {
    onProblem(undefined);
    try {
      await api(
        'POST',
        `/templates/${seg(template)}/versions/${version.version}/${action}`,
        action === 'reject' ? { reason } : {},
      );
      setRejecting(false);
      onChange();
    } catch (problem) {
      onProblem(problem);
    }
  };
  const own = version.createdBy === me.user;
  return (
    <div class="row">
      {version.status === 'draft' && latest && can.writeTemplates && (
        <button type="button" onClick={() => act('submit')}>
          Submit v{version.version} for review
        </button>
      )}
      {version.status === 'submitted' && can.review && !own && (
        <button type="button" onClick={() => act('approve')}>
          Approve v{version.version}
        </button>
      )}
      {version.status === 'submitted' && own && (
        <span class="muted">Waiting for another comms lead to review</span>
      )}
      {version.status === 'submitted' && can.review && !rejecting && (
        <button type="button" class="secondary" onClick={() => setRejecting(true)}>
          {own ? 'Withdraw' : 'Reject'} v{version.version}…
        </button>
      )}
      {rejecting && (
        <form
          class="row"
          onSubmit={(event) => {
            event.preventDefault();
            void act('reject');
          }}
        >
          <label for={`reason-${version.version}`}>Reason</label>
          <input
            id={`reason-${version.version}`}
            required
            value={reason}
            onInput={(event) => setReason(event.currentTarget.value)}
          />
          <button type="submit" class="danger">
            Reject
          </button>
          <button type="button" class="secondary" onClick={() => setRejecting(false)}>
            Keep
          </button>
        </form>
      )}
    </div>
  );
}

/** A template: its versions and their review, and for writers an editor with a live preview. */
export function TemplatePage({ id: routeId, me, can }: { id: string; me: Me; can: Abilities }) {
  // A new template exists from its first save, even when the submit after it failed (a 422):
  // from then on this page edits it, and saving again makes its next version (a second
  // POST /templates would be a 409, the id being taken by the draft just saved).
  const [createdId, setCreatedId] = useState<string>();
  const id = createdId ?? routeId;
  const isNew = id === 'new';
  const detail = useLoad(
    () => (isNew ? Promise.resolve(undefined) : api<TemplateDetail>('GET', `/templates/${seg(id)}`)),
    [id],
  );
  const latest = detail.data?.versions[0];
  const [newId, setNewId] = useState('');
  const [name, setName] = useState('');
  const [wordings, setWordings] = useState<Wordings>(emptyWordings);
  const [kind, setKind] = useState<BroadcastKind>('initial');
  const content = wordings[kind];
  const [allowed, setAllowed] = useState('');
  const [freeText, setFreeText] = useState('');
  const [language, setLanguage] = useState<Language>('en');
  const [dirty, setDirty] = useState(false);
  const [problem, setProblem] = useState<unknown>();
  const [saved, setSaved] = useState<string>();
  const [busy, setBusy] = useState(false);

  // The editor starts from the latest version each time one is loaded.
  useEffect(() => {
    if (!latest) return;
    setName(latest.name);
    const loaded = (wording?: TemplateVersion['content']) =>
      ({ ...emptyContent(), ...(wording ?? {}) }) as Content;
    setWordings({
      initial: loaded(latest.content),
      update: loaded(latest.updateContent),
      resolution: loaded(latest.resolutionContent),
    });
    setAllowed((latest.allowedVariables ?? []).join(', '));
    setFreeText((latest.freeTextVariables ?? []).join(', '));
    setDirty(false);
  }, [latest?.id, latest?.version]);

  const fieldErrors = new Map<string, string[]>();
  if (problem instanceof ApiProblem)
    for (const error of problem.errors)
      fieldErrors.set(error.path, [...(fieldErrors.get(error.path) ?? []), error.message]);

  const edit = (field: TemplateField, value: string) => {
    setWordings({
      ...wordings,
      [kind]: { ...content, [language]: { ...content[language], [field]: value } },
    });
    setDirty(true);
  };
  /** The name's and the variable lists' setters, each also marking the editor unsaved. */
  const editSetting = (set: (value: string) => void) => (value: string) => {
    set(value);
    setDirty(true);
  };

  /** Saves the editor as a new draft version (or the template's first); returns its id and version. */
  const save = async (): Promise<{ id: string; version: number }> => {
    const settings = { allowedVariables: names(allowed), freeTextVariables: names(freeText) };
    if (!isNew) return api('PUT', `/templates/${seg(id)}`, { name, ...wordingsBody(wordings), ...settings });
    const created = await api<{ id: string; version: number }>('POST', '/templates', {
      id: newId.trim(),
      name,
      ...wordingsBody(wordings),
      ...settings,
    });
    setCreatedId(created.id);
    go(`/templates/${created.id}`);
    return created;
  };
  const run = async (andSubmit: boolean) => {
    setBusy(true);
    setProblem(undefined);
    setSaved(undefined);
    try {
      const target =
        !dirty && latest?.status === 'draft' && andSubmit ? { id, version: latest.version } : await save();
      if (andSubmit) await api('POST', `/templates/${seg(target.id)}/versions/${target.version}/submit`);
      setSaved(`Saved v${target.version}${andSubmit ? ' and submitted it for review' : ' as a draft'}.`);
      setDirty(false);
      detail.reload();
    } catch (error) {
      setProblem(error);
      detail.reload();
    } finally {
      setBusy(false);
    }
  };

  if (!isNew && !detail.data)
    return detail.loading ? <Loading what="the template" /> : <ProblemBox error={detail.error} />;
  const variables = [...names(allowed), ...names(freeText)];
  return (
    <>
      <p>
        <a href="#/templates">← Templates</a>
      </p>
      <div class="title-row">
        <h1>{isNew ? 'New template' : detail.data?.name}</h1>
        {latest && (
          <span>
            latest v{latest.version} <Badge value={latest.status} />
            {detail.data?.approvedVersion ? ` · broadcasts use v${detail.data.approvedVersion}` : ''}
          </span>
        )}
      </div>
      {detail.data && (
        <Panel title="Versions" id="versions-heading">
          <ul class="versions">
            {detail.data.versions.map((version) => (
              <li key={version.version}>
                <div class="row">
                  <strong>v{version.version}</strong>
                  <Badge value={version.status} />
                  <span class="muted">
                    by {version.createdBy}, {localTime(version.createdAt)}
                    {version.approvedBy
                      ? ` · approved by ${version.approvedBy}${version.approvedAt ? ` at ${localTime(version.approvedAt)}` : ''}`
                      : ''}
                    {version.rejectedBy
                      ? ` · rejected by ${version.rejectedBy}: “${version.rejectionReason ?? ''}”`
                      : ''}
                  </span>
                </div>
                <VersionActions
                  template={id}
                  version={version}
                  me={me}
                  can={can}
                  onChange={detail.reload}
                  onProblem={setProblem}
                  latest={version.version === detail.data?.latestVersion}
                />
              </li>
            ))}
          </ul>
        </Panel>
      )}
      <ProblemBox error={problem} />
      {saved && (
        <p class="ok" role="status">
          {saved}
        </p>
      )}
      {can.writeTemplates ? (
        <Panel
          title={isNew ? 'Write the first version' : 'Edit: saving makes a new draft version'}
          id="editor-heading"
        >
          <div class="row">
            {isNew && (
              <TextField
                id="template-id"
                label="Id (lower-case letters, digits and -)"
                required
                value={newId}
                onChange={setNewId}
              />
            )}
            <TextField
              id="template-name"
              class="grow"
              label="Name"
              value={name}
              onChange={editSetting(setName)}
            />
          </div>
          <div class="row">
            <TextField
              id="template-allowed"
              class="grow"
              label="Variables an operator may fill in (vars.*, comma-separated)"
              value={allowed}
              onChange={editSetting(setAllowed)}
            />
            <TextField
              id="template-free"
              class="grow"
              label="Free-text variables (need a comms lead's approval per broadcast)"
              value={freeText}
              onChange={editSetting(setFreeText)}
            />
          </div>
          <div class="row">
            <ChoiceField
              id="template-kind"
              label="Wording for"
              value={kind}
              values={BROADCAST_KINDS}
              onChange={setKind}
            />
            <p class="hint grow">
              {KIND_HINTS[kind]}. One review approves every wording of a version.
              {BROADCAST_KINDS.filter((other) =>
                [...fieldErrors.keys()].some((path) => path.startsWith(`${WORDING_FIELDS[other]}.`)),
              ).map((other) => ` The ${other} wording has problems.`)}
            </p>
          </div>
          <div class="tabs" role="tablist" aria-label="Language">
            {LANGUAGES.map((code) => {
              const invalid = [...fieldErrors.keys()].some((path) =>
                path.startsWith(`${WORDING_FIELDS[kind]}.${code}.`),
              );
              return (
                <button
                  key={code}
                  type="button"
                  role="tab"
                  id={`tab-${code}`}
                  aria-selected={language === code}
                  aria-controls="language-panel"
                  tabIndex={language === code ? 0 : -1}
                  class={invalid ? 'tab invalid' : 'tab'}
                  onClick={() => setLanguage(code)}
                  onKeyDown={(event) => {
                    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
                    if (!step) return;
                    const next =
                      LANGUAGES[(LANGUAGES.indexOf(code) + step + LANGUAGES.length) % LANGUAGES.length];
                    if (next) {
                      setLanguage(next);
                      document.getElementById(`tab-${next}`)?.focus();
                    }
                  }}
                >
                  {LANGUAGE_NAMES[code]}
                  {invalid ? ' (!)' : ''}
                </button>
              );
            })}
          </div>
          <div class="editor" role="tabpanel" id="language-panel" aria-labelledby={`tab-${language}`}>
            <div class="fields">
              {TEMPLATE_FIELDS.map((field) => {
                const path = `${WORDING_FIELDS[kind]}.${language}.${field}`;
                const errors = fieldErrors.get(path) ?? [];
                const fieldId = `field-${field}`;
                return (
                  <div key={field}>
                    <label for={fieldId}>{FIELD_LABELS[field]}</label>
                    <textarea
                      id={fieldId}
                      rows={field === 'statusTitle' ? 1 : field === 'sms' ? 5 : 3}
                      value={content[language][field]}
                      aria-invalid={errors.length > 0}
                      aria-describedby={errors.length > 0 ? `${fieldId}-error` : undefined}
                      onInput={(event) => edit(field, event.currentTarget.value)}
                    />
                    {errors.length > 0 && (
                      <p class="field-error" id={`${fieldId}-error`}>
                        {errors.join(' ')}
                      </p>
                    )}
                  </div>
                );
              })}
            </div>
            <LivePreview content={content[language]} language={language} variables={variables} />
          </div>
          <p class="hint">
            Variables: <code>{'{{incident.airports}}'}</code>, <code>{'{{incident.windowStart}}'}</code>,{' '}
            <code>{'{{vars.name}}'}</code>; in SMS only <code>{'{{incident.title}}'}</code> (the operators'
            unreviewed label), <code>{'{{customer.firstName}}'}</code>, <code>{'{{flight.number}}'}</code>,{' '}
            <code>{'{{flight.departureTime}}'}</code>, <code>{'{{booking.ref}}'}</code>. Segments and X length
            are checked in the worst case when you submit.
          </p>
          <div class="row">
            <button type="button" class="secondary" disabled={busy} onClick={() => run(false)}>
              Save draft
            </button>
            <button type="button" disabled={busy} onClick={() => run(true)}>
              {dirty || !latest || latest.status !== 'draft'
                ? 'Save and submit for review'
                : `Submit v${latest.version} for review`}
            </button>
          </div>
        </Panel>
      ) : (
        latest && (
          <Panel title={`v${latest.version} text`} id="text-heading">
            {BROADCAST_KINDS.map((wordingKind) => {
              const wording = latest[WORDING_FIELDS[wordingKind]];
              return wording ? (
                <section key={wordingKind}>
                  <h3>{KIND_NAMES[wordingKind]}</h3>
                  {LANGUAGES.map((code) =>
                    wording[code] ? (
                      <section key={code}>
                        <h4>{LANGUAGE_NAMES[code]}</h4>
                        <dl class="facts">
                          {TEMPLATE_FIELDS.map((field) => (
                            <>
                              <dt>{FIELD_LABELS[field]}</dt>
                              <dd>{wording[code]?.[field]}</dd>
                            </>
                          ))}
                        </dl>
                      </section>
                    ) : null,
                  )}
                </section>
              ) : null;
            })}
          </Panel>
        )
      )}
    </>
  );
}
