/**
 * Debian's Chromium for the suites that drive a real browser (test/browser, the chaos station):
 * where it is, why a suite must skip without it, and the one way we launch it — headless, as
 * root without a sandbox, and with nothing that calls out to Google's hosts (this machine's
 * closed network refuses them).
 */
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Why there is no browser to drive, or undefined when there is. */
export const chromiumMissing: string | undefined = fs.existsSync(CHROMIUM_PATH)
  ? undefined
  : `no chromium at ${CHROMIUM_PATH} (apt-get install -y chromium, or set CHROMIUM_PATH)`;

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export const launchChromium = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: LAUNCH_ARGS });

/** A handheld-sized screen, as on the warehouse floor. */
export const HANDHELD = { width: 360, height: 740 };
