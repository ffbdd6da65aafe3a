/** The words the status site and feeds add around the approved texts, in every language. */
import type { BroadcastKind, IncidentType, Language, Severity } from '#shared/domain/model.ts';

export interface SiteLabels {
  /** BCP 47 locale for dates and times. */
  locale: string;
  languageName: string;
  title: string;
  skip: string;
  languageNav: string;
  current: string;
  recent: string;
  none: string;
  noHistory: string;
  severity: string;
  airports: string;
  when: string;
  latest: string;
  earlier: (count: number) => string;
  resolvedAt: string;
  updated: string;
  feeds: string;
  capAlerts: string;
  /** CAP areaDesc of the incident's own area (e.g. an ash-cloud polygon). */
  affectedArea: string;
  /** The status page map's title, and the sentences of its description (its text alternative). */
  mapTitle: string;
  mapShadedArea: string;
  /** `airports` is the list of "Name (CODE)" already joined. */
  mapAirports: (airports: string) => string;
  severities: Record<Severity, string>;
  types: Record<IncidentType, string>;
  kinds: Record<BroadcastKind, string>;
  /** The entry published when an incident is resolved by hand, without a resolution broadcast. */
  resolvedNotice: { title: string; body: string };
  /** The heading of the page answering an address the site has no page for. */
  notFound: string;
}

export const LABELS: Record<Language, SiteLabels> = {
  en: {
    locale: 'en-GB',
    languageName: 'English',
    title: 'Travel disruptions',
    skip: 'Skip to content',
    languageNav: 'Language',
    current: 'Current disruptions',
    recent: 'Recent history',
    none: 'There are no disruptions at the moment.',
    noHistory: 'Nothing in the recent history.',
    severity: 'Severity',
    airports: 'Airports',
    when: 'When (local time)',
    latest: 'Latest update',
    earlier: (count) => `Earlier updates (${count})`,
    resolvedAt: 'Resolved',
    updated: 'Page updated',
    feeds: 'Feeds',
    capAlerts: 'CAP alerts',
    affectedArea: 'Affected area',
    mapTitle: 'Map of the disruption',
    mapShadedArea: 'The shaded area is the affected area.',
    mapAirports: (airports) => `Airports marked on the map: ${airports}.`,
    severities: { minor: 'Minor', moderate: 'Moderate', severe: 'Severe', extreme: 'Extreme' },
    types: {
      strike: 'Strike',
      'ash-cloud': 'Volcanic ash cloud',
      weather: 'Weather',
      'airport-closure': 'Airport closure',
      technical: 'Technical problem',
      other: 'Disruption',
    },
    kinds: { initial: 'Disruption', update: 'Update', resolution: 'Resolved' },
    resolvedNotice: { title: 'Resolved', body: 'The disruption is over. Thank you for your patience.' },
    notFound: 'Page not found',
  },
  fi: {
    locale: 'fi-FI',
    languageName: 'Suomi',
    title: 'Liikennehäiriöt',
    skip: 'Siirry sisältöön',
    languageNav: 'Kieli',
    current: 'Voimassa olevat häiriöt',
    recent: 'Viimeaikaiset',
    none: 'Tällä hetkellä ei ole häiriöitä.',
    noHistory: 'Ei viimeaikaisia häiriöitä.',
    severity: 'Vakavuus',
    airports: 'Lentoasemat',
    when: 'Aika (paikallista aikaa)',
    latest: 'Viimeisin tiedote',
    earlier: (count) => `Aiemmat tiedotteet (${count})`,
    resolvedAt: 'Päättyi',
    updated: 'Sivu päivitetty',
    feeds: 'Syötteet',
    capAlerts: 'CAP-varoitukset',
    affectedArea: 'Häiriöalue',
    mapTitle: 'Häiriön kartta',
    mapShadedArea: 'Varjostettu alue on häiriöalue.',
    mapAirports: (airports) => `Kartalle merkityt lentoasemat: ${airports}.`,
    severities: { minor: 'Vähäinen', moderate: 'Kohtalainen', severe: 'Vakava', extreme: 'Erittäin vakava' },
    types: {
      strike: 'Lakko',
      'ash-cloud': 'Tuhkapilvi',
      weather: 'Sää',
      'airport-closure': 'Lentoaseman sulkeminen',
      technical: 'Tekninen vika',
      other: 'Häiriö',
    },
    kinds: { initial: 'Häiriö', update: 'Päivitys', resolution: 'Päättynyt' },
    resolvedNotice: { title: 'Päättynyt', body: 'Häiriö on ohi. Kiitos kärsivällisyydestänne.' },
    notFound: 'Sivua ei löytynyt',
  },
  sv: {
    locale: 'sv-FI',
    languageName: 'Svenska',
    title: 'Trafikstörningar',
    skip: 'Till innehållet',
    languageNav: 'Språk',
    current: 'Aktuella störningar',
    recent: 'Senaste historik',
    none: 'Det finns inga störningar just nu.',
    noHistory: 'Inget i den senaste historiken.',
    severity: 'Allvarlighet',
    airports: 'Flygplatser',
    when: 'Tid (lokal tid)',
    latest: 'Senaste uppdatering',
    earlier: (count) => `Tidigare uppdateringar (${count})`,
    resolvedAt: 'Avslutad',
    updated: 'Sidan uppdaterad',
    feeds: 'Flöden',
    capAlerts: 'CAP-varningar',
    affectedArea: 'Berört område',
    mapTitle: 'Karta över störningen',
    mapShadedArea: 'Det skuggade området är det berörda området.',
    mapAirports: (airports) => `Flygplatser markerade på kartan: ${airports}.`,
    severities: { minor: 'Liten', moderate: 'Måttlig', severe: 'Allvarlig', extreme: 'Mycket allvarlig' },
    types: {
      strike: 'Strejk',
      'ash-cloud': 'Vulkanaskmoln',
      weather: 'Väder',
      'airport-closure': 'Stängd flygplats',
      technical: 'Tekniskt fel',
      other: 'Störning',
    },
    kinds: { initial: 'Störning', update: 'Uppdatering', resolution: 'Avslutad' },
    resolvedNotice: { title: 'Avslutad', body: 'Störningen är över. Tack för ert tålamod.' },
    notFound: 'Sidan hittades inte',
  },
};
