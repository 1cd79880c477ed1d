import { describe, expect, it } from '@jest/globals';
import { RateLimiter } from './rate-limiter.js';

describe('RateLimiter', () => {
  it('allows a burst, then one request per refill interval, per client', () => {
    let now = 0;
    const limiter = new RateLimiter(60, 3, () => now); // one a second
    expect(limiter.windowSeconds).toBe(3);
    expect([1, 2, 3].map(() => limiter.take('a').remaining)).toEqual([2, 1, 0]);
    const refused = limiter.take('a');
    expect(refused).toMatchObject({ allowed: false, remaining: 0, limit: 3, retryAfterSeconds: 1, resetSeconds: 3 });
    expect(limiter.take('b')).toMatchObject({ allowed: true, remaining: 2, resetSeconds: 1 });
    now += 1000;
    expect(limiter.take('a')).toMatchObject({ allowed: true, remaining: 0 });
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('forgets clients whose bucket has refilled', () => {
    let now = 0;
    const limiter = new RateLimiter(600, 10, () => now);
    for (let i = 0; i < 100; i++) limiter.take(`ip:${i}`);
    expect(limiter.size).toBe(100);
    now += 60_000;
    limiter.take('ip:new');
    expect(limiter.size).toBe(1);
  });
});
