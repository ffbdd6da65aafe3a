import { z } from 'zod';
import { DynamoBookingIndex } from '#shared/adapters/dynamodb/booking-index.ts';
import { DynamoBroadcastStore } from '#shared/adapters/dynamodb/broadcast-store.ts';
import { DynamoCustomerDirectory } from '#shared/adapters/dynamodb/customer-directory.ts';
import { DynamoIncidentStore } from '#shared/adapters/dynamodb/incident-store.ts';
import { DynamoSmsRecords } from '#shared/adapters/dynamodb/sms-records.ts';
import { LIST_PAGE_SIZE, MAX_ID_LENGTH } from '#shared/domain/limits.ts';
import { apiHandler } from '#shared/http/api-handler.ts';
import { pageQuery } from '#shared/http/page-query.ts';
import { lookupPassenger } from '#shared/use-cases/lookup-passenger.ts';

const deps = {
  customers: new DynamoCustomerDirectory(),
  bookings: new DynamoBookingIndex(),
  incidents: new DynamoIncidentStore(),
  broadcasts: new DynamoBroadcastStore(),
  smsRecords: new DynamoSmsRecords(),
};

/** The longest phone number a customer import takes (import-formats.ts). */
const MAX_PHONE_LENGTH = 32;

/** `limit`: how many incidents a page covers, newest first. */
const PassengersQuery = pageQuery(LIST_PAGE_SIZE).extend({
  bookingRef: z.string().max(MAX_ID_LENGTH).optional(),
  phone: z.string().max(MAX_PHONE_LENGTH).optional(),
  customerId: z.string().max(MAX_ID_LENGTH).optional(),
});

/**
 * GET /passengers?bookingRef=|phone=|customerId=&limit=&next=: every SMS Herald sent the
 * passenger, a page of incidents at a time, with each problem's code and reason.
 */
export const handler = apiHandler(async ({ query }) => ({
  status: 200,
  body: await lookupPassenger(PassengersQuery.parse(query), deps),
}));
