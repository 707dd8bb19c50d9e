"""The peer side of the comparison: the same M/M/c queue and transfer pipeline as safe-third, written as SimPy
users write them (a process per customer, a Resource for servers), then compared with safe-third's figures.

    python simpy_models.py RUST_JSON [--mmc-replications N] [--pipeline-replications N]

RUST_JSON is what `cargo bench --bench peers` printed. Prints the throughput of both tools, the ratio, and the
mean outputs side by side (each against theory or the other tool), and exits with 1 if the outputs disagree.
"""
import argparse
import calendar
import collections
import json
import math
import random
import sys
import time

import simpy

DAYS = 366  # 2020: the 12 months of both scenarios

# ---------------------------------------------------------------------------------------------------------------
# M/M/c: lambda = 9/day, mu = 1/day, c = 10 (scenarios/mmc.toml)

LAMBDA, MU, SERVERS = 9.0, 1.0, 10
WARMUP = 31.0  # the first month starts empty; waits are averaged over customers served after it


def erlang_c(c, a):
    """Probability of waiting and mean wait in queue for M/M/c with offered load a = lambda/mu."""
    terms = sum(a**k / math.factorial(k) for k in range(c))
    last = a**c / math.factorial(c) * c / (c - a)
    p_wait = last / (terms + last)
    return p_wait, p_wait / (c * MU - LAMBDA)


def mmc_replication(seed):
    env = simpy.Environment()
    rng = random.Random(seed)
    servers = simpy.Resource(env, capacity=SERVERS)
    stats = {"events": 0, "wait_sum": 0.0, "served": 0}

    def customer():
        arrived = env.now
        with servers.request() as request:
            yield request
            wait = env.now - arrived
            yield env.timeout(rng.expovariate(MU))
            stats["events"] += 1  # completion
            if env.now >= WARMUP:
                stats["wait_sum"] += wait
                stats["served"] += 1

    def source():
        while True:
            yield env.timeout(rng.expovariate(LAMBDA))
            stats["events"] += 1  # arrival
            env.process(customer())

    env.process(source())
    env.run(until=DAYS)
    return stats


def mean_sd(xs):
    mean = sum(xs) / len(xs)
    sd = math.sqrt(sum((x - mean) ** 2 for x in xs) / (len(xs) - 1)) if len(xs) > 1 else float("nan")
    return mean, sd


def run_mmc(replications):
    events = 0
    waits = []
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(replications):
        s = mmc_replication(1000 + i)
        events += s["events"]
        waits.append(s["wait_sum"] / s["served"])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    mean, sd = mean_sd(waits)
    return {
        "replications": replications,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "events": events,
        "events_per_second": events / seconds,
        "events_per_cpu_second": events / cpu,
        "wait_in_queue_days_mean": mean,
        "wait_in_queue_days_sd": sd,
    }


# ---------------------------------------------------------------------------------------------------------------
# Transfer pipeline (benches/peers/pipeline.toml)

ARRIVALS_PER_DAY = 100.0
TRANSIT = 0.5
SEATS_PER_MONTH = 1200.0
HOLDING_LIMIT = 7.0
FILING_PROBABILITY, FILING_WINDOW = 0.3, 3.0
ADJUDICATORS, SERVICE_MEAN, PATIENCE_MEAN = 10, 1.0, 20.0

MONTH_STARTS = [0.0]
for m in range(1, 13):
    MONTH_STARTS.append(MONTH_STARTS[-1] + calendar.monthrange(2020, m)[1])


def month_of(t):
    m = 0
    while m < 11 and t >= MONTH_STARTS[m + 1]:
        m += 1
    return m


def pipeline_replication(seed):
    env = simpy.Environment()
    rng = random.Random(seed)
    adjudicators = simpy.Resource(env, capacity=ADJUDICATORS)
    waiting = collections.deque()  # cases waiting for a seat: [arrival time, still waiting]
    totals = collections.Counter()

    def holding_limit(case):
        yield env.timeout(HOLDING_LIMIT)
        if case[1]:
            case[1] = False
            totals["released"] += 1

    def arrivals():
        while True:
            yield env.timeout(rng.expovariate(ARRIVALS_PER_DAY))
            totals["arrivals"] += 1
            if rng.random() < TRANSIT:
                totals["eligible"] += 1
                case = [env.now, True]
                waiting.append(case)
                env.process(holding_limit(case))

    def transfers():
        # One operation a day at midday; the month's seats accrue day by day and lapse at month end.
        used, month = 0, 0
        day = 0
        while day < DAYS:
            yield env.timeout(day + 0.5 - env.now)
            m = month_of(env.now)
            if m != month:
                month, used = m, 0
            length = MONTH_STARTS[m + 1] - MONTH_STARTS[m]
            accrued = SEATS_PER_MONTH / length * (day + 1 - MONTH_STARTS[m])
            seats = max(0, math.floor(accrued + 1e-9) - used)
            while seats > 0 and waiting:
                case = waiting.popleft()
                if not case[1]:
                    continue
                case[1] = False
                seats -= 1
                used += 1
                totals["transferred"] += 1
                env.process(filing())
            day += 1

    def filing():
        if rng.random() < FILING_PROBABILITY:
            yield env.timeout(FILING_WINDOW * rng.random())
            totals["claims_filed"] += 1
            env.process(claim())
        else:
            yield env.timeout(FILING_WINDOW)

    def claim():
        patience = rng.expovariate(1.0 / PATIENCE_MEAN)
        with adjudicators.request() as request:
            result = yield request | env.timeout(patience)
            if request in result:
                yield env.timeout(rng.expovariate(1.0 / SERVICE_MEAN))
                totals["decisions"] += 1
            else:
                totals["abandoned"] += 1

    env.process(arrivals())
    env.process(transfers())
    env.run(until=DAYS)
    return totals


