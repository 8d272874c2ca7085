// Event deduplication for every workflow: a redelivered webhook, a reconciler replay of the same event and
// a forwarded copy all carry the same key, and only the first one is acted on. The keys travel with
// continue-as-new, so a redelivery stays a duplicate across runs. Pure in-memory state: deterministic.

/** The dedupe keys a workflow has seen, in the order first seen. */
export class SeenEvents {
  private readonly seen: Set<string>;

  constructor(carried: readonly string[] = []) {
    this.seen = new Set(carried);
  }

  /** Records `key`; false when it was seen before (a redelivery). */
  firstTime(key: string): boolean {
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  has(key: string): boolean {
    return this.seen.has(key);
  }

  /** How many distinct keys were seen. */
  get size(): number {
    return this.seen.size;
  }

  /** The keys, carried to the next run on continue-as-new. */
  keys(): string[] {
    return [...this.seen];
  }
}
