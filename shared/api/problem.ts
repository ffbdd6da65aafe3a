import type { FieldError } from '#shared/domain/errors.ts';

/**
 * Every error the API answers, as RFC 9457 problem+json: shared/http/problem.ts builds it, the
 * console and the CLI show its title, detail and, for a 422, each field at fault.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: FieldError[];
}
