import { describe, expect, it } from '@jest/globals';
import { AppError } from '@brandshelf/core';
import { Gate } from './gate.js';

const settled = async (p: Promise<unknown>) => {
  let state = 'pending';
  p.then(
    () => (state = 'admitted'),
    (e: AppError) => (state = e.code),
  );
  await new Promise((resolve) => setImmediate(resolve));
  return state;
};

describe('Gate', () => {
  it('admits up to the concurrency, queues up to the queue, refuses the rest with OVERLOADED at once', async () => {
    const gate = new Gate('search', { concurrency: 2, queue: 1, queueTimeoutMs: 60_000 });
    const a = gate.acquire();
    const b = gate.acquire();
    const c = gate.acquire();
    const d = gate.acquire();
    expect(await settled(a.admitted)).toBe('admitted');
    expect(await settled(b.admitted)).toBe('admitted');
    expect(await settled(c.admitted)).toBe('pending');
    expect(await settled(d.admitted)).toBe('OVERLOADED');
    await expect(d.admitted).rejects.toMatchObject({ details: { retryAfterSeconds: 60 } });
    expect([gate.inFlight, gate.queued, gate.rejected]).toEqual([2, 1, 1]);
    a.release();
    a.release(); // twice is once
    expect(await settled(c.admitted)).toBe('admitted');
    expect([gate.inFlight, gate.queued]).toEqual([2, 0]);
    b.release();
    c.release();
    expect(gate.inFlight).toBe(0);
  });

  it('lets a waiter leave the queue, and refuses one that waited past the bound', async () => {
    const gate = new Gate('upload', { concurrency: 1, queue: 5, queueTimeoutMs: 20 });
    const a = gate.acquire();
    const leaving = gate.acquire();
    const waiting = gate.acquire();
    leaving.release();
    expect(gate.queued).toBe(1);
    await expect(waiting.admitted).rejects.toMatchObject({ code: 'OVERLOADED' });
    expect(gate.queued).toBe(0);
    a.release();
    expect(gate.inFlight).toBe(0);
    expect(await settled(gate.acquire().admitted)).toBe('admitted');
  });

  it('counts weight, capped at the concurrency, and keeps the queue in order', async () => {
    const gate = new Gate('search', { concurrency: 3, queue: 10, queueTimeoutMs: 60_000 });
    const big = gate.acquire(10); // capped at 3
    expect(gate.inFlight).toBe(3);
    const two = gate.acquire(2);
    const one = gate.acquire(1);
    big.release();
    expect(await settled(two.admitted)).toBe('admitted');
    expect(await settled(one.admitted)).toBe('admitted');
    expect(gate.inFlight).toBe(3);
    two.release();
    one.release();
  });

  it('tells, without taking anything, whether a request would be refused now', async () => {
    const gate = new Gate('search', { concurrency: 2, queue: 1, queueTimeoutMs: 60_000 });
    expect(gate.refuseNow()).toBeNull();
    const a = gate.acquire();
    expect(gate.refuseNow(2)).toBeNull(); // would wait in the queue
    const b = gate.acquire();
    expect(gate.refuseNow()).toBeNull();
    const c = gate.acquire(); // queued: the queue is now full
    expect(gate.refuseNow()).toMatchObject({ code: 'OVERLOADED', details: { retryAfterSeconds: 60 } });
    expect([gate.inFlight, gate.queued, gate.rejected]).toEqual([2, 1, 1]);
    a.release();
    expect(await settled(c.admitted)).toBe('admitted');
    expect(gate.refuseNow()).toBeNull(); // the queue has room again
    b.release();
    c.release();
    const noWait = new Gate('search', { concurrency: 1, queue: 5, queueTimeoutMs: 0 });
    const held = noWait.acquire();
    expect(noWait.refuseNow()).toMatchObject({ code: 'OVERLOADED' });
    held.release();
    expect(noWait.refuseNow()).toBeNull();
  });

  it('runs a function inside the gate and releases it whatever happens', async () => {
    const gate = new Gate('search', { concurrency: 1, queue: 0, queueTimeoutMs: 1000 });
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await gate.run(async () => 42)).toBe(42);
    expect(gate.inFlight).toBe(0);
  });
});
