/**
 * Vitest global setup of the layers that open Chromium: finds or unpacks the browser once, in
 * the main process, before any test file runs (see `chromiumLaunchOptions`).
 */
import { chromiumLaunchOptions } from '#test/support/browser.ts';

export async function setup(): Promise<void> {
  await chromiumLaunchOptions();
}
