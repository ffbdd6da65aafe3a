/**
 * Approved templates for the demo, so a broadcast can be sent straight after `npm start`. Both
 * pass the submit rules (test/unit/template-rules.test.ts checks it).
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
    },
  ];
}
