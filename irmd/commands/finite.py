"""``irmd fpa``, ``irmd auction``, ``irmd guarantee``, ``irmd potential`` and ``irmd reduce``: finite LPs (002)."""
from __future__ import annotations

import argparse
import contextlib
import json
import sys
from dataclasses import replace
from fractions import Fraction

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from irmd.errors import ParameterError
from irmd.status import Status
from irmd.verify.finite import HiGHS, guarantee, load_instance, potential
from irmd.verify.finite.output import number_text
from irmd.verify.finite.standard_auctions import (
    COMPARISON_RULES,
    auction_sweep,
    parse_rule,
    plot_auction_sweep,
)
from irmd.verify.finite.sweep import fpa_sweep, reduction_sweep

from ._arguments import (
    IntegerList,
    memory_size,
    positive_integer,
    positive_integers,
    positive_number,
    positive_seconds,
    printed_digits,
    writable_file,
)

_EXIT = {Status.PROVED: 0, Status.CONFIRMED: 0, Status.REFUTED: 1, Status.INCONCLUSIVE: 2}


def _common(parser: argparse.ArgumentParser, exact: bool = True) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON (numbers as strings)")
    parser.add_argument("--digits", type=printed_digits, default=12,
                        help="significant digits of printed decimals (default 12)")
    parser.add_argument("--time-limit", type=positive_seconds, default=None, metavar="S",
                        help="HiGHS time limit per LP in seconds")
    if exact:
        parser.add_argument("--exact", action="store_true",
                            help="reconstruct rational primal and dual solutions from the optimal basis and check "
                                 "them exactly (the value is then proved)")


def _max_memory(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--max-memory", default=None, metavar="SIZE", type=memory_size,
                        help="largest memory a grid may plan to use (mechanism and guarantee LP), e.g. 8G "
                             "(default: 3/4 of this machine's); a larger plan is refused with the largest --n "
                             "that fits")


