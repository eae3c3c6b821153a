import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineError } from './errors.ts';
import seedrandom from 'seedrandom';
import { Streams, streamSeed, streams } from './random.ts';
import { Zipf } from './zipf.ts';

const draw = (s: { random(): number }, n: number): number[] => Array.from({ length: n }, () => s.random());

test('a stream depends only on (run seed, name): other streams and their use never shift it', () => {
  const alone = draw(streams(7).get('user:42:payments'), 100);
  const crowded = streams(7);
  for (let i = 0; i < 50; i++) draw(crowded.get(`user:${i}:other`), 10);
  crowded.get('issuer:desk').exponential(3);
  assert.deepEqual(draw(crowded.get('user:42:payments'), 100), alone);
  assert.equal(crowded.get('x'), crowded.get('x'));
  assert.notDeepEqual(draw(streams(8).get('user:42:payments'), 100), alone);
  assert.notDeepEqual(draw(streams(7).get('user:43:payments'), 100), alone);
  assert.notDeepEqual(draw(streams('7 ').get('user:42:payments'), 100), alone);
  // numbers and their decimal strings name the same run
  assert.deepEqual(draw(streams('7').get('user:42:payments'), 100), alone);
});

test('bytes(n) is deterministic and of the asked length', () => {
  const sa = streams('run').get('user:1:keys');
  const sb = streams('run').get('user:1:keys');
  const a = (n: number) => sa.bytes(n);
  const b = (n: number) => sb.bytes(n);
  for (const n of [0, 1, 3, 4, 5, 32, 33]) {
    const x = a(n);
    assert.equal(x.length, n);
    assert.deepEqual(x, b(n));
  }
  const c = streams('run').get('user:2:keys').bytes(32);
  assert.notDeepEqual(c, streams('run').get('user:1:keys').bytes(32));
  assert.throws(() => a(-1), (e: unknown) => e instanceof EngineError && e.field === 'length');
});

function moments(xs: number[]): { mean: number; variance: number } {
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / (xs.length - 1);
  return { mean, variance };
}
const near = (got: number, want: number, rel: number, what: string): void =>
  assert.ok(Math.abs(got - want) <= rel * Math.abs(want), `${what}: got ${got}, want ${want} ± ${rel * 100}%`);

test('distributions have their textbook means and variances (n = 200,000, fixed seed)', () => {
  const s = new Streams('moments');
  const n = 200_000;
  const rep = <T>(f: () => T): T[] => Array.from({ length: n }, f);
  const u = moments(rep(() => s.get('u').uniform(2, 6)));
  near(u.mean, 4, 0.01, 'uniform mean');
  near(u.variance, 16 / 12, 0.02, 'uniform variance');
  const e = moments(rep(() => s.get('e').exponential(0.5)));
  near(e.mean, 2, 0.01, 'exponential mean');
  near(e.variance, 4, 0.03, 'exponential variance');
  for (const mean of [0.7, 12, 30, 250, 4000]) {
    const p = moments(rep(() => s.get(`p${mean}`).poisson(mean)));
    near(p.mean, mean, 0.01, `poisson(${mean}) mean`);
    near(p.variance, mean, 0.03, `poisson(${mean}) variance`);
  }
  const z = moments(rep(() => s.get('n').normal(10, 2)));
  near(z.mean, 10, 0.005, 'normal mean');
  near(z.variance, 4, 0.02, 'normal variance');
  const logs = rep(() => s.get('ln').lognormal(1, 0.5)).sort((a, b) => a - b);
  near(logs[n / 2]!, Math.E, 0.01, 'lognormal median');
  near(moments(logs).mean, Math.exp(1 + 0.125), 0.01, 'lognormal mean');
  const bern = rep(() => (s.get('b').bernoulli(0.3) ? 1 : 0));
  near(moments(bern).mean, 0.3, 0.02, 'bernoulli rate');
  const ints = rep(() => s.get('i').int(10));
  assert.ok(ints.every((k) => Number.isInteger(k) && k >= 0 && k < 10));
  near(moments(ints).mean, 4.5, 0.01, 'int mean');
  assert.throws(() => s.get('e').exponential(0), (err: unknown) => err instanceof EngineError && err.field === 'rate');
  assert.throws(() => s.get('b').bernoulli(2), (err: unknown) => err instanceof EngineError && err.field === 'p');
});

test('Zipf: exact CDF, and sampled frequencies match it (n = 100,000 items)', () => {
  const shops = new Zipf(100_000, 1.1);
  let h = 0;
  for (let k = 1; k <= 100_000; k++) h += k ** -1.1;
  near(shops.probability(0), 1 / h, 1e-9, 'P(rank 0)');
  near(shops.probability(9), 10 ** -1.1 / h, 1e-9, 'P(rank 9)');
  assert.equal(shops.cdf[99_999], 1);
  assert.equal(shops.rank(0), 0);
  assert.equal(shops.rank(0.999999999999), 99_999 - (shops.cdf[99_998]! > 0.999999999999 ? 1 : 0));
  const s = streams('zipf').get('shops');
  const counts = new Map<number, number>();
  const n = 200_000;
  for (let i = 0; i < n; i++) {
    const k = s.zipf(shops);
    assert.ok(k >= 0 && k < 100_000);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  for (const k of [0, 1, 4]) near((counts.get(k) ?? 0) / n, shops.probability(k), 0.03, `frequency of rank ${k}`);
  const uniform = new Zipf(4, 0);
  assert.deepEqual([0, 1, 2, 3].map((k) => uniform.probability(k)), [0.25, 0.25, 0.25, 0.25]);
  assert.throws(() => new Zipf(0, 1), (e: unknown) => e instanceof EngineError && e.field === 'n');
});

test('seeds and names are checked', () => {
  assert.throws(() => streams(1.5), (e: unknown) => e instanceof EngineError && e.field === 'seed');
  assert.throws(() => streams(1).get(''), (e: unknown) => e instanceof EngineError && e.field === 'stream name');
});

test("a stream draws exactly seedrandom's Alea sequence for its seed (the state is held inline, not the algorithm changed)", () => {
  const reference = seedrandom.alea(streamSeed('run', 'user:7'));
  const s = streams('run').get('user:7');
  for (let i = 0; i < 10_000; i++) assert.equal(s.random(), reference());
});
