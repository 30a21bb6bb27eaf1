r"""Rigorous enclosures of sympy expressions with arb balls (python-flint), and what they prove.

* :func:`arb_function` compiles a sympy expression once into a function of arb balls whose result
  contains every value of the expression over the balls (a non-finite ball where the expression may
  be undefined on part of them).
* :class:`Enclosure` tightens that natural enclosure with the centred (mean-value) form.
* :func:`prove_on_box` proves ``f >= -slack``, ``|f| <= slack`` or boundedness on a box intersected
  with a region by branch and bound, or refutes the claim with a certified point; unbounded
  coordinates are compactified with ``x = R/u`` or left to a caller's tail bound.
* :func:`isolate_root` and :func:`count_sign_changes` prove roots by sign changes of enclosures.

Functions of balls use the ambient precision (``ctx.prec``); the public entry points that take a
``prec`` set it locally with ``ctx.workprec``.  arb comparisons are False both ways when uncertain,
so every three-way decision below tests both sides.

Limits.  arb balls are midpoint-radius: a hull is exact at an end only when that end is 0 or the
arithmetic happens to be exact, so a claim that touches its bound (f >= 0 with min f = 0) is proved
with slack 0 only where the touching point is a box corner reached exactly (e.g. f(0) = 0 with
f' >= 0); elsewhere it needs a positive slack.  A tail u = R/x is proved by enclosure only when the
compactified expression is finite at u = 0 (rational functions); otherwise the 1-D tail beyond
R 2^(prec/4) goes to the caller's tail bound.
"""
from __future__ import annotations

import functools
import heapq
import itertools
import math
import time
from dataclasses import dataclass
from fractions import Fraction
from typing import Callable, Mapping, NamedTuple, Sequence

import mpmath
import sympy as sp
from flint import arb, ctx, fmpq, fmpz

from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF
from irmd.budget import time_budget
from irmd.errors import BudgetExceeded

#: Seconds of sympy work (differentiation, cancelling) spent on one expression before giving up.
SYMBOLIC_SECONDS = 2.0


class UnsupportedExpression(ValueError):
    """The expression contains a node (or a free symbol) that cannot be enclosed."""


def _nan() -> arb:
    return arb("nan")


def _tri(holds: bool, fails: bool):
    """True / False / None (undecided) from two one-sided arb comparisons."""
    return True if holds else (False if fails else None)


def _join(*balls: arb) -> arb:
    """A ball containing every ball given, built so that an exact lower end stays exact.

    ``arb.union`` (and the ``arb(mid, rad)`` constructor) round the radius up by a relative 2^-30,
    so the hull of 0 and 1 would reach -1e-9 and sqrt of it would be undefined; shifting an
    exact-zero-based span by the exact lower end keeps it, whenever that sum is exact."""
    if not all(b.is_finite() for b in balls):
        return _nan()
    low = functools.reduce(arb.min, (b.lower() for b in balls))
    high = functools.reduce(arb.max, (b.upper() for b in balls))
    hull = arb(0).union(high - low).nonnegative_part() + low
    # when the sum was inexact, at least keep the sign of a hull that is one-signed
    if low >= 0 and not hull >= 0:
        hull = hull.nonnegative_part()
    elif high <= 0 and not hull <= 0:
        hull = -(-hull).nonnegative_part()
    return hull


def _hull_of_values(ball: arb, fn: Callable[[arb], arb], turning=None) -> arb:
    """Hull of ``fn`` over ``ball`` for ``fn`` monotone on each side of ``turning`` (None: monotone).

    Evaluating at the exact endpoints is much tighter than arb's midpoint-radius propagation on wide
    balls (arb gives tanh([0, 10]) = [-1, 1] and [0, 10]**2 = [-50, 100])."""
    if not ball.is_finite():
        return _nan()
    if ball.is_exact():
        return fn(ball)
    low, high = ball.lower(), ball.upper()
    values = [fn(low), fn(high)]
    if turning is not None and low < turning < high:
        values.append(fn(arb(turning)))
    return _join(*values)


