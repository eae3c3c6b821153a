// The blocklist of compromised keys (the forum's "negative list of purses"). The issuer publishes a key when
// the RA names its holder; an agent sees the entries published up to its last sync, and a sync needs a
// connection, so offline payees keep accepting a blocked key: the leak the forum worries about.
import { keyOf } from '../../protocol/hash.ts';

export class Blocklist {
  private readonly publishedAt = new Map<string, number>();

  get size(): number {
    return this.publishedAt.size;
  }

  publish(key: Uint8Array, at: number): void {
    const k = keyOf(key);
    if (!this.publishedAt.has(k)) this.publishedAt.set(k, at);
  }

  /** The view of an agent whose last sync was at `syncedAt`. */
  viewAt(syncedAt: number): { has(key: string): boolean } {
    return { has: (k: string) => (this.publishedAt.get(k) ?? Infinity) <= syncedAt };
  }
}
