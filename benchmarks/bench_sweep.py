"""Time one sweep three ways: in this process, on a fresh local Dask cluster, and on a running cluster.

    python benchmarks/bench_sweep.py                 # common-value-auction, N=1..8 x mu1=0.3,0.5, dps 50
    python benchmarks/bench_sweep.py --quick         # N=1..4, mu1=0.5, dps 15
    python benchmarks/bench_sweep.py --jobs 4

Prints the wall time of each engine (the local cluster's includes starting its worker
processes; the running cluster's does not, as with ``irmd sweep --scheduler``) and
checks that all three give the same rows.
"""
from __future__ import annotations

import argparse
import logging
import os
import time

from irmd.sweep import BuiltinSpec, parse_axis, run_sweep


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()
    if args.quick:
        axes, dps = [parse_axis("N=1..4"), parse_axis("mu1=0.5")], 15
    else:
        axes, dps = [parse_axis("N=1..8"), parse_axis("mu1=0.3,0.5")], 50
    spec = BuiltinSpec("common-value-auction")
    results = {}
    started = time.monotonic()
    results["this process (--jobs 1)"] = run_sweep(spec, axes, dps=dps, jobs=1)
    print(f"this process (--jobs 1): {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    results[f"fresh local cluster (--jobs {args.jobs})"] = run_sweep(spec, axes, dps=dps, jobs=args.jobs)
    print(f"fresh local cluster (--jobs {args.jobs}): {time.monotonic() - started:.1f} s")

    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=args.jobs, threads_per_worker=1, processes=True, dashboard_address="127.0.0.1:0",
                      silence_logs=logging.ERROR, host="127.0.0.1") as cluster:
        with Client(cluster, set_as_default=False) as client:  # warm the workers: import irmd once
            client.run(lambda: __import__("irmd.verify"))
        started = time.monotonic()
        results["running cluster (--scheduler)"] = run_sweep(spec, axes, dps=dps, scheduler=cluster.scheduler_address)
        print(f"running cluster (--scheduler): {time.monotonic() - started:.1f} s")
    rows = {name: [(r.params, r.status, r.guarantee_lower) for r in result.rows] for name, result in results.items()}
    first = next(iter(rows.values()))
    print("same rows on every engine:", all(r == first for r in rows.values()))
    print(next(iter(results.values())).table())


if __name__ == "__main__":
    main()
