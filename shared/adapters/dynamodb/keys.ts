/** Key formats shared by the DynamoDB adapters, so a key is spelled in one place. */
import type { FlightRef } from '#shared/domain/model.ts';

export const flightKey = (ref: FlightRef): string => `${ref.flightNumber}#${ref.date}`;

/** Sorts lexically in time order: every stored instant is normalised to UTC "Z" form first. */
export const utc = (iso: string): string => new Date(iso).toISOString();