def register(subparsers) -> None:
    fpa = subparsers.add_parser(
        "fpa", help="built-in example: guarantee of a first-price auction on a bid grid",
        description="Guarantee G and coarse guarantee Gc of the first-price auction with a common value "
                    "theta in {0, 1}, mu(1) = 1/2, bids {0, 1/n, ..., 1}, ties broken uniformly.",
        epilog="Example: irmd fpa --n 10 --exact")
    fpa.add_argument("--n", type=positive_integers, nargs="+", action=IntegerList, default=[10], metavar="N",
                     help="grid size(s), as --n 5 10 or --n 5,10; several values run a sweep (default 10)")
    fpa.add_argument("--bidders", type=positive_integer, default=2, help="number of bidders (default 2)")
    _max_memory(fpa)
    _common(fpa)
    fpa.set_defaults(handler=_run_fpa)

    auction = subparsers.add_parser(
        "auction", help="built-in example: guarantees of standard auctions (first, second, all-pay, mixtures)",
        description="Guarantee G and coarse guarantee Gc of standard auctions with a common value theta in "
                    "{0, 1}, mu(1) = 1/2, bids {0, 1/n, ..., 1}, ties broken uniformly: first-price (the winner "
                    "pays its bid), second-price (the winner pays the highest losing bid), all-pay (everyone pays "
                    "its bid) and mix:a,b,c (weights a, b, c of those three payment rules). --compare puts them "
                    "beside the proportional auction (survey Sections 3.5 and 5.3).",
        epilog="Examples: irmd auction --rule all-pay --n 5 --exact; irmd auction --rule mix:1/2,1/4,1/4 --n 5,10,20; "
               "irmd auction --compare --n 5 10 20 --plot auctions.png. "
               "Exit codes: 0 proved/confirmed, 2 inconclusive (solver failure), 3 bad input.")
    auction.add_argument("--rule", type=_auction_rule, nargs="+", default=None, metavar="RULE",
                         help="first, second, all-pay or mix:a,b,c (nonnegative weights summing to 1); "
                              "several rules run side by side (default first)")
    auction.add_argument("--compare", action="store_true",
                         help="compare first, second, all-pay and four mixtures (or the --rule list, with first) "
                              "grid by grid: is first-price highest (survey 5.3)? beside the proportional auction")
    auction.add_argument("--n", type=positive_integers, nargs="+", action=IntegerList, default=[10], metavar="N",
                         help="grid size(s), as --n 5 10 or --n 5,10; several values give a table in n with an "
                              "extrapolated limit (default 10)")
    auction.add_argument("--bidders", type=positive_integer, default=2, help="number of bidders (default 2)")
    auction.add_argument("--plot", default=None, metavar="FILE.png", type=writable_file((".png",)),
                         help="draw G (and Gc, dashed) against n for each rule")
    _max_memory(auction)
    _common(auction)
    auction.set_defaults(handler=_run_auction)

    g = subparsers.add_parser(
        "guarantee", help="G(M): guarantee of a finite mechanism (min over Bayes correlated equilibria)",
        description="Solve the guarantee LP of the mechanism in FILE.json "
                    "(format: see the README, section Finite mechanisms).",
        epilog="Exit codes: 0 proved/confirmed, 2 inconclusive (solver failure), 3 bad input.")
    g.add_argument("file", metavar="FILE.json")
    g.add_argument("--coarse", action="store_true", help="coarse guarantee Gc(M) (coarse correlated equilibria)")
    _common(g)
    g.set_defaults(handler=_run_guarantee)

    p = subparsers.add_parser(
        "potential", help="P(I): potential of a finite information structure (max over truthful mechanisms)",
        description="Solve the potential LP of the information structure in FILE.json "
                    "(format: see the README, section Finite mechanisms).",
        epilog="Exit codes: 0 proved/confirmed, 2 inconclusive (solver failure or infeasible), 3 bad input.")
    p.add_argument("file", metavar="FILE.json")
    _common(p)
    p.set_defaults(handler=_run_potential)

    r = subparsers.add_parser(
        "reduce", help="dual reductions (002: Theorem 1/Prop. 1/Cor. 1, Theorem 2/Prop. 2) of a file",
        description="Build the dual reduction of the mechanism and/or information structure in FILE.json, "
                    "truncated at level K, and check the inequalities of 002.",
        epilog="Exit codes: 0 confirmed, 1 an inequality is refuted, 2 inconclusive, 3 bad input.")
    r.add_argument("file", metavar="FILE.json")
    r.add_argument("--k", type=positive_integers, nargs="+", action=IntegerList, default=None, metavar="K",
                   help="truncation level(s) (default 20 for a mechanism, 60 for an information structure)")
    r.add_argument("--coarse", action="store_true", help="coarse reduction of the mechanism (Corollary 1)")
    r.add_argument("--c-rule", choices=("agent", "common", "paper"), default="agent",
                   help="constants C_i: one per agent (default), one common, or 002's 1 + max")
    r.add_argument("--margin", type=positive_number, default=None,
                   help="relative margin of C_i above the largest row sum of the multipliers "
                        "(default 0.25 for a mechanism, 0.01 for an information structure)")
    r.add_argument("--max-memory", default=None, metavar="SIZE", type=memory_size,
                   help="largest memory a reduction may plan to use, e.g. 8G (default: 3/4 of this machine's)")
    _common(r, exact=False)
    r.set_defaults(handler=_run_reduce)


@contextlib.contextmanager
def _progress(args, label: str):
    """A rich progress bar on stderr when it is a terminal; a no-op callback under --json."""
    if args.json or not sys.stderr.isatty():
        yield lambda done, total, text: None
        return
    console = Console(stderr=True)
    with Progress(TextColumn(label), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                  TextColumn("{task.description}"), TimeElapsedColumn(), console=console, transient=True) as bar:
        task = bar.add_task("", total=1)

        def update(done: int, total: int, text: str) -> None:
            bar.update(task, completed=done, total=total, description=text)

        yield update