def _with_sign(value: arb, sign: int | None) -> arb:
    """``value`` clipped to the sign known from the operands (midpoint-radius rounding can make
    the product of two non-negative balls reach -1e-80, which would fail a proof with slack 0)."""
    if sign == 1 and not value >= 0:
        return value.nonnegative_part()
    if sign == -1 and not value <= 0:
        return -(-value).nonnegative_part()
    return value


def _sign_of(ball: arb) -> int | None:
    """0 for an exact zero, 1 / -1 for a ball provably >= 0 / <= 0, None when it straddles 0."""
    if ball.is_zero():
        return 0
    return 1 if ball >= 0 else (-1 if ball <= 0 else None)


def _common_sign(balls) -> int | None:
    """The sign every ball has (exact zeros fit any), or None."""
    signs = {_sign_of(b) for b in balls} - {0}
    return signs.pop() if len(signs) == 1 and None not in signs else None


def _intersect(a: arb, b: arb) -> arb:
    """a ∩ b for two enclosures of one value (so they overlap), keeping a sign either one proves."""
    signs = {_sign_of(a), _sign_of(b)} - {None, 0}
    return _with_sign(a.intersection(b), signs.pop() if len(signs) == 1 else None)


def _sum(terms: Sequence[arb]) -> arb:
    return _with_sign(functools.reduce(lambda a, b: a + b, terms), _common_sign(terms))


def _product(factors: Sequence[arb]) -> arb:
    signs = [_sign_of(f) for f in factors]
    sign = None if None in signs else math.prod(signs)
    return _with_sign(functools.reduce(lambda a, b: a * b, factors), sign)


def _positive_only(fn):
    """``fn`` where its argument is provably > 0, else a non-finite ball."""
    return lambda ball: fn(ball) if ball > 0 else _nan()


# -- Erlang functions at exact points (the wide-ball hull comes from monotonicity / unimodality) --

def _memoized_at_exact_points(fn):
    """fn(n, y) cached for exact y: arb's incomplete gamma takes ~0.4 ms for n = 10^4, and the same
    points recur (a box's ends are its parent's ends and middle, where a witness was tried)."""
    @functools.lru_cache(maxsize=1 << 14)
    def at(n, mantissa, exponent, prec):
        return fn(n, arb(mantissa) * arb(2) ** exponent)

    @functools.wraps(fn)
    def memoized(n, y):
        if not y.is_exact():
            return fn(n, y)
        mantissa, exponent = y.man_exp()
        return at(n, int(mantissa), int(exponent), ctx.prec)
    return memoized


@_memoized_at_exact_points
def _erlang_pdf_at(n: int, y: arb) -> arb:
    if n == 0 or y < 0:
        return arb(0)
    if y == 0:
        return arb(1 if n == 1 else 0)
    return ((n - 1) * y.log() - y - arb(n).lgamma()).exp()


@_memoized_at_exact_points
def _erlang_sf_at(n: int, y: arb) -> arb:
    if n == 0:
        return arb(0)
    return y.gamma_upper(n, regularized=1) if y > 0 else arb(1)


def _lower_tail_series(n: int, y: arb) -> arb:
    """P(n, y) for 0 < y < n + 1, accurate in relative terms where 1 - Q is only absolutely so:
    P = g_{n+1}(y) sum_j t_j with t_0 = 1, t_{j+1} = t_j y/(n+j+1); a partial sum plus the
    geometric bound t_j r/(1 - r), r = y/(n+j+1) < 1, of the rest (at most prec terms)."""
    term = total = arb(1)
    for j in range(1, ctx.prec + 1):
        term = term * y / (n + j)
        total += term
        if term < total * arb(2) ** -ctx.prec:
            break
    ratio = y / (n + j + 1)
    return _erlang_pdf_at(n + 1, y) * (total + _join(arb(0), term * ratio / (1 - ratio)))


