/**
 * The structured JSON logger every handler and adapter uses. Log lines carry ids, statuses and
 * counts; no line names a phone number or a person (customers appear by id only).
 */
import { Logger } from '@aws-lambda-powertools/logger';

export const logger = new Logger({ serviceName: 'herald' });
