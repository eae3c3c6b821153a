"""Model (a) of `npm run bench -- engine`, in SimPy 3 or 4, for the side-by-side figure.

1,000 processes each wait 1,000 exponential timeouts (rate 1): 10^6 events. Prints events/s as the mean of
5 runs after a warm-up, like bench/engine.ts. Run: pip install simpy && python3 bench/simpy/events.py
"""
import random
import statistics
import time

import simpy

PROCESSES = 1000
TIMEOUTS = 1000


def waiter(env, rng):
    for _ in range(TIMEOUTS):
        yield env.timeout(rng.expovariate(1.0))


def run():
    rng = random.Random(42)
    env = simpy.Environment()
    for _ in range(PROCESSES):
        env.process(waiter(env, rng))
    t0 = time.perf_counter()
    env.run()
    return PROCESSES * TIMEOUTS / (time.perf_counter() - t0), env.now


if __name__ == "__main__":
    run()  # warm-up, as the TypeScript benchmark does
    rates = [run()[0] for _ in range(5)]
    print(f"simpy {simpy.__version__}: (a) events {statistics.mean(rates) / 1e6:.3f} M events/s "
          f"(best {max(rates) / 1e6:.3f} M)")
