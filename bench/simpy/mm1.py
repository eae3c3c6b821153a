"""Model (b) of `npm run bench -- engine`, in SimPy 3 or 4, for the side-by-side figure.

M/M/1: arrival rate 0.9, service rate 1.0, one server, 200,000 customers. Prints customers/s as the mean of
5 runs after a warm-up, and the mean wait in queue (theory: 9.0). Run: python3 bench/simpy/mm1.py
"""
import random
import statistics
import time

import simpy

CUSTOMERS = 200_000
LAMBDA = 0.9
MU = 1.0


def run(seed):
    arrivals = random.Random(seed)
    service = random.Random(seed + 1)
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=1)
    waits = []

    def customer():
        arrived = env.now
        with desk.request() as req:
            yield req
            waits.append(env.now - arrived)
            yield env.timeout(service.expovariate(MU))

    def source():
        for _ in range(CUSTOMERS):
            env.process(customer())
            yield env.timeout(arrivals.expovariate(LAMBDA))

    env.process(source())
    t0 = time.perf_counter()
    env.run()
    return CUSTOMERS / (time.perf_counter() - t0), sum(waits) / len(waits)


if __name__ == "__main__":
    run(0)  # warm-up
    results = [run(2 * i + 1) for i in range(5)]
    rates = [r for r, _ in results]
    print(f"simpy {simpy.__version__}: (b) M/M/1 {statistics.mean(rates) / 1e3:.1f} k customers/s "
          f"(best {max(rates) / 1e3:.1f} k), mean wait {results[-1][1]:.3f} (theory 9.0)")
