"""``irmd public-good``: the public good of the survey's Section 5.2, where there is no saddle point.

Guarantees G(M) of participation-secure mechanisms (all 0), potentials P(I) of information structures
(bounded away from 0), and, with ``--k``, both against the grid fineness 1/k (finite LPs on finer
grids and the bounding programs (18)/(19) on X(k^2)).
"""
from __future__ import annotations

import json
import math
import sys

from matplotlib.figure import Figure

from irmd.errors import ParameterError
from irmd.status import Status, combine
from irmd.verify.bounding import compute_bounds
from irmd.verify.finite.output import number_text
from irmd.verify.finite.public_good import (
    DEFAULT_ACCURACY,
    DEFAULT_DELTA,
    INFORMATION,
    MECHANISMS,
    check_parameters,
    public_good_gap,
    public_good_instance_dict,
    public_good_sweep,
)

from ._arguments import IntegerList, positive_integers, positive_seconds, printed_digits, writable_file

_EXIT = {Status.PROVED: 0, Status.CONFIRMED: 4, Status.REFUTED: 1, Status.INCONCLUSIVE: 2}
_PARAMS = {"v": "3/4", "eps": "1/10", "n": "2", "delta": str(DEFAULT_DELTA), "accuracy": str(DEFAULT_ACCURACY),
           "levels": None}
#: Grid sizes of a plot asked for without --k.
DEFAULT_KS = (2, 4, 8)


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "public-good", help="built-in example with a duality gap: G(M) = 0 for secure mechanisms, P(I) > 0",
        description="The public good of the survey (Section 5.2): cost 1, two agents, common value theta in "
                    "{0, v}, v in (1/2, 1), mu(0) = eps; surplus (2 theta - 1) if provided. Every "
                    "participation-secure mechanism has guarantee 0, yet every information structure has "
                    "potential at least max(0, 2(1 - eps) v - 1): there is no saddle point.",
        epilog="Parameters (--param KEY=VALUE): v (3/4), eps (1/10), n (contribution grid {0, 1/n, ..., 1}; 2), "
               "delta (two-point structure: lower interim value 1/2 - delta; 1/100), accuracy (private "
               "signals; 3/4), levels (actions of the 'levels' mechanism; n). "
               "Exit codes: 0 proved, 4 confirmed (floating point only), 1 no gap (eps >= 1 - 1/(2v)), "
               "2 inconclusive, 3 bad input.")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="parameter, repeatable (e.g. --param v=3/4 --param eps=1/10 --param n=4)")
    p.add_argument("--mechanism", action="append", choices=MECHANISMS, default=None,
                   help=f"secure mechanism(s) to solve (repeatable; default all: {', '.join(MECHANISMS)})")
    p.add_argument("--information", action="append", choices=INFORMATION, default=None,
                   help=f"information structure(s) to solve (repeatable; default all: {', '.join(INFORMATION)})")
    p.add_argument("--k", type=positive_integers, nargs="+", action=IntegerList, default=None, metavar="K",
                   help="grid sizes 1/k (as --k 2 4 8 or --k 2,4,8): the values against the grid fineness")
    p.add_argument("--no-bounds", action="store_true",
                   help="with --k, skip the bounding programs (18)/(19) on X(k^2) (only the finite LPs)")
    exact = p.add_mutually_exclusive_group()
    exact.add_argument("--exact", dest="exact", action="store_true", default=True,
                       help="certify every finite LP exactly from its optimal basis (the default)")
    exact.add_argument("--float", dest="exact", action="store_false",
                       help="floating-point LPs only (status confirmed)")
    p.add_argument("--save", type=writable_file((".json",)), default=None, metavar="FILE.json",
                   help="write the environment with the first --mechanism and --information (default unanimity "
                        "and two-point) as a finite JSON file for 'irmd guarantee' and 'irmd potential'")
    p.add_argument("--plot", type=writable_file((".png",)), default=None, metavar="FILE.png",
                   help=f"plot the values against 1/k (default k: {', '.join(map(str, DEFAULT_KS))})")
    p.add_argument("--json", action="store_true", help="print the result as JSON (numbers as strings)")
    p.add_argument("--digits", type=printed_digits, default=12, help="significant digits of decimals (default 12)")
    p.add_argument("--time-limit", type=positive_seconds, default=None, metavar="S",
                   help="time limit per bounding program in seconds")
    p.set_defaults(handler=_run)


