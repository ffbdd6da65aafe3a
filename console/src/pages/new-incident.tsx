import type { Geometry, MultiPolygon, Polygon } from 'geojson';
import { useEffect, useState } from 'preact/hooks';
import type { AirportMatch } from '#shared/api/airports.ts';
import { toIsoWithOffset } from '#shared/domain/local-time.ts';
import {
  INCIDENT_TYPES,
  type Incident,
  type IncidentType,
  SEVERITIES,
  type Severity,
  TRANSLATION_LANGUAGES,
  type TranslationLanguage,
} from '#shared/domain/model.ts';
import { ApiProblem, api } from '../api.ts';
import { AreaMap } from '../map/area-map.tsx';
import { type AreaRing, areaGeometry, EMPTY_RING, ringFromGeoJson, ringToGeoJson } from '../map/area-ring.ts';
import { DEFAULT_VIEW } from '../map/map-view.ts';
import { ChoiceField, go, ProblemBox, TextField, zoneLabel } from '../ui.tsx';

/** "yyyy-mm-ddThh:mm" for a datetime-local input, `hours` from now, on the hour. */
function localInput(hours: number): string {
  const date = new Date(Date.now() + hours * 3_600_000);
  date.setMinutes(0, 0, 0);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:00`;
}

const list = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((item) => item.trim())
    .filter(Boolean);

/** The area text's Polygon or MultiPolygon, for the map to show; undefined while it is anything else. */
function drawableArea(text: string): Polygon | MultiPolygon | undefined {
  try {
    const geometry = areaGeometry(JSON.parse(text)) as { type?: string; coordinates?: unknown };
    const drawable =
      (geometry?.type === 'Polygon' || geometry?.type === 'MultiPolygon') &&
      Array.isArray(geometry.coordinates);
    return drawable ? (geometry as Polygon | MultiPolygon) : undefined;
  } catch {
    return undefined;
  }
}

/** Picks airports by code, city or name (GET /airports?q=). */
function AirportPicker({
  selected,
  onChange,
}: {
  selected: AirportMatch[];
  onChange: (next: AirportMatch[]) => void;
}) {
  const [query, setQuery] = useState('');
  const [matches, setMatches] = useState<AirportMatch[]>([]);
  useEffect(() => {
    if (query.trim().length < 2) {
      setMatches([]);
      return;
    }
    const timer = setTimeout(() => {
      api<{ items: AirportMatch[] }>('GET', `/airports?q=${encodeURIComponent(query.trim())}&limit=8`).then(
        (found) => setMatches(found.items),
        () => setMatches([]),
      );
    }, 200);
    return () => clearTimeout(timer);
  }, [query]);
  const add = (airport: AirportMatch) => {
    if (!selected.some((chosen) => chosen.iata === airport.iata)) onChange([...selected, airport]);
    setQuery('');
    setMatches([]);
    document.getElementById('airport-search')?.focus();
  };
  return (
    <fieldset>
      <legend>Airports</legend>
      {selected.length > 0 && (
        <ul class="chips" aria-label="Chosen airports">
          {selected.map((airport) => (
            <li key={airport.iata}>
              <span>
                <strong>{airport.iata}</strong> {airport.name}
              </span>
              <button
                type="button"
                class="link"
                aria-label={`Remove ${airport.iata}`}
                onClick={() => onChange(selected.filter((chosen) => chosen.iata !== airport.iata))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <label for="airport-search">Find an airport by code, city or name</label>
      <input
        id="airport-search"
        type="search"
        value={query}
        autocomplete="off"
        aria-describedby="airport-hint"
        onInput={(event) => setQuery(event.currentTarget.value)}
        onKeyDown={(event) => {
          const first = matches[0];
          if (event.key === 'Enter' && first) {
            event.preventDefault();
            add(first);
          }
        }}
      />
      <p id="airport-hint" class="hint">
        Type two letters or more; Enter adds the first match.
      </p>
      {matches.length > 0 && (
        <ul class="matches" aria-label="Matching airports">
          {matches.map((airport) => (
            <li key={airport.iata}>
              <button type="button" class="secondary" onClick={() => add(airport)}>
                Add <strong>{airport.iata}</strong> – {airport.name}, {airport.city}, {airport.country}
              </button>
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

/** The operator's form for POST /incidents; times are typed in local time and sent with their offset. */
export function NewIncidentPage() {
  const [title, setTitle] = useState('');
  const [titleByLanguage, setTitleByLanguage] = useState<Record<TranslationLanguage, string>>({
    fi: '',
    sv: '',
  });
  const [type, setType] = useState<IncidentType>('strike');
  const [severity, setSeverity] = useState<Severity>('severe');
  const [start, setStart] = useState(() => localInput(0));
  const [end, setEnd] = useState(() => localInput(12));
  const [airports, setAirports] = useState<AirportMatch[]>([]);
  const [area, setArea] = useState('');
  const [ring, setRing] = useState<AreaRing>(EMPTY_RING);
  const [view, setView] = useState<Geometry[]>(DEFAULT_VIEW);
  const [overflights, setOverflights] = useState(false);
  const [flights, setFlights] = useState('');
  const [carriers, setCarriers] = useState('');
  const [exercise, setExercise] = useState(false);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const shownArea = ring.vertices.length === 0 ? drawableArea(area) : undefined;
  /** The map's view, refitted to what the form names (never to a map click: the map would jump). */
  const refit = (nextArea: Polygon | MultiPolygon | undefined, nextAirports: AirportMatch[]) => {
    const named: Geometry[] = [
      ...(nextArea ? [nextArea] : []),
      ...nextAirports.map(
        (airport): Geometry => ({
          type: 'Point',
          coordinates: [airport.longitude, airport.latitude],
        }),
      ),
    ];
    setView(named.length > 0 ? named : DEFAULT_VIEW);
  };
  const onAreaText = (text: string) => {
    setArea(text);
    setRing(ringFromGeoJson(text) ?? EMPTY_RING);
    const drawable = drawableArea(text);
    if (drawable) refit(drawable, airports);
  };
  const onRingDrawn = (next: AreaRing) => {
    setRing(next);
    setArea(ringToGeoJson(next));
  };
  const onAirportsPicked = (next: AirportMatch[]) => {
    setAirports(next);
    refit(drawableArea(area), next);
  };
  const toggleAirport = (airport: AirportMatch) =>
    setAirports(
      airports.some((chosen) => chosen.iata === airport.iata)
        ? airports.filter((chosen) => chosen.iata !== airport.iata)
        : [...airports, airport],
    );

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(undefined);
    const problems: { path: string; message: string }[] = [];
    const startIso = toIsoWithOffset(start);
    const endIso = toIsoWithOffset(end);
    if (!startIso) problems.push({ path: 'window.start', message: 'Enter a start time.' });
    if (!endIso) problems.push({ path: 'window.end', message: 'Enter an end time.' });
    let areaJson: unknown;
    if (area.trim() !== '') {
      try {
        areaJson = areaGeometry(JSON.parse(area));
      } catch {
        problems.push({ path: 'scope.area', message: 'The area is not valid JSON.' });
      }
    }
    const flightRefs = list(flights).map((text) => {
      const [flightNumber = '', date = ''] = text.split('@');
      return { flightNumber: flightNumber.toUpperCase(), date };
    });
    if (flightRefs.some((flight) => !/^\d{4}-\d{2}-\d{2}$/.test(flight.date)))
      problems.push({
        path: 'scope.flights',
        message: 'Write flights as NUMBER@DATE, e.g. AY123@2026-11-23.',
      });
    if (problems.length > 0) {
      setError(new ApiProblem(0, 'Check the form', undefined, problems));
      return;
    }
    setBusy(true);
    try {
      const incident = await api<Incident>('POST', '/incidents', {
        type,
        title,
        // A language left empty shows the English title in its SMS.
        titleByLanguage: Object.fromEntries(
          TRANSLATION_LANGUAGES.flatMap((language) =>
            titleByLanguage[language].trim() ? [[language, titleByLanguage[language]]] : [],
          ),
        ),
        severity,
        window: { start: startIso, end: endIso },
        scope: {
          ...(airports.length ? { airports: airports.map((airport) => airport.iata) } : {}),
          ...(areaJson ? { area: areaJson, includeOverflights: overflights } : {}),
          ...(flightRefs.length ? { flights: flightRefs } : {}),
          ...(list(carriers).length ? { carriers: list(carriers).map((code) => code.toUpperCase()) } : {}),
        },
        ...(exercise ? { exercise: true } : {}),
      });
      go(`/incidents/${incident.id}`);
    } catch (problem) {
      setError(problem);
      setBusy(false);
    }
  };

  return (
    <>
      <p>
        <a href="#/incidents">← Incidents</a>
      </p>
      <h1>Open an incident</h1>
      <form class="stack" onSubmit={submit}>
        <label for="incident-title">
          Title in English (for operators and the SMS: public texts come from the approved template)
        </label>
        <input
          id="incident-title"
          required
          maxLength={200}
          value={title}
          onInput={(event) => setTitle(event.currentTarget.value)}
        />
        <fieldset>
          <legend>The title in Finnish and Swedish, for their SMS (left empty: the English)</legend>
          <div class="row">
            {TRANSLATION_LANGUAGES.map((language) => (
              <div class="grow" key={language}>
                <label for={`incident-title-${language}`}>{language === 'fi' ? 'Finnish' : 'Swedish'}</label>
                <input
                  id={`incident-title-${language}`}
                  lang={language}
                  maxLength={200}
                  value={titleByLanguage[language]}
                  onInput={(event) =>
                    setTitleByLanguage({ ...titleByLanguage, [language]: event.currentTarget.value })
                  }
                />
              </div>
            ))}
          </div>
        </fieldset>
        <div class="row">
          <ChoiceField
            id="incident-type"
            label="Type"
            value={type}
            values={INCIDENT_TYPES}
            onChange={setType}
          />
          <ChoiceField
            id="incident-severity"
            label="Severity"
            value={severity}
            values={SEVERITIES}
            onChange={setSeverity}
          />
        </div>
        <fieldset>
          <legend>Window, in your local time: {zoneLabel()}</legend>
          <div class="row">
            <TextField
              id="window-start"
              label="Starts"
              type="datetime-local"
              required
              value={start}
              onChange={setStart}
            />
            <TextField
              id="window-end"
              label="Ends (not included)"
              type="datetime-local"
              required
              value={end}
              onChange={setEnd}
            />
          </div>
        </fieldset>
        <p class="hint">
          Scope: name at least one of airports, an area, flights or carriers. Carriers alone pick every flight
          of theirs in the window; with other selectors they narrow them.
        </p>
        <AreaMap
          ring={ring}
          shownArea={shownArea}
          view={view}
          chosen={airports}
          onRingChange={onRingDrawn}
          onToggleAirport={toggleAirport}
        />
        <AirportPicker selected={airports} onChange={onAirportsPicked} />
        <label for="incident-area">Area: GeoJSON Polygon or MultiPolygon (paste from a map tool)</label>
        <textarea
          id="incident-area"
          rows={4}
          spellcheck={false}
          placeholder='{"type":"Polygon","coordinates":[[[24,60],[26,60],[26,61],[24,60]]]}'
          value={area}
          onInput={(event) => onAreaText(event.currentTarget.value)}
        />
        <label class="check">
          <input
            type="checkbox"
            checked={overflights}
            onChange={(event) => setOverflights(event.currentTarget.checked)}
          />
          Include flights crossing the area while in the air
        </label>
        <div class="row">
          <TextField
            id="incident-flights"
            label="Flights (NUMBER@DATE, comma-separated)"
            placeholder="AY123@2026-11-23"
            value={flights}
            onChange={setFlights}
          />
          <TextField
            id="incident-carriers"
            label="Carriers (two-character codes)"
            placeholder="AY, SK"
            value={carriers}
            onChange={setCarriers}
          />
        </div>
        <label class="check">
          <input
            type="checkbox"
            checked={exercise}
            onChange={(event) => setExercise(event.currentTarget.checked)}
          />
          Exercise: a rehearsal that texts only the staff test numbers and posts nothing public
        </label>
        <ProblemBox error={error} />
        <div>
          <button type="submit" disabled={busy}>
            {busy ? 'Opening…' : 'Open incident'}
          </button>
        </div>
      </form>
    </>
  );
}
