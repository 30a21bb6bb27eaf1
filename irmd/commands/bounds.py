"""``irmd bounds``: the bounding programs (18)-(19) for a built-in candidate.

Solves the guarantee program (lower bound on G*) and the potential program
(upper bound on P*) on the grid {0, 1/k, ..., Y}^N, compares both with the
candidate's analytic value, and says whether lower <= analytic <= upper holds;
with several k (``--k 4,8,12,16``) it sweeps and extrapolates to k -> infinity.

Exit codes: 0 the order holds (or nothing to compare), 1 it is violated
(a bug or an invalid t_max, named in the output), 2 a program was not solved,
3 bad input.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass

from irmd.analytic import library
from irmd.candidate_files import build_from_file
from irmd.errors import ParameterError
from irmd.status import EXIT_OK
from irmd.verify.bounding import plots
from irmd.verify.bounding.api import Order, compute_bounds, make_grid, sweep_bounds
from irmd.verify.bounding.builtins import resolve, source_from_candidate
from irmd.verify.bounding.certified import describe_conditions
from irmd.verify.bounding.common import peak_memory_mb
from irmd.verify.bounding.estimate import check_fits

from ._arguments import IntegerList, memory_size, positive_integers, positive_seconds, printed_digits, writable_file


@dataclass(frozen=True)
class BoundsReport:
    """What ``irmd bounds --json`` prints: the result, where the analytic value came from, the run's cost."""

    result: object  # BoundsResult or SweepResult
    source: object  # builtins.Source
    peak_mb: float
    exit_code: int

    def to_dict(self, dps: int = 10) -> dict:
        out = self.result.to_dict(dps)
        out["source"] = self.source.to_dict()
        out["peak_mb"] = f"{self.peak_mb:.1f}"
        out["exit_code"] = self.exit_code
        return out


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "bounds",
        help="solve the bounding LPs (18)-(19) on a grid and compare with the analytic value",
        description="Solve the guarantee program (19, a lower bound on G*) and the potential program "
        "(18, an upper bound on P*) on the grid {0, 1/k, ..., Y}^N for a built-in candidate, and check "
        "lower <= analytic <= upper. Several k (--k 4,8,12,16) give a sweep with Richardson extrapolation.",
        epilog="Exit codes: 0 ok, 1 order violated (bug or invalid t_max, named), 2 a program not solved, "
        "3 bad input.",
    )
    parser.add_argument("name", nargs="?", help="built-in candidate, e.g. common-value-auction or bilateral-trade")
    parser.add_argument("--file", metavar="FILE.py", default=None,
                        help="the candidate of a Python file instead (see `irmd verify --file`)")
    parser.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                        help="candidate parameter, repeatable (e.g. --param N=3 --param mu1=0.4)")
    parser.add_argument("--k", required=True, type=positive_integers, nargs="+", action=IntegerList, metavar="K",
                        help="inverse grid step; several (--k 4 8 or --k 4,8) run a sweep")
    parser.add_argument("--top", default=None, metavar="Y",
                        help="top of the grid, a multiple of 1/k (default: k, the survey's X(k^2))")
    parser.add_argument("--t-max", default=None, metavar="T",
                        help="transfer bound replacing free transfers; 'free' keeps them free (default: twice the "
                        "candidate mechanism's largest transfer)")
    parser.add_argument("--solver", default="auto",
                        choices=["auto", "clarabel", "highs-ipm", "highs-simplex", "highs-pdlp", "highs-hipdlp"],
                        help="LP solver (default auto: Clarabel for N <= 2; from N = 3 on HiGHS's PDLP for the "
                        "guarantee and its HiPDLP for the potential at N = 3, 4; the README's Speed says why)")
    parser.add_argument("--programs", default="both", choices=["both", "guarantee", "potential"])
    parser.add_argument("--tie-break", default="none", choices=["none", "proportional", "smooth"],
                        help="secondary objective selecting one optimal mechanism of the guarantee LP")
    parser.add_argument("--no-symmetry", action="store_true", help="solve the full LPs even for symmetric agents")
    parser.add_argument("--time-limit", type=positive_seconds, default=None, metavar="SECONDS", help="per solve")
    parser.add_argument("--digits", type=printed_digits, default=12,
                        help="significant digits of printed decimals (default 12)")
    parser.add_argument("--max-memory", default=None, metavar="SIZE", type=memory_size,
                        help="memory a grid may be planned to use, e.g. 8G or 500M (default: 3/4 of this machine's); "
                        "a larger grid is refused before anything is built")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--plot", default=None, metavar="FILE.png", type=writable_file((".png",)),
                        help="heatmaps of q, t and sigma (one k) or both bounds against 1/k (a sweep)")
    parser.set_defaults(handler=run)


