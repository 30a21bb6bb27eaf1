r"""Certified ends of the bracket (20): both bounds recomputed in exact arithmetic.

A solver returns floating-point points; a number is a theorem about G* and P* only
if it is the exact bound of an *exactly feasible* object.  This module turns the
returned point into one and evaluates its bound exactly.

**Guarantee (lower end).**  For every mechanism c on the grid whose outcomes lie in
the factors (allocation simplex, the environment's genuine interval bounds) and
which satisfies participation security :math:`u_i(c(0, x_{-i}), \theta) \ge 0`,
:math:`\underline G(X, c) = \sum_\theta \mu(\theta)\min_x \lambda(x, \theta) \le G(c)
\le G^*(T)` for every transfer bound T at least the mechanism's largest transfer
(unbounded transfers included): that is weak duality of (19).  Both hypotheses
are enforced exactly, not to a tolerance:

1. the point is rounded to multiples of :math:`2^{-B}` (any point is a mechanism, so
   rounding costs nothing but the rounding error in the value);
2. it is projected exactly onto the factors, in integers: intervals are clipped to
   their largest dyadic sub-interval, simplices clipped at 0 and scaled down with
   floor division so the sum is at most one;
3. participation is *checked exactly*; where it fails (a solver returns it to
   about 1e-9) the agent's own money is shifted by the least dyadic amount that
   restores it (a coordinate that raises the agent's utility in every state, free
   in that direction, e.g. lowering :math:`t_i`), and where that is not possible
   (bilateral trade's corner, where one transfer serves both agents) the point's
   outcome is replaced by the null outcome; the result is checked exactly again,
   and if it still fails no lower end is claimed;
4. :math:`\lambda` is linear in the (exact, dyadic) mechanism, so its minimum per
   state and the prior-weighted sum are exact rationals.

**Potential (upper end).**  For every σ ≥ 0 with :math:`\sum_x \sigma(x, \theta) =
\mu(\theta)`, :math:`P^*(T) \le \overline P(X, \sigma) = \sum_x \max_c \gamma(x, c)`
for the outcome space with transfers in :math:`[-T, T]`, and :math:`P^*(T')` only grows
with :math:`T'`.  The returned masses are clipped at 0 and rounded per state to
integers summing to exactly :math:`2^B` (largest remainders), i.e.
:math:`\sigma_\theta = \mu(\theta)\,\tau_\theta` with :math:`\tau_\theta` an exact dyadic
probability; the IVO coefficients :math:`a_j(x)` are then exact, and so is each
factor's maximum (simplex: :math:`\max(0, \max_j a_j)`; interval [l, u]:
:math:`\max(l a, u a)`).  A free coordinate needs :math:`a_j \equiv 0` exactly (the PDE);
a float solution does not give that, and then no upper end is claimed.

**Input data.**  The environment's coefficients, prior and factor bounds are read
from its sympy form, not from the float arrays of :class:`ReducedEnvironment`:
rationals are used exactly; any other number (e.g. :math:`\sqrt 2` or a decimal
Float) is enclosed in an arb ball and carried as a centre and a radius through the
linear forms (:math:`a X \in m X \pm r|X|` for an exact integer X), so every step is
still a rigorous enclosure; the arithmetic is then reported as ``"arb balls"``.
The cap ``t_max`` enters as the exact decimal it prints as (the float if that is
larger).

Everything is vectorised over the grid in integer numpy arrays, int64 when an a
priori bound on every partial sum proves it cannot overflow, Python integers
otherwise.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal, localcontext
from fractions import Fraction
from typing import TYPE_CHECKING

import numpy as np
import sympy as sp
from flint import arb

from irmd.analytic.outcomes import Interval, Simplex

from ..balls import enclose
from .grid import Grid

if TYPE_CHECKING:
    from .reduced import ReducedEnvironment

EXACT = "exact rationals"
BALLS = "arb balls"

#: Bits of the dyadic grid onto which returned points are rounded (|error| <= 2^-41 per entry).
DYADIC_BITS = 40
#: Precision (bits) of the arb enclosures of irrational input data.
BALL_BITS = 128
#: Values of free (uncapped) coordinates are clipped to this size before rounding (any value is a mechanism).
FREE_CLIP = 2**20
#: Exact sums stay in int64 below this bound, so that a few of them can still be added without overflow.
_INT64_SAFE = 2**60


class CertificationError(ValueError):
    """The bound could not be certified (the reason is the message)."""


@dataclass(frozen=True)
class CertifiedBound:
    """One end of the bracket, an exact rational, or the reason there is none.

    Attributes
    ----------
    side : {'lower', 'upper'}
    value : Fraction or None
        The exact bound of the repaired object (None when not certified).
    arithmetic : str
        ``"exact rationals"`` or ``"arb balls"`` (some input data irrational or inexact).
    message : str
        How the object was made exactly feasible, or why no bound is claimed.
    max_abs_transfer : Fraction or None
        Lower end: the certified mechanism's largest |transfer| (the lower end bounds
        G* for every transfer bound at least this, unbounded included).
    t_max : Fraction or None
        Upper end: the transfer bound T the upper end holds for (|t| <= T).
    repaired : int
        Grid points whose outcome (or state's mass) was changed beyond rounding.
    """

    side: str
    value: Fraction | None
    arithmetic: str
    message: str
    max_abs_transfer: Fraction | None = None
    t_max: Fraction | None = None
    repaired: int = 0

    @property
    def certified(self) -> bool:
        return self.value is not None

    @property
    def float_value(self) -> float | None:
        """The bound as a float rounded in its safe direction (down for lower, up for upper)."""
        if self.value is None:
            return None
        return directed_float(self.value, down=self.side == "lower")

    def decimal(self, dps: int) -> str | None:
        """``dps`` significant digits, rounded down (lower end) or up (upper end)."""
        if self.value is None:
            return None
        return directed_decimal(self.value, dps, down=self.side == "lower")

    def to_dict(self, dps: int = 10) -> dict:
        out = {"value": self.decimal(dps), "certified": self.certified, "arithmetic": self.arithmetic,
               "rounded": "down" if self.side == "lower" else "up", "message": self.message,
               "repaired_points": self.repaired}
        if self.side == "lower":
            out["max_abs_transfer"] = (None if self.max_abs_transfer is None
                                       else directed_decimal(self.max_abs_transfer, dps, down=False))
        else:
            out["t_max"] = None if self.t_max is None else short_decimal(self.t_max, dps, down=True)
        return out


# -- directed rounding of exact rationals --

def directed_float(value: Fraction, down: bool) -> float:
    """The nearest float on the safe side of ``value``."""
    f = float(value)
    if down and Fraction(f) > value:
        f = math.nextafter(f, -math.inf)
    if not down and Fraction(f) < value:
        f = math.nextafter(f, math.inf)
    return f


def directed_decimal(value: Fraction, dps: int, down: bool) -> str:
    """``value`` with ``dps`` significant digits, rounded toward -inf (``down``) or +inf."""
    value = Fraction(value)
    if value == 0:
        return "0"
    # The exponent n with 10^(dps-1) <= |value| 10^n < 10^dps, from a float guess corrected exactly.
    magnitude = abs(value)
    n = dps - 1 - math.floor(math.log10(magnitude.numerator) - math.log10(magnitude.denominator))
    while magnitude * Fraction(10) ** n >= 10**dps:
        n -= 1
    while magnitude * Fraction(10) ** n < 10 ** (dps - 1):
        n += 1
    scaled = value * Fraction(10) ** n
    digits = math.floor(scaled) if down else math.ceil(scaled)
    with localcontext() as context:
        context.prec = dps + 5
        return str(Decimal(digits).scaleb(-n))


def short_decimal(value: Fraction, dps: int, down: bool) -> str:
    """The float's shortest decimal when that is ``value`` exactly (``2.5``), else a directed decimal."""
    shortest = repr(float(value))
    if Fraction(shortest) == value:
        return shortest
    return directed_decimal(value, dps, down)


# -- exact input data --

def _fraction_of_arb(x: arb) -> Fraction:
    mantissa, exponent = x.man_exp()
    mantissa, exponent = int(mantissa), int(exponent)
    return Fraction(mantissa * 2**exponent) if exponent >= 0 else Fraction(mantissa, 2 ** (-exponent))


def enclosure(value, what: str) -> tuple[Fraction, Fraction]:
    """(centre, radius) of a sympy number: exact for rationals, an arb ball otherwise."""
    value = sp.sympify(value)
    if value.is_Rational:
        return Fraction(int(value.p), int(value.q)), Fraction(0)
    if value.free_symbols or value.is_finite is False:
        raise CertificationError(f"{what} is not a finite number: {value}")
    ball = enclose(value, {}, BALL_BITS)
    if not ball.is_finite():
        raise CertificationError(f"{what} = {value} could not be enclosed in a ball")
    return _fraction_of_arb(ball.mid()), _fraction_of_arb(ball.rad())


@dataclass(frozen=True)
class Bound:
    """An interval factor's end as an enclosure; ``None`` centre means infinite."""

    centre: Fraction | None
    radius: Fraction = Fraction(0)

    @property
    def finite(self) -> bool:
        return self.centre is not None

    def inner(self, lower: bool) -> Fraction:
        """The end moved inwards by its radius (a point surely inside the interval)."""
        return self.centre + self.radius if lower else self.centre - self.radius

    def outer(self, lower: bool) -> Fraction:
        return self.centre - self.radius if lower else self.centre + self.radius


@dataclass(frozen=True)
class ExactData:
    """The environment's numbers as (centre, radius) enclosures, in ReducedEnvironment's layout."""

    U0: tuple  # [i][s] -> (m, r)
    U: tuple  # [i][s][j]
    W0: tuple  # [s]
    W: tuple  # [s][j]
    prior: tuple  # [s]
    bounds: tuple  # per coordinate j: (lower Bound, upper Bound) for interval coordinates, None for simplex ones
    free: tuple  # per coordinate j: the original environment's interval is free (unbounded both ways)
    t_max: Fraction | None

    @property
    def arithmetic(self) -> str:
        radii = [r for _, r in self.W0] + [r for _, r in self.prior]
        radii += [r for row in self.W for _, r in row] + [r for a in self.U0 for _, r in a]
        radii += [r for a in self.U for row in a for _, r in row]
        radii += [b.radius for pair in self.bounds if pair is not None for b in pair if b.finite]
        return EXACT if all(r == 0 for r in radii) else BALLS


def exact_t_max(t_max: float | None) -> Fraction | None:
    """The cap as the decimal it prints as, or the float itself if that is larger (so that the
    potential bound, which grows with the cap, is valid for the number printed)."""
    if t_max is None:
        return None
    return max(Fraction(repr(float(t_max))), Fraction(float(t_max)))


def exact_data(env: ReducedEnvironment) -> ExactData:
    """Read the exact coefficients from the sympy environment behind ``env``."""
    environment = env.environment
    coords = environment.coordinates
    zero = (Fraction(0), Fraction(0))
    U0 = [[] for _ in range(environment.agents)]
    U = [[] for _ in range(environment.agents)]
    W0, W = [], []
    for state in environment.states:
        const, coef = environment.objective_parts(state)
        W0.append(enclosure(const, f"objective constant in state {state.label}"))
        W.append(tuple(enclosure(coef[c], f"objective coefficient of {c}") if c in coef else zero for c in coords))
        for i in range(environment.agents):
            const, coef = environment.utility_parts(i, state)
            U0[i].append(enclosure(const, f"utility constant of agent {i + 1}"))
            U[i].append(tuple(enclosure(coef[c], f"utility coefficient of {c}") if c in coef else zero
                              for c in coords))
    prior = tuple(enclosure(p, "prior") for p in environment.prior)
    t_max = exact_t_max(env.t_max)
    bounds: list = [None] * len(coords)
    free = [False] * len(coords)
    index = {c: j for j, c in enumerate(coords)}
    for factor in environment.factors:
        if isinstance(factor, Simplex):
            continue
        if not isinstance(factor, Interval):  # pragma: no cover - outcomes.Factor is closed
            raise CertificationError(f"unsupported factor {factor!r}")
        j = index[factor.coordinate]
        free[j] = factor.free
        if factor.free and t_max is not None:
            bounds[j] = (Bound(-t_max), Bound(t_max))
            continue
        ends = []
        for end, what in ((factor.lower, "lower"), (factor.upper, "upper")):
            ends.append(Bound(None) if end in (sp.S.Infinity, sp.S.NegativeInfinity)
                        else Bound(*enclosure(end, f"{what} bound of {factor.coordinate}")))
        bounds[j] = tuple(ends)
    return ExactData(tuple(tuple(a) for a in U0), tuple(tuple(a) for a in U), tuple(W0), tuple(W), prior,
                     tuple(bounds), tuple(free), t_max)


# -- exact integer linear algebra on the grid --

def _common_denominator(values) -> int:
    q = 1
    for v in values:
        q = math.lcm(q, Fraction(v).denominator)
    return q


def _as_dtype(array: np.ndarray, bound: int) -> np.ndarray:
    """``array`` as int64 when every value involved is provably below 2^62, else as Python ints."""
    if bound < _INT64_SAFE and array.dtype != object:
        return array.astype(np.int64, copy=False)
    return array.astype(object)


def _max_abs(array: np.ndarray) -> int:
    return int(np.max(np.abs(array), initial=0)) if array.size else 0


def combine(terms, size: int) -> np.ndarray:
    """Sum of ``integer * integer array`` over ``terms``, exactly (int64 if it provably fits)."""
    terms = [(_integer(c), a) for c, a in terms if c != 0]
    bound = sum(abs(c) * _max_abs(a) for c, a in terms)
    out = np.zeros(size, dtype=np.int64 if bound < _INT64_SAFE else object)
    for c, a in terms:
        out = out + c * _as_dtype(a, bound)
    return out


class _Sum:
    """An exact running sum of ``integer * integer array``: int64 when ``bound`` (an a priori bound on
    the sum of the terms' absolute values) proves no partial sum can overflow, Python integers otherwise."""

    def __init__(self, size: int, bound: int):
        self.exact_ints = bound >= _INT64_SAFE
        self.value = np.zeros(size, dtype=object if self.exact_ints else np.int64)

    def add(self, coefficient, array: np.ndarray) -> None:
        if coefficient == 0:
            return
        c = _integer(coefficient)
        self.value = self.value + c * (array.astype(object) if self.exact_ints else array)


def exact_sum(array: np.ndarray) -> int:
    if array.dtype != object and _max_abs(array) * max(len(array), 1) < 2**62:
        return int(array.sum())
    return sum(int(v) for v in array.tolist())


def _forward(values: np.ndarray, grid: Grid, agent: int) -> np.ndarray:
    """f(x + e_i/k) - f(x) below the top, 0 at the top (the step k is in the coefficient)."""
    f = values.reshape(grid.shape)
    out = np.zeros_like(f)
    head = [slice(None)] * grid.agents
    tail = [slice(None)] * grid.agents
    head[agent], tail[agent] = slice(0, -1), slice(1, None)
    out[tuple(head)] = f[tuple(tail)] - f[tuple(head)]
    return out.reshape(-1)


def _adjoint_forward(values: np.ndarray, grid: Grid, agent: int) -> np.ndarray:
    """f(x + e_i/k) - f(x) below the top, -f(x) at the top (the step k is in the coefficient)."""
    f = values.reshape(grid.shape)
    out = -f
    head = [slice(None)] * grid.agents
    tail = [slice(None)] * grid.agents
    head[agent], tail[agent] = slice(0, -1), slice(1, None)
    out[tuple(head)] = f[tuple(tail)] - f[tuple(head)]
    return out.reshape(-1)


def _integer(value: Fraction) -> int:
    """A coefficient times its common denominator (an integer by construction; checked, never truncated)."""
    value = Fraction(value)
    if value.denominator != 1:  # pragma: no cover - the denominators are common by construction
        raise CertificationError(f"internal: {value} is not an integer")
    return value.numerator


def _nearest_to_zero(lo: int | None, hi: int | None) -> int:
    """The point of [lo, hi] (None: unbounded) nearest to 0: the null outcome's coordinate."""
    if lo is not None and lo > 0:
        return lo
    if hi is not None and hi < 0:
        return hi
    return 0


def _dyadic_round(values: np.ndarray, bits: int) -> np.ndarray:
    return np.rint(values * float(2**bits)).astype(np.int64)


# -- the guarantee side --

def _repair_coordinate(data: ExactData, agent: int, simplex_columns: set) -> tuple[int, int] | None:
    """(j, direction): a coordinate free in that direction which raises the agent's utility in every state."""
    for j in range(len(data.bounds)):
        if j in simplex_columns or data.bounds[j] is None:
            continue
        signs = set()
        for s in range(len(data.prior)):
            m, r = data.U[agent][s][j]
            signs.add(0 if abs(m) <= r else (1 if m > 0 else -1))
        if len(signs) != 1 or 0 in signs:
            continue
        direction = signs.pop()
        if data.free[j] or not data.bounds[j][0 if direction < 0 else 1].finite:
            return j, direction
    return None


def certify_guarantee(env: ReducedEnvironment, grid: Grid, c: np.ndarray,
                      data: ExactData | None = None) -> CertifiedBound:
    """The exact bound (17) of the mechanism ``c`` (d x P floats, any values) made exactly feasible."""
    try:
        data = data or env.exact
    except CertificationError as error:
        return CertifiedBound("lower", None, BALLS, f"not certified: {error}")
    try:
        return _certify_guarantee(env, grid, np.asarray(c, dtype=float), data)
    except CertificationError as error:
        return CertifiedBound("lower", None, data.arithmetic, f"not certified: {error}")


def _certify_guarantee(env, grid, c, data: ExactData) -> CertifiedBound:
    d, P, S, N = env.dimension, grid.points, env.states, env.agents
    simplex_blocks = [list(b.columns) for b in env.blocks if b.kind == "simplex"]
    simplex_columns = {j for cols in simplex_blocks for j in cols}
    c = np.where(np.isfinite(c), c, 0.0)   # a garbage entry is some outcome; projection makes it feasible
    # Integer ends of every interval's largest dyadic sub-interval (None: unbounded that way).
    ends = []
    largest = 1.0
    for j in range(d):
        if j in simplex_columns:
            ends.append((0, None))
            continue
        lower, upper = data.bounds[j]
        ends.append((lower, upper))
        for b, is_lower in ((lower, True), (upper, False)):
            if b.finite:
                largest = max(largest, float(abs(b.inner(is_lower))))
    bits = DYADIC_BITS
    if any(j not in simplex_columns and not (ends[j][0].finite and ends[j][1].finite) for j in range(d)):
        largest = max(largest, FREE_CLIP)
    while bits > 8 and largest * 2.0**bits >= 2.0**60:
        bits -= 1
    if largest * 2.0**bits >= 2.0**60:
        raise CertificationError("the factors' bounds are too large for exact int64 evaluation")
    one = 2**bits
    C = np.empty((d, P), dtype=np.int64)
    lo_int, hi_int = [None] * d, [None] * d
    for j in range(d):
        if j in simplex_columns:
            lo_int[j], hi_int[j] = 0, one
            C[j] = _dyadic_round(np.clip(c[j], 0.0, 1.0), bits)
            continue
        lower, upper = ends[j]
        lo = math.ceil(lower.inner(True) * one) if lower.finite else None
        hi = math.floor(upper.inner(False) * one) if upper.finite else None
        if lo is not None and hi is not None and lo > hi:
            raise CertificationError(f"the interval of {env.coordinate_names[j]} contains no dyadic point")
        lo_int[j], hi_int[j] = lo, hi
        x = np.clip(c[j], -FREE_CLIP if lo is None else lo / one, FREE_CLIP if hi is None else hi / one)
        C[j] = np.clip(_dyadic_round(x, bits), -FREE_CLIP * one if lo is None else lo,
                       FREE_CLIP * one if hi is None else hi)
    # Simplices: sum at most one, exactly (floor division keeps every entry >= 0).
    for cols in simplex_blocks:
        total = C[cols].sum(axis=0)
        over = np.flatnonzero(total > one)
        for p in over:
            t = int(total[p])
            for j in cols:
                C[j, p] = int(C[j, p]) * one // t
    # Participation security, checked exactly, repaired where it fails.
    Q = _common_denominator([v for a in data.U0 for pair in a for v in pair]
                            + [v for a in data.U for row in a for pair in row for v in pair]
                            + [v for pair in data.W0 for v in pair]
                            + [v for row in data.W for pair in row for v in pair])
    idx = grid.indices()
    at_zero = [np.flatnonzero(idx[:, i] == 0) for i in range(N)]

    def slack(i: int, points: np.ndarray) -> np.ndarray:
        """Q 2^B min_s (lower end of u_i(c(x), theta_s)) at ``points``, exactly."""
        worst = None
        for s in range(S):
            m0, r0 = data.U0[i][s]
            mid = combine([(data.U[i][s][j][0] * Q, C[j, points]) for j in range(d) if data.U[i][s][j][0]],
                          len(points))
            rad = combine([(data.U[i][s][j][1] * Q, np.abs(C[j, points])) for j in range(d) if data.U[i][s][j][1]],
                          len(points))
            value = mid - rad + _integer((m0 - r0) * Q) * one
            worst = value if worst is None else np.minimum(worst, value)
        return worst

    def violated() -> dict:
        out = {}
        for i in range(N):
            if len(at_zero[i]):
                bad = at_zero[i][np.asarray(slack(i, at_zero[i]) < 0, dtype=bool)]
                if len(bad):
                    out[i] = bad
        return out

    repaired: set = set()
    bad = violated()
    notes = []
    if bad:
        for i, points in bad.items():
            how = _repair_coordinate(data, i, simplex_columns)
            if how is None:
                continue
            j, direction = how
            # Shifting c_j by one unit (2^-B) in ``direction`` raises Q 2^B u_i(., theta_s) by at least
            # gain_s = Q (|m| - r); the least shift making every state's lower end >= 0 is the largest
            # ceil(-value_s / gain_s), in exact integer arithmetic.
            need = np.zeros(len(points), dtype=object)
            for s in range(S):
                m, r = data.U[i][s][j]
                gain = (abs(m) - r) * Q
                m0, r0 = data.U0[i][s]
                value = (combine([(data.U[i][s][jj][0] * Q, C[jj, points]) for jj in range(d)], len(points))
                         - combine([(data.U[i][s][jj][1] * Q, np.abs(C[jj, points])) for jj in range(d)
                                    if data.U[i][s][jj][1]], len(points))
                         + _integer((m0 - r0) * Q) * one).astype(object)
                shortfall = np.maximum(-value, 0) * gain.denominator
                need = np.maximum(need, -(-shortfall // gain.numerator))   # ceiling division
            shifted = C[j, points].astype(object) + direction * need
            if len(shifted) and max(abs(int(v)) for v in shifted.tolist()) >= 2**61:
                raise CertificationError(f"repairing participation would need |{env.coordinate_names[j]}| "
                                         f">= 2^{61 - bits}")
            C[j, points] = shifted.astype(np.int64)
            repaired.update(points[need > 0].tolist())
        bad = violated()
        if bad:
            null = np.array([_nearest_to_zero(lo_int[j], hi_int[j]) for j in range(d)], dtype=np.int64)
            points = np.unique(np.concatenate(list(bad.values())))
            C[:, points] = null[:, None]
            repaired.update(points.tolist())
            notes.append(f"{len(points)} point(s) set to the null outcome")
            bad = violated()
            if bad:
                i, points = next(iter(bad.items()))
                where = tuple(int(v) for v in idx[points[0]])
                raise CertificationError(f"participation of agent {i + 1} fails at grid point {where} / {grid.k} "
                                         "and could not be repaired")
    # The SVO, exactly: Q 2^B lambda_s(x) = mid - rad, and its minimum over the grid.  The differences
    # are formed one (agent, coordinate) at a time and added to per-state sums (|difference| <= 2 max|C_j|
    # bounds the sums a priori), so memory stays a few arrays of the grid's size.
    largest_c = [_max_abs(C[j]) for j in range(d)]

    def bound(part: int, s: int) -> int:
        direct = sum(abs(_integer(data.W[s][j][part] * Q)) * largest_c[j] for j in range(d))
        return direct + sum(abs(_integer(data.U[i][s][j][part] * Q * grid.k)) * 2 * largest_c[j]
                            for i in range(N) for j in range(d))

    mids = [_Sum(P, bound(0, s)) for s in range(S)]
    rads = [_Sum(P, bound(1, s)) for s in range(S)]
    for j in range(d):
        for s in range(S):
            mids[s].add(data.W[s][j][0] * Q, C[j])
            if data.W[s][j][1]:
                rads[s].add(data.W[s][j][1] * Q, np.abs(C[j]))
    for i in range(N):
        for j in range(d):
            if not any(data.U[i][s][j][0] or data.U[i][s][j][1] for s in range(S)):
                continue
            diff = _forward(C[j], grid, i)
            for s in range(S):
                mids[s].add(data.U[i][s][j][0] * Q * grid.k, diff)
                if data.U[i][s][j][1]:
                    rads[s].add(data.U[i][s][j][1] * Q * grid.k, np.abs(diff))
    levels = []
    for s in range(S):
        low = mids[s].value - rads[s].value
        m0, r0 = data.W0[s]
        levels.append(Fraction(int(low.min()), Q * one) + (m0 - r0))
    value = Fraction(0)
    for (m, r), level in zip(data.prior, levels):
        value += min((m - r) * level, (m + r) * level)
    max_t = max((Fraction(_max_abs(C[j]), one) for j in range(d) if data.free[j]), default=None)
    message = (f"mechanism rounded to multiples of 2^-{bits} and projected exactly onto the factors; "
               f"participation holds exactly" + (f" after repairing {len(repaired)} point(s)" if repaired else "")
               + ("; " + "; ".join(notes) if notes else ""))
    return CertifiedBound("lower", value, data.arithmetic, message, max_abs_transfer=max_t, repaired=len(repaired))


# -- the potential side --

def _probability(masses: np.ndarray, bits: int) -> tuple[np.ndarray, bool]:
    """Nonnegative integers summing to exactly 2^bits, proportional to ``masses`` (largest remainders);
    a point mass at the first point when there is no usable mass. The flag says a fallback was used."""
    one = 2**bits
    m = np.where(np.isfinite(masses), np.maximum(masses, 0.0), 0.0)
    total = float(m.sum())
    if not math.isfinite(total) or total <= 0:
        out = np.zeros(len(m), dtype=np.int64)
        out[0] = one
        return out, True
    scaled = m / total * float(one)
    base = np.floor(scaled).astype(np.int64)
    missing = one - int(base.sum())
    if missing > 0:
        base += missing // len(base)
        rest = missing % len(base)
        if rest:
            order = np.argsort(-(scaled - np.floor(scaled)), kind="stable")[:rest]
            base[order] += 1
    while missing < 0:
        order = np.argsort(-base, kind="stable")[: min(-missing, len(base))]
        take = np.minimum(base[order], 1)
        base[order] -= take
        missing += int(take.sum())
    if int(base.sum()) != one or int(base.min()) < 0:  # pragma: no cover - the arithmetic above is exact
        out = np.zeros(len(m), dtype=np.int64)
        out[0] = one
        return out, True
    return base, False


def _product(a: tuple, b: tuple) -> tuple[Fraction, Fraction]:
    """Ball product (m1 ± r1)(m2 ± r2)."""
    (m1, r1), (m2, r2) = a, b
    return m1 * m2, abs(m1) * r2 + r1 * abs(m2) + r1 * r2


def certify_potential(env: ReducedEnvironment, grid: Grid, sigma: np.ndarray,
                      data: ExactData | None = None) -> CertifiedBound:
    """The exact bound (16) of σ (S x P masses, any values) made exactly feasible."""
    try:
        data = data or env.exact
    except CertificationError as error:
        return CertifiedBound("upper", None, BALLS, f"not certified: {error}", t_max=exact_t_max(env.t_max))
    try:
        return _certify_potential(env, grid, np.asarray(sigma, dtype=float), data)
    except CertificationError as error:
        return CertifiedBound("upper", None, data.arithmetic, f"not certified: {error}", t_max=data.t_max)


def _certify_potential(env, grid, sigma, data: ExactData) -> CertifiedBound:
    d, P, S, N = env.dimension, grid.points, env.states, env.agents
    bits = DYADIC_BITS
    one = 2**bits
    T, fallbacks = [], 0
    for s in range(S):
        t, fallback = _probability(sigma[s], bits)
        T.append(t)
        fallbacks += fallback
    diffs = [[_adjoint_forward(T[s], grid, i) for i in range(N)] for s in range(S)]
    # a_j(x) = sum_s mu_s [W[s, j] tau_s - k sum_i U[i, s, j] D_i tau_s], tau_s = T_s / 2^B; j = -1 is a_0.
    coefficient = {}
    for j in range(-1, d):
        for s in range(S):
            w = data.W0[s] if j < 0 else data.W[s][j]
            coefficient[j, s, None] = _product(data.prior[s], w)
            for i in range(N):
                u = data.U0[i][s] if j < 0 else data.U[i][s][j]
                m, r = _product(data.prior[s], u)
                coefficient[j, s, i] = (-m * grid.k, r * grid.k)
    Q = _common_denominator([v for pair in coefficient.values() for v in pair])

    def ball(j):
        """Q 2^B (centre, radius) of a_j at every point, exactly (|T|, |D T| <= 2^B bound the sums)."""
        keys = [(s, i) for s in range(S) for i in (None,) + tuple(range(N))]
        mid = _Sum(P, sum(abs(_integer(coefficient[j, s, i][0] * Q)) for s, i in keys) * one)
        rad = _Sum(P, sum(abs(_integer(coefficient[j, s, i][1] * Q)) for s, i in keys) * one)
        for s, i in keys:
            m, r = coefficient[j, s, i]
            array = T[s] if i is None else diffs[s][i]
            mid.add(m * Q, array)
            if r:
                rad.add(r * Q, np.abs(array))
        return mid.value, rad.value

    mid0, rad0 = ball(-1)
    total = Fraction(exact_sum(mid0 + rad0), Q * one)
    for b in env.blocks:
        cols = list(b.columns)
        if b.kind == "simplex":
            highs = []
            for j in cols:
                mid, rad = ball(j)
                highs.append(mid + rad)
            top = highs[0]
            for h in highs[1:]:
                top = np.maximum(top, h)
            top = np.maximum(top, 0)
            total += Fraction(exact_sum(top), Q * one)
            continue
        j = cols[0]
        mid, rad = ball(j)
        low, high = mid - rad, mid + rad
        lower, upper = data.bounds[j]
        if not upper.finite and bool(np.any(high > 0)):
            raise CertificationError(f"the IVO coefficient of {env.coordinate_names[j]} is not exactly <= 0 "
                                     "where the coordinate is unbounded above (free transfers need the PDE exactly)")
        if not lower.finite and bool(np.any(low < 0)):
            raise CertificationError(f"the IVO coefficient of {env.coordinate_names[j]} is not exactly >= 0 "
                                     "where the coordinate is unbounded below (free transfers need the PDE exactly)")
        # max over [l, u] of a c is convex in a: its maximum over the ball is at an end of the ball.
        ends = [e for e in (lower.outer(True) if lower.finite else None, upper.outer(False) if upper.finite else None)
                if e is not None]
        if not ends:   # both infinite: a_j == 0 exactly, checked above
            continue
        denominator = _common_denominator(ends)
        candidates = [combine([(e * denominator, a)], P) for e in ends for a in (low, high)]
        best = candidates[0]
        for cand in candidates[1:]:
            best = np.maximum(best, cand)
        total += Fraction(exact_sum(best), Q * one * denominator)
    message = (f"σ clipped at 0 and rounded per state to an exact probability with denominator 2^{bits}, "
               "times the prior" + (f"; {fallbacks} state(s) without usable mass given a point mass" if fallbacks
                                    else ""))
    return CertifiedBound("upper", total, data.arithmetic, message, t_max=data.t_max, repaired=fallbacks)


# -- the bracket --

@dataclass(frozen=True)
class Bracket:
    r"""The certified bracket :math:`\underline G \le G^*(T') \le P^*(T') \le \overline P` on one grid.

    ``lower`` and ``upper`` are the two certified ends (either may be missing or not
    certified).  The lower end is the guarantee of a mechanism with transfers up to
    ``lower.max_abs_transfer`` = A, so it bounds :math:`G^*(T')` for every
    :math:`T' \ge A` (unbounded transfers included); the upper end bounds
    :math:`P^*(T')` for every :math:`T' \le` ``upper.t_max``.  With
    :math:`G^* \le P^*` (weak duality, for each transfer bound) the whole chain holds
    for every :math:`T'` in :math:`[A, t_{max}]`.
    """

    lower: CertifiedBound | None
    upper: CertifiedBound | None

    @property
    def lower_value(self) -> Fraction | None:
        return None if self.lower is None else self.lower.value

    @property
    def upper_value(self) -> Fraction | None:
        return None if self.upper is None else self.upper.value

    @property
    def arithmetic(self) -> str:
        kinds = {b.arithmetic for b in (self.lower, self.upper) if b is not None}
        return BALLS if BALLS in kinds else EXACT

    def condition(self, dps: int = 6) -> str:
        """The transfer bounds the bracket holds for, in words."""
        return describe_conditions([self], dps)

    def to_dict(self, dps: int = 10) -> dict:
        return {
            "lower": None if self.lower is None else self.lower.decimal(dps),
            "upper": None if self.upper is None else self.upper.decimal(dps),
            "arithmetic": self.arithmetic,
            "condition": self.condition(dps),
            "lower_detail": None if self.lower is None else self.lower.to_dict(dps),
            "upper_detail": None if self.upper is None else self.upper.to_dict(dps),
        }


def _trim(text: str) -> str:
    """Drop trailing zeros of a plain decimal (1.50000 -> 1.5), for prose."""
    return text.rstrip("0").rstrip(".") if "." in text and "E" not in text else text


def describe_conditions(brackets, dps: int = 6) -> str:
    """The transfer bounds under which the brackets of one run (one or several k) hold, in one line."""
    parts = []
    uppers = [b.upper for b in brackets if b.upper is not None]
    lowers = [b.lower for b in brackets if b.lower is not None]
    good_upper = [u for u in uppers if u.certified]
    good_lower = [u for u in lowers if u.certified]
    caps = [u.t_max for u in good_upper if u.t_max is not None]
    reach = [u.max_abs_transfer for u in good_lower if u.max_abs_transfer is not None]
    if good_upper:
        parts.append("upper end valid for transfers |t| <= t_max = " + short_decimal(min(caps), dps, down=True)
                     if caps else "upper end valid for unbounded transfers (the PDE holds exactly)")
    if len(good_upper) < len(uppers):
        parts.append("upper end not certified" + ("" if len(brackets) == 1 else
                                                  f" on {len(uppers) - len(good_upper)} grid(s)"))
    if reach:
        parts.append("lower end from a mechanism with |t| <= " + _trim(directed_decimal(max(reach), dps, down=False))
                     + " (valid for every larger transfer bound, unbounded included)")
    elif good_lower:
        parts.append("lower end valid for every transfer bound")
    if len(good_lower) < len(lowers):
        parts.append("lower end not certified" + ("" if len(brackets) == 1 else
                                                  f" on {len(lowers) - len(good_lower)} grid(s)"))
    if caps and reach and max(reach) > min(caps):
        parts.append("the certified mechanism's transfers exceed t_max: the two ends bound games with "
                     "different transfer bounds")
    return "; ".join(parts)
