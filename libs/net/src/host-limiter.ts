/** Gives a slot back; calling it again does nothing. */
export type ReleaseSlot = () => void;

interface HostQueue {
  active: number;
  waiting: Array<{ grant: (release: ReleaseSlot) => void }>;
}

/**
 * At most `perHost` requests at once to one host (host[:port]) in this process; the others wait their turn
 * in arrival order. SafeHttpClient holds a slot per hop from connecting until the body is read or dropped.
 * A waiter leaves the queue when its signal aborts (a cancelled run, or the download's total deadline).
 * Fairness between brands is decided before a download starts, by the image jobs' share of slots.
 */
export class HostLimiter {
  private readonly hosts = new Map<string, HostQueue>();

  constructor(readonly perHost: number) {
    if (!Number.isInteger(perHost) || perHost < 1)
      throw new Error(`perHost must be a positive integer, not ${perHost}`);
  }

  acquire(host: string, signal?: AbortSignal): Promise<ReleaseSlot> {
    signal?.throwIfAborted();
    const queue = this.hosts.get(host) ?? { active: 0, waiting: [] };
    this.hosts.set(host, queue);
    if (queue.active < this.perHost) {
      queue.active++;
      return Promise.resolve(this.releaser(host, queue));
    }
    return new Promise<ReleaseSlot>((resolve, reject) => {
      const waiter = {
        grant: (release: ReleaseSlot) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(release);
        },
      };
      const onAbort = () => {
        const index = queue.waiting.indexOf(waiter);
        if (index !== -1) queue.waiting.splice(index, 1);
        this.forget(host, queue);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      queue.waiting.push(waiter);
    });
  }

  /** Requests running against `host` now (for tests and metrics). */
  active(host: string): number {
    return this.hosts.get(host)?.active ?? 0;
  }

  private releaser(host: string, queue: HostQueue): ReleaseSlot {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.waiting.shift();
      // The slot passes straight to the next waiter, so a newcomer cannot jump the queue.
      if (next) next.grant(this.releaser(host, queue));
      else {
        queue.active--;
        this.forget(host, queue);
      }
    };
  }

  private forget(host: string, queue: HostQueue): void {
    if (queue.active === 0 && queue.waiting.length === 0 && this.hosts.get(host) === queue) this.hosts.delete(host);
  }
}