@_memoized_at_exact_points
def _erlang_cdf_at(n: int, y: arb) -> arb:
    if n == 0:
        return arb(1)
    if not y > 0:
        return arb(0)
    if 2 * y < n + 1:  # the series converges at least geometrically with ratio 1/2
        return _lower_tail_series(n, y)
    # arb's own gamma_lower is slow and inaccurate here for large n
    complement = 1 - y.gamma_upper(n, regularized=1)
    if not y < n + 1 or complement.rel_accuracy_bits() > ctx.prec - 32:
        return complement
    return _intersect(complement, _lower_tail_series(n, y))


def _erlang(kind, n: int, ball: arb, evaluation) -> arb:
    if n == 0:
        return arb(1 if kind is ErlangCDF else 0)
    if kind is ErlangCDF:
        return _hull_of_values(ball, lambda y: _erlang_cdf_at(n, y))
    if kind is ErlangSF:
        return _hull_of_values(ball, lambda y: _erlang_sf_at(n, y))
    # g_1 jumps from 0 to 1 at y = 0; g_n (n >= 2) is continuous there.
    if n == 1 and ball.is_finite() and ball.lower() < 0 <= ball.upper():
        evaluation.decided = False
    return _hull_of_values(ball, lambda y: _erlang_pdf_at(n, y), turning=n - 1)


# -- the compiler --

class _Evaluation:
    """One evaluation: slot values (variables, then common subexpressions) and whether every branch
    (Piecewise, Min, Max, Abs, sign, Heaviside, g_1 at 0) was decided on the balls."""

    __slots__ = ("slots", "decided")

    def __init__(self, slots):
        self.slots = slots
        self.decided = True


def _per_precision(make: Callable[[], arb]):
    """A constant rounded at the current precision, computed once per precision."""
    cache = {}

    def value(evaluation):
        prec = ctx.prec
        if prec not in cache:
            cache[prec] = make()
        return cache[prec]
    return value


_NAMED_NUMBERS = {sp.pi: arb.pi, sp.E: arb.const_e, sp.EulerGamma: arb.const_euler, sp.nan: _nan,
                  sp.oo: lambda: arb("inf"), sp.S.NegativeInfinity: lambda: arb("-inf")}


