/** What the CLI reports to its user and how it exits: one line, never a stack trace. */
import type { FieldError } from '#shared/domain/errors.ts';

/**
 * Exit codes: 0 all done; 1 some lines rejected, or a watched broadcast ended failed, partial or
 * cancelled; 2 the command itself failed (API, network, usage).
 */
export const EXIT = { ok: 0, rejected: 1, notCompleted: 1, failed: 2 } as const;

/** A failure the user can act on; its message is printed as is. */
export class CliError extends Error {
  override readonly name: string = 'CliError';
}

/** The API answered with an error: its problem+json title and detail are the message. */
export class ApiError extends CliError {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors: FieldError[] = [],
  ) {
    super(
      [
        `${title} (${status})${detail ? `: ${detail}` : ''}`,
        ...errors.map((field) => `  ${field.path}: ${field.message}`),
      ].join('\n'),
    );
  }
}
