import { syntheticAirline } from '#infra/local/seed/synthetic-airline.ts';
Object.assign(process.env, { AWS_REGION: 'eu-north-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_ENDPOINT_URL_DYNAMODB: process.argv[2],
  FLIGHTS_TABLE: 'herald-flights', CUSTOMERS_TABLE: 'herald-customers', BOOKINGS_TABLE: 'herald-bookings', HERALD_TABLE: 'herald-main', DELIVERIES_TABLE: 'herald-deliveries' });
const { DynamoBookingIndex } = await import('#shared/adapters/dynamodb/booking-index.ts');
const { queryPages } = await import('#shared/adapters/dynamodb/paginate.ts');
const a = syntheticAirline({ customers: 2000, seed: 99, startDate: '2026-11-23' });
const bookings = [...a.bookings()].slice(0, 500);
const idx = new DynamoBookingIndex();
let t = performance.now();
await idx.putSegments(bookings.flatMap(b => b.segments.flatMap(s => b.passengers.map(c => ({ bookingRef: b.bookingRef, customerId: c, ...s })))));
console.log('put', performance.now() - t); t = performance.now();
await Promise.all(bookings.slice(0,100).map(async b => { for await (const _ of queryPages({ TableName: 'herald-bookings', KeyConditionExpression: 'bookingRef = :r', ExpressionAttributeValues: { ':r': b.bookingRef } })) {} }));
console.log('100 queries', performance.now() - t); t = performance.now();
await idx.replaceBookings(bookings);
console.log('replace 500', performance.now() - t);
