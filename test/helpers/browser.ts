/** Chromium for the browser tests: the one `npm test` provisions (scripts/browser.ts), or CHROMIUM_PATH. */
import { findChromium } from '../../scripts/browser';

export function chromiumPath(): string {
  const found = findChromium();
  if (found === undefined) {
    throw new Error(
      'Chromium was not found: `npm test` installs it (scripts/browser.ts), or set CHROMIUM_PATH',
    );
  }
  return found;
}

/** Headless, no sandbox (tests run as root in CI), and nothing that reaches for the internet. */
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
