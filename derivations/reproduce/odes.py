"""Printed solutions of ODEs, substituted into the ODE derived from the SVO."""
from __future__ import annotations

import sympy as sp

from irmd.analytic.environment import TOTAL
from irmd.analytic.library.auction import common_value_auction
from irmd.analytic.special import ErlangCDF
from irmd.status import EquationVerdict

from ..document import Math
from ..report import EquationResult, Formula, Note
from .compare import SAMPLES, TOLERANCE, numeric_value, sample_note, simplified_zero
from .notation import L_1, L, N, g, h, mu1, y, ybar


def _ode_residual(residual) -> tuple[bool, sp.Expr]:
    """(zero?, residual) with the integrals held as symbols.

    ``sp.diff`` has already differentiated the integrals with a variable upper limit
    (the fundamental theorem of calculus, valid where the integrand is continuous);
    what is left is algebra in the held integrals.
    """
    held = {i: sp.Dummy(f"I{k}") for k, i in enumerate(sorted(residual.atoms(sp.Integral), key=str))}
    algebraic = residual.xreplace(held)
    zero = simplified_zero(algebraic, 20.0)
    return zero, (sp.S.Zero if zero else residual)


def _largest_residual(residual, points):
    """(point, value) of the largest |residual| over ``points``; None if one cannot be evaluated."""
    values = [(point, numeric_value(residual, point)) for point in points]
    if any(v is None for _, v in values):
        return None
    return max(values, key=lambda item: abs(item[1]))


def _residual_not_checkable(base) -> EquationResult:
    base.verdict, base.method = EquationVerdict.NOT_CHECKABLE, "symbolic + numeric"
    base.note = Note.of("the ODE residual neither simplifies to 0 nor can be evaluated numerically")
    return base


def _initial_value(printed, samples, extra: dict) -> tuple[bool | None, Note]:
    """The right limit at 0, read off at y = 1e-6, 1e-9, 1e-12 by quadrature."""
    worst = 0.0
    for sample in samples:
        values = []
        for k in (6, 9, 12):
            v = numeric_value(printed, {**sample, **extra(sample), y: sp.Rational(1, 10**k)})
            if v is None:
                return None, Note.of("the printed form cannot be evaluated next to 0")
            values.append(abs(v))
        if not (values[-1] < 1e-8 and values[0] >= values[-1]):
            where = sample_note({**sample, **extra(sample)}, sp.sympify(printed).free_symbols - {y})
            return False, Note.of("its value next to 0 does not vanish: ", Formula(y, sp.Rational(1, 10**12)),
                                  " gives ", sp.Float(values[-1], 8), " ") + where
        worst = max(worst, values[-1])
    return True, Note.of(f"|value| at y = 1e-12 is at most {worst:.1e} at {len(samples)} parameter samples")


def _level_36(sample: dict):
    """L_1 of (36) at the sample's N and ybar (the level that keeps T bounded)."""
    n, yb = int(sample[N]), sample[ybar]
    return sp.nsimplify(sp.N(n * ErlangCDF(n, yb) / yb + 1 - ErlangCDF(n - 1, yb), 40), rational=True)


