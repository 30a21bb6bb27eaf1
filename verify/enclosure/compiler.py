"""Compile a sympy expression once into a function of arb balls (:func:`arb_function`)."""
from __future__ import annotations

from fractions import Fraction
from typing import Callable, Mapping, Sequence

import mpmath
import sympy as sp
from flint import arb, ctx, fmpq, fmpz

from irmd.analytic.special import ErlangCDF, ErlangPDF, ErlangSF
from irmd.caching import RecentCache, exact_key

from .arithmetic import (
    UnsupportedExpression,
    ball_sum,
    hull_of_values,
    join,
    nan_ball,
    positive_only,
    product,
    three_way,
)
from .erlang import erlang_ball


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


_NAMED_NUMBERS = {sp.pi: arb.pi, sp.E: arb.const_e, sp.EulerGamma: arb.const_euler, sp.nan: nan_ball,
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
            ball = ball_of(self.constants[node])
            return lambda ev: ball
        if isinstance(node, sp.Symbol):
            raise UnsupportedExpression(f"free symbol {node} is neither a variable nor a constant")
        if node.is_Number or node in _NAMED_NUMBERS:
            return self.number(node)
        if node.is_Add or node.is_Mul:
            parts = [self.value(a) for a in node.args]
            combine = ball_sum if node.is_Add else product
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
                    return nan_ball()
                # x^k is monotone on each side of 0 (on one side only when k < 0, 0 excluded)
                return hull_of_values(ball, lambda t: t ** k, turning=turning if k > 0 else None)
            return integer_power
        of_exponent = self.value(exponent)
        constant_exponent = exponent.is_number

        def real_power(ev):
            ball, power = of_base(ev), of_exponent(ev)
            if constant_exponent and ball > 0:
                return hull_of_values(ball, lambda t: t ** power)  # monotone for each power
            if constant_exponent and power > 0 and ball >= 0:
                return hull_of_values(ball, lambda t: t ** power if t > 0 else arb(0))  # 0^p = 0
            if not ball > 0:
                return nan_ball()
            return hull_of_values(power * hull_of_values(ball, arb.log), arb.exp)
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
                result = branch if result is None else join(result, branch)
                candidates += 1
                if holds is True:
                    break
            else:  # some point of the balls may satisfy no condition: sympy leaves it undefined
                ev.decided = False
                return nan_ball()
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
            return hull_of_values(ball, abs, turning=0)
        return evaluate

    def step(self, argument, negative, zero, positive):
        """sign and Heaviside: a value per sign of the argument; the union of the possible ones."""
        of_argument, of_zero = self.value(argument), self.value(zero)

        def evaluate(ev):
            ball = of_argument(ev)
            if not ball.is_finite():
                return nan_ball()
            if not (ball > 0 or ball < 0):
                ev.decided = False
            choices = [v for v, possible in ((negative, not ball >= 0), (positive, not ball <= 0)) if possible]
            if ball.contains(0):
                choices.append(of_zero(ev))
            return join(*(arb(c) for c in choices))
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
    sp.StrictLessThan: lambda a, b: three_way(a < b, a >= b),
    sp.LessThan: lambda a, b: three_way(a <= b, a > b),
    sp.StrictGreaterThan: lambda a, b: three_way(a > b, a <= b),
    sp.GreaterThan: lambda a, b: three_way(a >= b, a < b),
    sp.Equality: lambda a, b: three_way(a == b, a != b),
    sp.Unequality: lambda a, b: three_way(a != b, a == b),
}

def _monotone(fn, turning=None):
    """Builder for a function monotone on each side of ``turning``: hull from the endpoints."""
    return lambda compiler, argument: _unary(compiler.value(argument),
                                             lambda ball: hull_of_values(ball, fn, turning))


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
    parameters = (int(a.p), int(a.q), int(b.p), int(b.q))

    def at(t):
        return _confluent_at(parameters, a_value, b_value, t)

    positive_parameters = bool(a > 0 and b > 0)   # (decided once: sympy comparisons are slow)

    def confluent(z):
        # arb's own 1F1 is not finite on wide balls; for a, b > 0 and z >= 0 every term of the
        # series is non-negative and increasing in z, so the ends of the ball enclose it.
        if positive_parameters and z >= 0:
            return hull_of_values(z, at)
        return at(z)
    return _unary(compiler.value(argument), confluent)


#: 1F1 values at exact points: (a, b, mantissa, exponent, precision) -> the ball arb computed there.
_CONFLUENT_AT: dict = {}
_CONFLUENT_AT_MAX = 1 << 15


def _confluent_at(parameters, a_value, b_value, t: arb) -> arb:
    """1F1(a; b; t), remembered for exact t: a box's ends are its parent's ends and middle, and the
    centred form evaluates at the box's corners, so the same exact points recur (arb's 1F1 costs
    tens of microseconds at 300 bits).  The key is the exact point and the precision, so the ball
    is the one arb computes there."""
    if not (t.is_exact() and t.is_finite()):
        return t.hypgeom_1f1(arb(a_value), arb(b_value))
    mantissa, exponent = t.man_exp()
    key = (parameters, int(mantissa), int(exponent), ctx.prec)
    value = _CONFLUENT_AT.get(key)
    if value is None:
        if len(_CONFLUENT_AT) >= _CONFLUENT_AT_MAX:
            _CONFLUENT_AT.clear()
        value = _CONFLUENT_AT[key] = t.hypgeom_1f1(arb(a_value), arb(b_value))
    return value


