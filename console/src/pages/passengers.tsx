/**
 * Passenger search: a booking reference, phone number or customer id → every SMS Herald sent that
 * passenger across incidents, with each problem's code and reason (GET /passengers, all pages).
 */
import { useState } from 'preact/hooks';
import { allPages } from '#shared/api/pages.ts';
import type { PassengerLookup, PassengerMessage, PassengerSummary } from '#shared/api/passengers.ts';
import { api, seg } from '../api.ts';
import {
  Badge,
  ColumnHeads,
  go,
  Loading,
  localTime,
  Panel,
  ProblemBox,
  plural,
  TableScroll,
  useLoad,
} from '../ui.tsx';

const SEARCH_BY = {
  bookingRef: { label: 'Booking reference', example: 'DEMO43' },
  phone: { label: 'Phone number', example: '+358401234567' },
  customerId: { label: 'Customer id', example: 'C1' },
} as const;
export type SearchBy = keyof typeof SEARCH_BY;

export const isSearchBy = (value: string | undefined): value is SearchBy =>
  value !== undefined && Object.hasOwn(SEARCH_BY, value);

/** Every page of the lookup: its passengers, and the messages of every incident. */
async function lookUp(
  by: SearchBy,
  value: string,
): Promise<{ passengers: PassengerSummary[]; items: PassengerMessage[] }> {
  let passengers: PassengerSummary[] = [];
  const items = await allPages(`/passengers?${new URLSearchParams({ [by]: value })}`, async (path) => {
    const page = await api<PassengerLookup>('GET', path);
    passengers = page.passengers;
    return page;
  });
  return { passengers, items };
}

function SearchForm({ by, value }: { by: SearchBy; value: string }) {
  const [field, setField] = useState<SearchBy>(by);
  const [text, setText] = useState(value);
  return (
    <search aria-label="Passengers">
      <form
        class="row"
        onSubmit={(event) => {
          event.preventDefault();
          if (text.trim()) go(`/passengers/${field}/${seg(text.trim())}`);
        }}
      >
        <div>
          <label for="search-by">Search by</label>
          <select
            id="search-by"
            value={field}
            onChange={(event) => setField(event.currentTarget.value as SearchBy)}
          >
            {Object.entries(SEARCH_BY).map(([key, { label }]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label for="search-value">{SEARCH_BY[field].label}</label>
          <input
            id="search-value"
            type="search"
            value={text}
            placeholder={SEARCH_BY[field].example}
            autoComplete="off"
            onInput={(event) => setText(event.currentTarget.value)}
          />
        </div>
        <button type="submit">Search</button>
      </form>
    </search>
  );
}

function PassengerTable({ passengers }: { passengers: PassengerSummary[] }) {
  return (
    <TableScroll label="Passengers found">
      <table>
        <ColumnHeads names={['Customer', 'Phone', 'Language', 'SMS consent', 'Opted out']} />
        <tbody>
          {passengers.map((passenger) => (
            <tr key={passenger.customerId}>
              <td>{passenger.customerId}</td>
              <td>{passenger.phone}</td>
              <td>{passenger.language}</td>
              <td>{passenger.smsConsent ? 'yes' : 'no'}</td>
              <td>{passenger.optedOut ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

/** One card per message, so the status and the reason read on a phone without scrolling sideways. */
function MessageList({ messages }: { messages: PassengerMessage[] }) {
  if (messages.length === 0) return <p>Herald has sent them no SMS.</p>;
  return (
    <ul class="plain-list" aria-label="Messages, newest incident first">
      {messages.map((message) => (
        <li key={`${message.broadcastId}#${message.customerId}`}>
          <h3>
            <a href={`#/incidents/${seg(message.incidentId)}`}>{message.incidentTitle}</a>
          </h3>
          <dl class="facts">
            <dt>Broadcast</dt>
            <dd>
              <a href={`#/broadcasts/${seg(message.broadcastId)}`}>
                {message.kind}, {localTime(message.queuedAt)}
              </a>
            </dd>
            <dt>To</dt>
            <dd>
              {message.customerId} ({message.phone})
            </dd>
            <dt>About</dt>
            <dd>
              {message.bookingRef ?? '–'}
              {message.flightNumber ? `, ${message.flightNumber} on ${message.flightDate ?? ''}` : ''}
            </dd>
            <dt>Status</dt>
            <dd>
              <Badge value={message.status} /> {localTime(message.updatedAt)},{' '}
              {plural(message.attempts, 'attempt')}
            </dd>
            {message.errorCode && (
              <>
                <dt>Problem</dt>
                <dd>
                  <code>{message.errorCode}</code> {message.reason}
                </dd>
              </>
            )}
          </dl>
        </li>
      ))}
    </ul>
  );
}

function Results({ by, value }: { by: SearchBy; value: string }) {
  const found = useLoad(() => lookUp(by, value), [by, value]);
  if (found.error) return <ProblemBox error={found.error} />;
  if (!found.data) return <Loading what="the passenger’s messages" />;
  return (
    <>
      <Panel title="Passengers" id="passengers-heading">
        <PassengerTable passengers={found.data.passengers} />
      </Panel>
      <Panel title="Messages" id="messages-heading">
        <MessageList messages={found.data.items} />
      </Panel>
    </>
  );
}

/** `#/passengers` (the search box), `#/passengers/<by>/<value>` (its answer). */
export function PassengersPage({ by, value }: { by?: SearchBy; value?: string }) {
  return (
    <>
      <h1>Passengers</h1>
      <p>Find every SMS Herald sent a passenger, and why one did not arrive.</p>
      <SearchForm key={`${by}/${value}`} by={by ?? 'bookingRef'} value={value ?? ''} />
      {by && value && <Results by={by} value={value} />}
    </>
  );
}
