/** The words of each kind's wording in the demo strike template (see demo-templates.ts), to tell sent texts apart. */
import type { BroadcastKind, Language } from '#shared/domain/model.ts';

/** Per kind and language: words of the SMS, of the X and Facebook post, and the status title (at OSL). */
export const WORDING: Record<
  BroadcastKind,
  Record<Language, { sms: string; post: string; status: string }>
> = {
  initial: {
    en: {
      sms: 'may be disrupted by a strike',
      post: 'A strike is disrupting flights',
      status: 'Strike: flights disrupted at OSL',
    },
    fi: {
      sms: 'voi häiriintyä lakon vuoksi',
      post: 'Lakko häiritsee lentoja',
      status: 'Lakko: lentoja häiriintyy (OSL)',
    },
    sv: {
      sms: 'kan påverkas av en strejk',
      post: 'En strejk påverkar flyg',
      status: 'Strejk: flyg påverkas vid OSL',
    },
  },
  update: {
    en: {
      sms: 'the strike continues',
      post: 'Update: the strike at OSL continues',
      status: 'Strike continues at OSL',
    },
    fi: { sms: 'lakko jatkuu', post: 'Tilannetieto: lakko jatkuu (OSL)', status: 'Lakko jatkuu (OSL)' },
    sv: {
      sms: 'strejken fortsätter',
      post: 'Uppdatering: strejken vid OSL fortsätter',
      status: 'Strejken fortsätter vid OSL',
    },
  },
  resolution: {
    en: {
      sms: 'services are back to normal',
      post: 'is over and services are back to normal',
      status: 'Strike over: services back to normal at OSL',
    },
    fi: {
      sms: 'palvelut toimivat taas normaalisti',
      post: 'Lakko on päättynyt (OSL)',
      status: 'Lakko päättynyt: palvelut toimivat normaalisti (OSL)',
    },
    sv: {
      sms: 'trafiken är tillbaka i normalt läge',
      post: 'är över och trafiken är tillbaka i normalt läge',
      status: 'Strejken över: normal trafik vid OSL',
    },
  },
};
export const DEMO_LANGUAGES: Language[] = ['fi', 'sv', 'en'];
export const KINDS: BroadcastKind[] = ['initial', 'update', 'resolution'];

/** The kind and language whose words a text carries; undefined for words of none. */
export function wordingOf(
  text: string,
  field: 'sms' | 'post',
): { kind: BroadcastKind; language: Language } | undefined {
  for (const kind of KINDS)
    for (const language of DEMO_LANGUAGES)
      if (text.includes(WORDING[kind][language][field])) return { kind, language };
  return undefined;
}
