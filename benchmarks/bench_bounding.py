"""Benchmark of the bounding programs (18)-(19): one command, one table, the plain reference in the same run.

    python benchmarks/bench_bounding.py                 # the issue's targets (long: hours on 2 cores)
    python benchmarks/bench_bounding.py --quick         # small grids only (about 2 minutes)
    python benchmarks/bench_bounding.py --case common-value-auction:N=2:16 --reference-k 12
    python benchmarks/bench_bounding.py --case bilateral-trade::12 --no-reference

Every (candidate, k, program) runs in a fresh subprocess so that "peak MB" is that
solve's own peak resident memory (build, solver and certification included), with a
wall-clock limit (``--timeout``).  Columns: case, program, k, variables, rows, build s,
solve s, total s (build + solve + read-back with the exact certification), peak MB,
value (the bound recomputed from the returned point), certified (that program's end
of the bracket in exact arithmetic, rounded outwards: the lower end for the
guarantee, the upper end for the potential; "-" when not certified), gap (value to
the analytic value, positive = on the correct side) and "x plain": the plain
reference's total time divided by this row's, on the same grid.

**The plain reference** is the same LP built without the symmetry reduction and
solved by Clarabel (``--full --solver clarabel``), run in the same invocation on the
largest grid of each family that it finishes within ``--reference-timeout`` (10
minutes by default); ``--reference-k`` picks that grid, otherwise :data:`REFERENCE_K`
(measured on the 2-core machine).  The reduced program is run on that grid too, so
the ratio is always of the same LP size.  After the rows of a case come its certified
bracket ``G_lower <= G* <= P* <= P_upper`` and whether it contains the analytic value.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

#: The issue's targets (issue 15, 2-core machine).
DEFAULT = [
    "common-value-auction:N=2:16", "common-value-auction:N=2:32",
    "bilateral-trade::16", "bilateral-trade::24",
    "common-value-auction:N=3:8", "common-value-auction:N=4:5", "common-value-auction:N=5:4",
]
QUICK = ["common-value-auction:N=2:4", "common-value-auction:N=2:8", "common-value-auction:N=3:3",
         "bilateral-trade::8"]
#: Grid of the plain reference (full LP, Clarabel) per family, the largest it is expected to finish
#: within 10 minutes per program on the 2-core machine: measured for N = 2 (k = 16: 597 s guarantee,
#: 247 s potential at load 4 to 7); bilateral trade has no symmetry, so its reduced LP *is* the plain
#: one (k = 16: 84 s with faer, 230 s with QDLDL); for N >= 3 chosen from the LP sizes (N = 3, k = 5 took about 165 s).
#: A family not listed gets the smallest k of its cases.
REFERENCE_K = {"common-value-auction:N=2": 16, "bilateral-trade:": 16, "common-value-auction:N=3": 5,
               "common-value-auction:N=4": 3, "common-value-auction:N=5": 2}


def one(case: str, program: str, solver: str, symmetry: bool) -> dict:
    """Solve one program in this process and return its row (called in a subprocess)."""
    from irmd.verify.bounding.builtins import resolve
    from irmd.verify.bounding.common import peak_memory_mb
    from irmd.verify.bounding.grid import Grid
    from irmd.verify.bounding.guarantee_lp import solve_guarantee
    from irmd.verify.bounding.potential_lp import solve_potential
    from irmd.verify.bounding.reduced import reduce_environment

    name, params, k = case.split(":")
    params = dict(p.split("=") for p in params.split(",") if p)
    source = resolve(name, params)
    t_max = float(f"{2 * source.transfer_scale:.3g}")
    env = reduce_environment(source.environment, t_max)
    grid = Grid.survey(env.agents, int(k))
    solve = solve_guarantee if program == "guarantee" else solve_potential
    before = peak_memory_mb()
    start = time.perf_counter()
    result = solve(env, grid, solver, use_symmetry=symmetry)
    wall = time.perf_counter() - start
    gap = None
    if result.value is not None and source.analytic is not None:
        gap = source.analytic - result.value if program == "guarantee" else result.value - source.analytic
    certified = result.certified
    return {"program": program, "k": int(k), "variables": result.size.variables, "rows": result.size.rows,
            "build": result.size.build_seconds, "solve": result.size.solve_seconds, "wall": wall,
            "peak": peak_memory_mb(), "peak_before": before, "points": grid.points, "value": result.value,
            "gap": gap, "status": str(result.status), "analytic": source.analytic,
            "certified": None if certified is None or not certified.certified else certified.decimal(10),
            "certified_exact": None if certified is None or certified.value is None else
            f"{certified.value.numerator}/{certified.value.denominator}",
            "arithmetic": None if certified is None else certified.arithmetic, "t_max": t_max,
            "symmetric": result.symmetric, "solver": result.solver}


def run(case: str, program: str, solver: str, full: bool, timeout: float) -> dict | str:
    """One row from a fresh subprocess, or the reason there is none."""
    cmd = [sys.executable, __file__, "--one", case, program, "--solver", solver] + (["--full"] if full else [])
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"over the {timeout:.0f} s limit"
    if proc.returncode != 0:
        return "failed: " + " ".join(proc.stderr.strip().splitlines()[-1:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def family(case: str) -> str:
    name, params, _ = case.split(":")
    return f"{name}:{params}"


def label(case: str, full: bool) -> str:
    name, params, _ = case.split(":")
    return (f"{name} {params}".strip() + (" plain" if full else ""))[:30]


HEADER = (f"{'case':<30} {'program':<9} {'k':>3} {'variables':>9} {'rows':>9} {'build s':>7} {'solve s':>8} "
          f"{'total s':>8} {'peak MB':>7} {'value':>11} {'certified':>12} {'gap':>9} {'x plain':>7}  status")


def print_row(case: str, full: bool, program: str, k: int, row, ratio=None) -> None:
    if isinstance(row, str):
        print(f"{label(case, full):<30} {program:<9} {k:>3}  {row}", flush=True)
        return
    value = "-" if row["value"] is None else f"{row['value']:.8f}"
    gap = "-" if row["gap"] is None else f"{row['gap']:.2e}"
    times = "-" if ratio is None else f"{ratio:.1f}"
    print(f"{label(case, full):<30} {program:<9} {k:>3} {row['variables']:>9} {row['rows']:>9} {row['build']:>7.2f} "
          f"{row['solve']:>8.2f} {row['wall']:>8.2f} {row['peak']:>7.0f} {value:>11} {row['certified'] or '-':>12} "
          f"{gap:>9} {times:>7}  {row['status']} ({row['solver']})", flush=True)


def print_bracket(case: str, rows: dict) -> None:
    lower, upper = rows.get("guarantee"), rows.get("potential")
    lo = lower["certified"] if isinstance(lower, dict) else None
    hi = upper["certified"] if isinstance(upper, dict) else None
    analytic = next((r["analytic"] for r in (lower, upper) if isinstance(r, dict)), None)
    width = "-" if lo is None or hi is None else f"{float(hi) - float(lo):.3e}"
    contains = "-"
    if analytic is not None and (lo is not None or hi is not None):
        contains = "yes" if (lo is None or float(lo) <= analytic) and (hi is None or analytic <= float(hi)) else "NO"
    print(f"{'':<30} bracket {lo or '-'} <= G* <= P* <= {hi or '-'}  (width {width}, analytic "
          f"{'-' if analytic is None else f'{analytic:.10f}'} inside: {contains})", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small grids only")
    parser.add_argument("--case", action="append", help="NAME:PARAMS:K, e.g. common-value-auction:N=2:16")
    parser.add_argument("--programs", default="guarantee,potential")
    parser.add_argument("--solver", default="auto", help="auto (the default of irmd bounds) or a solver name")
    parser.add_argument("--full", action="store_true", help="no symmetry reduction for the cases themselves")
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds per program (default 3600)")
    parser.add_argument("--reference-timeout", type=float, default=600.0,
                        help="seconds per program of the plain reference (default 600)")
    parser.add_argument("--reference-k", type=int, action="append", default=None,
                        help="grid of the plain reference (one per family, in the order of the cases)")
    parser.add_argument("--no-reference", action="store_true", help="skip the plain reference")
    parser.add_argument("--one", nargs=2, metavar=("CASE", "PROGRAM"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], args.solver, not args.full)))
        return 0
    cases = args.case or (QUICK if args.quick else DEFAULT)
    programs = args.programs.split(",")
    families = list(dict.fromkeys(family(c) for c in cases))
    reference_k = {}
    for i, fam in enumerate(families):
        given = args.reference_k[i] if args.reference_k and i < len(args.reference_k) else None
        reference_k[fam] = given or REFERENCE_K.get(fam) or min(int(c.split(":")[2]) for c in cases
                                                                if family(c) == fam)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) at start: {load:.2f}; {os.cpu_count()} cores")
    print(HEADER)
    print("-" * len(HEADER))
    for fam in families:
        ks = sorted({int(c.split(":")[2]) for c in cases if family(c) == fam}
                    | (set() if args.no_reference else {reference_k[fam]}))
        reference: dict = {}
        for k in ks:
            case = f"{fam}:{k}"
            rows = {program: run(case, program, args.solver, args.full, args.timeout) for program in programs}
            if k == reference_k[fam] and not args.no_reference:
                ref_case = f"{fam}:{k}"
                for program in programs:
                    row = rows[program]
                    if isinstance(row, dict) and not row["symmetric"] and row["solver"] == "clarabel":
                        reference[program] = row   # no symmetry to drop: this row is the plain LP itself
                    else:
                        reference[program] = run(ref_case, program, "clarabel", True, args.reference_timeout)
                    print_row(ref_case, True, program, k, reference[program])
                print_bracket(ref_case, reference)
            for program in programs:
                row, ref = rows[program], reference.get(program) if k == reference_k[fam] else None
                both = isinstance(ref, dict) and isinstance(row, dict) and row["wall"] > 0
                print_row(case, args.full, program, k, row, ref["wall"] / row["wall"] if both else None)
            print_bracket(case, rows)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"load average (1 min) at the end: {load:.2f}")
    print(f"solver {args.solver}, {'full LPs' if args.full else 'symmetry-reduced where the agents are exchangeable'}; "
          "plain = the same LP without symmetry, solved by Clarabel; x plain = plain total time / this total time "
          "on the same grid; t_max = twice the candidate mechanism's largest transfer; gap > 0 means the bound is on "
          "the correct side; certified = the program's end of the bracket in exact arithmetic (lower end rounded "
          "down, upper rounded up)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
