/**
 * Approved templates for the demo, so a broadcast can be sent straight after `npm start`: each
 * with the first message's, an update's and a resolution's wording in fi, sv and en. Both pass
 * the submit rules (test/unit/template-rules.test.ts checks it).
 */
import type { TemplateVersion } from '#shared/domain/model.ts';

export function demoTemplates(now: string): TemplateVersion[] {
  return [
    {
      id: 'strike-disruption',
      version: 1,
      name: 'Strike disrupts flights',
      status: 'approved',
      createdBy: 'cecilia.comms',
      approvedBy: 'kalle.comms',
      createdAt: now,
      approvedAt: now,
      // No pre-approved variables: a `note` (shown on the status page) is free text, so a
      // broadcast that fills it waits for a comms lead's approval.
      allowedVariables: [],
      freeTextVariables: ['note'],
      maxVariableLength: 200,
      allowThread: false,
      smsSegmentBudget: 2,
      content: {
        en: {
          sms: 'Hi {{customer.firstName}}, your flight {{flight.number}} on {{flight.date}} ({{flight.departureTime}} from {{flight.origin}}) may be disrupted by a strike. Booking {{booking.ref}}. Updates: herald.example/status',
          social:
            'A strike is disrupting flights at {{incident.airports}}. If you are travelling, we will text you. Updates: herald.example/status',
          statusTitle: 'Strike: flights disrupted at {{incident.airports}}',
          statusBody:
            'Flights at {{incident.airports}} may be delayed or cancelled. Affected passengers are being contacted by SMS. {{vars.note}}',
        },
        fi: {
          sms: 'Hei {{customer.firstName}}, lentosi {{flight.number}} {{flight.date}} (klo {{flight.departureTime}}, {{flight.origin}}) voi häiriintyä lakon vuoksi. Varaus {{booking.ref}}. Tiedotteet: herald.example/status',
          social:
            'Lakko häiritsee lentoja: {{incident.airports}}. Jos matkustat, saat meiltä tekstiviestin. Tiedotteet: herald.example/status',
          statusTitle: 'Lakko: lentoja häiriintyy ({{incident.airports}})',
          statusBody:
            'Lentoja ({{incident.airports}}) voi viivästyä tai peruuntua. Olemme yhteydessä matkustajiin tekstiviestillä. {{vars.note}}',
        },
        sv: {
          sms: 'Hej {{customer.firstName}}, ditt flyg {{flight.number}} den {{flight.date}} (kl {{flight.departureTime}} från {{flight.origin}}) kan påverkas av en strejk. Bokning {{booking.ref}}. Info: herald.example/status',
          social:
            'En strejk påverkar flyg vid {{incident.airports}}. Om du reser skickar vi ett sms. Info: herald.example/status',
          statusTitle: 'Strejk: flyg påverkas vid {{incident.airports}}',
          statusBody:
            'Flyg vid {{incident.airports}} kan försenas eller ställas in. Berörda resenärer kontaktas via sms. {{vars.note}}',
        },
      },
      updateContent: {
        en: {
          sms: 'Hi {{customer.firstName}}, update on flight {{flight.number}} on {{flight.date}} ({{flight.departureTime}} from {{flight.origin}}): the strike continues and delays are possible. Booking {{booking.ref}}. Latest: herald.example/status',
          social:
            'Update: the strike at {{incident.airports}} continues. Check your flight before leaving for the airport; we text affected passengers. Latest: herald.example/status',
          statusTitle: 'Strike continues at {{incident.airports}}',
          statusBody:
            'The strike at {{incident.airports}} continues; flights may still be delayed or cancelled. We text affected passengers when their flight changes. {{vars.note}}',
        },
        fi: {
          sms: 'Hei {{customer.firstName}}, tilannetieto lennostasi {{flight.number}} {{flight.date}} (klo {{flight.departureTime}}, {{flight.origin}}): lakko jatkuu ja viivästykset ovat mahdollisia. Varaus {{booking.ref}}. Tiedotteet: herald.example/status',
          social:
            'Tilannetieto: lakko jatkuu ({{incident.airports}}). Tarkista lentosi ennen lähtöä kentälle; lähetämme tekstiviestin lennon muuttuessa. Tiedotteet: herald.example/status',
          statusTitle: 'Lakko jatkuu ({{incident.airports}})',
          statusBody:
            'Lakko jatkuu ({{incident.airports}}); lentoja voi yhä viivästyä tai peruuntua. Ilmoitamme tekstiviestillä, jos lentosi muuttuu. {{vars.note}}',
        },
        sv: {
          sms: 'Hej {{customer.firstName}}, uppdatering om flyg {{flight.number}} den {{flight.date}} (kl {{flight.departureTime}} från {{flight.origin}}): strejken fortsätter och förseningar kan uppstå. Bokning {{booking.ref}}. Info: herald.example/status',
          social:
            'Uppdatering: strejken vid {{incident.airports}} fortsätter. Kontrollera ditt flyg innan du åker till flygplatsen; vi sms:ar berörda resenärer. Info: herald.example/status',
          statusTitle: 'Strejken fortsätter vid {{incident.airports}}',
          statusBody:
            'Strejken vid {{incident.airports}} fortsätter; flyg kan fortfarande försenas eller ställas in. Vi sms:ar berörda resenärer när deras flyg ändras. {{vars.note}}',
        },
      },
      resolutionContent: {
        en: {
          sms: 'Hi {{customer.firstName}}, the strike is over: flight {{flight.number}} on {{flight.date}} ({{flight.departureTime}} from {{flight.origin}}) is operating and services are back to normal. Booking {{booking.ref}}.',
          social:
            'The strike at {{incident.airports}} is over and services are back to normal. Thank you for your patience. herald.example/status',
          statusTitle: 'Strike over: services back to normal at {{incident.airports}}',
          statusBody:
            'The strike has ended. Flights at {{incident.airports}} are operating and services are back to normal. {{vars.note}}',
        },
        fi: {
          sms: 'Hei {{customer.firstName}}, lakko on päättynyt: lentosi {{flight.number}} {{flight.date}} (klo {{flight.departureTime}}, {{flight.origin}}) lentää ja palvelut toimivat taas normaalisti. Varaus {{booking.ref}}.',
          social:
            'Lakko on päättynyt ({{incident.airports}}) ja palvelut toimivat taas normaalisti. Kiitos kärsivällisyydestänne. herald.example/status',
          statusTitle: 'Lakko päättynyt: palvelut toimivat normaalisti ({{incident.airports}})',
          statusBody:
            'Lakko on päättynyt. Lennot ({{incident.airports}}) lentävät ja palvelut toimivat taas normaalisti. {{vars.note}}',
        },
        sv: {
          sms: 'Hej {{customer.firstName}}, strejken är över: flyg {{flight.number}} den {{flight.date}} (kl {{flight.departureTime}} från {{flight.origin}}) går som planerat och trafiken är tillbaka i normalt läge. Bokning {{booking.ref}}.',
          social:
            'Strejken vid {{incident.airports}} är över och trafiken är tillbaka i normalt läge. Tack för ert tålamod. Info: herald.example/status',
          statusTitle: 'Strejken över: normal trafik vid {{incident.airports}}',
          statusBody:
            'Strejken är över. Flyg vid {{incident.airports}} går och trafiken är tillbaka i normalt läge. {{vars.note}}',
        },
      },
    },
    {
      id: 'ash-cloud-closure',
      version: 1,
      name: 'Airspace closed by volcanic ash',
      status: 'approved',
      createdBy: 'kalle.comms',
      approvedBy: 'cecilia.comms',
      createdAt: now,
      approvedAt: now,
      // The reopening estimate is pre-approved: an operator fills it in without another review.
      allowedVariables: ['reopenEstimate'],
      freeTextVariables: [],
      maxVariableLength: 20,
      allowThread: false,
      smsSegmentBudget: 2,
      content: {
        en: {
          sms: 'Hi {{customer.firstName}}, volcanic ash has closed airspace. Flight {{flight.number}} on {{flight.date}} ({{flight.departureTime}} from {{flight.origin}}) cannot depart. Reopening expected {{vars.reopenEstimate}}. Booking {{booking.ref}}.',
          social:
            'Volcanic ash has closed airspace ({{incident.airports}}). Reopening expected {{vars.reopenEstimate}}. If you are travelling, we will text you. Updates: herald.example/status',
          statusTitle: 'Volcanic ash: airspace closed ({{incident.airports}})',
          statusBody:
            'No flights can depart from {{incident.airports}}. Reopening expected {{vars.reopenEstimate}}.',
        },
        fi: {
          sms: 'Hei {{customer.firstName}}, tuhkapilvi on sulkenut ilmatilan. Lento {{flight.number}} {{flight.date}} (klo {{flight.departureTime}}, {{flight.origin}}) ei voi lähteä. Avautuminen arviolta {{vars.reopenEstimate}}. Varaus {{booking.ref}}.',
          social:
            'Tuhkapilvi on sulkenut ilmatilan ({{incident.airports}}). Avautuminen arviolta {{vars.reopenEstimate}}. Jos matkustat, saat meiltä tekstiviestin. Tiedotteet: herald.example/status',
          statusTitle: 'Tuhkapilvi: ilmatila suljettu ({{incident.airports}})',
          statusBody:
            'Lennot eivät voi lähteä ({{incident.airports}}). Avautuminen arviolta {{vars.reopenEstimate}}.',
        },
        sv: {
          sms: 'Hej {{customer.firstName}}, vulkanaska har stängt luftrummet. Flyg {{flight.number}} den {{flight.date}} (kl {{flight.departureTime}} från {{flight.origin}}) kan inte avgå. Öppnar troligen {{vars.reopenEstimate}}. Bokning {{booking.ref}}.',
          social:
            'Vulkanaska har stängt luftrummet ({{incident.airports}}). Öppnar troligen {{vars.reopenEstimate}}. Om du reser skickar vi ett sms. Info: herald.example/status',
          statusTitle: 'Vulkanaska: luftrummet stängt ({{incident.airports}})',
          statusBody:
            'Inga flyg kan avgå från {{incident.airports}}. Öppnar troligen {{vars.reopenEstimate}}.',
        },
      },
      updateContent: {
        en: {
          sms: 'Hi {{customer.firstName}}, update: airspace is still closed by volcanic ash. Flight {{flight.number}} on {{flight.date}} ({{flight.origin}}) waits. Reopening now expected {{vars.reopenEstimate}}. Booking {{booking.ref}}.',
          social:
            'Update: airspace ({{incident.airports}}) is still closed by volcanic ash. Reopening now expected {{vars.reopenEstimate}}. We text affected passengers. Updates: herald.example/status',
          statusTitle: 'Volcanic ash: airspace still closed ({{incident.airports}})',
          statusBody:
            'Airspace remains closed at {{incident.airports}}. Reopening now expected {{vars.reopenEstimate}}.',
        },
        fi: {
          sms: 'Hei {{customer.firstName}}, tilannetieto: tuhkapilvi pitää ilmatilan yhä suljettuna. Lento {{flight.number}} {{flight.date}} ({{flight.origin}}) odottaa. Avautuminen nyt arviolta {{vars.reopenEstimate}}. Varaus {{booking.ref}}.',
          social:
            'Tilannetieto: ilmatila ({{incident.airports}}) on yhä suljettu tuhkapilven vuoksi. Avautuminen nyt arviolta {{vars.reopenEstimate}}. Tiedotteet: herald.example/status',
          statusTitle: 'Tuhkapilvi: ilmatila yhä suljettu ({{incident.airports}})',
          statusBody:
            'Ilmatila on yhä suljettu ({{incident.airports}}). Avautuminen nyt arviolta {{vars.reopenEstimate}}.',
        },
        sv: {
          sms: 'Hej {{customer.firstName}}, uppdatering: vulkanaska håller luftrummet stängt. Flyg {{flight.number}} den {{flight.date}} ({{flight.origin}}) väntar. Öppnar nu troligen {{vars.reopenEstimate}}. Bokning {{booking.ref}}.',
          social:
            'Uppdatering: luftrummet ({{incident.airports}}) är fortfarande stängt av vulkanaska. Öppnar nu troligen {{vars.reopenEstimate}}. Info: herald.example/status',
          statusTitle: 'Vulkanaska: luftrummet fortfarande stängt ({{incident.airports}})',
          statusBody:
            'Luftrummet är fortfarande stängt vid {{incident.airports}}. Öppnar nu troligen {{vars.reopenEstimate}}.',
        },
      },
      resolutionContent: {
        en: {
          sms: 'Hi {{customer.firstName}}, airspace has reopened and services are back to normal. Flight {{flight.number}} on {{flight.date}} ({{flight.departureTime}} from {{flight.origin}}) can depart. Booking {{booking.ref}}.',
          social:
            'Airspace ({{incident.airports}}) has reopened after the volcanic ash and services are back to normal. Thank you for your patience. herald.example/status',
          statusTitle: 'Airspace reopened: services back to normal ({{incident.airports}})',
          statusBody:
            'The ash has cleared and flights at {{incident.airports}} are departing again. Services are back to normal.',
        },
        fi: {
          sms: 'Hei {{customer.firstName}}, ilmatila on avattu ja palvelut toimivat taas normaalisti. Lento {{flight.number}} {{flight.date}} (klo {{flight.departureTime}}, {{flight.origin}}) voi lähteä. Varaus {{booking.ref}}.',
          social:
            'Ilmatila ({{incident.airports}}) on avattu tuhkapilven jälkeen ja palvelut toimivat taas normaalisti. Kiitos kärsivällisyydestänne. herald.example/status',
          statusTitle: 'Ilmatila avattu: palvelut toimivat normaalisti ({{incident.airports}})',
          statusBody:
            'Tuhka on hälvennyt ja lennot ({{incident.airports}}) lähtevät taas. Palvelut toimivat normaalisti.',
        },
        sv: {
          sms: 'Hej {{customer.firstName}}, luftrummet har öppnat och trafiken är tillbaka i normalt läge. Flyg {{flight.number}} den {{flight.date}} (kl {{flight.departureTime}} från {{flight.origin}}) kan avgå. Bokning {{booking.ref}}.',
          social:
            'Luftrummet ({{incident.airports}}) har öppnat efter vulkanaskan och trafiken är tillbaka i normalt läge. Tack för ert tålamod. Info: herald.example/status',
          statusTitle: 'Luftrummet öppnat: normal trafik ({{incident.airports}})',
          statusBody:
            'Askan har skingrats och flyg vid {{incident.airports}} avgår igen. Trafiken är tillbaka i normalt läge.',
        },
      },
    },
  ];
}
