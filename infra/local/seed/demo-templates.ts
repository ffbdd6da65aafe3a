/** Approved templates for the demo, so a broadcast can be sent straight after `npm start`. */
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
      content: {
        en: {
          sms: 'Hi {{customer.firstName}}, your flight {{flight.number}} on {{flight.date}} ({{flight.departureTime}} from {{flight.origin}}) may be disrupted by a strike. Booking {{booking.ref}}. Updates: herald.example/status',
          social:
            'A strike is disrupting flights at {{incident.airports}}. If you are travelling, we will text you. Updates: herald.example/status',
          statusTitle: 'Strike: flights disrupted at {{incident.airports}}',
          statusBody: '{{incident.title}}. Affected passengers are being contacted by SMS.',
        },
        fi: {
          sms: 'Hei {{customer.firstName}}, lentosi {{flight.number}} {{flight.date}} (klo {{flight.departureTime}}, {{flight.origin}}) voi häiriintyä lakon vuoksi. Varaus {{booking.ref}}. Tiedotteet: herald.example/status',
          social:
            'Lakko häiritsee lentoja: {{incident.airports}}. Jos matkustat, saat meiltä tekstiviestin. Tiedotteet: herald.example/status',
          statusTitle: 'Lakko: lentoja häiriintyy ({{incident.airports}})',
          statusBody: '{{incident.title}}. Olemme yhteydessä matkustajiin tekstiviestillä.',
        },
        sv: {
          sms: 'Hej {{customer.firstName}}, ditt flyg {{flight.number}} den {{flight.date}} (kl {{flight.departureTime}} från {{flight.origin}}) kan påverkas av en strejk. Bokning {{booking.ref}}. Info: herald.example/status',
          social:
            'En strejk påverkar flyg vid {{incident.airports}}. Om du reser skickar vi ett sms. Info: herald.example/status',
          statusTitle: 'Strejk: flyg påverkas vid {{incident.airports}}',
          statusBody: '{{incident.title}}. Berörda resenärer kontaktas via sms.',
        },
      },
    },
  ];
}
