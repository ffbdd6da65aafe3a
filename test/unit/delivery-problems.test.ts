/** Issue 17, Lookup: a failed delivery's provider code and a reason staff can read. */
import { describe, expect, it } from 'vitest';
import { deliveryProblem } from '#shared/domain/delivery-problems.ts';
import type { Channel, DeliveryStatus } from '#shared/domain/model.ts';

const failed = (channel: Channel, lastError: string, status: DeliveryStatus = 'failed') =>
  deliveryProblem({ channel, status, lastError });

describe('deliveryProblem', () => {
  it.each([
    ['Twilio refused the message: error 21610 (HTTP 400)', '21610', /Opted out.*STOP/],
    ['Twilio refused the message: error 21211 (HTTP 400)', '21211', /Invalid phone number/],
    ['Twilio refused the message: error 21408 (HTTP 400)', '21408', /not permitted.*country/],
    ['Twilio error 30003', '30003', /Unreachable handset/],
    ['Twilio error 30005', '30005', /Unknown number/],
    ['Twilio error 30006', '30006', /Landline/],
    ['Twilio error 30007', '30007', /spam/],
    ['Twilio error 30008', '30008', /unknown error/],
    ['Twilio error 30999', '30999', /^Twilio error 30999$/],
  ])('names Twilio’s %s', (lastError, code, reason) => {
    const problem = failed('sms', lastError, lastError.includes('30') ? 'undelivered' : 'failed');

    expect(problem?.code).toBe(code);
    expect(problem?.reason).toMatch(reason);
  });

  it('names X’s duplicate content, from its v2 403 detail and from v1.1’s code 187', () => {
    const v2 = failed(
      'x',
      'Request failed with code 403: You are not allowed to create a Tweet with duplicate content.',
    );
    const v1 = failed('x', 'Request failed with code 403 - Status is a duplicate. (Twitter code 187)');

    expect(v2).toEqual({ code: '403', reason: expect.stringMatching(/^Duplicate post.*change the wording/) });
    expect(v1).toEqual({ code: '187', reason: v2?.reason });
  });

  it('gives X’s own detail for another refusal, and its credentials and rate limit by status', () => {
    expect(failed('x', 'Request failed with code 403: Your Tweet text is too long.')).toEqual({
      code: '403',
      reason: 'X refused the post: Your Tweet text is too long.',
    });
    expect(failed('x', 'Request failed with code 401')?.reason).toMatch(/credentials/);
    expect(failed('x', 'Request failed with code 503')?.reason).toBe('X was unavailable');
  });

  it('names Graph’s duplicate post and expired token by their codes', () => {
    expect(
      failed('facebook', 'Facebook Graph refused the post: HTTP 400, code 506 (Duplicate status message)'),
    ).toEqual({ code: '506', reason: expect.stringMatching(/^Duplicate post/) });
    expect(failed('facebook', 'Facebook Graph refused the post: HTTP 400, code 190 (Bad token)')).toEqual({
      code: '190',
      reason: expect.stringMatching(/page token/),
    });
    expect(failed('facebook', 'Facebook Graph refused the post: HTTP 404, code none')?.code).toBe('404');
  });

  it('says Herald gave up after retries, and on what', () => {
    expect(failed('sms', 'Gave up after retries: Twilio unavailable (HTTP 503)')).toEqual({
      code: 'retries_exhausted',
      reason: 'Gave up after retries: Twilio was unavailable or busy (HTTP 503)',
    });
    expect(failed('x', 'Gave up after retries: X request failed: timeout')?.reason).toBe(
      'Gave up after retries: X could not be reached in time',
    );
  });

  it('says a message still queued in a cancelled broadcast was cancelled, and nothing while it is on its way', () => {
    expect(deliveryProblem({ channel: 'sms', status: 'queued' }, 'cancelled')).toEqual({
      code: 'cancelled',
      reason: 'Not sent: the broadcast was cancelled first',
    });
    expect(deliveryProblem({ channel: 'sms', status: 'queued' }, 'sending')).toBeUndefined();
  });

  it('says an opt-out found before sending is an opt-out, and an ineligible customer ineligible', () => {
    expect(failed('sms', 'Customer no longer eligible', 'opted_out')?.code).toBe('opted_out');
    expect(deliveryProblem({ channel: 'sms', status: 'opted_out' })?.reason).toMatch(/replied STOP/);
    expect(failed('sms', 'Customer no longer eligible')?.code).toBe('ineligible');
  });

  it('shows nothing for a message that reached the provider, even after a retried error', () => {
    expect(
      deliveryProblem({ channel: 'sms', status: 'sent', lastError: 'Twilio unavailable (HTTP 503)' }),
    ).toBe(undefined);
    expect(deliveryProblem({ channel: 'sms', status: 'delivered' })).toBeUndefined();
  });

  it('passes an unknown error on with any phone number in it masked', () => {
    expect(failed('sms', 'Something odd about +358401234567')).toEqual({
      code: 'unknown',
      reason: 'Something odd about +35840•••••67',
    });
    expect(deliveryProblem({ channel: 'sms', status: 'undelivered' })).toEqual({
      code: 'unknown',
      reason: 'Twilio gave no reason',
    });
  });
});
