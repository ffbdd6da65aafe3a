/** A function whose module throws while it loads, as one with a missing setting does. */
throw new Error('FLIGHTS_TABLE is not set');

export const handler = async () => 'never';
