import { demoAirline } from './demo-airline.ts';
import { demoTemplates } from './demo-templates.ts';
import { loadAirline } from './load.ts';

/** Loads the demo airline for today and tomorrow (UTC), with `customers` customers, and its approved templates. */
export async function seedDemo(now: Date, customers?: number): Promise<void> {
  await loadAirline(demoAirline(now.toISOString().slice(0, 10), customers), demoTemplates(now.toISOString()));
}
