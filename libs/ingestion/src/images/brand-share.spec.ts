import { describe, expect, it } from '@jest/globals';
import { BrandShare } from './brand-share.js';

describe('BrandShare', () => {
  it('leaves one slot of the process to other brands, and all of it when there is one slot', () => {
    expect(BrandShare.of(2).perBrand).toBe(1);
    expect(BrandShare.of(4).perBrand).toBe(3);
    expect(BrandShare.of(1).perBrand).toBe(1);
  });

  it('gives a brand its share and no more, names it saturated, and frees a slot once per release', () => {
    const share = new BrandShare(2);
    const a1 = share.tryEnter('A');
    const a2 = share.tryEnter('A');
    expect(a1 && a2).toBeTruthy();
    expect(share.tryEnter('A')).toBeNull();
    expect(share.saturated()).toEqual(['A']);
    // Another brand is not affected by A's share being used up.
    const b1 = share.tryEnter('B');
    expect(b1).not.toBeNull();
    expect(share.saturated()).toEqual(['A']);
    a1!();
    a1!();
    expect(share.saturated()).toEqual([]);
    expect(share.tryEnter('A')).not.toBeNull();
    expect(share.tryEnter('A')).toBeNull();
  });

  it('wakes a waiter of the brand when one of its slots is released, and only then (or on its timeout)', async () => {
    const share = new BrandShare(1);
    const a = share.tryEnter('A')!;
    const b = share.tryEnter('B')!;
    const events: string[] = [];
    const waiting = share.waitForRelease('A', 60_000).then(() => events.push('A free'));
    b();
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([]);
    a();
    await waiting;
    expect(events).toEqual(['A free']);
    expect(share.tryEnter('A')).not.toBeNull();
    // Nobody releases: the wait ends on its own.
    await share.waitForRelease('A', 10);
  });
});
