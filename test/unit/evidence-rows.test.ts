import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type EvidenceSource, evidenceRows, type LedgerRecord } from '#shared/domain/evidence.ts';
import type { Broadcast } from '#shared/domain/model.ts';
import { aCustomer, anIncident, aTemplate } from '#test/support/builders.ts';

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

function aBroadcast(overrides: Partial<Broadcast> = {}): Broadcast {
  return {
    id: 'b1',
    incidentId: 'incident-1',
    templateId: 'template-1',
    templateVersion: 3,
    variables: {},
    channels: ['sms', 'x', 'facebook', 'status'],
    kind: 'initial',
    status: 'completed',
    createdAt: '2026-12-01T08:00:00.000Z',
    createdBy: 'olli.operator',
    startedAt: '2026-12-01T08:00:01.000Z',
    counts: {},
    ...overrides,
  };
}

const source = (overrides: Partial<EvidenceSource> = {}): EvidenceSource => ({
  template: aTemplate({ version: 3 }),
  incident: anIncident(),
  broadcast: aBroadcast(),
  ...overrides,
});

function anSmsRecord(overrides: Partial<LedgerRecord> = {}): LedgerRecord {
  return {
    broadcastId: 'b1',
    channel: 'sms',
    recipientId: 'C1',
    status: 'delivered',
    attempts: 1,
    providerId: 'SM0123',
    updatedAt: '2026-12-01T08:00:05.000Z',
    payload: {
      bookingRef: 'ABC123',
      flightNumber: 'AY123',
      date: '2026-12-01',
      origin: 'HEL',
      departure: '2026-12-01T10:00:00Z',
      language: 'sv',
    },
    ...overrides,
  };
}

