/**
 * The `herald` command line (contract.md, "Command line"). Every command talks to the API at
 * HERALD_API_URL with HERALD_API_KEY; errors are one readable line and an exit code, never a
 * stack trace.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { EVIDENCE_FORMATS, type EvidenceFormat } from '#shared/domain/evidence-format.ts';
import {
  BROADCAST_KINDS,
  CHANNELS,
  DELIVERY_STATUSES,
  INCIDENT_TYPES,
  SEVERITIES,
} from '#shared/domain/model.ts';
import { type ApiClient, createApiClient } from './api-client.ts';
import {
  type BroadcastSendOptions,
  broadcastApprove,
  broadcastCancel,
  broadcastSend,
  broadcastStatus,
} from './commands/broadcast.ts';
import { evidenceCommand } from './commands/evidence.ts';
import { importCommand } from './commands/import.ts';
import {
  type IncidentCreateOptions,
  incidentCreate,
  incidentList,
  incidentResolve,
  incidentShow,
} from './commands/incident.ts';
import {
  type DeliveriesOptions,
  deliveriesCommand,
  type PassengerOptions,
  passengerCommand,
} from './commands/lookup.ts';
import { type BroadcastRequestOptions, previewCommand } from './commands/preview.ts';
import { seedCommand } from './commands/seed.ts';
import { startCommand } from './commands/start.ts';
import {
  templatesCreate,
  templatesList,
  templatesReview,
  templatesShow,
  templatesUpdate,
} from './commands/templates.ts';
import { CliError, EXIT } from './errors.ts';
import type { OutputOptions } from './output.ts';
import { apiSettings } from './settings.ts';

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

/** "HEL,OSL ARN" → ["HEL", "OSL", "ARN"]; repeatable options add up. */
function list(value: string, previous: string[] = []): string[] {
  return [...previous, ...value.split(/[\s,]+/).filter(Boolean)];
}

function channelList(value: string, previous: string[] = []): string[] {
  const channels = list(value, previous);
  const unknown = channels.filter((channel) => !(CHANNELS as readonly string[]).includes(channel));
  if (unknown.length > 0)
    throw new InvalidArgumentError(`Unknown channel ${unknown.join(', ')}: use ${CHANNELS.join(', ')}.`);
  return channels;
}

/** `--var key=value`, repeatable. */
function variable(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const index = value.indexOf('=');
  if (index < 1) throw new InvalidArgumentError('Expected key=value.');
  return { ...previous, [value.slice(0, index)]: value.slice(index + 1) };
}

/** The API client, made when a command runs (so `--help` needs no key). */
const client = (): ApiClient => createApiClient(apiSettings());

/** Every API command's options with the program's `--json`. */
function outputOf<T extends OutputOptions = OutputOptions>(command: Command): T {
  return command.optsWithGlobals<T & Record<string, unknown>>();
}

/** The options a preview and a broadcast share. */
function withBroadcastOptions(command: Command): Command {
  return (
    command
      // Not commander's requiredOption: `broadcast status <id>` must not need it from its parent.
      .option('-t, --template <id>', 'approved template id (required)')
      .option('--template-version <n>', 'template version (default: the latest approved)', positiveInteger)
      .addOption(new Option('--kind <kind>', 'initial, update or resolution').choices(BROADCAST_KINDS))
      .option(
        '--channels <list>',
        `channels, comma-separated (default all: ${CHANNELS.join(',')})`,
        channelList,
      )
      .option('--var <key=value>', 'a template variable (repeatable)', variable)
  );
}

