import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Debian's chromium, installed first where it is missing and the tests run as root with apt (as on
 * the project's machines); elsewhere a clear error says what to install. playwright-core brings no
 * browser of its own.
 */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!root || !existsSync('/usr/bin/apt-get'))
    throw new Error(`the dashboard tests need Debian's chromium at ${CHROMIUM}: apt-get install chromium`);
  console.log(`installing chromium (apt-get install chromium), which the dashboard tests drive`);
  execFileSync('/usr/bin/apt-get', ['update', '-qq'], { stdio: 'inherit' });
  execFileSync('/usr/bin/apt-get', ['install', '-y', '-qq', 'chromium'], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

export async function launchChromium(): Promise<Browser> {
  ensureChromium();
  return await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}