def transfer_check(base, printed) -> EquationResult:
    """The printed T(y) must solve the SVO equation of the proportional auction with T(0) = 0.

    Three checks: the ODE residual (symbolic, differentiating under the integral sign),
    the initial value (quadrature next to 0), and agreement with the closed form of T in
    irmd's built-in candidate at points on both sides of the kink ybar (quadrature).
    """
    div = sp.Piecewise((N / ybar, y <= ybar), ((N - 1) / y, True))
    residual = printed - (N - 1) * printed / y - sp.diff(printed, y) - (L_1 - div)
    zero, residual = _ode_residual(residual)
    base.derived_lhs = Math(r"T - \frac{N-1}{y} T - T' - \left(L_1 - \nabla\cdot\bar q(y)\right)")
    base.derived = [residual]
    notes, problems = [], []
    if zero:
        notes.append(Note.of("with the printed T, the residual of the SVO equation T - (N-1) T/y - T' = L_1 - "
                             "div qbar simplifies to 0 symbolically (the integral differentiated by the fundamental "
                             "theorem of calculus, for y != ybar)"))
    else:
        worst = _largest_residual(residual, [{**s, L_1: _level_36(s), y: s[ybar] * f}
                                             for s in SAMPLES for f in (sp.Rational(1, 2), 2)])
        if worst is None:
            return _residual_not_checkable(base)
        point, value = worst
        if abs(value) > TOLERANCE:
            problems.append(Note.of("the printed T leaves the residual ", sp.Float(value.real, 8),
                                    " in the SVO equation ") + sample_note(point, {N, ybar}))
        else:
            notes.append(Note.of("the residual of the SVO equation vanishes numerically at 6 points"))
    ok, note = _initial_value(printed, SAMPLES, lambda s: {L_1: _level_36(s)})
    if ok is None:
        base.verdict, base.method, base.note = EquationVerdict.NOT_CHECKABLE, "numeric", note
        return base
    (notes if ok else problems).append(Note.of("T(0+) = 0: ") + note if ok else note)
    compared, mismatch = 0, None
    for sample in SAMPLES:
        n = int(sample[N])
        closed = common_value_auction(n, sample[mu1]).functions[0].closed_form.xreplace({TOTAL: y})
        for factor in (sp.Rational(1, 2), 1, sp.Rational(3, 2), 3):
            point = {**sample, L_1: _level_36(sample), y: sample[ybar] * factor}
            vp, vc = numeric_value(printed, point), numeric_value(closed, point)
            if vp is None or vc is None:
                continue
            compared += 1
            if abs(vp - vc) > TOLERANCE * (1 + abs(vc)) and mismatch is None:
                mismatch = (Note.of("it differs from irmd's closed-form T ") + sample_note(point, {N, ybar, y})
                            + Note.of(": printed ", sp.Float(vp.real, 10), ", closed form ", sp.Float(vc.real, 10)))
    if mismatch is not None:
        problems.append(mismatch)
    elif compared:
        notes.append(Note.of(f"it equals the closed-form T of irmd's common-value-auction at {compared} points "
                             "y = ybar/2, ybar, 3*ybar/2, 3*ybar for N = 2, 3 and 5 "
                             "(quadrature split at ybar, 30 digits)"))
    base.method = "symbolic ODE residual + numeric initial value and closed form"
    base.verdict = EquationVerdict.DIFFERS if problems else EquationVerdict.REPRODUCED
    base.note = Note.join(problems if problems else notes)
    return base


def trade_probability_check(base, printed) -> EquationResult:
    """The printed q(y) of (44) must solve g(q + q') - (h-g) q/y = L on y <= ybar with q(0) = 0."""
    residual = g * (printed + sp.diff(printed, y)) - (h - g) * printed / y - L
    zero, residual = _ode_residual(residual)
    base.derived_lhs = Math(r"g\left(q + q'\right) - \frac{h-g}{y} q - L")
    base.derived = [residual]
    notes, problems = [], []
    if zero:
        notes.append(Note.of("with the printed q, the residual of the first line of (42), g(q + q') - (h-g) q/y = L, "
                             "simplifies to 0 symbolically (the integral differentiated by the fundamental theorem "
                             "of calculus)"))
    else:
        worst = _largest_residual(residual, [{**s, y: s[ybar] / 2} for s in SAMPLES])
        if worst is None:
            return _residual_not_checkable(base)
        _, value = worst
        if abs(value) > TOLERANCE:
            problems.append(Note.of("the printed q leaves the residual ", sp.Float(value.real, 8), " in (42)"))
    ok, note = _initial_value(printed, SAMPLES, lambda s: {})
    if ok is None:
        base.verdict, base.method, base.note = EquationVerdict.NOT_CHECKABLE, "numeric", note
        return base
    (notes if ok else problems).append(Note.of("q(0+) = 0: ") + note if ok else note)
    base.method = "symbolic ODE residual + numeric initial value"
    base.verdict = EquationVerdict.DIFFERS if problems else EquationVerdict.REPRODUCED
    base.note = Note.join(problems if problems else notes)
    return base


