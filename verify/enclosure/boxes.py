"""Branch and bound on boxes: :func:`prove_on_box` proves or refutes a claim on a box and its tails."""
from __future__ import annotations

import heapq
import itertools
import math
import time
from dataclasses import dataclass
from typing import Callable, Mapping, Sequence

import sympy as sp
from flint import arb, ctx, fmpq

from irmd.budget import time_budget
from irmd.errors import BudgetExceeded

from .arithmetic import SYMBOLIC_SECONDS, UnsupportedExpression, join
from .centred import Enclosure
from .compiler import arb_function, ball_of, rational_interval


def _box(low: Sequence[fmpq], high: Sequence[fmpq]) -> list[arb]:
    return [join(arb(a), arb(b)) for a, b in zip(low, high)]


def _describe(variables, point) -> str:
    return ", ".join(f"{v} = {float(q):.10g}" for v, q in zip(variables, point))


# -- branch and bound --

@dataclass(frozen=True)
class BoxOutcome:
    """What :func:`prove_on_box` found.

    status: "proved" | "refuted" | "undecided"; witness: variable -> exact sympy Rational (refuted
    only); value: the arb ball of f at the witness (refuted only); boxes: boxes examined; reason:
    for undecided, why (budget, non-finite enclosure, tail ...), else a summary; slack: the slack ball
    the proof used (proved only); bound: an upper bound of |f| over the proved boxes (proved only)."""

    status: str
    witness: dict | None
    value: object | None
    boxes: int
    reason: str
    slack: object | None
    bound: object | None = None


@dataclass
class _Chart:
    """A box in chart coordinates: coordinate i is x_i itself or u_i in [0, 1] with x_i = R_i/u_i."""

    enclosure: Enclosure
    region: list  # side*phi compiled in chart coordinates
    low: list
    high: list
    to_original: Callable[[list], list | None]
    cut: bool = False  # 1-D tail: the piece u in [0, u_min] may be left to a tail bound


@dataclass
class _ChartResult:
    status: str
    reason: str = ""
    witness: tuple | None = None  # (exact point in original coordinates, arb value)
    tail_left: bool = False  # proved except u in [0, u_min]


