import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { RUN_PHASES, RUN_STATUSES } from './ingestion-run.entity.js';

const here = dirname(fileURLToPath(import.meta.url));
const migrations = join(here, '../../db/src/migrations');

describe('run enums', () => {
  it('match the CHECK constraint the database holds run statuses to', () => {
    const text = readdirSync(migrations)
      .filter((f) => f.endsWith('.ts'))
      .map((f) => readFileSync(join(migrations, f), 'utf8'))
      .join('\n');
    const check = /CREATE TABLE ingestion_run[\s\S]*?CHECK \(status IN \(([^)]*)\)\)/.exec(text);
    expect(check).not.toBeNull();
    const values = check![1].split(',').map((v) => v.trim().replace(/^'|'$/g, ''));
    expect(values).toEqual([...RUN_STATUSES]);
  });

  it('have no phase of staging: items are staged while READING', () => {
    expect(RUN_PHASES).not.toContain('STAGING');
    expect(RUN_PHASES).toEqual(['QUEUED', 'FETCHING', 'READING', 'COMPARING', 'IMAGES', 'DONE']);
  });
});