class _Compiler:
    """Turns sympy nodes into closures of an :class:`_Evaluation` (values) or of it returning
    True / False / None (conditions)."""

    def __init__(self, slot_of: dict, constants: Mapping):
        self.slot_of = slot_of
        self.constants = constants

    def value(self, node):
        """Closure(evaluation) -> arb for an expression node."""
        if node in self.slot_of:
            index = self.slot_of[node]
            return lambda ev: ev.slots[index]
        if node in self.constants:
            ball = _ball(self.constants[node])
            return lambda ev: ball
        if isinstance(node, sp.Symbol):
            raise UnsupportedExpression(f"free symbol {node} is neither a variable nor a constant")
        if node.is_Number or node in _NAMED_NUMBERS:
            return self.number(node)
        if node.is_Add or node.is_Mul:
            parts = [self.value(a) for a in node.args]
            combine = _sum if node.is_Add else _product
            return lambda ev: combine([part(ev) for part in parts])
        if node.is_Pow:
            return self.power(*node.args)
        handler = _FUNCTIONS.get(node.func)
        if handler is not None:
            return handler(self, *node.args)
        raise UnsupportedExpression(f"cannot enclose {type(node).__name__}: {node}")

    def number(self, node):
        if node.is_Integer:
            ball = arb(int(node))
            return lambda ev: ball
        if node.is_Rational:
            q = fmpq(int(node.p), int(node.q))
            return _per_precision(lambda: arb(q))
        if node.is_Float:
            text = str(node)  # the decimal a user wrote (1.15), not the binary double nearest to it
            return _per_precision(lambda: arb(text))
        if node in _NAMED_NUMBERS:
            return _per_precision(_NAMED_NUMBERS[node])
        raise UnsupportedExpression(f"cannot enclose the number {node}")

    def power(self, base, exponent):
        of_base = self.value(base)
        if exponent.is_Integer:
            k = int(exponent)
            turning = 0 if k % 2 == 0 else None

            def integer_power(ev):
                ball = of_base(ev)
                if k < 0 and ball.contains(0):
                    return _nan()
                # x^k is monotone on each side of 0 (on one side only when k < 0, 0 excluded)
                return _hull_of_values(ball, lambda t: t ** k, turning=turning if k > 0 else None)
            return integer_power
        of_exponent = self.value(exponent)
        constant_exponent = exponent.is_number

        def real_power(ev):
            ball, power = of_base(ev), of_exponent(ev)
            if constant_exponent and ball > 0:
                return _hull_of_values(ball, lambda t: t ** power)  # monotone for each power
            if constant_exponent and power > 0 and ball >= 0:
                return _hull_of_values(ball, lambda t: t ** power if t > 0 else arb(0))  # 0^p = 0
            if not ball > 0:
                return _nan()
            return _hull_of_values(power * _hull_of_values(ball, arb.log), arb.exp)
        return real_power

    # -- branching nodes: they record undecided branches for the centred form --

    def piecewise(self, *pairs):
        branches = [(self.value(e), self.condition(c)) for e, c in pairs]

        def evaluate(ev):
            result, candidates = None, 0
            for value, condition in branches:
                holds = condition(ev)
                if holds is False:
                    continue
                branch = value(ev)
                result = branch if result is None else _join(result, branch)
                candidates += 1
                if holds is True:
                    break
            else:  # some point of the balls may satisfy no condition: sympy leaves it undefined
                ev.decided = False
                return _nan()
            if candidates > 1:
                ev.decided = False
            return result
        return evaluate

    def extremum(self, arguments, smallest: bool):
        parts = [self.value(a) for a in arguments]

        def evaluate(ev):
            balls = [p(ev) for p in parts]
            result = balls[0]
            for ball in balls[1:]:
                result = result.min(ball) if smallest else result.max(ball)
            if not any(all(b < o if smallest else b > o for j, o in enumerate(balls) if j != i)
                       for i, b in enumerate(balls)):
                ev.decided = False
            return result
        return evaluate

    def absolute(self, argument):
        of_argument = self.value(argument)

        def evaluate(ev):
            ball = of_argument(ev)
            if not (ball > 0 or ball < 0):
                ev.decided = False
            return _hull_of_values(ball, abs, turning=0)
        return evaluate

    def step(self, argument, negative, zero, positive):
        """sign and Heaviside: a value per sign of the argument; the union of the possible ones."""
        of_argument, of_zero = self.value(argument), self.value(zero)

        def evaluate(ev):
            ball = of_argument(ev)
            if not ball.is_finite():
                return _nan()
            if not (ball > 0 or ball < 0):
                ev.decided = False
            choices = [v for v, possible in ((negative, not ball >= 0), (positive, not ball <= 0)) if possible]
            if ball.contains(0):
                choices.append(of_zero(ev))
            return _join(*(arb(c) for c in choices))
        return evaluate

    # -- conditions: closures returning True, False or None (undecided) --

    def condition(self, node):
        if node is sp.true:
            return lambda ev: True
        if node is sp.false:
            return lambda ev: False
        if node in self.slot_of:
            index = self.slot_of[node]
            return lambda ev: ev.slots[index]
        if isinstance(node, (sp.And, sp.Or)):
            parts = [self.condition(a) for a in node.args]
            decisive = isinstance(node, sp.Or)  # the value that settles the connective

            def connective(ev):
                states = [p(ev) for p in parts]
                if decisive in states:
                    return decisive
                return None if None in states else (not decisive)
            return connective
        if isinstance(node, sp.Not):
            inner = self.condition(node.args[0])
            return lambda ev: (lambda s: None if s is None else not s)(inner(ev))
        relation = _RELATIONS.get(type(node))
        if relation is None:
            raise UnsupportedExpression(f"cannot decide the condition {node}")
        left, right = self.value(node.lhs), self.value(node.rhs)
        return lambda ev: relation(left(ev), right(ev))


