/**
 * The `herald` command line (contract.md, "Command line"). Every command talks to the API at
 * HERALD_API_URL with HERALD_API_KEY; errors are one readable line and an exit code, never a
 * stack trace.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { importCommand } from './commands/import.ts';
import { seedCommand } from './commands/seed.ts';
import { startCommand } from './commands/start.ts';
import { CliError, EXIT } from './errors.ts';

function positiveInteger(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('Expected a whole number ≥ 1.');
  return number;
}

function integer(value: string): number {
  const number = Number(value);
  if (!Number.isSafeInteger(number)) throw new InvalidArgumentError('Expected a whole number.');
  return number;
}

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw new InvalidArgumentError('Expected a date as YYYY-MM-DD.');
  return value;
}

function program(): Command {
  const herald = new Command('herald')
    .description('Herald: one approved message to every affected passenger and every public channel.')
    .addHelpText(
      'after',
      '\nSettings: HERALD_API_URL (default http://127.0.0.1:3000), HERALD_API_KEY.\n' +
        'Exit codes: 0 done, 1 some lines rejected, 2 the command failed.',
    )
    .exitOverride()
    .showHelpAfterError();

  herald
    .command('start')
    .description('run Herald locally (DynamoDB Local, bus, sandboxes, API), as npm start does')
    .action(async () => {
      await startCommand();
    });

  herald
    .command('import')
    .description('import NDJSON files (admin): flights, then customers, then bookings')
    .option('--flights <file>', 'flights, one JSON object a line')
    .option('--customers <file>', 'customers, one JSON object a line')
    .option('--bookings <file>', 'bookings, one JSON object a line')
    .action(async (options: { flights?: string; customers?: string; bookings?: string }) => {
      process.exitCode = await importCommand(options);
    });

  herald
    .command('seed')
    .description('generate a synthetic airline of N customers and import it (admin)')
    .requiredOption(
      '--customers <n>',
      'how many customers (bookings are about 1.1 per customer)',
      positiveInteger,
    )
    .option('--seed <s>', 'same seed, same airline', integer, 1)
    .option(
      '--start-date <date>',
      'first day of the 7-day schedule, YYYY-MM-DD',
      isoDate,
      new Date().toISOString().slice(0, 10),
    )
    .action(async (options: { customers: number; seed: number; startDate: string }) => {
      process.exitCode = await seedCommand(options);
    });

  return herald;
}

try {
  await program().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0; a usage error is a failed command, not rejected lines.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.failed;
  } else {
    const message = error instanceof CliError || error instanceof Error ? error.message : String(error);
    console.error(`herald: ${message}`);
    process.exitCode = EXIT.failed;
  }
}
