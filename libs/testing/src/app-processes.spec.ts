import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { buildDist } from './app-processes.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe('buildDist', () => {
  // The tests that start the app's processes build dist/ while the browser test serves dist/console: rebuilt from a
  // test (jest's NODE_ENV=test, React's development build) it was emptied under the browser, or doubled every
  // page's requests (StrictMode), and the console tests failed now and then.
  it('compiles the server and leaves the web console in dist/console alone', async () => {
    const consoleDir = join(root, 'dist', 'console');
    const marker = join(consoleDir, `.untouched-${randomUUID()}`);
    await mkdir(consoleDir, { recursive: true });
    await writeFile(marker, 'buildDist must not rebuild the console');
    try {
      buildDist(root);
      expect(existsSync(join(root, 'dist', 'apps', 'api', 'src', 'main.js'))).toBe(true);
      expect(existsSync(marker)).toBe(true);
    } finally {
      await rm(marker, { force: true });
    }
  }, 120_000);
});