def bounding_programs(time_limit=None, solver: str = "clarabel"):
    """The bounding programs (19) and (18) on X(k^2) for :func:`public_good_sweep`: ``(environment, k)`` ->
    ``(lower, upper, statuses)``."""
    def solve(environment, k: int):
        r = compute_bounds(environment, k, solver=solver, time_limit=time_limit, name="public-good")
        return r.lower, r.upper, f"{r.guarantee.status}/{r.potential.status}"
    return solve


def _params(items) -> dict:
    out = dict(_PARAMS)
    for item in items:
        for part in item.split(","):
            key, sep, value = part.partition("=")
            key, value = key.strip(), value.strip()
            if not sep or not key or not value:
                raise ParameterError(f"--param expects KEY=VALUE, got {part!r}")
            if key not in _PARAMS:
                raise ParameterError(f"unknown parameter {key!r}; public-good takes {', '.join(_PARAMS)}")
            out[key] = value
    return out


def _text(value, digits: int) -> str:
    if value is None:
        return "-"
    exact = number_text(value, digits)
    decimal = number_text(float(value), min(digits, 6))
    return exact if exact == decimal or "/" not in exact else f"{exact} ~ {decimal}"


def _run(args) -> int:
    params = _params(args.param)
    v, eps, n = check_parameters(params["v"], params["eps"], params["n"])
    options = dict(delta=params["delta"], accuracy=params["accuracy"], levels=params["levels"])
    ks = args.k if args.k is not None else (list(DEFAULT_KS) if args.plot else None)
    gap = public_good_gap(v, eps, n, mechanisms=args.mechanism, information=args.information, exact=args.exact,
                          **options)
    sweep = None
    if ks:
        sweep = public_good_sweep(v, eps, ks, exact=args.exact,
                                  bounds=None if args.no_bounds else bounding_programs(args.time_limit))
    if args.save:
        data = public_good_instance_dict(v, eps, n, (args.mechanism or ["unanimity"])[0],
                                         (args.information or ["two-point"])[0], **options)
        with open(args.save, "w") as handle:
            handle.write(_compact_json(data))
    if args.plot:
        _plot(sweep, args.plot)
    status = gap.status if sweep is None else combine([gap.status, sweep.status])
    if args.json:
        out = gap.to_dict(args.digits)
        if sweep is not None:
            out = {"status": str(status), "gap": out, "grids": sweep.to_dict(args.digits)}
        json.dump(out, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return _EXIT[status]
    _print_gap(gap, args.digits)
    if sweep is not None:
        _print_sweep(sweep, args.digits)
    if args.save:
        print(f"wrote {args.save} (try: irmd guarantee {args.save} --exact; irmd potential {args.save} --exact)")
    if args.plot:
        print(f"wrote {args.plot}")
    print(f"status: {status}")
    return _EXIT[status]


def _compact_json(data: dict) -> str:
    """One line per key of the document and of its objects (the arrays stay on their line)."""
    def block(value, indent: str) -> str:
        if not isinstance(value, dict):
            return json.dumps(value)
        inner = ",\n".join(f"{indent}  {json.dumps(k)}: {block(v, indent + '  ')}" for k, v in value.items())
        return "{\n" + inner + "\n" + indent + "}"
    return block(data, "") + "\n"


def _print_gap(gap, digits: int) -> None:
    print(f"Public good (survey 5.2): cost 1, theta in {{0, {gap.v}}}, mu(0) = eps = {gap.eps}, "
          f"contributions {{0, 1/{gap.n}, ..., 1}}")
    print("Guarantees of participation-secure mechanisms (min over Bayes correlated equilibria):")
    print(f"  {'mechanism':<14} {'G(M)':>22}  {'status':>12}  {'hand check':>10}  rule")
    for g in gap.guarantees:
        print(f"  {g.name:<14} {_text(g.value, digits):>22}  {str(g.status):>12}  "
              f"{'G = 0' if g.check_holds else 'FAILS':>10}  {g.description}")
    print("Potentials of information structures (max over truthful, interim-IR direct mechanisms):")
    print(f"  {'information':<14} {'P(I)':>22}  {'status':>12}  {'footnote mech.':>22}  structure")
    for p in gap.potentials:
        check = _text(p.check_value, digits) if p.check_holds else "FAILS"
        print(f"  {p.name:<14} {_text(p.value, digits):>22}  {str(p.status):>12}  {check:>22}  {p.description}")
    print(f"max G(M) = {_text(gap.max_guarantee, digits)};  min P(I) = {_text(gap.min_potential, digits)};  "
          f"gap = {_text(gap.gap, digits)}")
    print(f"P* = max(0, 2(1 - eps) v - 1) = {_text(gap.minimal_potential, digits)} (lower bound on every P(I)); "
          f"efficient surplus (1 - eps)(2v - 1) = {_text(gap.efficient_surplus, digits)}")
    print(f"{gap.status}: {gap.message}")


def _print_sweep(sweep, digits: int) -> None:
    d = min(digits, 8)
    print("Against the grid fineness 1/k (finite: subscription with pledges 1/k and k levels, two-point "
          "structure with delta = 1/(2k); bounding programs on X(k^2)):")
    print(f"  {'k':>4} {'1/k':>8} {'bound (19)':>14} {'max G finite':>14} {'P two-point':>22} "
          f"{'bound (18)':>14} {'P*':>10}")
    for e in sweep.entries:
        lower = "-" if e.lower is None else number_text(e.lower, d)
        upper = "-" if e.upper is None else number_text(e.upper, d)
        print(f"  {e.k:>4} {number_text(1 / e.k, 4):>8} {lower:>14} {_text(e.guarantee.value, d):>14} "
              f"{_text(e.potential.value, d):>22} {upper:>14} {str(sweep.minimal_potential):>10}")
    for note in sweep.notes:
        print(f"  note: {note}")
    print(f"{sweep.status}: {sweep.message}")


def _float(value) -> float:
    return math.nan if value is None else float(value)


def _plot(sweep, path: str) -> None:
    fig = Figure(figsize=(6.4, 4.4))
    ax = fig.subplots()
    inverse = [1 / e.k for e in sweep.entries]
    if any(e.lower is not None for e in sweep.entries):
        ax.plot(inverse, [_float(e.lower) for e in sweep.entries], "o-", color="tab:blue",
                label="guarantee bound (19) on X(k^2)")
        ax.plot(inverse, [_float(e.upper) for e in sweep.entries], "s-", color="tab:red",
                label="potential bound (18) on X(k^2)")
    ax.plot(inverse, [_float(e.guarantee.value) for e in sweep.entries], "v--", color="tab:cyan",
            label="max G(M), secure mechanisms on grid 1/k")
    ax.plot(inverse, [_float(e.potential.value) for e in sweep.entries], "^--", color="tab:orange",
            label="P(I), two-point structure, delta = 1/(2k)")
    ax.axhline(float(sweep.minimal_potential), color="black", lw=1, ls=":",
               label=f"P* = {sweep.minimal_potential}")
    ax.axhline(0, color="gray", lw=1, ls=":", label="G* = 0")
    ax.set_xlabel("1/k")
    ax.set_ylabel("value")
    ax.set_xlim(left=0)
    ax.set_title(f"Public good, v = {sweep.v}, eps = {sweep.eps}: no saddle point")
    ax.legend(fontsize=7)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