def _unary(argument, fn):
    return lambda ev: fn(argument(ev))


_RELATIONS = {
    sp.StrictLessThan: lambda a, b: _tri(a < b, a >= b),
    sp.LessThan: lambda a, b: _tri(a <= b, a > b),
    sp.StrictGreaterThan: lambda a, b: _tri(a > b, a <= b),
    sp.GreaterThan: lambda a, b: _tri(a >= b, a < b),
    sp.Equality: lambda a, b: _tri(a == b, a != b),
    sp.Unequality: lambda a, b: _tri(a != b, a == b),
}

def _monotone(fn, turning=None):
    """Builder for a function monotone on each side of ``turning``: hull from the endpoints."""
    return lambda compiler, argument: _unary(compiler.value(argument),
                                             lambda ball: _hull_of_values(ball, fn, turning))


def _direct(fn):
    """Builder for a function left to arb's own ball evaluation."""
    return lambda compiler, argument: _unary(compiler.value(argument), fn)


def _confluent(compiler, numerators, denominators, argument):
    """1F1(a; b; z) with exact rational a, b (the bilateral-trade normaliser int e^z z^-a dz);
    arb's own ball evaluation (entire in z)."""
    if len(numerators) != 1 or len(denominators) != 1 or not all(p.is_Rational for p in (*numerators,
                                                                                         *denominators)):
        raise UnsupportedExpression("only 1F1 with rational parameters is enclosed, "
                                    f"not hyper{numerators, denominators}")
    (a,), (b,) = numerators, denominators
    if b.is_Integer and b <= 0:
        raise UnsupportedExpression(f"1F1 with b = {b} is not defined")
    a_value, b_value = fmpq(int(a.p), int(a.q)), fmpq(int(b.p), int(b.q))

    def confluent(z):
        # arb's own 1F1 is not finite on wide balls; for a, b > 0 and z >= 0 every term of the
        # series is non-negative and increasing in z, so the ends of the ball enclose it.
        if a > 0 and b > 0 and z >= 0:
            return _hull_of_values(z, lambda t: t.hypgeom_1f1(arb(a_value), arb(b_value)))
        return z.hypgeom_1f1(arb(a_value), arb(b_value))
    return _unary(compiler.value(argument), confluent)


def _erlang_builder(kind):
    def build(compiler, order, argument):
        if not (order.is_Integer and order >= 0):
            raise UnsupportedExpression(f"{kind.__name__} needs an exact order >= 0, got {order}")
        n, of_argument = int(order), compiler.value(argument)
        return lambda ev: _erlang(kind, n, of_argument(ev), ev)
    return build


_FUNCTIONS = {
    sp.exp: _monotone(arb.exp),
    sp.log: _monotone(_positive_only(arb.log)),
    sp.atan: _monotone(arb.atan),
    sp.tanh: _monotone(arb.tanh),
    sp.sinh: _monotone(arb.sinh),
    sp.cosh: _monotone(arb.cosh, turning=0),
    sp.erf: _monotone(arb.erf),
    sp.erfc: _monotone(arb.erfc),
    sp.erfi: _monotone(arb.erfi),
    sp.sin: _direct(arb.sin),
    sp.cos: _direct(arb.cos),
    sp.tan: _direct(arb.tan),  # arb returns a non-finite ball near a pole
    sp.gamma: _direct(arb.gamma),  # likewise
    sp.loggamma: _direct(_positive_only(arb.lgamma)),
    sp.factorial: lambda c, a: _unary(c.value(a + 1), arb.gamma),
    # every finite compiled value is real (a complex one comes out non-finite): re is the identity
    sp.re: lambda c, a: c.value(a),
    sp.im: lambda c, a: _unary(c.value(a), lambda ball: arb(0) if ball.is_finite() else _nan()),
    sp.Piecewise: lambda c, *pairs: c.piecewise(*pairs),
    sp.Min: lambda c, *args: c.extremum(args, smallest=True),
    sp.Max: lambda c, *args: c.extremum(args, smallest=False),
    sp.Abs: lambda c, a: c.absolute(a),
    sp.sign: lambda c, a: c.step(a, -1, sp.S.Zero, 1),
    sp.Heaviside: lambda c, a, zero=sp.S.Half: c.step(a, 0, zero, 1),
    sp.hyper: lambda c, numerators, denominators, argument: _confluent(c, numerators, denominators, argument),
    ErlangPDF: _erlang_builder(ErlangPDF),
    ErlangCDF: _erlang_builder(ErlangCDF),
    ErlangSF: _erlang_builder(ErlangSF),
}