def _params(items) -> dict:
    out = {}
    for item in items:
        for part in item.split(","):
            key, sep, value = part.partition("=")
            if not sep or not key.strip() or not value.strip():
                raise ParameterError(f"--param expects KEY=VALUE, got {part!r}")
            out[key.strip()] = value.strip()
    return out


def _t_max(text, scale):
    if text is None:
        if scale is None:
            return None, "free (no default known)"
        value = float(f"{2 * scale:.3g}")
        return value, f"{value:g} (default: twice the candidate mechanism's largest transfer {scale:.4g})"
    if text.strip().lower() in ("free", "inf", "none"):
        return None, "free"
    try:
        value = float(text)
    except ValueError:
        raise ParameterError(f"--t-max must be a positive number or 'free', got {text!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ParameterError(f"--t-max must be a positive number or 'free', got {text!r}")
    return value, f"{value:g}"


def _fmt(value, dps):
    return "-" if value is None else f"{value:.{dps}g}"


def _program_line(label, result, dps):
    if result is None:
        return None
    size = result.size
    return (f"  {label:<16} {_fmt(result.value, dps):>16}  {result.status}\n"
            f"  {'':<16} {size.variables} variables, {size.rows} rows, build {size.build_seconds:.2f} s, "
            f"solve {size.solve_seconds:.2f} s by {result.solver}{', symmetric' if result.symmetric else ''}")


def _print_single(result, source, t_text, dps):
    print(f"{source.name} {' '.join(f'{k}={v}' for k, v in source.params.items())}".rstrip())
    print(f"  grid {result.grid.describe()}, t_max = {t_text}, solver {result.solver}")
    for line in (_program_line("guarantee (19)", result.guarantee, dps),
                 _program_line("potential (18)", result.potential, dps)):
        if line:
            print(line)
    bracket = result.bracket
    for label, end in (("certified lower", bracket.lower), ("certified upper", bracket.upper)):
        if end is not None and end.certified:
            print(f"  {label:<16} {end.decimal(dps):>16}  rounded {'down' if end.side == 'lower' else 'up'}")
        elif end is not None:
            print(f"  {label:<16} {'-':>16}  {end.message}")
    if bracket.lower is not None or bracket.upper is not None:
        print(f"  arithmetic: {bracket.arithmetic}; {bracket.condition()}")
    print(f"  {'analytic value':<16} {_fmt(result.analytic, dps):>16}  {source.analytic_origin}")
    print(f"  lower <= analytic <= upper: {result.order.order}: {result.order.message}")
    contains = result.to_dict(dps)["certified"]["contains_analytic"]
    if contains is not None:
        # An end is missing when its program was not run (--programs) or its point was not certified.
        missing = [side for side, end in (("lower", bracket.lower), ("upper", bracket.upper))
                   if end is None or not end.certified]
        print(f"  certified lower <= analytic <= certified upper: {'holds' if contains else 'VIOLATED'}"
              + (f" (no certified {' or '.join(missing)} end)" if missing else ""))
    for note in source.notes:
        print(f"  note: {note}")
    for r in (result.guarantee, result.potential):
        if r is not None and not r.ok:
            print(f"  {r.to_dict()['program']}: {r.message}")
    for warning in result.warnings:
        print(f"  warning: {warning}")
    if result.shapes is not None and result.shapes.distances:
        print(f"  shape vs candidate on {result.shapes.region} (tie-break {result.tie_break}):")
        for d in result.shapes.distances:
            print(f"    {d.quantity:<18} sup {d.sup:.3g}  L1 {d.l1:.3g}")


def _print_sweep(sweep, source, t_text, dps):
    first = sweep.results[0]
    print(f"{source.name} {' '.join(f'{k}={v}' for k, v in source.params.items())}".rstrip())
    print(f"  t_max = {t_text}, solver {first.solver}, analytic {_fmt(sweep.analytic, dps)} ({source.analytic_origin})")
    print(f"  {'k':>4} {'lower':>14} {'upper':>14} {'certified lower':>16} {'certified upper':>16} "
          f"{'gap lower':>11} {'gap upper':>11}  order")
    for r in sweep.results:
        gl = None if r.lower is None or r.analytic is None else r.analytic - r.lower
        gu = None if r.upper is None or r.analytic is None else r.upper - r.analytic
        ends = [_certified_text(end, dps) for end in (r.bracket.lower, r.bracket.upper)]
        print(f"  {r.grid.k:>4} {_fmt(r.lower, dps):>14} {_fmt(r.upper, dps):>14} {ends[0]:>16} {ends[1]:>16} "
              f"{_fmt(gl, 3):>11} {_fmt(gu, 3):>11}  {r.order.order}")
    brackets = [r.bracket for r in sweep.results]
    print(f"  certified: lower rounded down, upper rounded up; arithmetic: "
          f"{'arb balls' if any(b.arithmetic == 'arb balls' for b in brackets) else 'exact rationals'}; "
          f"{describe_conditions(brackets)}")
    for label, limit in (("lower", sweep.lower_limit), ("upper", sweep.upper_limit)):
        fitted = "" if limit.fitted is None else f", fitted order {limit.order:.2f} -> {limit.fitted:.{dps}g}"
        print(f"  extrapolated {label}: Richardson (order 1) {_fmt(limit.richardson, dps)}{fitted}")
    print("  (extrapolations are estimates, not bounds)")
    for r in sweep.results:
        if r.order.order.name != "HOLDS":
            print(f"  k={r.grid.k}: {r.order.message}")
        for end in (r.bracket.lower, r.bracket.upper):
            if end is not None and not end.certified:
                print(f"  k={r.grid.k}: {end.side} end {end.message}")
        for warning in r.warnings:
            print(f"  k={r.grid.k} warning: {warning}")
    for note in source.notes:
        print(f"  note: {note}")


def _certified_text(end, dps) -> str:
    if end is None:
        return "-"
    return end.decimal(dps) if end.certified else "not certified"


def _exit_code(results) -> int:
    for r in results:
        if r.order.order in (Order.BUG, Order.INVALID_T_MAX):
            return 1
    for r in results:
        for p in (r.guarantee, r.potential):
            if p is not None and not p.ok:
                return 2
    return EXIT_OK




def run(args) -> int:
    if bool(args.name) == (args.file is not None):
        raise ParameterError("give a candidate NAME or --file FILE.py (not both)")
    ks = args.k
    params = _params(args.param)
    candidate = build_from_file(args.file, params) if args.file is not None else library.build(args.name, params)
    for k in ks:   # before the verifier runs and before any program is built
        grid = make_grid(candidate.environment.agents, k, args.top)
        check_fits(grid.agents, grid.k, args.top, args.max_memory)   # (the top given, or Y = k)
    source = source_from_candidate(candidate) if args.file is not None else resolve(args.name, params,
                                                                                     candidate=candidate)
    t_max, t_text = _t_max(args.t_max, source.transfer_scale)
    programs = ("guarantee", "potential") if args.programs == "both" else (args.programs,)
    options = dict(t_max=t_max, solver=args.solver, programs=programs, use_symmetry=not args.no_symmetry,
                   tie_break=args.tie_break, analytic=source.analytic, transfer_scale=source.transfer_scale,
                   shapes=source.shapes, time_limit=args.time_limit, name=source.name, params=source.params,
                   max_memory=args.max_memory)
    single = len(ks) == 1
    if single:
        outcome = compute_bounds(source.environment, ks[0], args.top, **options)
        results = [outcome]
    else:
        outcome = sweep_bounds(source.environment, ks, args.top, **options)
        results = list(outcome.results)
    if args.plot:
        if single:
            plots.plot_heatmaps(outcome, args.plot, f"{source.name}, k = {ks[0]}")
        else:
            plots.plot_sweep(outcome, args.plot, f"{source.name}: bounding programs against 1/k")
    if args.json:
        print(json.dumps(BoundsReport(outcome, source, peak_memory_mb(), _exit_code(results)).to_dict(args.digits),
                         indent=2))
    else:
        (_print_single if single else _print_sweep)(outcome, source, t_text, args.digits)
    if not args.json:
        if args.plot:
            print(f"  plot written to {args.plot}")
        print(f"  peak memory {peak_memory_mb():.0f} MB")
    return _exit_code(results)
