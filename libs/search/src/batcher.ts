/**
 * Gathers the loads asked for within one turn of the event loop into one call, so a page of twenty products
 * asking for their variants makes one query, not twenty. Results are not cached beyond that turn.
 */
export class Batcher<K, V> {
  private pending = new Map<
    string,
    { key: K; waiters: Array<{ resolve: (v: V) => void; reject: (e: unknown) => void }> }
  >();
  private scheduled = false;

  constructor(
    private readonly keyOf: (key: K) => string,
    private readonly loadMany: (keys: K[]) => Promise<Map<string, V>>,
    private readonly missing: () => V,
    private readonly maxBatch = 200,
  ) {}

  load(key: K): Promise<V> {
    return new Promise<V>((resolve, reject) => {
      const id = this.keyOf(key);
      const entry = this.pending.get(id);
      if (entry) entry.waiters.push({ resolve, reject });
      else this.pending.set(id, { key, waiters: [{ resolve, reject }] });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const entries = [...this.pending.entries()];
    this.pending.clear();
    for (let i = 0; i < entries.length; i += this.maxBatch) {
      const chunk = entries.slice(i, i + this.maxBatch);
      this.loadMany(chunk.map(([, e]) => e.key)).then(
        (values) => {
          for (const [id, e] of chunk) {
            const value = values.get(id) ?? this.missing();
            for (const w of e.waiters) w.resolve(value);
          }
        },
        (error) => {
          for (const [, e] of chunk) for (const w of e.waiters) w.reject(error);
        },
      );
    }
  }
}
