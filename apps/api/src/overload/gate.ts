import { AppError } from '@brandshelf/core';

export interface GateSettings {
  /** Units of work admitted at once. */
  concurrency: number;
  /** Requests that may wait for room; beyond them, refused at once. */
  queue: number;
  /** Longest a request waits before it is refused. */
  queueTimeoutMs: number;
}

/** What `acquire` hands back: awaited for admission, then released exactly once (also when never admitted). */
export interface Ticket {
  readonly admitted: Promise<void>;
  /** Gives the units back, or leaves the queue if still waiting; safe to call more than once. */
  release(): void;
}

interface Waiter {
  weight: number;
  grant(): void;
  timer: NodeJS.Timeout | null;
}

/**
 * Bounds the work one process runs at once: a weighted semaphore with a short FIFO wait queue. A request
 * that finds the queue full, or waits longer than the bound, is refused with `OVERLOADED` (HTTP 429 with
 * Retry-After) instead of queueing without end behind the database pool.
 */
export class Gate {
  private used = 0;
  private readonly waiting: Waiter[] = [];
  /** Refusals since start: for logs and benches. */
  rejected = 0;

  constructor(
    readonly name: string,
    readonly settings: GateSettings,
  ) {}

  /** Units in use now. */
  get inFlight(): number {
    return this.used;
  }

  /** Requests waiting now. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Seconds a refused client is told to wait: the queue's wait bound, at least 1. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.settings.queueTimeoutMs / 1000));
  }

  /**
   * The refusal `acquire(weight)` would meet right now (counted in `rejected`), or null when it would be admitted
   * or queued. Lets a request be answered before anything is done for it, while the gate and its queue are full.
   */
  refuseNow(weight = 1): AppError | null {
    if (!this.isFull(weight)) return null;
    this.rejected++;
    return this.refusal();
  }

  /** Takes `weight` units (capped at the concurrency), now or after a bounded wait. */
  acquire(weight = 1): Ticket {
    const units = this.units(weight);
    let state: 'waiting' | 'admitted' | 'done' = 'waiting';
    let waiter: Waiter | null = null;
    const admit = () => {
      state = 'admitted';
      this.used += units;
    };
    const ticket: Ticket = {
      admitted: Promise.resolve(),
      release: () => {
        if (state === 'admitted') {
          this.used -= units;
          state = 'done';
          this.drain();
        } else if (state === 'waiting') {
          state = 'done';
          if (waiter) this.leave(waiter);
        }
      },
    };
    if (this.fits(units)) {
      admit();
      return ticket;
    }
    if (this.isFull(units)) {
      state = 'done';
      this.rejected++;
      return { admitted: Promise.reject(this.refusal()), release: () => undefined };
    }
    (ticket as { admitted: Promise<void> }).admitted = new Promise<void>((resolve, reject) => {
      const entry: Waiter = {
        weight: units,
        grant: () => {
          if (entry.timer) clearTimeout(entry.timer);
          admit();
          resolve();
        },
        timer: setTimeout(() => {
          entry.timer = null;
          if (state !== 'waiting') return;
          state = 'done';
          this.leave(entry);
          this.rejected++;
          reject(this.refusal());
        }, this.settings.queueTimeoutMs),
      };
      waiter = entry;
      this.waiting.push(entry);
    });
    return ticket;
  }

  /** Runs `fn` inside the gate. */
  async run<T>(fn: () => Promise<T>, weight = 1): Promise<T> {
    const ticket = this.acquire(weight);
    try {
      await ticket.admitted;
      return await fn();
    } finally {
      ticket.release();
    }
  }

  private units(weight: number): number {
    return Math.max(1, Math.min(weight, this.settings.concurrency));
  }

  /** Admitted at once: no one waits and the units are free. */
  private fits(units: number): boolean {
    return this.waiting.length === 0 && this.used + units <= this.settings.concurrency;
  }

  /** Whether `acquire(weight)` would be refused now: neither admitted nor allowed to wait. Counts nothing. */
  isFull(weight = 1): boolean {
    const units = this.units(weight);
    return !this.fits(units) && (this.waiting.length >= this.settings.queue || this.settings.queueTimeoutMs === 0);
  }

  private leave(waiter: Waiter): void {
    if (waiter.timer) clearTimeout(waiter.timer);
    const i = this.waiting.indexOf(waiter);
    if (i >= 0) this.waiting.splice(i, 1);
    this.drain();
  }

  /** Admits waiters in order while they fit (the head waits for room; no one overtakes it). */
  private drain(): void {
    while (this.waiting.length && this.used + this.waiting[0].weight <= this.settings.concurrency) {
      this.waiting.shift()!.grant();
    }
  }

  private refusal(): AppError {
    return new AppError(
      'OVERLOADED',
      `The server is busy with other ${this.name} requests; retry in ${this.retryAfterSeconds} s.`,
      { retryAfterSeconds: this.retryAfterSeconds },
    );
  }
}
