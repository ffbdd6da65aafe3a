/** Schedule arithmetic shared by the demo and the synthetic airline: block times from real distances. */
import { findAirport } from '#shared/domain/airports.ts';

const CRUISE_KMH = 780;
const TAXI_MINUTES = 25;
const EARTH_RADIUS_KM = 6371;

/** Great-circle distance between two airports, in km (haversine). */
export function distanceKm(from: string, to: string): number {
  const a = findAirport(from);
  const b = findAirport(to);
  if (!a || !b) throw new Error(`Unknown airport ${from} or ${to}`);
  const rad = Math.PI / 180;
  const h =
    Math.sin(((b.latitude - a.latitude) * rad) / 2) ** 2 +
    Math.cos(a.latitude * rad) *
      Math.cos(b.latitude * rad) *
      Math.sin(((b.longitude - a.longitude) * rad) / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.sqrt(h));
}

/** Gate-to-gate minutes: the great circle at a jet's cruise speed plus taxiing. */
export function blockMinutes(from: string, to: string): number {
  return Math.round((distanceKm(from, to) / CRUISE_KMH) * 60) + TAXI_MINUTES;
}

/** The date `days` after a YYYY-MM-DD date. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** An instant in the contract's form: ISO 8601 with an explicit +00:00 offset. */
export function isoUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}