class _BoxSearch:
    """One claim: the predicates on enclosures, the shared budget, and the search per chart."""

    def __init__(self, kind, expr, variables, constants, region, slack, tolerance, prec, max_boxes, deadline):
        if kind not in ("nonneg", "zero", "bounded"):
            raise ValueError(f"unknown claim kind {kind!r}")
        self.kind, self.expr, self.variables = kind, sp.sympify(expr), tuple(variables)
        self.constants = dict(constants or {})
        self.region_exprs = [side * sp.sympify(phi) for phi, side in region]
        self.slack, self.tolerance = ball_of(slack), ball_of(tolerance)
        if self.tolerance < self.slack:
            raise ValueError(f"tolerance {tolerance} is below the slack {slack}")
        self.prec, self.max_boxes, self.deadline = prec, max_boxes, deadline
        self.claim = arb_function(self.expr, self.variables, self.constants)
        self.region = [arb_function(r, self.variables, self.constants) for r in self.region_exprs]
        self.boxes, self.bound, self.proved_boxes = 0, arb(0), 0
        self.worst = None  # (amount, point): the largest violation floating point saw at a region point
        self.inner = None  # per coordinate (low, high or None): where a witness may lie

    # -- the claim --

    def proves(self, value: arb) -> bool:
        if not value.is_finite():
            return False
        if self.kind == "nonneg":
            return value >= -self.slack
        if self.kind == "zero":
            return abs(value) <= self.slack
        return True

    def violates(self, value: arb) -> bool:
        if self.kind == "nonneg":
            return value < -self.tolerance
        return self.kind == "zero" and abs(value) > self.tolerance

    def priority(self, value: arb) -> float:
        """Heap key: the box whose enclosure is worst comes first (refutations are found early)."""
        if not value.is_finite():
            return -math.inf
        if self.kind == "nonneg":
            return float(value.lower())
        return -float(abs(value).upper()) if self.kind == "zero" else 0.0

    def note_float_violation(self, value: arb, point) -> None:
        if self.kind == "bounded" or not value.is_finite():
            return
        middle = float(value.mid())
        amount = (-middle if self.kind == "nonneg" else abs(middle)) - float(self.slack.mid())
        if amount > 0 and (self.worst is None or amount > self.worst[0]):
            self.worst = (amount, point, middle)

    # -- points and boxes --

    def try_point(self, chart: _Chart, point) -> tuple | None:
        """(original point, value) when the point certifies a violation, else None."""
        original = chart.to_original(point)
        if original is None or not all(
                low <= q and (high is None or q <= high) for q, (low, high) in zip(original, self.inner)):
            return None
        balls = [arb(q) for q in original]
        if not all(r(*balls) > 0 for r in self.region):
            return None
        value = self.claim(*balls)
        if self.violates(value):
            return original, value
        self.note_float_violation(value, original)
        return None

    def over_budget(self) -> str | None:
        if self.boxes >= self.max_boxes:
            return f"box budget of {self.max_boxes} exhausted"
        if self.deadline is not None and time.monotonic() > self.deadline:
            return "deadline passed"
        return None

    def where(self, chart: _Chart, point) -> str:
        return _describe(self.variables, chart.to_original(point))

    def tiny(self, low, high) -> bool:
        threshold = fmpq(1, 2 ** (self.prec // 2))
        return all(b - a <= threshold * max(fmpq(1), abs(a), abs(b)) for a, b in zip(low, high))

    def search(self, chart: _Chart) -> _ChartResult:
        """Best-first branch and bound over one chart."""
        widths = [b - a for a, b in zip(chart.low, chart.high)]
        u_min = fmpq(1, 2 ** (self.prec // 4))
        heap, order = [], itertools.count()

        def examine(low, high):
            self.boxes += 1
            box = _box(low, high)
            if any(r(*box) <= 0 for r in chart.region):
                return  # no point of the region in this box
            value = chart.enclosure.enclose(box, self.proves)
            if self.proves(value):
                self.proved_boxes += 1
                self.bound = self.bound.max(abs(value).upper())
            else:
                # among equal keys the newest box first: a search stuck at a non-finite point dives to it
                heapq.heappush(heap, (self.priority(value), -next(order), low, high, value))

        examine(chart.low, chart.high)
        if heap:  # not proved at once: the corners are cheap candidates for a witness
            for corner in itertools.product(*zip(chart.low, chart.high)):
                found = self.try_point(chart, list(corner))
                if found:
                    return _ChartResult("refuted", witness=found)
        tail_left = False
        while heap:
            _, _, low, high, value = heapq.heappop(heap)
            middle = [(a + b) / 2 for a, b in zip(low, high)]
            exhausted = self.over_budget()
            if exhausted:
                return _ChartResult("undecided", f"{exhausted} near {self.where(chart, middle)}")
            found = self.try_point(chart, middle)
            if found:
                return _ChartResult("refuted", witness=found)
            if chart.cut and low[0] == 0 and high[0] <= u_min:
                tail_left = True  # x beyond R/u_min: left to a tail bound
                continue
            if self.tiny(low, high):
                what = "not finite" if not value.is_finite() else "enclosure does not decide the claim"
                return _ChartResult("undecided", f"{what} near {self.where(chart, middle)}")
            axis = max(range(len(low)), key=lambda i: (high[i] - low[i]) / widths[i] if widths[i] else 0)
            for half in ((low[axis], middle[axis]), (middle[axis], high[axis])):
                examine(low[:axis] + [half[0]] + low[axis + 1:], high[:axis] + [half[1]] + high[axis + 1:])
        return _ChartResult("proved", tail_left=tail_left)

    # -- charts --

    def chart(self, low, high, compactified: Mapping[int, fmpq] | None = None, cut: bool = False) -> _Chart:
        """The chart over [low, high] in which each coordinate i of ``compactified`` is u_i = R_i/x_i."""
        compactified = dict(compactified or {})
        if not compactified:
            return _Chart(Enclosure(self.expr, self.variables, self.constants), self.region,
                          list(low), list(high), list)
        chart_variables = list(self.variables)
        substitution = {}
        for i, radius in compactified.items():
            chart_variables[i] = sp.Dummy(f"u_{self.variables[i]}", positive=True)
            substitution[self.variables[i]] = sp.Rational(int(radius.p), int(radius.q)) / chart_variables[i]

        us = {chart_variables[i] for i in compactified}

        def transformed(expr):
            return _compactified_form(expr.xreplace(substitution), us)

        def to_original(point):
            if any(point[i] == 0 for i in compactified):
                return None  # x = infinity
            return [compactified[i] / q if i in compactified else q for i, q in enumerate(point)]

        region = [arb_function(transformed(r), chart_variables, self.constants) for r in self.region_exprs]
        return _Chart(Enclosure(transformed(self.expr), chart_variables, self.constants), region,
                      list(low), list(high), to_original, cut)

    def finite_at_infinity(self, chart: _Chart, compactified) -> bool:
        """Whether the compactified claim is finite where every u_i = 0 (others at the box middle)."""
        point = [fmpq(0) if i in compactified else (a + b) / 2 for i, (a, b) in enumerate(zip(chart.low, chart.high))]
        return chart.enclosure.function(*(arb(q) for q in point)).is_finite()

    def tail_bound_proves(self, tail_prover, radius: fmpq) -> bool:
        """Whether the caller's enclosure of {f(x): x >= radius} proves the claim there."""
        enclosure = tail_prover(self.expr, self.variables[0], sp.Rational(int(radius.p), int(radius.q)),
                                self.constants)
        if enclosure is None:
            return False
        hull = join(ball_of(enclosure[0]), ball_of(enclosure[1]))
        if not self.proves(hull):
            return False
        self.bound = self.bound.max(abs(hull).upper())
        return True

    # -- the whole claim --

    def run(self, lower, upper, tail_prover) -> BoxOutcome:
        low = [rational_interval(a) for a in lower]
        high = [None if b is sp.oo else rational_interval(b) for b in upper]
        self.inner = [(a[1], None if b is None else b[0]) for a, b in zip(low, high)]
        outer_low = [a[0] for a in low]
        unbounded = [i for i, b in enumerate(high) if b is None]
        if not unbounded:
            return self.outcome(self.search(self.chart(outer_low, [b[1] for b in high])))
        radii = {i: max(2 * abs(outer_low[i]), fmpq(1)) * 8 for i in unbounded}
        if len(self.variables) == 1:
            return self.run_one_tail(outer_low[0], radii[0], tail_prover)
        outer_high = [None if b is None else b[1] for b in high]
        for subset in itertools.chain.from_iterable(
                itertools.combinations(unbounded, k) for k in range(len(unbounded) + 1)):
            chart_low = [fmpq(0) if i in subset else a for i, a in enumerate(outer_low)]
            chart_high = [fmpq(1) if i in subset else (radii[i] if b is None else b) for i, b in enumerate(outer_high)]
            compactified = {i: radii[i] for i in subset}
            chart = self.chart(chart_low, chart_high, compactified)
            if subset and not self.finite_at_infinity(chart, compactified):
                return self.undecided("unbounded region in more than one variable: the claim is not finite "
                                      "at infinity after x = R/u")
            result = self.search(chart)
            if result.status != "proved":
                return self.outcome(result)
        return self.outcome(_ChartResult("proved"))

    def run_one_tail(self, low: fmpq, radius: fmpq, tail_prover) -> BoxOutcome:
        """[low, oo): compact pieces up to R for growing R (each R offered to the tail hook), then the
        compactified tail u = R/x in [0, 1]; what is left near u = 0 goes to the hook once more."""
        edges = [radius * 8 ** k for k in range(4)] if tail_prover is not None else [radius]
        start = low
        for edge in edges:
            result = self.search(self.chart([start], [edge]))
            if result.status != "proved":
                return self.outcome(result)
            start = edge
            if tail_prover is not None and self.tail_bound_proves(tail_prover, edge):
                return self.outcome(result)
        tail = self.search(self.chart([fmpq(0)], [fmpq(1)], {0: start}, cut=True))
        if tail.status != "proved" or not tail.tail_left:
            return self.outcome(tail)
        far = start * 2 ** (self.prec // 4)
        if tail_prover is not None and self.tail_bound_proves(tail_prover, far):
            return self.outcome(tail)
        return self.undecided(f"tail beyond x = {float(far):.6g} not proved")

    def undecided(self, reason: str) -> BoxOutcome:
        return self.outcome(_ChartResult("undecided", reason))

    def outcome(self, result: _ChartResult) -> BoxOutcome:
        if result.status == "refuted":
            point, value = result.witness
            witness = {v: sp.Rational(int(q.p), int(q.q)) for v, q in zip(self.variables, point)}
            return BoxOutcome("refuted", witness, value, self.boxes, f"violated at {_describe(self.variables, point)}",
                              None)
        if result.status == "proved":
            summary = (f"proved on {self.boxes} boxes" if self.proved_boxes
                       else "proved: the region is empty (no box meets it)")
            return BoxOutcome("proved", None, None, self.boxes, summary, self.slack, self.bound)
        reason = result.reason
        if self.worst is not None:
            amount, point, middle = self.worst
            reason += f"; floating point sees f = {middle:.6g} at {_describe(self.variables, point)}"
        return BoxOutcome("undecided", None, None, self.boxes, reason, None)


def _compactified_form(expr: sp.Expr, us) -> sp.Expr:
    """expr (after x = R/u), cancelled or put over a common denominator: the form with the fewest
    negative powers of the u's (so that a rational function stays finite at u = 0), then the
    fewest operations."""
    forms = [expr]
    for rewrite in (sp.cancel, sp.together):
        try:
            with time_budget(SYMBOLIC_SECONDS, f"{rewrite.__name__} after x = R/u"):
                forms.append(rewrite(expr))
        except (BudgetExceeded, sp.PolynomialError, TypeError, ValueError, NotImplementedError):
            continue

    def cost(form):
        poles = sum(1 for p in form.atoms(sp.Pow) if p.base in us and p.exp.is_negative)
        return poles, sp.count_ops(form)
    return min(forms, key=cost)


def prove_on_box(kind: str, expr, variables: Sequence[sp.Symbol], lower, upper,
                 constants: Mapping[sp.Symbol, arb] | None = None, *, region=(), slack, tolerance,
                 prec: int = 256, max_boxes: int = 20000, deadline: float | None = None,
                 tail_prover=None) -> BoxOutcome:
    """Prove or refute a claim about ``expr`` on the box [lower, upper] intersected with a region.

    kind: "nonneg" (f >= -slack), "zero" (|f| <= slack) or "bounded" (f finite; ``bound`` reports
    max |f|).  lower/upper: one bound per variable, exact (int, fmpq, sympy Rational) or a ball
    (arb, sympy Float, string), whose outer hull is searched; an upper bound may be ``sympy.oo``.
    region: pairs (phi, side); the claim is about points with side*phi > 0 for every pair.
    slack <= tolerance: a proof allows the slack, a refutation needs a point strictly inside the
    region whose enclosure violates the claim by more than the tolerance.  max_boxes and deadline
    (a ``time.monotonic()`` value) bound the search.  tail_prover(expr, variable, R, constants) ->
    (lo, hi) arbs enclosing {f(x): x >= R}, or None: used for a 1-D unbounded tail.
    Computes at ``prec`` bits; the global precision is left unchanged."""
    if len(lower) != len(variables) or len(upper) != len(variables):
        raise ValueError("one lower and one upper bound per variable")
    with ctx.workprec(prec):
        try:
            search = _BoxSearch(kind, expr, variables, constants, region, slack, tolerance, prec, max_boxes,
                                deadline)
        except UnsupportedExpression as error:
            return BoxOutcome("undecided", None, None, 0, f"unsupported: {error}", None)
        return search.run(lower, upper, tail_prover)


# -- roots --

