import { describe, expect, it } from '@jest/globals';
import { findChromium } from './browser.js';

describe('findChromium', () => {
  it('skips without a browser locally, but not in CI (the browser tests then fail)', () => {
    const none = ['/nonexistent/chromium'];
    expect(findChromium(none, {})).toMatchObject({ executablePath: undefined, skip: true });
    expect(findChromium(none, { CI: 'false' }).skip).toBe(true);
    expect(findChromium(none, { CI: 'true' })).toMatchObject({ executablePath: undefined, skip: false });
    expect(findChromium(none, { CI: '1' }).missing).toMatch(/\/nonexistent\/chromium.*apt-get install chromium/);
  });

  it('finds the first candidate that exists', () => {
    expect(findChromium([undefined, '/nonexistent', process.execPath], { CI: 'true' })).toMatchObject({
      executablePath: process.execPath,
      skip: false,
    });
  });
});
