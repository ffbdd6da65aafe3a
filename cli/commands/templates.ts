import { readFile } from 'node:fs/promises';
import type { ApiClient } from '#cli/api-client.ts';
import { CliError } from '#cli/errors.ts';
import { type OutputOptions, print, table, time } from '#cli/output.ts';
import type { VersionRef } from '#shared/api/templates.ts';
import type { TemplateDetail, TemplateSummary, TemplateVersion } from '#shared/domain/model.ts';

const templatePath = (id: string) => `/templates/${encodeURIComponent(id)}`;

async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new CliError(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
  });
  try {
    return JSON.parse(text);
  } catch {
    throw new CliError(`${file} is not valid JSON.`);
  }
}

/** The version named, or the latest when none is. */
async function versionOf(client: ApiClient, id: string, version: number | undefined): Promise<number> {
  if (version !== undefined) return version;
  return (await client.get<TemplateDetail>(templatePath(id))).latestVersion;
}

/** `herald templates list`. */
export async function templatesList(client: ApiClient, options: OutputOptions): Promise<void> {
  const items = await client.list<TemplateSummary>('/templates');
  print(options, items, () =>
    table(
      ['id', 'latest', 'status', 'approved', 'updated', 'name'],
      items.map((template) => [
        template.id,
        `v${template.latestVersion}`,
        template.status,
        template.approvedVersion ? `v${template.approvedVersion}` : '-',
        time(template.updatedAt),
        template.name,
      ]),
    ),
  );
}

function versionLines(version: TemplateVersion): string[] {
  const lines = [
    `${version.id} v${version.version} (${version.status}) "${version.name}" by ${version.createdBy} at ${time(version.createdAt)}`,
  ];
  if (version.approvedBy)
    lines.push(
      `  approved by ${version.approvedBy}${version.approvedAt ? ` at ${time(version.approvedAt)}` : ''}`,
    );
  if (version.rejectedBy) lines.push(`  rejected by ${version.rejectedBy}: ${version.rejectionReason ?? ''}`);
  for (const [language, content] of Object.entries(version.content)) {
    if (!content) continue;
    lines.push(`  [${language}]`);
    for (const [field, text] of Object.entries(content)) lines.push(`    ${field}: ${text}`);
  }
  return lines;
}

/**
 * `herald templates show <id> [--version n]`: every version, or one; `--json` with a version
 * prints that version alone, ready to edit and send back with `templates update`.
 */
export async function templatesShow(
  client: ApiClient,
  id: string,
  options: OutputOptions & { version?: number },
): Promise<void> {
  const detail = await client.get<TemplateDetail>(templatePath(id));
  if (options.version !== undefined) {
    const version = detail.versions.find((candidate) => candidate.version === options.version);
    if (!version) throw new CliError(`Template ${id} has no version ${options.version}.`);
    print(options, version, () => versionLines(version));
    return;
  }
  print(options, detail, () => [
    `${detail.id}: ${detail.name} (latest v${detail.latestVersion}, approved ${detail.approvedVersion ? `v${detail.approvedVersion}` : 'none'})`,
    ...detail.versions.flatMap(versionLines),
  ]);
}

/** `herald templates create --file F`: a new template, draft version 1. */
export async function templatesCreate(
  client: ApiClient,
  options: OutputOptions & { file: string },
): Promise<void> {
  const created = await client.post<VersionRef>('/templates', await readJson(options.file));
  print(options, created, () => `Template ${created.id} v${created.version} saved as ${created.status}.`);
}

/** `herald templates update <id> --file F`: a new draft version (settings left out are kept). */
export async function templatesUpdate(
  client: ApiClient,
  id: string,
  options: OutputOptions & { file: string },
): Promise<void> {
  const created = await client.put<VersionRef>(templatePath(id), await readJson(options.file));
  print(options, created, () => `Template ${created.id} v${created.version} saved as ${created.status}.`);
}

/** `herald templates submit|approve|reject <id> [version]`: moves a version on (default the latest). */
export async function templatesReview(
  client: ApiClient,
  action: 'submit' | 'approve' | 'reject',
  id: string,
  version: number | undefined,
  options: OutputOptions & { reason?: string },
): Promise<void> {
  if (action === 'reject' && !options.reason) throw new CliError('Say why: --reason "..."');
  const number = await versionOf(client, id, version);
  const result = await client.post<VersionRef>(
    `${templatePath(id)}/versions/${number}/${action}`,
    action === 'reject' ? { reason: options.reason } : {},
  );
  print(options, result, () => `Template ${result.id} v${result.version} is now ${result.status}.`);
}
