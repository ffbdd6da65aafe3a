/**
 * What a broadcast says, channel by channel and language by language, with the operator's free
 * text marked, whom it would reach and who asked for it: what a comms lead reads before
 * approving (`GET /broadcasts/{id}/review`).
 */

import { Fragment } from 'preact';
import type { BroadcastReview } from '#shared/domain/broadcast-review.ts';
import type { TextPart } from '#shared/domain/marked-text.ts';
import { type BroadcastStatus, type Channel, LANGUAGES, type Language } from '#shared/domain/model.ts';
import { api, seg } from '../api.ts';
import { CHANNEL_NAMES } from '../channel-names.ts';
import { Loading, localTime, Panel, ProblemBox, useLoad } from '../ui.tsx';

const LANGUAGE_NAMES: Record<Language, string> = { fi: 'Finnish', sv: 'Swedish', en: 'English' };

/** Rendered text with the free text in <mark> and each passenger's details as placeholders. */
function Marked({ parts }: { parts: TextPart[] }) {
  return (
    <>
      {parts.map((part, index) =>
        part.freeText ? (
          <mark key={index} title={`Free text: ${part.freeText}`}>
            {part.text}
          </mark>
        ) : part.personal ? (
          <span key={index} class="placeholder" title={`Each passenger's own: ${part.personal}`}>
            {part.text}
          </span>
        ) : (
          part.text
        ),
      )}
    </>
  );
}

/** One channel's text in every language. */
function ChannelTexts({
  channel,
  texts,
}: {
  channel: Channel;
  texts: Partial<Record<Language, TextPart[] | { title: TextPart[]; body: TextPart[] }>>;
}) {
  return (
    <section class="channel-texts" aria-labelledby={`texts-${channel}`}>
      <h3 id={`texts-${channel}`}>{CHANNEL_NAMES[channel]}</h3>
      {LANGUAGES.map((language) => {
        const text = texts[language];
        if (!text) return null;
        return (
          <div key={language} class="message-text">
            <h4>{LANGUAGE_NAMES[language]}</h4>
            {Array.isArray(text) ? (
              <p lang={language}>
                <Marked parts={text} />
              </p>
            ) : (
              <p lang={language}>
                <strong>
                  <Marked parts={text.title} />
                </strong>
                <br />
                <Marked parts={text.body} />
              </p>
            )}
          </div>
        );
      })}
    </section>
  );
}

/** Recipients per channel, as counted when the broadcast was requested. */
function Audience({ review }: { review: BroadcastReview }) {
  const audience = review.audience;
  if (!audience) return null;
  const atLeast = audience.complete ? '' : 'at least ';
  return (
    <dl class="facts audience">
      {review.channels.map((channel) => (
        <Fragment key={channel}>
          <dt>{CHANNEL_NAMES[channel]}</dt>
          <dd>
            {atLeast}
            {audience.recipients[channel] ?? 0}
            {channel === 'sms'
              ? ` passengers (${LANGUAGES.map((language) => `${audience.smsByLanguage[language]} ${language}`).join(', ')})`
              : ' posts'}
          </dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** The review panel of a broadcast; `status` reloads it when the broadcast moves (approved). */
export function BroadcastContent({ id, status }: { id: string; status: BroadcastStatus }) {
  const review = useLoad(() => api<BroadcastReview>('GET', `/broadcasts/${seg(id)}/review`), [id, status]);
  const data = review.data;
  return (
    <Panel title="What it says and whom it reaches" id="content-heading">
      <ProblemBox error={review.error} />
      {!data && !review.error && <Loading what="the texts" />}
      {data && (
        <>
          <p>
            Requested by <strong>{data.requestedBy}</strong> at {localTime(data.requestedAt)}
            {data.approvedBy && (
              <>
                ; approved by <strong>{data.approvedBy}</strong> at {localTime(data.approvedAt)}
              </>
            )}
            .
          </p>
          <h3>Recipients{data.audience ? `, counted at ${localTime(data.audience.countedAt)}` : ''}</h3>
          <Audience review={data} />
          {data.freeTextVariables.length > 0 && (
            <p class="legend">
              <mark>Highlighted</mark>: free text the operator typed ({data.freeTextVariables.join(', ')}),
              reviewed by no one yet. <span class="placeholder">‹…›</span>: each passenger's own details.
            </p>
          )}
          {data.messages.sms && <ChannelTexts channel="sms" texts={data.messages.sms} />}
          {data.messages.x && <ChannelTexts channel="x" texts={data.messages.x} />}
          {data.messages.facebook && <ChannelTexts channel="facebook" texts={data.messages.facebook} />}
          {data.messages.status && <ChannelTexts channel="status" texts={data.messages.status} />}
        </>
      )}
    </Panel>
  );
}