def _solver(args):
    return HiGHS(time_limit=args.time_limit)


def _print_json(result, dps: int) -> None:
    json.dump(result.to_dict(dps), sys.stdout, indent=2)
    sys.stdout.write("\n")


def _print_notes(notes) -> None:
    for note in notes:
        print(f"note: {note}")


def _load(path, needs: str | None = None, instead: str = ""):
    """The validated instance in ``path``; with ``needs``, it must hold that object."""
    instance = load_instance(path)
    if needs is not None and getattr(instance, needs) is None:
        raise ParameterError(f"{path}: has no '{needs}' object; {instead}")
    return instance


def _report(result, title: str, args, details, env) -> int:
    """Print a guarantee or potential result (JSON, or text ending with ``details``); return the exit code."""
    if args.json:
        _print_json(result, args.digits)
        return _EXIT[result.status]
    _print_notes(result.input_notes)
    print(f"{title} = {_value_text(result, args.digits)}   [{result.status}]")
    print(f"  {result.message}")
    print(f"  LP: {result.sizes.get('variables')} variables, {result.sizes.get('constraints')} constraints, "
          f"{result.sizes.get('nonzeros')} nonzeros; {result.solution.status} {result.solution.message}")
    if result.solution.has_solution:
        details(result, env, args.digits)
    return _EXIT[result.status]


def _guarantee_details(result, env, dps: int) -> None:

    for t, label in enumerate(env.states):
        print(f"  v({label}) = {number_text(result.v[t], dps)}")
    for i, alpha in enumerate(result.alpha):
        positive = int(np.count_nonzero(np.asarray(alpha, dtype=float) > 1e-12))
        print(f"  alpha[{env.agents[i]}]: {positive} of {np.asarray(alpha).size} multipliers positive")


def _potential_details(result, env, dps: int) -> None:
    for i, beta in enumerate(result.beta):
        print(f"  beta[{env.agents[i]}] = [{', '.join(number_text(b, dps) for b in beta)}]")


def _run_fpa(args) -> int:
    with _progress(args, "first-price auction") as progress:
        sweep = fpa_sweep(args.n, bidders=args.bidders, exact=args.exact, progress=progress, solver=_solver(args),
                          max_memory=args.max_memory)
    if args.json:
        _print_json(sweep, args.digits)
    else:
        print(f"First-price auction, {sweep.bidders} bidders, common value theta in {{0, 1}}, mu(1) = 1/2")
        print(f"{'n':>5}  {'G (BCE)':>22}  {'status':>12}  {'Gc (coarse)':>22}  {'status':>12}")
        for e in sweep.entries:
            print(f"{e.n:>5}  {_value_text(e.guarantee, args.digits):>22}  {str(e.guarantee.status):>12}  "
                  f"{_value_text(e.coarse_guarantee, args.digits):>22}  {str(e.coarse_guarantee.status):>12}")
        for e in sweep.entries:
            for r in (e.guarantee, e.coarse_guarantee):
                if r.status is not Status.PROVED and (args.exact or r.status is Status.INCONCLUSIVE):
                    print(f"  n = {e.n}, {r.program}: {r.message}")
    return _EXIT[sweep.status]


def _auction_rule(text: str):
    """``--rule``: a payment rule, its mistakes as argparse errors (one line, exit 3)."""
    try:
        return parse_rule(text)
    except ParameterError as error:
        # argparse names the option itself: "argument --rule: ..."
        raise argparse.ArgumentTypeError(str(error).removeprefix("--rule: ")) from None


def _auction_rules(args) -> list:
    rules = list(args.rule or [])
    if args.compare:
        rules = [parse_rule("first"), *rules] if rules else [parse_rule(r) for r in COMPARISON_RULES]
    return rules or [parse_rule("first")]


