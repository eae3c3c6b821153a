// The registry: which names resolve to which scheme, and that an unknown name says what is known.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blindSchemes, blsBlind, getBlindScheme, rsaBlindDeterministic, rsaBlindRandomized } from './index.ts';

describe('blind scheme registry', () => {
  it('lists every scheme once, with unique names, the default first', () => {
    assert.deepEqual(
      blindSchemes.map((s) => s.name),
      ['rsa-blind:RSABSSA-SHA384-PSS-Randomized@native', 'rsa-blind:RSABSSA-SHA384-PSS-Deterministic@native', 'bls-blind@noble'],
    );
    assert.equal(new Set(blindSchemes.map((s) => s.name)).size, blindSchemes.length);
  });

  it('resolves short ids, id:variant and full names', () => {
    assert.equal(getBlindScheme('rsa-blind'), rsaBlindRandomized);
    assert.equal(getBlindScheme('rsa-blind:RSABSSA-SHA384-PSS-Randomized'), rsaBlindRandomized);
    assert.equal(getBlindScheme('rsa-blind:RSABSSA-SHA384-PSS-Deterministic'), rsaBlindDeterministic);
    assert.equal(getBlindScheme('bls-blind'), blsBlind);
    for (const s of blindSchemes) assert.equal(getBlindScheme(s.name), s);
  });

  it('names the unknown name and the known ones', () => {
    assert.throws(
      () => getBlindScheme('rsa-blind:RSABSSA-SHA384-PSSZERO-Deterministic'),
      (e: unknown) =>
        e instanceof Error &&
        e.message.includes("'rsa-blind:RSABSSA-SHA384-PSSZERO-Deterministic'") &&
        e.message.includes('rsa-blind:RSABSSA-SHA384-PSS-Deterministic') &&
        e.message.includes('bls-blind'),
    );
  });
});