def run_pipeline(replications):
    names = ["arrivals", "eligible", "transferred", "released", "claims_filed", "decisions", "abandoned"]
    samples = {n: [] for n in names}
    started, cpu = time.perf_counter(), time.process_time()
    for i in range(replications):
        t = pipeline_replication(5000 + i)
        for n in names:
            samples[n].append(t[n])
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    totals = {}
    for n, xs in samples.items():
        mean, sd = mean_sd(xs)
        totals[n] = {"mean": mean, "sd": sd}
    return {
        "replications": replications,
        "seconds": seconds,
        "cpu_seconds": cpu,
        "replications_per_second": replications / seconds,
        "replications_per_cpu_second": replications / cpu,
        "arrivals_per_second": sum(samples["arrivals"]) / seconds,
        "totals": totals,
    }


# ---------------------------------------------------------------------------------------------------------------


def main():
    p = argparse.ArgumentParser()
    p.add_argument("rust_json")
    p.add_argument("--mmc-replications", type=int, default=10)
    p.add_argument("--pipeline-replications", type=int, default=10)
    a = p.parse_args()
    rust = json.load(open(a.rust_json))
    print(f"SimPy {simpy.__version__}, Python {sys.version.split()[0]}", flush=True)
    mmc = run_mmc(a.mmc_replications)
    pipe = run_pipeline(a.pipeline_replications)
    ok = True

    _, wq = erlang_c(SERVERS, LAMBDA / MU)
    print()
    print(f"M/M/c (lambda = {LAMBDA:g}/day, mu = {MU:g}/day, c = {SERVERS}), {DAYS} days per replication; "
          f"events = arrivals + service completions")
    s = mmc
    rows = [
        ("safe-third engine", rust["engine_mmc"], "the engine with a bare M/M/c process, as SimPy's"),
        ("safe-third model", rust["mmc"], "the full transfer model on scenarios/mmc.toml"),
        ("SimPy", s, "a process per customer, a Resource of 10 servers"),
    ]
    for tool, x, what in rows:
        print(f"  {tool:<18} {x['replications']:>6} replications in {x['seconds']:6.2f} s ({x['cpu_seconds']:6.2f} s CPU): "
              f"{x['events_per_second'] / 1e6:7.3f} million events/s, {x['events_per_cpu_second'] / 1e6:7.3f} per CPU second  ({what})")
    for tool, x, _ in rows[:2]:
        print(f"  ratio {tool} / SimPy = {x['events_per_second'] / s['events_per_second']:.0f}x by wall time, "
              f"{x['events_per_cpu_second'] / s['events_per_cpu_second']:.0f}x by CPU time")
    print(f"  mean wait in queue of customers served after the first month (Erlang C: {wq:.3f} days):")
    for tool, x, _ in rows:
        # Per-replication means are independent; their spread gives the standard error.
        se = x["wait_in_queue_days_sd"] / math.sqrt(x["replications"])
        z = (x["wait_in_queue_days_mean"] - wq) / se
        flag = "" if abs(z) <= 4 else "  DISAGREEMENT with Erlang C"
        ok = ok and abs(z) <= 4
        print(f"    {tool:<18} {x['wait_in_queue_days_mean']:.3f} days (SE {se:.3f}; difference / SE {z:+.2f}){flag}")

    r, s = rust["pipeline"], pipe
    print()
    print(f"Transfer pipeline (benches/peers/pipeline.toml), {DAYS} days per replication")
    for tool, x in [("safe-third", r), ("SimPy", s)]:
        print(f"  {tool:<11} {x['replications']:>4} replications in {x['seconds']:.2f} s ({x['cpu_seconds']:.2f} s CPU): "
              f"{x['replications_per_second']:.2f} replications/s, {x['replications_per_cpu_second']:.2f} per CPU second "
              f"({x['arrivals_per_second'] / 1e6:.3f} million arrivals/s)")
    print(f"  ratio safe-third / SimPy = {r['replications_per_second'] / s['replications_per_second']:.0f}x by wall time, "
          f"{r['replications_per_cpu_second'] / s['replications_per_cpu_second']:.0f}x by CPU time")
    print(f"  {'per replication (12 months)':<28} {'safe-third':>12} {'SimPy':>12} {'difference / SE':>16}")
    for name, rt in r["totals"].items():
        st = s["totals"][name]
        se = math.sqrt(rt["sd"] ** 2 / r["replications"] + st["sd"] ** 2 / s["replications"])
        z = (st["mean"] - rt["mean"]) / se if se > 0 else (0.0 if st["mean"] == rt["mean"] else float("inf"))
        flag = "" if abs(z) <= 4 else "  DISAGREEMENT"
        ok = ok and abs(z) <= 4
        print(f"  {name:<28} {rt['mean']:>12.1f} {st['mean']:>12.1f} {z:>16.2f}{flag}")
    print()
    print("outputs agree" if ok else "OUTPUTS DISAGREE: the comparison is not of the same model")
    sys.exit(0 if ok else 1)


main()
