import { describe, expect, it } from '@jest/globals';
import { loadConfig } from '@brandshelf/core';
import { clientModeHint } from './local.js';

describe('local mode', () => {
  it("points at the server on this machine's PORT when the database is in use", () => {
    expect(clientModeHint(loadConfig({ PORT: '3411' }))).toContain('--server http://localhost:3411 ');
    expect(clientModeHint(loadConfig({}))).toContain('--server http://localhost:3000 ');
  });
});
