/**
 * The console flows' whole local stack and headless Chromium, started once per vitest worker and
 * shared by every console file that worker runs (the console project runs with `isolate: false`,
 * so its files share the worker's modules; vitest closes both when the worker ends). Each file
 * started its own before, about a fifth of the project's time for nine files.
 *
 * A flow on the shared stack leaves no trace another depends on and depends on none: its
 * incidents have titles of their own (`uniqueTitle`), it counts the SMS it sent rather than the
 * sandbox's total (`messagesFromNow`), and it puts back any sandbox setting it changes.
 */
import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { test } from 'vitest';
import type { LocalStack } from '#infra/local/stack.ts';
import { launchBrowser } from './browser.ts';
import { type SandboxMessage, sandboxMessages, startTestStack } from './local-stack.ts';

// vitest reads what a fixture depends on from its first parameter's pattern: these depend on none.
export const consoleTest = test
  // biome-ignore lint/correctness/noEmptyPattern: see above
  .extend('stack', { scope: 'worker' }, async ({}, { onCleanup }): Promise<LocalStack> => {
    const stack = await startTestStack();
    onCleanup(() => stack.close());
    return stack;
  })
  // biome-ignore lint/correctness/noEmptyPattern: see above
  .extend('browser', { scope: 'worker' }, async ({}, { onCleanup }): Promise<Browser> => {
    const browser = await launchBrowser();
    onCleanup(() => browser.close());
    return browser;
  });

/** `title` made unique on the shared stack, so that a flow finds its own incident by name (no regex metacharacter added). */
export function uniqueTitle(title: string): string {
  return `${title} ${randomUUID().slice(0, 8)}`;
}

/**
 * The messages a sandbox receives from now on: call the returned function for them. Other flows
 * have sent to the same sandbox before; none sends while this one runs (a worker runs one file
 * at a time, and each worker has a stack of its own).
 */
export async function messagesFromNow(sandboxUrl: string): Promise<() => Promise<SandboxMessage[]>> {
  const before = new Set((await sandboxMessages(sandboxUrl)).map((message) => message.id));
  return async () => (await sandboxMessages(sandboxUrl)).filter((message) => !before.has(message.id));
}