class ArbFunction:
    """A sympy expression compiled to a function of arb balls (see :func:`arb_function`)."""

    def __init__(self, expr, variables: Sequence[sp.Symbol], constants: Mapping[sp.Symbol, arb] | None = None):
        self.expr = sp.sympify(expr)
        self.variables = tuple(variables)
        replacements, (reduced,) = sp.cse(self.expr, symbols=sp.numbered_symbols(cls=sp.Dummy))  # no clashes
        slot_of = {v: i for i, v in enumerate(self.variables)}
        compiler = _Compiler(slot_of, dict(constants or {}))
        self._steps = []
        for symbol, subexpression in replacements:
            is_condition = not isinstance(subexpression, sp.Expr)  # a Relational or a connective
            self._steps.append(compiler.condition(subexpression) if is_condition else compiler.value(subexpression))
            slot_of[symbol] = len(slot_of)
        self._result = compiler.value(reduced)

    def evaluate(self, *balls: arb) -> tuple[arb, bool]:
        """(enclosure, decided): decided is False when some branch was undecided on the balls."""
        evaluation = _Evaluation(list(balls))
        for step in self._steps:
            evaluation.slots.append(step(evaluation))
        return self._result(evaluation), evaluation.decided

    def __call__(self, *balls: arb) -> arb:
        return self.evaluate(*balls)[0]


def arb_function(expr, variables: Sequence[sp.Symbol], constants: Mapping[sp.Symbol, arb] | None = None) -> ArbFunction:
    """Compile ``expr`` into ``f(*balls) -> arb`` enclosing expr over the balls (one per variable).

    ``constants`` maps other symbols to balls (e.g. a root known to a radius).  The result is a
    non-finite ball wherever the expression may be undefined on part of the balls (division by a
    ball containing 0, log or a real power of a base not provably positive, a Piecewise that may
    fall through).  Any other free symbol or an unknown node raises :class:`UnsupportedExpression`.
    Evaluation uses the ambient ``ctx.prec``."""
    return ArbFunction(expr, variables, constants)


# -- centred form --

def _gradient(expr: sp.Expr, variables, constants, seconds: float = SYMBOLIC_SECONDS):
    """[(index, compiled partial derivative)] for the non-zero partials, or None when sympy cannot
    differentiate within ``seconds`` or a derivative has a node that cannot be enclosed."""
    real = [sp.Dummy(str(v), real=True) for v in variables]  # Abs' derivative is sign only for reals
    expr = expr.xreplace(dict(zip(variables, real)))
    try:
        with time_budget(seconds, "derivative for a centred form"):
            partials = [sp.diff(expr, r) for r in real]
            return [(i, arb_function(d, real, constants)) for i, d in enumerate(partials) if d != 0]
    except (BudgetExceeded, ValueError, TypeError, NotImplementedError):  # incl. UnsupportedExpression
        return None


