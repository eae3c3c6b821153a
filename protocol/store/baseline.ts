// The deposit-all-coins baseline: classic blind-signature e-cash (Chaum). The issuer signs coins blindly and
// never sees a serial until it comes back, so the only way to refuse a second deposit is a negative list of
// every coin ever deposited, kept for ever.
import { LIST_CACHE_KIB, SqliteStore, type SizeSpec, type StoreSize } from './sqlite.ts';
import type { IssuedCoin, IssuerStore, ReturnedRecord } from './store.ts';

export class BaselineStore extends SqliteStore implements IssuerStore {
  readonly kind = 'baseline';
  readonly sizeSpec: SizeSpec = { groups: { all: ['deposited'] } };
  private readonly insert;

  constructor(path = ':memory:') {
    super(path, LIST_CACHE_KIB);
    this.db.exec(`CREATE TABLE IF NOT EXISTS deposited (
      id BLOB PRIMARY KEY, serial INTEGER NOT NULL, epoch INTEGER NOT NULL, amount INTEGER NOT NULL, at INTEGER NOT NULL
    ) WITHOUT ROWID`);
    this.insert = this.db.prepare('INSERT OR IGNORE INTO deposited (id, serial, epoch, amount, at) VALUES (?, ?, ?, ?, ?)');
  }

  issued(_coin: IssuedCoin): void {
    // Blind issue: the baseline issuer learns nothing it could store.
  }

  returned(r: ReturnedRecord): void {
    this.insert.run(this.blob(0, r.id), r.serial, r.epoch, r.amount, Math.floor(r.at));
  }

  advance(_now: number): void {}

  size(): StoreSize {
    return this.readSizes().groups['all']!;
  }

  lostValue(): number {
    return 0;
  }
}