def _erlang_builder(kind):
    def build(compiler, order, argument):
        if not (order.is_Integer and order >= 0):
            raise UnsupportedExpression(f"{kind.__name__} needs an exact order >= 0, got {order}")
        n, of_argument = int(order), compiler.value(argument)
        return lambda ev: erlang_ball(kind, n, of_argument(ev), ev)
    return build


_FUNCTIONS = {
    sp.exp: _monotone(arb.exp),
    sp.log: _monotone(positive_only(arb.log)),
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
    sp.loggamma: _direct(positive_only(arb.lgamma)),
    sp.factorial: lambda c, a: _unary(c.value(a + 1), arb.gamma),
    # every finite compiled value is real (a complex one comes out non-finite): re is the identity
    sp.re: lambda c, a: c.value(a),
    sp.im: lambda c, a: _unary(c.value(a), lambda ball: arb(0) if ball.is_finite() else nan_ball()),
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
        self._at_points: dict = {}

    def evaluate(self, *balls: arb) -> tuple[arb, bool]:
        """(enclosure, decided): decided is False when some branch was undecided on the balls.

        At an exact point (every ball exact: a box's corner or middle, which neighbouring boxes
        and the centred form share) the outcome is remembered, keyed on the exact coordinates
        and the precision, so it is the one this evaluation gives there."""
        key = _exact_point_key(balls)
        if key is not None:
            found = self._at_points.get(key)
            if found is not None:
                return found
        evaluation = _Evaluation(list(balls))
        for step in self._steps:
            evaluation.slots.append(step(evaluation))
        outcome = self._result(evaluation), evaluation.decided
        if key is not None:
            if len(self._at_points) >= _POINTS_PER_FUNCTION:
                self._at_points.clear()
            self._at_points[key] = outcome
        return outcome

    def __call__(self, *balls: arb) -> arb:
        return self.evaluate(*balls)[0]


#: Exact points remembered per compiled function.
_POINTS_PER_FUNCTION = 1 << 9


def _exact_point_key(balls) -> tuple | None:
    """(coordinates as (mantissa, exponent), precision) when every ball is an exact finite number."""
    coordinates = []
    for ball in balls:
        if not (isinstance(ball, arb) and ball.is_exact() and ball.is_finite()):
            return None
        mantissa, exponent = ball.man_exp()
        coordinates.append((int(mantissa), int(exponent)))
    return tuple(coordinates), ctx.prec


def arb_function(expr, variables: Sequence[sp.Symbol], constants: Mapping[sp.Symbol, arb] | None = None) -> ArbFunction:
    """Compile ``expr`` into ``f(*balls) -> arb`` enclosing expr over the balls (one per variable).

    ``constants`` maps other symbols to balls (e.g. a root known to a radius).  The result is a
    non-finite ball wherever the expression may be undefined on part of the balls (division by a
    ball containing 0, log or a real power of a base not provably positive, a Piecewise that may
    fall through).  Any other free symbol or an unknown node raises :class:`UnsupportedExpression`.
    Evaluation uses the ambient ``ctx.prec``.

    A compiled function is reused for the same exact expression, variables, constants (their balls'
    exact midpoints and radii) and precision: the branch and bound compiles the same claim for
    every piece of its region."""
    key = compile_key(expr, variables, constants)
    if key is None:
        return ArbFunction(expr, variables, constants)
    function = _COMPILED.get(key)
    if function is None:
        function = ArbFunction(expr, variables, constants)
        _COMPILED.put(key, function)
    return function


_COMPILED = RecentCache(256)


def compile_key(expr, variables, constants) -> tuple | None:
    """The exact inputs of a compilation as a key, or None when some input has no exact key (a
    non-finite ball, a value of an unknown type): that compilation is then not remembered."""
    try:
        expr = sp.sympify(expr)
    except (sp.SympifyError, TypeError, ValueError):
        return None
    items = []
    for symbol, value in (constants or {}).items():
        if isinstance(value, arb):
            if not value.is_finite():
                return None
            items.append((symbol, "ball", fmpq_of(value.mid()), fmpq_of(value.rad())))
            continue
        exact = fmpq_of(value)
        if exact is not None:
            items.append((symbol, "exact", exact))
        elif isinstance(value, str):
            items.append((symbol, "text", value))
        elif isinstance(value, sp.Basic) and not value.has(sp.Float):
            items.append((symbol, "sympy", value))
        else:
            return None
    return (exact_key(expr), tuple(variables), tuple(items), ctx.prec)


# -- centred form --


# -- numbers as balls ------------------------------------------------------------------------
def fmpq_of(value) -> fmpq | None:
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


def ball_of(value) -> arb:
    """A ball containing a number: arb, exact number, string (arb's parser) or sympy number."""
    if isinstance(value, arb):
        return value
    exact = fmpq_of(value)
    if exact is not None:
        return arb(exact)
    if isinstance(value, str):
        return arb(value)
    return arb_function(sp.sympify(value), ())()  # floats count as the decimal they print as


def rational_interval(value) -> tuple[fmpq, fmpq]:
    """Exact rational end points of the values a bound may have (equal for an exact bound)."""
    exact = fmpq_of(value)
    if exact is not None:
        return exact, exact
    ball = ball_of(value)
    if not ball.is_finite():
        raise ValueError(f"bound {value} is not finite")
    return fmpq_of(ball.lower()), fmpq_of(ball.upper())