class Enclosure:
    """Enclosures of one expression over boxes (one ball per variable): the natural enclosure,
    intersected with mean-value forms f(c) + sum_i f_i(X) (X_i - c_i) when those are valid.

    The centre c is the box's middle, then its lower and its upper corner (a corner where f is
    exactly 0 proves a one-signed claim with slack 0 there).  The derivatives are computed on first
    need.  The mean-value form is used only when every branch of f (and of its derivatives) is
    decided on the box: across an undecided Piecewise condition f may jump, and the derivative knows
    nothing of the jump."""

    def __init__(self, expr, variables, constants: Mapping[sp.Symbol, arb] | None = None):
        self.function = arb_function(expr, variables, constants)
        self._constants = constants
        self._partials = None  # not computed yet; then a list, or False when unavailable

    def enclose(self, box: Sequence[arb], good_enough: Callable[[arb], bool] = lambda value: False) -> arb:
        """Enclosure of f over ``box``; each narrowing is tried only while ``good_enough`` fails."""
        best, decided = self.function.evaluate(*box)
        if not decided or good_enough(best):
            return best
        slopes = self._slopes(box)
        if slopes is None:
            return best
        centres = ([ball.mid() for ball in box], [ball.lower() for ball in box], [ball.upper() for ball in box])
        for centre in centres:
            value = _sum([self.function(*centre)] + [_product([slope, box[i] - centre[i]]) for i, slope in slopes])
            if value.is_finite():
                best = value if not best.is_finite() else _intersect(best, value)
                if good_enough(best):
                    break
        return best

    def _slopes(self, box) -> list | None:
        """[(index, enclosure of f_index over the box)], or None when unavailable or undecided."""
        if self._partials is None:
            partials = _gradient(self.function.expr, self.function.variables, self._constants)
            self._partials = False if partials is None else partials
        if self._partials is False:
            return None
        slopes = []
        for index, partial in self._partials:
            slope, decided = partial.evaluate(*box)
            if not decided or not slope.is_finite():
                return None
            slopes.append((index, slope))
        return slopes


# -- exact numbers --

def _fmpq_of(value) -> fmpq | None:
    """The exact rational value of an exact number (int, fmpz, fmpq, Fraction, sympy Rational, mpf,
    exact arb); None for anything else (a sympy Float is a decimal known only to a radius)."""
    if isinstance(value, (int, fmpz)):
        return fmpq(value)
    if isinstance(value, fmpq):
        return value
    if isinstance(value, Fraction):
        return fmpq(value.numerator, value.denominator)
    if isinstance(value, mpmath.mpf) and mpmath.isfinite(value):
        sign, mantissa, exponent, _ = value._mpf_
        scaled = fmpq(int(mantissa)) * fmpq(2) ** int(exponent)
        return -scaled if sign else scaled
    if isinstance(value, arb) and value.is_exact() and value.is_finite():
        mantissa, exponent = value.man_exp()
        return fmpq(mantissa) * fmpq(2) ** int(exponent)
    if isinstance(value, sp.Basic) and value.is_Rational:
        return fmpq(int(value.p), int(value.q))
    return None


def _ball(value) -> arb:
    """A ball containing a number: arb, exact number, string (arb's parser) or sympy number."""
    if isinstance(value, arb):
        return value
    exact = _fmpq_of(value)
    if exact is not None:
        return arb(exact)
    if isinstance(value, str):
        return arb(value)
    return arb_function(sp.sympify(value), ())()  # floats count as the decimal they print as


def _interval(value) -> tuple[fmpq, fmpq]:
    """Exact rational end points of the values a bound may have (equal for an exact bound)."""
    exact = _fmpq_of(value)
    if exact is not None:
        return exact, exact
    ball = _ball(value)
    if not ball.is_finite():
        raise ValueError(f"bound {value} is not finite")
    return _fmpq_of(ball.lower()), _fmpq_of(ball.upper())


def _box(low: Sequence[fmpq], high: Sequence[fmpq]) -> list[arb]:
    return [_join(arb(a), arb(b)) for a, b in zip(low, high)]


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
        self.slack, self.tolerance = _ball(slack), _ball(tolerance)
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
        hull = _join(_ball(enclosure[0]), _ball(enclosure[1]))
        if not self.proves(hull):
            return False
        self.bound = self.bound.max(abs(hull).upper())
        return True

    # -- the whole claim --

    def run(self, lower, upper, tail_prover) -> BoxOutcome:
        low = [_interval(a) for a in lower]
        high = [None if b is sp.oo else _interval(b) for b in upper]
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

