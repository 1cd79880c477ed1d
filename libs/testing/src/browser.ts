import { existsSync } from 'node:fs';

/**
 * The Chromium the browser tests drive (Debian's package, or CHROMIUM_PATH; nothing is downloaded), and whether
 * they may skip without one. Locally they skip, saying why; in CI (CI set, as .ci/run does) a missing browser is a
 * failure, so a CI run cannot pass without running them.
 */
export function findChromium(
  candidates: (string | undefined)[] = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'],
  env: NodeJS.ProcessEnv = process.env,
): { executablePath: string | undefined; skip: boolean; missing: string } {
  const executablePath = candidates.find((path): path is string => !!path && existsSync(path));
  const ci = !!env.CI && env.CI !== 'false' && env.CI !== '0';
  const missing = `no Chromium at ${candidates.filter(Boolean).join(', ')}: apt-get install chromium, or set CHROMIUM_PATH`;
  return { executablePath, skip: !executablePath && !ci, missing };
}
