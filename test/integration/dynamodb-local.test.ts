import { afterEach, describe, expect, it } from 'vitest';
import { JavaMissingError, startDynamoDbLocal } from '#infra/local/dynamodb-local.ts';

describe('startDynamoDbLocal', () => {
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
  });

  it('says clearly that Java is needed when it is not on the PATH', async () => {
    process.env.PATH = '/nonexistent';
    const started = startDynamoDbLocal({ port: 0 });
    await expect(started).rejects.toBeInstanceOf(JavaMissingError);
    await expect(started).rejects.toThrow(/needs Java 17 or newer.*not found on the PATH/);
  });
});
