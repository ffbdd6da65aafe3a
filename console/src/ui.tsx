/** Small shared pieces: loading data, showing a problem, form fields, formatting times and counts. */
import type { ComponentChildren, TargetedInputEvent } from 'preact';
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { DEFAULT_DISPLAY_ZONE, displayTime, isTimeZone } from '#shared/domain/display-time.ts';
import { ApiProblem } from './api.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` now and whenever `deps` change; `reload` runs it again. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: unknown; loading: boolean }>({ loading: true });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    setState((previous) => ({ ...previous, loading: true }));
    load().then(
      (data) => live && setState({ data, loading: false }),
      (error: unknown) => live && setState({ error, loading: false }),
    );
    return () => {
      live = false;
    };
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { data: state.data, error: state.error, loading: state.loading, reload };
}

/** Calls `tick` every `ms` while `active`. */
export function useInterval(tick: () => void, ms: number, active: boolean): void {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => saved.current(), ms);
    return () => clearInterval(timer);
  }, [ms, active]);
}

/** An error as the API described it: title, detail and each offending field. */
export function ProblemBox({ error }: { error: unknown }) {
  if (!error) return null;
  const problem =
    error instanceof ApiProblem
      ? error
      : new ApiProblem(0, 'Something went wrong', error instanceof Error ? error.message : String(error), []);
  return (
    <div class="problem" role="alert">
      <strong>
        {problem.title}
        {problem.status ? ` (${problem.status})` : ''}
      </strong>
      {problem.detail && <p>{problem.detail}</p>}
      {problem.errors.length > 0 && (
        <ul class="problem-fields">
          {problem.errors.map((field) => (
            <li key={`${field.path}:${field.message}`}>
              <code>{field.path}</code>: {field.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p class="muted" aria-live="polite">
      Loading {what}…
    </p>
  );
}

/** A status word as a coloured badge. */
export function Badge({ value }: { value: string }) {
  return <span class={`badge badge-${value.replace(/_/g, '-')}`}>{value.replace(/_/g, ' ')}</span>;
}

/**
 * A table's own horizontal scroll: on a narrow screen (a phone, 390 px) a wide table scrolls
 * inside it and the page does not. A named region a keyboard can focus, so it can be scrolled
 * without a pointer.
 */
export function TableScroll({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must take focus to be scrolled by keyboard (WCAG 2.1.1).
    <section class="table-scroll" aria-label={label} tabIndex={0}>
      {children}
    </section>
  );
}

/** A labelled select over fixed values, each shown as it is. */
/** A table's header row: one column header per name, announced as such by screen readers. */
export function ColumnHeads({ names }: { names: string[] }) {
  return (
    <thead>
      <tr>
        {names.map((name) => (
          <th key={name} scope="col">
            {name}
          </th>
        ))}
      </tr>
    </thead>
  );
}

export function ChoiceField<T extends string>({
  id,
  label,
  value,
  values,
  onChange,
}: {
  id: string;
  label: string;
  value: T;
  values: readonly T[];
  onChange: (value: T) => void;
}) {
  return (
    <div>
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.currentTarget.value as T)}>
        {values.map((choice) => (
          <option key={choice} value={choice}>
            {choice}
          </option>
        ))}
      </select>
    </div>
  );
}

/** A labelled input whose value is a string: text, or a date and time when `type` says so. */
export function TextField({
  id,
  label,
  value,
  onChange,
  class: className,
  type,
  required,
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  /** The wrapper's class, e.g. "grow" in a row. */
  class?: string;
  type?: 'datetime-local';
  required?: boolean;
  placeholder?: string;
}) {
  const input = {
    id,
    required,
    placeholder,
    value,
    onInput: (event: TargetedInputEvent<HTMLInputElement>) => onChange(event.currentTarget.value),
  };
  return (
    <div class={className}>
      <label for={id}>{label}</label>
      {/* Two elements because preact types an input's attributes by its type. */}
      {type ? <input type={type} {...input} /> : <input {...input} />}
    </div>
  );
}

export function Panel({ title, children, id }: { title: string; children: ComponentChildren; id?: string }) {
  return (
    <section class="panel" aria-labelledby={id ?? undefined}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** The ops room's zone (config.json's `timeZone`, else UTC): every operator reads the same clock. */
let displayZone = DEFAULT_DISPLAY_ZONE;

/** Sets the zone times are shown in; one this browser does not know leaves UTC. */
export function setDisplayZone(zone: string | undefined): void {
  displayZone = zone && isTimeZone(zone) ? zone : DEFAULT_DISPLAY_ZONE;
}

/** The zone times are shown in, named: "UTC" or "Europe/Helsinki". */
export function displayZoneName(): string {
  return displayZone;
}

/** An ISO time as the ops room reads it: 24-hour, in its zone, which it names ("2026-11-23 14:05 UTC"). */
export function localTime(iso: string | undefined | null): string {
  return displayTime(iso, displayZone);
}

/** The browser's time zone and its current offset, e.g. "Europe/Helsinki (UTC+02:00)". */
export function zoneLabel(): string {
  const offset = -new Date().getTimezoneOffset();
  const pad = (value: number) => String(Math.trunc(Math.abs(value))).padStart(2, '0');
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${zone} (UTC${offset >= 0 ? '+' : '-'}${pad(offset / 60)}:${pad(offset % 60)})`;
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** Navigates within the console (hash routes, so the static host needs no rewrites). */
export function go(path: string): void {
  window.location.hash = `#${path}`;
}
