"""Benchmark of the bounding programs (18)-(19): one command, one table.

    python benchmarks/bench_bounding.py            # the issue's cases (about 5 minutes on 2 cores)
    python benchmarks/bench_bounding.py --quick    # small grids only
    python benchmarks/bench_bounding.py --case common-value-auction:N=2:16 --full   # without symmetry

Every (candidate, k, program) runs in a fresh subprocess so that "peak MB" is
that solve's own peak resident memory (build and solver included).  Columns:
k, variables, rows, build s, solve s, peak MB, value (the recomputed bound), the
certified end of the bracket (exact arithmetic, rounded outwards: the lower end for
the guarantee, the upper end for the potential; "-" when not certified) and the
value's gap to the analytic value (positive = on the correct side).

Reference (independent implementation, full LPs with Clarabel, same 2-core
machine): about 400 s for the N = 2 auction guarantee at k = 16 (264k variables)
and about 165 s for N = 3 at k = 5.  Targets: N = 2, k = 16 under 40 s per
program; N = 3, k = 6 feasible.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

DEFAULT = [
    "common-value-auction:N=2:4", "common-value-auction:N=2:8", "common-value-auction:N=2:12",
    "common-value-auction:N=2:16", "common-value-auction:N=3:5", "common-value-auction:N=3:6",
    "bilateral-trade::16",
]
QUICK = ["common-value-auction:N=2:4", "common-value-auction:N=2:8", "common-value-auction:N=3:3",
         "bilateral-trade::8"]


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
    start = time.perf_counter()
    result = solve(env, grid, solver, use_symmetry=symmetry)
    wall = time.perf_counter() - start
    gap = None
    if result.value is not None and source.analytic is not None:
        gap = source.analytic - result.value if program == "guarantee" else result.value - source.analytic
    return {"case": f"{name} {params.get('N', '') and 'N=' + params['N']}".strip(), "program": program,
            "k": int(k), "variables": result.size.variables, "rows": result.size.rows,
            "build": result.size.build_seconds, "solve": result.size.solve_seconds, "wall": wall,
            "peak": peak_memory_mb(), "value": result.value, "gap": gap, "status": str(result.status),
            "certified": None if result.certified is None else result.certified.decimal(10),
            "arithmetic": None if result.certified is None else result.certified.arithmetic,
            "t_max": t_max, "symmetric": result.symmetric}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small grids only")
    parser.add_argument("--case", action="append", help="NAME:PARAMS:K, e.g. common-value-auction:N=2:16")
    parser.add_argument("--programs", default="guarantee,potential")
    parser.add_argument("--solver", default="clarabel")
    parser.add_argument("--full", action="store_true", help="no symmetry reduction")
    parser.add_argument("--one", nargs=2, metavar=("CASE", "PROGRAM"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(one(args.one[0], args.one[1], args.solver, not args.full)))
        return 0
    cases = args.case or (QUICK if args.quick else DEFAULT)
    header = (f"{'case':<26} {'program':<10} {'k':>3} {'variables':>10} {'rows':>9} {'build s':>8} {'solve s':>8} "
              f"{'peak MB':>8} {'value':>12} {'certified':>13} {'gap':>10}  status")
    print(header)
    print("-" * len(header))
    for case in cases:
        for program in args.programs.split(","):
            cmd = [sys.executable, __file__, "--one", case, program, "--solver", args.solver] + (
                ["--full"] if args.full else [])
            proc = subprocess.run(cmd, capture_output=True, text=True)
            if proc.returncode != 0:
                print(f"{case:<26} {program:<10} failed: {proc.stderr.strip().splitlines()[-1:]}")
                continue
            r = json.loads(proc.stdout.strip().splitlines()[-1])
            value = "-" if r["value"] is None else f"{r['value']:.8f}"
            gap = "-" if r["gap"] is None else f"{r['gap']:.2e}"
            certified = r.get("certified") or "-"
            print(f"{r['case']:<26} {program:<10} {r['k']:>3} {r['variables']:>10} {r['rows']:>9} {r['build']:>8.2f} "
                  f"{r['solve']:>8.2f} {r['peak']:>8.0f} {value:>12} {certified:>13} {gap:>10}  {r['status']}",
                  flush=True)
    print(f"solver {args.solver}, {'full LPs' if args.full else 'symmetry-reduced where the agents are exchangeable'}, "
          "t_max = twice the candidate mechanism's largest transfer; gap > 0 means the bound is on the correct side; "
          "certified = the program's end of the bracket in exact arithmetic (lower end rounded down, upper rounded up)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