function program(): Command {
  const herald = new Command('herald')
    .description('Herald: one approved message to every affected passenger and every public channel.')
    .addHelpText(
      'after',
      '\nSettings: HERALD_API_URL (default http://127.0.0.1:3000), HERALD_API_KEY, HERALD_TIME_ZONE\n' +
        '(times are printed 24-hour in this IANA zone; default UTC).\n' +
        'Exit codes: 0 done; 1 some lines rejected, or a watched broadcast ended failed, partial or\n' +
        "cancelled; 2 the command failed (the API's problem title and detail are printed).",
    )
    .option('--json', "print the API's answer as JSON on stdout")
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

  const incident = herald.command('incident').description('open, list, show and resolve incidents');
  incident
    .command('create')
    .description('open an incident (operator); times without an offset are local time')
    .addOption(new Option('--type <type>').choices(INCIDENT_TYPES).makeOptionMandatory())
    .requiredOption('--title <text>', 'what happened, as the public will read it')
    .addOption(new Option('--severity <severity>').choices(SEVERITIES).makeOptionMandatory())
    .requiredOption('--start <time>', 'window start, e.g. 2026-11-23T06:00 or 2026-11-23T06:00:00+02:00')
    .requiredOption('--end <time>', 'window end (exclusive)')
    .option('--airports <list>', 'IATA airport codes, comma-separated', list)
    .option('--area <geojson>', 'a GeoJSON Polygon/MultiPolygon (or Feature): a file or the JSON itself')
    .option('--overflights', 'also flights crossing the area while in the air')
    .option('--flights <list>', 'flights as NUMBER@DATE, e.g. AY123@2026-11-23', list)
    .option('--carriers <list>', 'two-character carrier codes', list)
    .option(
      '--deadline-minutes <n>',
      "minutes after opening by which every passenger should be told (default: the airline's, 30)",
      positiveInteger,
    )
    .option('--exercise', 'a rehearsal: texts only the staff test numbers, posts nothing public')
    .action(async (_options, command: Command) => {
      await incidentCreate(client(), outputOf<IncidentCreateOptions>(command));
    });
  incident
    .command('list')
    .description('incidents, newest first')
    .action(async (_options, command: Command) => {
      await incidentList(client(), outputOf(command));
    });
  incident
    .command('show <id>')
    .description('an incident and its broadcasts with their counts')
    .action(async (id: string, _options, command: Command) => {
      await incidentShow(client(), id, outputOf(command));
    });
  incident
    .command('resolve <id>')
    .description('mark an incident resolved (operator)')
    .action(async (id: string, _options, command: Command) => {
      await incidentResolve(client(), id, outputOf(command));
    });

  withBroadcastOptions(
    herald
      .command('preview <incidentId>')
      .description('who a broadcast would reach and what each channel would say; sends nothing'),
  ).action(async (incidentId: string, _options, command: Command) => {
    await previewCommand(client(), incidentId, outputOf<BroadcastRequestOptions & OutputOptions>(command));
  });

  const broadcast = withBroadcastOptions(
    herald
      .command('broadcast')
      .argument('<incidentId>')
      .description('send a broadcast (operator); or: broadcast status|cancel|approve <id>'),
  )
    .option('--watch', 'follow it to the end with a progress bar per channel (stderr)')
    .option('--idempotency-key <key>', 'the same key returns the same broadcast')
    .action(async (incidentId: string, _options, command: Command) => {
      process.exitCode = await broadcastSend(client(), incidentId, outputOf<BroadcastSendOptions>(command));
    });
  broadcast
    .command('status <id>')
    .description("a broadcast's status and counts per channel")
    .option('--watch', 'follow it to the end with a progress bar per channel (stderr)')
    .action(async (id: string, _options, command: Command) => {
      process.exitCode = await broadcastStatus(client(), id, outputOf(command));
    });
  broadcast
    .command('cancel <id>')
    .description('stop sending (operator); what was sent stays sent')
    .action(async (id: string, _options, command: Command) => {
      await broadcastCancel(client(), id, outputOf(command));
    });
  broadcast
    .command('approve <id>')
    .description('release a broadcast waiting for approval (comms lead, not its requester)')
    .action(async (id: string, _options, command: Command) => {
      await broadcastApprove(client(), id, outputOf(command));
    });

  herald
    .command('evidence <incidentId>')
    .description(
      'what every broadcast of the incident sent to each passenger and channel, and when, on stdout (operator, comms lead)',
    )
    .addOption(new Option('--format <format>', 'csv or ndjson').choices(EVIDENCE_FORMATS).default('csv'))
    .action(async (incidentId: string, options: { format: EvidenceFormat }) => {
      await evidenceCommand(client(), incidentId, options.format);
    });

  herald
    .command('deliveries <broadcastId>')
    .description(
      "a broadcast's delivery records, each problem with its code and reason (operator, comms lead)",
    )
    .addOption(new Option('--status <status>', 'only records in this status').choices(DELIVERY_STATUSES))
    .addOption(new Option('--channel <channel>', 'only records on this channel').choices(CHANNELS))
    .action(async (broadcastId: string, _options, command: Command) => {
      await deliveriesCommand(client(), broadcastId, outputOf<DeliveriesOptions>(command));
    });
  herald
    .command('passenger [bookingRef]')
    .description('every SMS Herald sent a passenger, with its problem if any (operator, comms lead)')
    .option('--phone <number>', 'the passenger by phone number, e.g. +358401234567')
    .option('--customer <id>', 'the passenger by customer id')
    .action(async (bookingRef: string | undefined, _options, command: Command) => {
      await passengerCommand(client(), bookingRef, outputOf<PassengerOptions>(command));
    });

  const templates = herald.command('templates').description('message templates and their review');
  templates
    .command('list')
    .description('every template with the status of its latest version')
    .action(async (_options, command: Command) => {
      await templatesList(client(), outputOf(command));
    });
  templates
    .command('show <id>')
    .description("a template's versions, newest first; --version picks one")
    .option('--version <n>', 'one version (with --json: ready to edit and update)', positiveInteger)
    .action(async (id: string, _options, command: Command) => {
      await templatesShow(client(), id, outputOf(command));
    });
  templates
    .command('create')
    .description('a new template from a JSON file { id, name, content, ... } (comms lead)')
    .requiredOption('--file <file>', 'the template as JSON')
    .action(async (_options, command: Command) => {
      await templatesCreate(client(), outputOf<OutputOptions & { file: string }>(command));
    });
  templates
    .command('update <id>')
    .description('a new draft version from a JSON file { content, ... } (comms lead)')
    .requiredOption('--file <file>', 'the version as JSON')
    .action(async (id: string, _options, command: Command) => {
      await templatesUpdate(client(), id, outputOf<OutputOptions & { file: string }>(command));
    });
  const reviewDescriptions = {
    submit: 'submit a draft for review; its rules are checked (422 lists what fails)',
    approve: 'approve a submitted version (comms lead; not its author)',
    reject: 'reject a submitted version with a reason (comms lead)',
  } as const;
  for (const action of ['submit', 'approve', 'reject'] as const) {
    const review = templates
      .command(`${action} <id> [version]`)
      .description(`${reviewDescriptions[action]}; default the latest version`);
    if (action === 'reject') review.requiredOption('--reason <text>', 'why, for the author');
    review.action(async (id: string, version: string | undefined, _options, command: Command) => {
      await templatesReview(
        client(),
        action,
        id,
        version === undefined ? undefined : positiveInteger(version),
        outputOf(command),
      );
    });
  }

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
