// What production Chaumian mints do (Cashu keyset rotation, Taler denomination expiry): the negative list is
// partitioned by key epoch and an epoch's part is dropped once its coins have expired. The list stays bounded,
// but a coin of a dropped epoch that was never deposited or refreshed is lost to its holder; that value is
// reported next to the size.
import { LIST_CACHE_KIB, SqliteStore, type SizeSpec, type StoreSize } from './sqlite.ts';
import type { IssuedCoin, IssuerStore, ReturnedRecord } from './store.ts';

interface EpochBook {
  issued: number;
  returned: number;
  lastExpiry: number;
}

export class EpochPrunedStore extends SqliteStore implements IssuerStore {
  readonly kind = 'epoch-pruned';
  readonly sizeSpec: SizeSpec = { groups: { all: ['deposited'] } };
  private readonly insert;
  private readonly drop;
  /** Per epoch, value issued and returned: a mint knows what it signed under each keyset. */
  private readonly epochs = new Map<number, EpochBook>();
  private lost = 0;

  /** `grace`: how long after its last coin's expiry an epoch's list is still kept (the refresh window). */
  constructor(
    path = ':memory:',
    private readonly grace = 0,
  ) {
    super(path, LIST_CACHE_KIB);
    this.db.exec(`CREATE TABLE IF NOT EXISTS deposited (
      epoch INTEGER NOT NULL, id BLOB NOT NULL, serial INTEGER NOT NULL, amount INTEGER NOT NULL, at INTEGER NOT NULL,
      PRIMARY KEY (epoch, id)
    ) WITHOUT ROWID`);
    this.insert = this.db.prepare('INSERT OR IGNORE INTO deposited (epoch, id, serial, amount, at) VALUES (?, ?, ?, ?, ?)');
    this.drop = this.db.prepare('DELETE FROM deposited WHERE epoch = ?');
  }

  issued(coin: IssuedCoin): void {
    const book = this.epochs.get(coin.epoch) ?? { issued: 0, returned: 0, lastExpiry: 0 };
    book.issued += coin.value;
    book.lastExpiry = Math.max(book.lastExpiry, coin.expiry);
    this.epochs.set(coin.epoch, book);
  }

  returned(r: ReturnedRecord): void {
    const book = this.epochs.get(r.epoch);
    // A record of a dropped epoch is refused by such a mint; the issuer only feeds records it accepted.
    if (book === undefined) return;
    if (this.insert.run(r.epoch, this.blob(0, r.id), r.serial, r.amount, Math.floor(r.at)).changes > 0) book.returned += r.amount;
  }

  advance(now: number): void {
    for (const [epoch, book] of this.epochs) {
      if (now < book.lastExpiry + this.grace) continue;
      this.drop.run(epoch);
      this.lost += book.issued - book.returned;
      this.epochs.delete(epoch);
    }
  }

  size(): StoreSize {
    return this.readSizes().groups['all']!;
  }

  lostValue(): number {
    return this.lost;
  }
}