def _run_auction(args) -> int:
    with _progress(args, "standard auctions") as progress:
        sweep = auction_sweep(_auction_rules(args), args.n, bidders=args.bidders, exact=args.exact,
                              progress=progress, solver=_solver(args), max_memory=args.max_memory)
    if args.plot:
        plot_auction_sweep(sweep, args.plot)
    if args.json:
        _print_json(sweep, args.digits)
        return _EXIT[sweep.status]
    _print_auction_table(sweep, args)
    if sweep.proportional_value is not None:
        print(f"Proportional auction (continuous bids; the guarantee maximiser over all mechanisms for this prior, "
              f"survey 3.5): 1 - G_{sweep.bidders}(ybar) = {number_text(sweep.proportional_value, args.digits)} "
              f"(irmd built-in common-value-auction)")
    if sweep.ordering:
        _print_ordering(sweep)
    if args.plot:
        print(f"  plot written to {args.plot}")
    return _EXIT[sweep.status]


def _print_auction_table(sweep, args) -> None:
    """One row per (rule, n), each rule's extrapolation in n, then what was not proved."""
    d = args.digits
    print(f"Standard auctions, {sweep.bidders} bidders, common value theta in {{0, 1}}, mu(1) = {sweep.mu_high}, "
          f"bids {{0, 1/n, ..., 1}}")
    width = max(len("rule"), *(len(series.rule.label) for series in sweep.series))
    print(f"{'rule':<{width}}  {'n':>4}  {'G (BCE)':>22}  {'status':>12}  {'Gc (coarse)':>22}  {'status':>12}")
    for series in sweep.series:
        for n, g, gc in series.rows():
            print(f"{series.rule.label:<{width}}  {n:>4}  {_value_text(g, d):>22}  {str(g.status):>12}  "
                  f"{_value_text(gc, d):>22}  {str(gc.status):>12}")
        if len(series.grids) > 1:
            print(f"{'':<{width}}  n -> inf (estimate, not a bound): G ~ {_limit_text(series.limit)}, "
                  f"Gc ~ {_limit_text(series.coarse_limit)}")
    unproved = [(series.rule.name, n, r) for series in sweep.series for n, *results in series.rows()
                for r in results
                if r.status is not Status.PROVED and (args.exact or r.status is Status.INCONCLUSIVE)]
    for name, n, r in unproved:
        print(f"  {name}, n = {n}, {r.program}: {r.message}")


def _print_ordering(sweep) -> None:
    """Survey 5.3's ordering grid by grid, and why it may fail on a grid."""
    print("Compared: the revenue guarantees above (min over BCE / coarse CE, bids on the grid) against survey "
          "5.3 (Bergemann, Brooks & Morris 2019: with continuous bids, first-price has the highest guarantee "
          "among standard auctions)")
    for check in sweep.ordering:
        verdict = "first-price highest" if check.holds else "first-price NOT highest: " + "; ".join(
            f"{rule} G = {number_text(value, 8)}" for rule, value in check.exceptions)
        print(f"  n = {check.n}: {verdict}" + ("" if check.holds else
              f" > {number_text(check.first_value, 8)} (largest excess {number_text(check.largest_excess, 3)})"))
        for rule, value in check.above_bound:
            print(f"  n = {check.n}: {rule} G = {number_text(value, 8)} is above the proportional auction's "
                  f"value (not expected: that value bounds every mechanism's guarantee)")
    if not all(check.holds for check in sweep.ordering):
        excess = [(check.n, check.largest_excess) for check in sweep.ordering]
        shrinking = len(excess) > 1 and all(later < earlier for (_, earlier), (_, later) in zip(excess, excess[1:]))
        print("  why: these are finite games (bids on multiples of 1/n): the grid changes each rule's equilibria "
              "differently, so the grid ordering need not be the continuum's; the largest excess over "
              "first-price is " + ", ".join(f"{number_text(e, 3)} (n = {n})" for n, e in excess)
              + ("; it shrinks with n on these grids" if shrinking else "")
              + ", and finitely many grids do not decide its limit")
    second = next((s for s in sweep.series if s.rule.name == "second"), None)
    if second is not None and all(r.value == 0 for r in second.guarantees):
        print("  second-price: G = 0 on every grid: a BCE with no revenue exists (e.g. a bidding ring: one "
              "bidder bids high, the others 0, and the winner pays the highest losing bid, 0)")


