import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import type { Preview } from '#shared/api/broadcasts.ts';
import type { Broadcast, Incident, TemplateVersion } from '#shared/domain/model.ts';
import { type CliRun, runHeraldAs } from '#test/support/herald-cli.ts';
import { startTestStack } from '#test/support/local-stack.ts';

/**
 * The operator's and the comms leads' flows through the real `herald` executable, as a script
 * would run them: `--json` on stdout, progress on stderr, exit codes that say how it ended.
 */
describe('herald CLI: incidents, previews, broadcasts and templates', () => {
  let stack: LocalStack;
  let dir: string;

  beforeAll(async () => {
    stack = await startTestStack();
    dir = await mkdtemp(join(tmpdir(), 'herald-cli-'));
  });
  afterAll(async () => {
    await stack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs `herald` as the demo user `user`. */
  const herald = (user: string, args: string[]) => runHeraldAs(stack, user, args);
  const json = <T>(run: CliRun): T => {
    expect(run, run.stderr).toMatchObject({ code: 0 });
    return JSON.parse(run.stdout) as T;
  };
  const today = new Date().toISOString().slice(0, 10);
  /** `herald incident create` with these options (`--name value` each), over today unless they say. */
  const incidentCreate = (options: Record<string, string>) => [
    'incident',
    'create',
    ...Object.entries({
      start: `${today}T00:00:00+00:00`,
      end: `${today}T23:59:59+00:00`,
      ...options,
    }).flatMap(([name, value]) => [`--${name}`, value]),
  ];

  it('operator: create, list, preview, broadcast --watch to completion (exit 0), show and resolve', async () => {
    const incident = json<Incident>(
      await herald('olli.operator', [
        '--json',
        ...incidentCreate({
          type: 'strike',
          title: 'Ground handling strike at Oslo',
          severity: 'severe',
          airports: 'osl',
        }),
      ]),
    );
    expect(incident).toMatchObject({ status: 'open', scope: { airports: ['OSL'] } });

    const listed = json<Incident[]>(await herald('olli.operator', ['--json', 'incident', 'list']));
    expect(listed.map((item) => item.id)).toContain(incident.id);

    const preview = json<Preview>(
      await herald('olli.operator', ['preview', incident.id, '--template', 'strike-disruption', '--json']),
    );
    expect(preview.recipients.sms).toBeGreaterThan(0);
    expect(preview.messages.sms?.fi).toMatchObject({ encoding: 'GSM-7', segments: 1 });

    const text = await herald('olli.operator', ['preview', incident.id, '-t', 'strike-disruption']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${preview.recipients.sms} SMS recipients`);

    const watched = await herald('olli.operator', [
      'broadcast',
      incident.id,
      '--template',
      'strike-disruption',
      '--watch',
      '--json',
    ]);
    expect(watched.code, watched.stderr).toBe(0);
    const ended = JSON.parse(watched.stdout) as Broadcast;
    expect(ended.status).toBe('completed');
    expect(ended.counts.sms?.delivered).toBe(preview.recipients.sms);
    // Progress lines go to stderr (a bar per channel on a terminal), never into the JSON.
    expect(watched.stderr).toMatch(/completed: sms \d+\/\d+/);

    const status = json<Broadcast>(await herald('vera.viewer', ['broadcast', 'status', ended.id, '--json']));
    expect(status).toMatchObject({ id: ended.id, status: 'completed' });

    const shown = json<Incident & { broadcasts: Broadcast[] }>(
      await herald('vera.viewer', ['incident', 'show', incident.id, '--json']),
    );
    expect(shown.broadcasts.map((broadcast) => broadcast.id)).toEqual([ended.id]);

    // The first message's words on X again are refused as a duplicate: the watch ends non-zero.
    const repeated = await herald('olli.operator', [
      'broadcast',
      incident.id,
      '-t',
      'strike-disruption',
      '--kind',
      'initial',
      '--channels',
      'x',
      '--watch',
    ]);
    expect(repeated.code, repeated.stdout + repeated.stderr).toBe(1);
    expect(repeated.stdout).toMatch(/: (partial|failed) \(initial/);

    const resolved = json<Incident>(
      await herald('olli.operator', ['incident', 'resolve', incident.id, '--json']),
    );
    expect(resolved.status).toBe('resolved');
  }, 120_000);

  it('explains errors with the problem title and detail, exit 2 and no stack trace', async () => {
    const unknown = await herald('olli.operator', ['preview', 'no-such-incident', '-t', 'strike-disruption']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^herald: Not found \(404\): Incident 'no-such-incident' does not exist/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);

    const forbidden = await herald(
      'vera.viewer',
      incidentCreate({
        type: 'strike',
        title: 'x',
        severity: 'minor',
        start: `${today}T00:00`,
        end: `${today}T01:00`,
        airports: 'HEL',
      }),
    );
    expect(forbidden.code).toBe(2);
    expect(forbidden.stderr).toContain('Forbidden (403)');

    const badTime = await herald(
      'olli.operator',
      incidentCreate({
        type: 'strike',
        title: 'x',
        severity: 'minor',
        start: 'tomorrow',
        end: `${today}T01:00`,
      }),
    );
    expect(badTime).toMatchObject({ code: 2 });
    expect(badTime.stderr).toContain('--start: expected a time like');
  });

  it('comms leads: update a template from its JSON, submit (422 listed), approve as the other lead', async () => {
    const v1 = json<TemplateVersion>(
      await herald('cecilia.comms', ['templates', 'show', 'strike-disruption', '--version', '1', '--json']),
    );
    const broken = {
      ...v1,
      content: { ...v1.content, en: { ...v1.content.en, social: 'Hi {{customer.firstName}}' } },
    };
    await writeFile(join(dir, 'broken.json'), JSON.stringify(broken));
    const draft = json<{ version: number; status: string }>(
      await herald('cecilia.comms', [
        'templates',
        'update',
        'strike-disruption',
        '--file',
        join(dir, 'broken.json'),
        '--json',
      ]),
    );
    expect(draft.status).toBe('draft');
    const refused = await herald('cecilia.comms', [
      'templates',
      'submit',
      'strike-disruption',
      String(draft.version),
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('(422)');
    expect(refused.stderr).toMatch(/content\.en\.social: Personal variable/);

    const fixed = {
      ...v1,
      content: { ...v1.content, en: { ...v1.content.en, social: `${v1.content.en?.social} Sorry.` } },
    };
    await writeFile(join(dir, 'fixed.json'), JSON.stringify(fixed));
    const next = json<{ version: number }>(
      await herald('cecilia.comms', [
        'templates',
        'update',
        'strike-disruption',
        '--file',
        join(dir, 'fixed.json'),
        '--json',
      ]),
    );
    // Without a version number: the latest.
    expect(
      json<{ status: string }>(
        await herald('cecilia.comms', ['templates', 'submit', 'strike-disruption', '--json']),
      ),
    ).toMatchObject({ status: 'submitted' });

    const own = await herald('cecilia.comms', [
      'templates',
      'approve',
      'strike-disruption',
      String(next.version),
    ]);
    expect(own.code).toBe(2);
    expect(own.stderr).toContain('(409)');
    const approved = json<{ status: string; version: number }>(
      await herald('kalle.comms', [
        'templates',
        'approve',
        'strike-disruption',
        String(next.version),
        '--json',
      ]),
    );
    expect(approved).toMatchObject({ status: 'approved', version: next.version });

    const listed = await herald('vera.viewer', ['templates', 'list']);
    expect(listed.stdout).toMatch(
      new RegExp(`strike-disruption\\s+v${next.version}\\s+approved\\s+v${next.version}`),
    );
    // Nine runs of the herald executable, each starting Node and tsx (about 3 s on this machine).
  }, 90_000);

  it('a free-text broadcast waits for approval; broadcast approve releases it and cancel refuses an ended one', async () => {
    const incident = json<Incident>(
      await herald('olli.operator', [
        '--json',
        ...incidentCreate({
          type: 'weather',
          title: 'Storm over Copenhagen',
          severity: 'moderate',
          airports: 'CPH',
        }),
      ]),
    );
    const pending = json<{ id: string; status: string }>(
      await herald('olli.operator', [
        'broadcast',
        incident.id,
        '-t',
        'strike-disruption',
        '--channels',
        'status',
        '--var',
        'note=Buses replace flights.',
        '--json',
      ]),
    );
    expect(pending.status).toBe('pending_approval');
    expect(
      json<{ status: string }>(await herald('kalle.comms', ['broadcast', 'approve', pending.id, '--json'])),
    ).toMatchObject({
      status: 'queued',
    });
    const watched = await herald('olli.operator', ['broadcast', 'status', pending.id, '--watch']);
    expect(watched.code, watched.stderr).toBe(0);
    expect(watched.stdout).toContain('completed');

    const cancel = await herald('olli.operator', ['broadcast', 'cancel', pending.id]);
    expect(cancel.code).toBe(2);
    expect(cancel.stderr).toContain('(409)');
  }, 60_000);
});
