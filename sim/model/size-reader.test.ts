// The size reader gives the figures a read on the main thread gives at the moment of the request, whatever the
// run writes and commits after it; a reader that cannot read stops the run with its reason.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ProposedStore } from '../../protocol/store/proposed.ts';
import { simulate } from '../simulate.ts';
import { SizeReader } from './size-reader.ts';
import { smallConfig } from './testing.ts';

const root = mkdtempSync(join(tmpdir(), 'ecashsim-size-reader-'));
after(() => rmSync(root, { recursive: true, force: true }));

function issueCoins(store: ProposedStore, from: number, n: number): void {
  for (let i = from; i < from + n; i++) {
    const id = new Uint8Array(32).fill(i & 0xff);
    id[0] = i >>> 8;
    store.issue({ serial: BigInt(i), value: 1000, epoch: 0, expiry: 86_400, holderKey: new Uint8Array(32), issuerSig: new Uint8Array(64) }, new Uint8Array(120).fill(7), id);
  }
}

test('a reading is of the stores as committed at the request, not as written or committed after it', () => {
  const store = new ProposedStore(join(root, 'proposed.sqlite'));
  store.beginGroup();
  issueCoins(store, 1, 2000);
  store.commitGroup();
  const atRequest = store.readSizes();
  const reader = new SizeReader([{ path: store.path, spec: store.sizeSpec }]);
  try {
    store.beginGroup();
    reader.request();
    issueCoins(store, 2001, 3000);
    reader.beforeCommit();
    store.commitGroup();
    const [readings] = reader.take(true);
    assert.deepEqual(readings, [atRequest]);
    assert.notDeepEqual(store.readSizes(), atRequest, 'the writes after the request changed the store');
    assert.equal(atRequest.groups['live']!.rows, 4000, 'coin and root lot per coin');
    assert.equal(reader.pending, 0);
  } finally {
    reader.close();
    store.close();
  }
});

test('a reader that cannot open its store stops the run with the reason, at the next commit', () => {
  const reader = new SizeReader([{ path: join(root, 'missing.sqlite'), spec: { groups: { all: ['coin'] } } }]);
  try {
    reader.request();
    assert.throws(() => reader.beforeCommit(), /size reader: .*(unable to open|no such file|does not exist)/i);
  } finally {
    reader.close();
  }
});

test('a run on file stores samples exactly what the same run in memory does', async () => {
  const cfg = smallConfig({ duration: 3 * 86_400, sampleInterval: 3600 });
  const inMemory = await simulate(cfg);
  const dir = mkdtempSync(join(root, 'run-'));
  const onFiles = await simulate(cfg, {
    paths: { proposed: join(dir, 'p.sqlite'), baseline: join(dir, 'b.sqlite'), epochPruned: join(dir, 'e.sqlite') },
  });
  onFiles.model.parties.close();
  inMemory.model.parties.close();
  assert.equal(onFiles.model.samples.length, 3 * 24 + 1);
  assert.deepEqual(onFiles.model.samples, inMemory.model.samples);
});
