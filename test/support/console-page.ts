/** The console as the Chromium flows drive it: signing in, and what every page must hold to. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { axeViolations } from './browser.ts';

/** A phone's screen: every console page fits its width without scrolling sideways. */
export const PHONE_SCREEN = { width: 390, height: 844 };

/** The stack serving the console, and its users with their API keys. */
export interface ConsoleStack {
  apiUrl: string;
  users: readonly { user: string; key: string }[];
}

/** Signs `user` in to the stack's console with their API key, as a person would. */
export async function signInToConsole(
  page: Page,
  { apiUrl, users }: ConsoleStack,
  user: string,
): Promise<void> {
  const key = users.find((candidate) => candidate.user === user)?.key;
  if (key === undefined) throw new Error(`No local user ${user}`);
  await page.goto(`${apiUrl}/console/`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(`Signed in as ${user}`).waitFor();
}

/** What every console page holds to: no sideways scroll on a phone, and no axe violation. */
export async function expectFitsAPhone(page: Page, what?: string): Promise<void> {
  const width = await page.evaluate<number>('document.documentElement.scrollWidth');
  expect(width, what).toBeLessThanOrEqual(PHONE_SCREEN.width);
  expect(await axeViolations(page), what).toEqual([]);
}
