/**
 * The customer directory as the SMS worker, the deliveries listing and the evidence export read
 * it: an exercise's staff test numbers (recipient ids `exercise-<n>`) answer as customers built
 * from the configured list, every other id is the airline's customer.
 */
import { exerciseConfig } from '#shared/config.ts';
import { isTestRecipient, testRecipient } from '#shared/domain/exercise.ts';
import type { Customer } from '#shared/domain/model.ts';
import type { CustomerDirectory } from '#shared/ports/stores.ts';
import { DynamoCustomerDirectory } from './dynamodb/customer-directory.ts';

export class ExerciseRecipientDirectory implements CustomerDirectory {
  constructor(
    private readonly customers: CustomerDirectory,
    private readonly testNumbers: readonly string[],
  ) {}

  async getMany(customerIds: string[]): Promise<Customer[]> {
    const tests = customerIds.flatMap((id) => testRecipient(id, this.testNumbers) ?? []);
    const others = customerIds.filter((id) => !isTestRecipient(id));
    return [...(others.length > 0 ? await this.customers.getMany(others) : []), ...tests];
  }

  put(customer: Customer): Promise<void> {
    return this.customers.put(customer);
  }

  /** A test number is staff's, not a customer's: a provider's "unsubscribed" for it changes no customer. */
  async setOptedOut(customerId: string, optedOut: boolean): Promise<void> {
    if (!isTestRecipient(customerId)) await this.customers.setOptedOut(customerId, optedOut);
  }

  findByPhone(phone: string): Promise<Customer[]> {
    return this.customers.findByPhone(phone);
  }
}

/** The customers table with the test numbers of `HERALD_EXERCISE_NUMBERS`: what the SMS's readers use. */
export function smsRecipientDirectory(): ExerciseRecipientDirectory {
  return new ExerciseRecipientDirectory(new DynamoCustomerDirectory(), exerciseConfig().testNumbers);
}