class IsolatedRoot(NamedTuple):
    """A ball proved to contain a root (f changes sign between its exact end points and is
    continuous on it); ``unique`` when f' excludes 0 on the ball, so the root is its only one."""

    ball: arb
    unique: bool


class SignChanges(NamedTuple):
    """Balls (closed grid cells, interiors disjoint) each proved to contain a root; ``complete``
    when every root in the interval lies in one of them (every grid point has a decided sign and
    every cell without a sign change provably has no root)."""

    roots: list
    complete: bool


def _sign_at(function: ArbFunction, point: fmpq) -> int | None:
    value = function(arb(point))
    return 1 if value > 0 else (-1 if value < 0 else None)


def _continuous_on(function: ArbFunction, ball: arb) -> bool:
    """Whether f is continuous on the ball: a finite enclosure excludes poles (division, log, tan,
    gamma) and decided branches exclude jumps (Piecewise, sign, Heaviside, g_1 at 0)."""
    value, decided = function.evaluate(ball)
    return decided and value.is_finite()


def _exact_point(value) -> fmpq:
    """An exact rational for an approximation (mpf, string, number or ball: its midpoint)."""
    exact = _fmpq_of(value)
    if exact is None and isinstance(value, str):
        exact = _fmpq_of(sp.Rational(value))
    return exact if exact is not None else _fmpq_of(_ball(value).mid())


def isolate_root(f_expr, symbol: sp.Symbol, approx, constants: Mapping[sp.Symbol, arb] | None = None,
                 prec: int = 256) -> IsolatedRoot | None:
    """A ball [c - r, c + r] around ``approx`` (mpf, string or number) proved to contain a root of
    ``f_expr`` by a sign change at its exact end points, with r = 2^-(prec-20) (1 + |c|) growing by
    2^8 while r < (1 + |c|)/2^8; None if no radius works.  Computes at ``prec`` bits."""
    with ctx.workprec(prec):
        function = arb_function(f_expr, [symbol], constants)
        centre = _fmpq_of(arb(_exact_point(approx)).mid())  # a dyadic: exact end points
        scale = 1 + abs(centre)
        radius = scale / 2 ** (prec - 20)
        while radius < scale / 2 ** 8:
            low, high = centre - radius, centre + radius
            ball = _join(arb(low), arb(high))
            signs = _sign_at(function, low), _sign_at(function, high)
            if None not in signs and signs[0] != signs[1] and _continuous_on(function, ball):
                partials = _gradient(function.expr, function.variables, constants)
                slope = partials[0][1](ball) if partials else None
                return IsolatedRoot(ball, slope is not None and (slope > 0 or slope < 0))
            radius *= 2 ** 8
        return None


def count_sign_changes(f_expr, symbol: sp.Symbol, lo, hi, constants: Mapping[sp.Symbol, arb] | None = None,
                       prec: int = 256, pieces: int = 256) -> SignChanges:
    """Roots of ``f_expr`` in [lo, hi] proved by sign changes on a grid of ``pieces`` cells with exact
    rational points: between two consecutive points of decided sign, a sign change on a span where f
    is continuous contains a root.  Computes at ``prec`` bits."""
    with ctx.workprec(prec):
        function = arb_function(f_expr, [symbol], constants)
        low, high = _interval(lo)[0], _interval(hi)[1]
        grid = [low + (high - low) * k / pieces for k in range(pieces + 1)]
        signs = [_sign_at(function, g) for g in grid]
        complete = None not in signs
        decided = [k for k, s in enumerate(signs) if s is not None]
        roots = []
        for a, b in zip(decided, decided[1:]):
            if signs[a] != signs[b]:
                span = _join(arb(grid[a]), arb(grid[b]))
                if _continuous_on(function, span):
                    roots.append(span)
                else:
                    complete = False
            elif not all(_excludes_zero(function(_join(arb(grid[k]), arb(grid[k + 1])))) for k in range(a, b)):
                complete = False
        return SignChanges(roots, complete)


def _excludes_zero(value: arb) -> bool:
    return value > 0 or value < 0