def _limit_text(limit) -> str:
    if limit is None or limit.richardson is None:
        return "-"
    text = f"{number_text(limit.richardson, 8)} (Richardson, order 1)"
    if limit.fitted is not None:
        text += f", {number_text(limit.fitted, 8)} (fitted order {number_text(limit.order, 3)})"
    return text


def _value_text(result, dps: int) -> str:

    if result.value is None:
        return "-"
    if isinstance(result.value, Fraction):
        return f"{result.value} ~ {number_text(float(result.value), 6)}" if result.value.denominator != 1 \
            else str(result.value)
    return number_text(result.value, dps)


def _run_guarantee(args) -> int:
    instance = _load(args.file, "mechanism", "'irmd potential' reads information structures")
    result = replace(guarantee(instance.env, instance.mechanism, coarse=args.coarse, exact=args.exact,
                               solver=_solver(args)), input_notes=instance.notes)
    title = "coarse guarantee Gc(M)" if args.coarse else "guarantee G(M)"
    return _report(result, title, args, _guarantee_details, instance.env)


def _run_potential(args) -> int:
    instance = _load(args.file, "information", "'irmd guarantee' reads mechanisms")
    result = replace(potential(instance.env, instance.information, exact=args.exact, solver=_solver(args)),
                     input_notes=instance.notes)
    return _report(result, "potential P(I)", args, _potential_details, instance.env)


def _run_reduce(args) -> int:
    instance = _load(args.file)
    with _progress(args, "dual reduction") as progress:
        sweep = reduction_sweep(instance, args.k, coarse=args.coarse, rule=args.c_rule, margin=args.margin,
                                progress=progress, solver=_solver(args), max_memory=args.max_memory)
    if args.json:
        _print_json(sweep, args.digits)
        return _EXIT[sweep.status]
    d = args.digits
    _print_notes(sweep.input_notes)
    if sweep.mechanism:
        ref = sweep.mechanism[0].reference
        title = "Corollary 1 (coarse)" if args.coarse else "Theorem 1 / Proposition 1"
        print(f"Mechanism dual reduction, {title}; {ref.program} = {number_text(ref.value, d)} [{ref.status}]")
        print(f"{'k':>5}  {'bound G_k':>16}  {'eps_k':>12}  {'G(trunc)':>16}  {'check':>12}")
        for r in sweep.mechanism:
            own = "-" if r.own_guarantee is None else number_text(r.own_guarantee.value, d)
            print(f"{r.k:>5}  {number_text(r.bound, d):>16}  {number_text(r.epsilon, 3):>12}  {own:>16}  "
                  f"{str(r.status):>12}")
        print(f"  C = [{', '.join(number_text(c, 6) for c in sweep.mechanism[0].C)}]; {sweep.mechanism[-1].message}")
    if sweep.information:
        ref = sweep.information[0].reference
        print(f"Information dual reduction, Theorem 2 / Proposition 2; P(I) = {number_text(ref.value, d)} "
              f"[{ref.status}]")
        print(f"{'K':>5}  {'pooled T_K':>16}  {'tail bound':>12}  {'upper':>16}  {'check':>12}")
        for r in sweep.information:
            print(f"{r.K:>5}  {number_text(r.pooled_value, d):>16}  {number_text(r.tail_bound, 3):>12}  "
                  f"{number_text(r.upper, d):>16}  {str(r.status):>12}")
        print(f"  C = [{', '.join(number_text(c, 6) for c in sweep.information[0].C)}]; "
              f"{sweep.information[-1].message}")
    return _EXIT[sweep.status]

