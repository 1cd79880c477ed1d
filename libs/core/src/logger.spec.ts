import { describe, expect, it } from '@jest/globals';
import { JsonLogger, logContext } from './logger.js';

describe('JsonLogger', () => {
  it('writes one JSON object per line with the request context and level filtering', () => {
    const lines: string[] = [];
    const logger = new JsonLogger('info', (line) => lines.push(line));
    logContext.run({ requestId: 'r-1' }, () => logger.log({ msg: 'hello', n: 1 }, 'Ctx'));
    logger.debug('hidden');
    logger.error(new Error('boom'), 'Ctx');
    expect(lines).toHaveLength(2);
    const first = JSON.parse(lines[0]);
    expect(first).toMatchObject({ level: 'info', requestId: 'r-1', msg: 'hello', n: 1, context: 'Ctx' });
    const second = JSON.parse(lines[1]);
    expect(second).toMatchObject({ level: 'error', msg: 'boom', context: 'Ctx' });
    expect(second.err.stack).toContain('boom');
  });
});