describe('evidence rows', () => {
  const customer = aCustomer('C1', { firstName: 'Aino', phone: '+358401234567' });

  it('give an SMS as sent: the text rendered from its record in the passenger’s language, its hash, booking and flight', () => {
    const [row] = evidenceRows(anSmsRecord(), source(), { customer });
    expect(row).toMatchObject({
      incidentId: 'incident-1',
      broadcastId: 'b1',
      kind: 'initial',
      templateId: 'template-1',
      templateVersion: '3',
      channel: 'sms',
      customerId: 'C1',
      bookingRef: 'ABC123',
      flightNumber: 'AY123',
      flightDate: '2026-12-01',
      recipient: '+35840•••••67',
      language: 'sv',
      text: 'SV Aino: AY123 ABC123',
      textSha256: sha256('SV Aino: AY123 ABC123'),
      status: 'delivered',
      providerMessageId: 'SM0123',
      attempts: '1',
    });
    expect(JSON.stringify(row)).not.toContain('+358401234567');
  });

  it('render the SMS in the wording of the broadcast’s kind', () => {
    const update = {
      en: { sms: 'UPDATE {{flight.number}}', social: 'u', statusTitle: 'u', statusBody: 'u' },
    };
    const [row] = evidenceRows(
      anSmsRecord({ payload: { flightNumber: 'AY9', language: 'en' } }),
      source({ template: aTemplate({ updateContent: update }), broadcast: aBroadcast({ kind: 'update' }) }),
      { customer },
    );
    expect(row?.text).toBe('UPDATE AY9');
  });

  it('date what the ledger proves: queued at the broadcast’s start, delivered at the record’s last move', () => {
    const [row] = evidenceRows(anSmsRecord(), source(), { customer });
    expect(row).toMatchObject({
      queuedAt: '2026-12-01T08:00:01.000Z',
      sentAt: '',
      deliveredAt: '2026-12-01T08:00:05.000Z',
      statusAt: '2026-12-01T08:00:05.000Z',
    });
  });

  it('date a record that kept its times: queued, first sent and first delivered', () => {
    const times = {
      queuedAt: '2026-12-01T08:00:01.500Z',
      sentAt: '2026-12-01T08:00:02.000Z',
      deliveredAt: '2026-12-01T08:00:04.000Z',
    };
    const [row] = evidenceRows(anSmsRecord(times), source(), { customer });
    expect(row).toMatchObject({ ...times, statusAt: '2026-12-01T08:00:05.000Z' });
  });

  it('give the hash recorded at the send, and the text rendered again only if it is the one sent', () => {
    const sent = 'SV Aino: AY123 ABC123';
    const [same] = evidenceRows(anSmsRecord({ textSha256: sha256(sent) }), source(), { customer });
    // Renamed since the send: the greeting renders otherwise, so only the hash proves what was sent.
    const renamed = { ...customer, firstName: 'Anna' };
    const [changed] = evidenceRows(anSmsRecord({ textSha256: sha256(sent) }), source(), {
      customer: renamed,
    });

    expect(same).toMatchObject({ text: sent, textSha256: sha256(sent) });
    expect(changed).toMatchObject({ text: '', textSha256: sha256(sent) });
  });

  it('give the text of an SMS whose sender named where STOP and HELP go, ending as it was sent', () => {
    const sent = 'SV Aino: AY123 ABC123\nSTOP/HELP: https://herald.example/stop';
    const record = anSmsRecord({ textSha256: sha256(sent) });

    const [row] = evidenceRows(record, source(), { customer, replyTo: 'https://herald.example/stop' });
    const [withoutPool] = evidenceRows(record, source(), { customer });

    expect(row).toMatchObject({ text: sent, textSha256: sha256(sent) });
    expect(withoutPool).toMatchObject({ text: '' });
  });

  it('date a message the provider accepted and has not yet confirmed as sent', () => {
    const [row] = evidenceRows(anSmsRecord({ status: 'sent' }), source(), { customer });
    expect(row).toMatchObject({ sentAt: '2026-12-01T08:00:05.000Z', deliveredAt: '' });
  });

  it('give a failure’s code and reason as every listing does, with any number the error quotes masked', () => {
    const [undelivered] = evidenceRows(
      anSmsRecord({ status: 'undelivered', lastError: 'Twilio error 30003' }),
      source(),
      { customer },
    );
    expect(undelivered).toMatchObject({ errorCode: '30003', error: 'Twilio error 30003', deliveredAt: '' });
    expect(undelivered?.reason).toMatch(/unreachable handset/i);
    const [refused] = evidenceRows(
      anSmsRecord({
        status: 'failed',
        providerId: undefined,
        lastError: 'Twilio refused the message: error 21211 (HTTP 400) for +358401234567',
      }),
      source(),
      { customer },
    );
    expect(refused).toMatchObject({ errorCode: '21211', providerMessageId: '' });
    expect(refused?.error).toContain('+35840•••••67');
    const [cancelled] = evidenceRows(
      anSmsRecord({ status: 'queued', providerId: undefined }),
      source({ broadcast: aBroadcast({ status: 'cancelled' }) }),
      { customer },
    );
    expect(cancelled?.errorCode).toBe('cancelled');
  });

  it('give a delivered message no problem, whatever an earlier try left as its last error', () => {
    const [row] = evidenceRows(anSmsRecord({ lastError: 'Twilio unavailable (HTTP 503)' }), source(), {
      customer,
    });
    expect(row).toMatchObject({ errorCode: '', reason: '' });
  });

  it('keep the booking and flight of an SMS whose customer is gone, with no text it cannot render again', () => {
    const [row] = evidenceRows(anSmsRecord(), source(), {});
    expect(row).toMatchObject({
      bookingRef: 'ABC123',
      recipient: '',
      text: '',
      textSha256: '',
      language: 'sv',
    });
  });

  it('give a post as posted in its language', () => {
    const [row] = evidenceRows(
      {
        broadcastId: 'b1',
        channel: 'x',
        recipientId: 'fi',
        status: 'sent',
        attempts: 1,
        providerId: '1789',
        updatedAt: '2026-12-01T08:00:03.000Z',
      },
      source(),
      {},
    );
    expect(row).toMatchObject({
      channel: 'x',
      recipient: 'fi',
      language: 'fi',
      text: 'Flights at HEL are disrupted.',
      textSha256: sha256('Flights at HEL are disrupted.'),
      customerId: '',
      bookingRef: '',
      sentAt: '2026-12-01T08:00:03.000Z',
    });
  });

  it('give the status site’s entry as published, one row per language', () => {
    const record: LedgerRecord = {
      broadcastId: 'b1',
      channel: 'status',
      recipientId: 'site',
      status: 'sent',
      attempts: 1,
      providerId: 'status:2026-12-01T08:00:04.000Z',
      updatedAt: '2026-12-01T08:00:04.000Z',
    };
    const published = {
      fi: { title: 'Lakko', body: 'Lennot myöhässä.' },
      sv: { title: 'Strejk', body: 'Flygen är försenade.' },
      en: { title: 'Strike', body: 'Flights are late.' },
    };
    const rows = evidenceRows(record, source(), { published });
    expect(rows.map((row) => [row.language, row.text])).toEqual([
      ['fi', 'Lakko\n\nLennot myöhässä.'],
      ['sv', 'Strejk\n\nFlygen är försenade.'],
      ['en', 'Strike\n\nFlights are late.'],
    ]);
    expect(rows.every((row) => row.recipient === 'site' && row.providerMessageId === record.providerId)).toBe(
      true,
    );
  });

  it('render the status entry a record has not yet published from the template', () => {
    const record: LedgerRecord = {
      broadcastId: 'b1',
      channel: 'status',
      recipientId: 'site',
      status: 'queued',
      attempts: 0,
      updatedAt: '2026-12-01T08:00:01.000Z',
    };
    const [fi] = evidenceRows(record, source(), {});
    expect(fi?.text).toBe('Strike at HEL\n\nFlights at HEL are disrupted.');
  });
});
