import type { HostDown } from '@brandshelf/net';

/** Refused, unreachable or timed-out attempts in a row (no answer between) after which a host is given up. */
export const HOST_FAILURE_LIMIT = 3;
/** Resolver answers that prove the name does not exist: one is enough (unlike EAI_AGAIN, a resolver hiccup). */
const NO_SUCH_NAME = /\((ENOTFOUND|ENODATA)\)$/;

/**
 * What one run has learnt about its image hosts: a host that failed like a dead host (its name does not
 * exist, or HOST_FAILURE_LIMIT refusals or timeouts in a row) is condemned, and the run's other images on
 * it fail at once with the same code instead of each waiting for its own DNS failure or timeout.
 */
export class HostFailures {
  private readonly hosts = new Map<string, { streak: number; down: HostDown | null }>();

  constructor(private readonly limit = HOST_FAILURE_LIMIT) {}

  /** The failure that condemned `host`, or null while it may still be tried. */
  condemned(host: string): HostDown | null {
    return this.hosts.get(host)?.down ?? null;
  }

  /** Counts a host-level failure; true when this one condemns the host (once per host). */
  failed(down: HostDown): boolean {
    const state = this.hosts.get(down.host) ?? { streak: 0, down: null };
    this.hosts.set(down.host, state);
    if (state.down) return false;
    state.streak++;
    const proof = down.kind === 'DNS' && NO_SUCH_NAME.test(down.reason);
    if (!proof && state.streak < this.limit) return false;
    state.down = proof ? down : { ...down, reason: `${down.reason}, ${state.streak} times in a row` };
    return true;
  }

  /** The host answered (even with an HTTP error): it is up, and its streak starts over. */
  answered(host: string): void {
    const state = this.hosts.get(host);
    if (state && !state.down) state.streak = 0;
  }
}
