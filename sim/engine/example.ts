// The README's engine example, kept here so a test runs it: shoppers pay Zipf-popular shops through the
// day; a third of payments need the issuer's online check at a two-desk counter, and a shopper gives up
// after 2 minutes in the queue. Run it: npx tsx sim/engine/example.ts
import { pathToFileURL } from 'node:url';
import { anyOf, hours, minutes, type ProcessGenerator, Resource, Simulation, streams, Zipf } from './index.ts';

export function runExample(seed: string | number = 1) {
  const sim = new Simulation();
  const rng = streams(seed);
  const issuer = new Resource(sim, 2); // two desks
  const shops = new Zipf(1_000, 1.1); // shop popularity
  const sales = new Map<number, number>();
  let checked = 0;
  let gaveUp = 0;

  function* shopper(id: number): ProcessGenerator {
    const s = rng.get(`user:${id}:payments`); // this shopper's own stream
    while (sim.now < hours(8)) {
      yield s.exponential(1 / minutes(30)); // Poisson payments, one per 30 min on average
      const shop = s.zipf(shops);
      sales.set(shop, (sales.get(shop) ?? 0) + Math.round(s.lognormal(7, 1))); // amount in yen
      if (!s.bernoulli(1 / 3)) continue; // offline payment: no desk needed
      const req = issuer.request();
      const first = yield anyOf(sim, [req, sim.timeout(minutes(2))]);
      if (first !== req) {
        issuer.release(req); // leave the queue
        gaveUp++;
        continue;
      }
      yield s.uniform(10, 40); // the check takes 10-40 s
      issuer.release(req);
      checked++;
    }
  }

  for (let id = 0; id < 500; id++) sim.process(shopper(id));
  sim.run(hours(10));
  return {
    checked,
    gaveUp,
    meanQueue: issuer.meanQueueLength(),
    utilization: issuer.utilization(),
    topShopSales: sales.get(0) ?? 0,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(runExample());
}
