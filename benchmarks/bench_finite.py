"""Benchmark of the finite guarantee LPs (G and Gc) on the built-in first-price auction.

Run ``python benchmarks/bench_finite.py`` (options: ``--n 10 50 ...``, ``--programs G Gc``,
``--reference-n N``, ``--direct-n N``, ``--time-limit S``).  One table: n, program, LP size, build
and solve seconds, peak memory, value, the previous route's time and the ratio to the plain reference.

irmd's route is the one ``guarantee()`` takes: the LP restricted to symmetric (coarse) BCE
(the auction is symmetric, :mod:`irmd.verify.finite.symmetry`), its rows written with cumulative
sums for Gc, and for G once the direct rows exceed 20 M non-zeros (n > 214;
:mod:`irmd.verify.finite.compact`: O(n^2) instead of O(n^3) non-zeros, the same value), solved by
HiGHS dual simplex, or for that large compact G by its interior point.  ``direct s`` is the previous
route, the symmetric LP with its direct obedience
rows (``compact=False``), run for n up to ``--direct-n`` (default 200), with ``|dv|`` its value's
distance from irmd's.  The *plain reference* is the same LP built without symmetry
(``symmetric=False``) and solved by HiGHS dual simplex, run in the same invocation for every n up
to ``--reference-n`` (by default 200, the largest grid it solves within 10 minutes on the 2-core
machine: about 400 s for G).  ``ratio`` is the reference's build + solve time over irmd's (a
speed-up; ``-`` where the reference was not run).  ``cpu s`` is the process's CPU time for the LP
(symmetry check, build, solve, re-check): on a shared machine it is the time a quiet one would
take, while build s and solve s are wall-clock; ``load`` is the 1-minute load average when the LP
finished.  No value here is exact: ``confirmed`` is HiGHS's optimum re-checked in floating point.

Every LP runs in a fresh process, so that ``peak MB`` (the process's maximum resident set,
interpreter, imports and the mechanism's table included) is that LP's own.
Targets from issue 15: n = 200 under 60 s (G and Gc), n = 400 feasible.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import platform
import resource
import sys
import time

from irmd.verify.finite import HiGHS, first_price_auction, guarantee
from irmd.verify.finite.guarantee import DIRECT_NONZEROS

GRIDS = (10, 50, 100, 200, 400)
REFERENCE_N = 200
DIRECT_N = 200


ROUTES = {"irmd": {}, "direct": {"compact": False}, "reference": {"symmetric": False}}


def _run(n: int, program: str, route: str, time_limit: float) -> dict:
    """One LP, in a child process: sizes, times, peak memory and value."""
    start = time.perf_counter()
    env, mechanism = first_price_auction(n)
    setup = time.perf_counter() - start
    cpu = time.process_time()
    result = guarantee(env, mechanism, coarse=program == "Gc", solver=HiGHS(time_limit=time_limit), **ROUTES[route])
    return {"setup": setup, "build": result.build_seconds, "solve": result.solution.seconds,
            "cpu": time.process_time() - cpu,
            "value": None if result.value is None else float(result.value), "status": str(result.status),
            "variables": result.sizes["variables"], "rows": result.sizes["constraints"],
            "nonzeros": result.sizes["nonzeros"],
            "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "load": os.getloadavg()[0]}


def _child(queue, *args) -> None:
    try:
        queue.put(_run(*args))
    except Exception as error:  # report, do not hang the parent
        queue.put({"error": f"{type(error).__name__}: {error}"})


def run(n: int, program: str, route: str, time_limit: float) -> dict:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_child, args=(queue, n, program, route, time_limit))
    process.start()
    row = queue.get()
    process.join()
    return row


def _distance(row: dict, other: dict) -> float:
    if row["value"] is None or other["value"] is None:
        return float("nan")
    return abs(row["value"] - other["value"])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=list(GRIDS))
    parser.add_argument("--programs", nargs="+", choices=("G", "Gc"), default=["G", "Gc"])
    parser.add_argument("--reference-n", type=int, default=REFERENCE_N,
                        help="run the plain reference (full LP, dual simplex) for n up to this")
    parser.add_argument("--direct-n", type=int, default=DIRECT_N,
                        help="run the previous route (symmetric LP, direct obedience rows) for n up to this")
    parser.add_argument("--time-limit", type=float, default=1800.0, help="HiGHS time limit per LP (s)")
    args = parser.parse_args(argv)
    print(f"First-price auction, 2 bidders, common value; irmd: guarantee()'s route (symmetric LP, compact rows for "
          f"Gc and for G beyond {DIRECT_NONZEROS:,} non-zeros), HiGHS dual simplex (interior point for that "
          f"compact G); "
          f"direct: symmetric LP with direct rows (the previous route); reference: full LP, HiGHS dual simplex; "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()[0]:.2f}")
    header = (f"{'n':>4} {'prog':>4} {'variables':>9} {'rows':>7} {'nonzeros':>10} {'build s':>7} {'solve s':>8} "
              f"{'cpu s':>7} {'peak MB':>7} {'load':>5} {'value':>15} {'status':>9} | {'direct s':>8} {'dir MB':>6} "
              f"{'|dv|':>7} | {'ref vars':>8} {'ref s':>7} {'ref cpu':>7} {'ref MB':>6} {'ratio':>6} {'|dv|':>7}")
    print(header)
    print("-" * len(header))
    for n in args.n:
        for program in args.programs:
            row = run(n, program, "irmd", args.time_limit)
            if "error" in row:
                print(f"{n:>4} {program:>4} {row['error']}", flush=True)
                continue
            value = "-" if row["value"] is None else f"{row['value']:.12f}"
            line = (f"{n:>4} {program:>4} {row['variables']:>9} {row['rows']:>7} {row['nonzeros']:>10} "
                    f"{row['build']:>7.2f} {row['solve']:>8.2f} {row['cpu']:>7.2f} {row['peak_mb']:>7.0f} "
                    f"{row['load']:>5.1f} {value:>15} {row['status']:>9} | ")
            direct = run(n, program, "direct", args.time_limit) if n <= args.direct_n else None
            if direct is None or "error" in direct:
                line += f"{'-' if direct is None else direct['error']:>24} | "
            else:
                line += (f"{direct['build'] + direct['solve']:>8.2f} {direct['peak_mb']:>6.0f} "
                         f"{_distance(row, direct):>7.1e} | ")
            reference = run(n, program, "reference", args.time_limit) if n <= args.reference_n else None
            if reference is None or "error" in reference:
                line += "-" if reference is None else reference["error"]
            else:
                mine = row["build"] + row["solve"]
                theirs = reference["build"] + reference["solve"]
                line += (f"{reference['variables']:>8} {theirs:>7.2f} {reference['cpu']:>7.2f} "
                         f"{reference['peak_mb']:>6.0f} {theirs / max(mine, 1e-9):>6.2f} "
                         f"{_distance(row, reference):>7.1e}")
            print(line, flush=True)
    print(f"load at the end {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
