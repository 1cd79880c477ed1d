/**
 * How many image jobs each brand runs at once in this process. A brand gets at most `perBrand` of the
 * process's image slots (one less than all of them, when there is more than one), so however slow one
 * brand's image hosts are, a slot is always left for another brand's images.
 */
export class BrandShare {
  private readonly running = new Map<string, number>();
  private readonly waiters = new Map<string, Set<() => void>>();

  constructor(readonly perBrand: number) {
    if (!Number.isInteger(perBrand) || perBrand < 1)
      throw new Error(`perBrand must be a positive integer, not ${perBrand}`);
  }

  /** The share for a process working on `slots` images at once. */
  static of(slots: number): BrandShare {
    return new BrandShare(Math.max(1, slots - 1));
  }

  /** Takes one of `brand`'s slots if it has one left; the returned function gives it back (once). */
  tryEnter(brand: string): (() => void) | null {
    const count = this.running.get(brand) ?? 0;
    if (count >= this.perBrand) return null;
    this.running.set(brand, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.running.get(brand) ?? 1) - 1;
      if (left > 0) this.running.set(brand, left);
      else this.running.delete(brand);
      for (const wake of this.waiters.get(brand) ?? []) wake();
    };
  }

  /** Brands that hold their whole share now: a job of theirs would have to wait. */
  saturated(): string[] {
    return [...this.running].filter(([, count]) => count >= this.perBrand).map(([brand]) => brand);
  }

  /** Resolves when one of `brand`'s slots is given back, or after `ms`, whichever comes first. */
  waitForRelease(brand: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiting = this.waiters.get(brand) ?? new Set();
      this.waiters.set(brand, waiting);
      const wake = () => {
        clearTimeout(timer);
        waiting.delete(wake);
        if (waiting.size === 0 && this.waiters.get(brand) === waiting) this.waiters.delete(brand);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      waiting.add(wake);
    });
  }
}
