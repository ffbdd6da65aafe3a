import { mockClient } from 'aws-sdk-client-mock';
import { afterAll } from 'vitest';

/**
 * aws-sdk-client-mock's `mockClient` for one test file, taken off after its tests. It stubs `send`
 * on the client class's prototype, and the unit files of a worker share one module cache (the unit
 * project runs with `isolate: false`), so a stub left in place would answer for every later file's
 * real clients of that class (`test/unit/aws-endpoint.test.ts`, `consumed-capacity.test.ts`).
 */
export const mockClientForFile: typeof mockClient = (client, options) => {
  const stub = mockClient(client, options);
  afterAll(() => stub.restore());
  return stub;
};
