import { existsSync } from 'node:fs';

/**
 * Debian's `chromium` for the report's browser tests (driven by puppeteer-core: no browser is
 * downloaded). HAFLEET_CHROMIUM points at another binary. Outside CI a missing browser skips the
 * tests with a message; in CI (`CI=true`) it fails them, so CI never passes without opening the report.
 */
const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

export function findChromium(): string | undefined {
  const configured = process.env['HAFLEET_CHROMIUM'];
  if (configured) return configured;
  return CANDIDATES.find((path) => existsSync(path));
}

export const inCi = (): boolean => process.env['CI'] === 'true' || process.env['CI'] === '1';

export const CHROMIUM_MISSING =
  'chromium not found (looked for HAFLEET_CHROMIUM, ' +
  CANDIDATES.join(', ') +
  ') — fix: `apt-get install chromium` (Debian; .ci/run installs it in CI)';
