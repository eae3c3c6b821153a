// With signatures made on workers, the issuer writes each coin before its signature exists: by the end of the run
// every coin row must hold the real, verifiable signature, not the stand-in written first.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { coinSignedPart } from '../../protocol/ids.ts';
import { Coin } from '../../protocol/messages.ts';
import { keySuite } from '../../protocol/suite.ts';
import { DAY } from '../engine/index.ts';
import { simulate } from '../simulate.ts';
import { DeferredCoinStore } from './deferred-coins.ts';
import { smallConfig } from './testing.ts';

test('every coin the issuer stored holds its real signature once the run is over', async () => {
  const cfg = smallConfig({ users: 20, shops: 4, duration: 3 * DAY, issuerDelay: 3600 });
  const run = await simulate(cfg, { threads: 1 });
  const { parties } = run.model;
  try {
    assert.ok(parties.proposed instanceof DeferredCoinStore, 'real signatures on the signature work: coins are written before they are signed');
    const issuer = keySuite(cfg.keys).issuer;
    const issued = parties.issuer.issuedCount;
    assert.ok(issued > 20, `coins to check: ${issued}`);
    let archived = 0;
    for (let serial = 1n; serial <= BigInt(issued); serial++) {
      const row = parties.proposed.coin(serial);
      assert.ok(row !== undefined, `coin ${serial} is stored`);
      if (row.archived) archived++;
      const coin = Coin.decode(row.coin);
      assert.equal(issuer.verify(parties.issuer.publicKey, coinSignedPart(coin), coin.issuerSig), true, `coin ${serial}'s stored signature`);
    }
    assert.ok(archived > 0, 'archived coins were rewritten before they moved, or in the archive');
  } finally {
    parties.close();
  }
});
