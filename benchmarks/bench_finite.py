"""Benchmark of the finite guarantee LP on the built-in first-price auction.

Run ``python benchmarks/bench_finite.py`` (options: ``--n 10 20 ...``, ``--coarse``,
``--time-limit S``).  For each grid it prints the LP size, the time to build the
sparse LP from the payoff tables, the HiGHS solve time (dual simplex) and the value.
A last line builds (without solving) an LP of more than 10^5 variables.
Target from the issue: n = 100 solved in under 10 s on a 2-core machine.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import time

from irmd.verify.finite import Guarantee2LP, HiGHS, PayoffTables, first_price_auction
from irmd.verify.finite.guarantee import solve_guarantee

GRIDS = (10, 20, 40, 80, 100, 200)


def run(n: int, coarse: bool, solver: HiGHS) -> dict:
    start = time.perf_counter()
    env, mechanism = first_price_auction(n)
    tables = PayoffTables.of(env, mechanism)
    setup = time.perf_counter() - start
    result = solve_guarantee(tables, coarse=coarse, solver=solver)
    return {"n": n, "setup": setup, "build": result.build_seconds, "solve": result.solution.seconds,
            "value": result.value, "status": str(result.status), "lp": str(result.lp_status),
            "variables": result.sizes["variables"], "nonzeros": result.sizes["nonzeros"]}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=list(GRIDS))
    parser.add_argument("--coarse", action="store_true", help="coarse guarantee instead of G")
    parser.add_argument("--time-limit", type=float, default=900.0, help="HiGHS time limit per LP (s)")
    args = parser.parse_args(argv)
    solver = HiGHS(time_limit=args.time_limit)
    program = "Gc (coarse)" if args.coarse else "G (BCE)"
    print(f"First-price auction, 2 bidders, common value; {program}; HiGHS dual simplex; "
          f"{os.cpu_count()} cores, Python {platform.python_version()}")
    header = f"{'n':>5} {'variables':>10} {'nonzeros':>11} {'setup s':>8} {'build s':>8} {'solve s':>9}  " \
             f"{'value':>16}  {'status'}"
    print(header)
    print("-" * len(header))
    for n in args.n:
        row = run(n, args.coarse, solver)
        value = "-" if row["value"] is None else f"{float(row['value']):.12f}"
        print(f"{row['n']:>5} {row['variables']:>10} {row['nonzeros']:>11} {row['setup']:>8.3f} {row['build']:>8.3f} "
              f"{row['solve']:>9.3f}  {value:>16}  {row['status']} ({row['lp']})", flush=True)
    # build only: more than 10^5 variables
    env, mechanism = first_price_auction(223)
    tables = PayoffTables.of(env, mechanism)
    Guarantee2LP(args.coarse).apply(tables)          # first call pays for fresh memory pages
    start = time.perf_counter()
    lp, _ = Guarantee2LP(args.coarse).apply(tables)
    print(f"build only, n = 223: {lp.n_cols} variables, {lp.nnz} nonzeros, built in "
          f"{time.perf_counter() - start:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
