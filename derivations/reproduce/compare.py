"""Printed against derived: symbolic, then numeric at sample points; explanations of a difference."""
from __future__ import annotations

import re

import mpmath
import sympy as sp

from irmd.analytic.special import MPMATH_IMPLEMENTATIONS
from irmd.budget import time_budget
from irmd.errors import BudgetExceeded

from ..report import Formula, Note, short
from .notation import L_1, A, L, N, eps, g, h, mu0, mu1, x1, x2, y, ybar

SAMPLES = [
    {N: 2, ybar: sp.Rational(27, 10), mu1: sp.Rational(1, 2), h: sp.Rational(3, 2), g: 1, eps: sp.Rational(1, 10),
     L: sp.Rational(3, 4), L_1: sp.Rational(3, 5), x1: sp.Rational(7, 10), x2: sp.Rational(13, 10),
     y: sp.Rational(19, 10), A: sp.Rational(1, 3)},
    {N: 3, ybar: sp.Rational(37, 10), mu1: sp.Rational(3, 10), h: sp.Rational(7, 4), g: 1, eps: sp.Rational(1, 20),
     L: sp.Rational(1, 2), x1: sp.Rational(1, 2), x2: sp.Rational(9, 4), y: sp.Rational(33, 10), A: sp.Rational(1, 5)},
    {N: 5, ybar: sp.Rational(51, 10), mu1: sp.Rational(7, 10), h: sp.Rational(5, 4), g: 2, eps: sp.Rational(1, 5),
     L: sp.Rational(6, 5), x1: sp.Rational(3, 2), x2: sp.Rational(1, 2), y: sp.Rational(6, 1), A: sp.Rational(1, 7)},
]
#: Relative tolerance of a numeric comparison (values are computed with 30 digits).
TOLERANCE = 1e-12


def at_ybar_root(sample: dict) -> dict:
    """ybar from (34) at the sample's N and mu, so that relations that hold only at the root can be compared."""
    n, m0 = int(sample[N]), 1 - sample[mu1]
    with mpmath.workdps(40):
        root = mpmath.findroot(lambda t: mpmath.gammainc(n + 1, 0, t, regularized=True) - mpmath.mpf(m0.p) / m0.q,
                               n + 1)
    out = dict(sample)
    out[ybar] = sp.Float(root, 40)
    out[mu0] = 1 - sample[mu1]
    return out


def prepared(expr):
    expr = sp.sympify(expr)
    # Evaluate derivatives but never integrals (those are compared by quadrature).
    return expr.doit(integrals=False) if expr.has(sp.Derivative, sp.Subs) else expr


def symbolic_equal(a, b, seconds: float = 6.0) -> bool:
    return simplified_zero(prepared(a) - prepared(b), seconds)


def simplified_zero(expr, seconds: float = 6.0) -> bool:
    try:
        with time_budget(seconds, "symbolic comparison"):
            difference = sp.simplify(expr)
            if difference == 0:
                return True
            return sp.simplify(difference.rewrite(sp.exp)) == 0
    except BudgetExceeded:
        return False
    except Exception:  # noqa: BLE001 - undecided, fall through to numerics
        return False


def divergent_integral(expr, sample: dict):
    """(integral, limit of its integrand) for an integral over (a, oo) whose integrand does not tend to 0."""
    for integral in sp.sympify(expr).atoms(sp.Integral):
        if len(integral.limits) != 1 or len(integral.limits[0]) != 3 or integral.limits[0][2] != sp.oo:
            continue
        var = integral.limits[0][0]
        f = integral.function.subs({k: v for k, v in sample.items() if k != var}).rewrite(sp.exp)
        try:
            growth = sp.limit(f, var, sp.oo)
        except Exception:  # noqa: BLE001
            continue
        # Only a decided, nonzero limit means divergence (an unevaluated Limit decides nothing).
        if growth.has(sp.Limit) or growth == sp.nan or not (growth.is_number or growth.is_infinite):
            continue
        if growth.is_zero is False:
            return integral, growth
    return None


def numeric_value(expr, sample: dict):
    """Value at a sample (integrals by quadrature), or ``None`` when undefined or divergent."""
    if divergent_integral(expr, sample) is not None:
        return None
    expr = prepared(expr).subs({mu0: 1 - sample.get(mu1, sp.Rational(1, 2)), **sample})
    expr = expr.replace(lambda e: isinstance(e, sp.Sum), lambda e: e.doit())
    # Integrals by mpmath quadrature split at the kink ybar (sympy's own evalf does not split).
    expr = expr.replace(lambda e: isinstance(e, sp.Integral), lambda e: _quad(e, sample))
    try:
        value = sp.N(expr, 30)
    except Exception:  # noqa: BLE001
        return None
    if value.has(sp.Integral):
        value = value.replace(lambda e: isinstance(e, sp.Integral), lambda e: _quad(e, sample))
        value = sp.N(value, 30)
    if not value.is_number or value.has(sp.zoo, sp.oo, -sp.oo, sp.nan) or not value.is_finite:
        return None
    return complex(value)


def _quad(integral, sample):
    if len(integral.limits) != 1 or len(integral.limits[0]) != 3 or integral.function.free_symbols - {
            integral.limits[0][0]}:
        return sp.nan
    f = sp.lambdify(integral.limits[0][0], integral.function, modules=[MPMATH_IMPLEMENTATIONS, "mpmath"])
    var, lo, hi = integral.limits[0]
    with mpmath.workdps(30):
        a = mpmath.mpf(sp.N(lo, 30))
        b = mpmath.inf if hi == sp.oo else mpmath.mpf(sp.N(hi, 30))
        # Piecewise integrands break at ybar: split there so quadrature sees smooth pieces.
        kink = sample.get(ybar)
        points = [a] + ([mpmath.mpf(sp.N(kink, 30))] if kink is not None and a < sp.N(kink) < b else []) + [b]
        try:
            value = mpmath.quad(f, points)
        except Exception:  # noqa: BLE001
            return sp.nan
    return sp.Float(value, 30)


def _shown(value):
    """A sample value as it is quoted in an explanation."""
    value = sp.sympify(value)
    return sp.Float(value, 8) if isinstance(value, sp.Float) else value


def sample_note(sample: dict, symbols) -> Note:
    """'at N = 2, ybar = 27/10' for the symbols that occur."""
    shown = [k for k in sample if k in symbols]
    parts = ["at "]
    for k, key in enumerate(shown):
        parts += ([", "] if k else []) + [Formula(key, _shown(sample[key]))]
    return Note.of(*parts) if shown else Note()


def numeric_equal(a, b, samples) -> tuple[bool | None, Note]:
    compared = 0
    for sample in samples:
        va, vb = numeric_value(a, sample), numeric_value(b, sample)
        if va is None and vb is None:
            continue
        if va is None or vb is None:
            return False, _undefined_note(a if va is None else b, sample, "printed" if va is None else "derived")
        compared += 1
        if abs(va - vb) > TOLERANCE * (1 + abs(vb)):
            where = sample_note(sample, sp.sympify(a).free_symbols | sp.sympify(b).free_symbols)
            return False, where + Note.of(": printed ", sp.Float(va.real, 10), ", derived ", sp.Float(vb.real, 10))
    if compared == 0:
        return None, Note.of("no sample point where both forms are defined")
    return True, Note.of(f"numerically equal at {compared} sample points (30 digits)")


def _undefined_note(expr, sample, which: str) -> Note:
    found = divergent_integral(expr, sample)
    if found is not None:
        integral, growth = found
        var = integral.limits[0][0]
        return Note.of(f"the {which} form's ", integral, " diverges: its integrand tends to ", growth, " as ",
                       Formula(var, sp.oo, "->"))
    return Note.of(f"the {which} form is undefined at the sample points")


def _symbols(symbols) -> list:
    parts = []
    for k, s in enumerate(sorted(symbols, key=str)):
        parts += ([", "] if k else []) + [s]
    return parts


def _repair(printed, derived, samples) -> Note:
    """A one-symbol change that makes the printed form equal the derived one, found by trying them all:
    a free variable only the printed form has replaced by one of the derived form's, or an infinite
    upper limit replaced by a symbol of the derived form."""
    printed, derived = sp.sympify(printed), sp.sympify(derived)
    extra = printed.free_symbols - derived.free_symbols
    candidates = []
    for old in sorted(extra, key=str):
        for new in sorted(derived.free_symbols, key=str):
            candidates.append((printed.subs(old, new), Note.of("with ", old, " replaced by ", new)))
    for integral in sorted(printed.atoms(sp.Integral), key=str):
        var, lo, hi = integral.limits[0]
        if hi != sp.oo:
            continue
        for new in sorted(derived.free_symbols - printed.free_symbols, key=str):
            fixed = printed.xreplace({integral: sp.Integral(integral.function, (var, lo, new))})
            candidates.append((fixed, Note.of("with the upper limit ", sp.oo, " of the integral replaced by ", new)))
    for fixed, note in candidates:
        ok, _, _ = compare_pair(fixed, derived, samples)
        if ok:
            return note + Note.of(" the printed form equals the derived one")
    return Note()


def explain(printed, derived, samples, difference_known: bool = False) -> Note:
    """Why a printed form differs, computed from the two forms."""
    notes = []
    printed, derived = sp.sympify(printed), sp.sympify(derived)
    extra = printed.free_symbols - derived.free_symbols
    missing = derived.free_symbols - printed.free_symbols
    if extra:
        notes.append(Note.of("the printed form has the free variable ", *_symbols(extra),
                             " that the derived form does not have"))
    notes.append(_repair(printed, derived, samples))
    if not difference_known and not printed.has(sp.Integral) and not derived.has(sp.Integral):
        try:
            with time_budget(6.0, "difference"):
                difference = sp.simplify(prepared(printed) - prepared(derived))
            if short(difference):
                notes.append(Note.of(Formula("printed - derived", difference)))
        except (BudgetExceeded, Exception):  # noqa: BLE001 - the difference is only an illustration
            pass
    _ = missing
    return Note.join(notes)


def compare_pair(printed, derived, samples) -> tuple[bool | None, str, Note]:
    # Forms with integrals are compared by quadrature: simplifying them symbolically is slow.
    if not (sp.sympify(printed).has(sp.Integral) or sp.sympify(derived).has(sp.Integral)):
        if symbolic_equal(printed, derived):
            return True, "symbolic", Note()
    undefined = sp.core.function.AppliedUndef
    if sp.sympify(printed).atoms(undefined) or sp.sympify(derived).atoms(undefined):
        # Unknown functions (sigma, rho, nu, q, T) cannot be sampled: the difference decides.
        difference = sp.simplify(prepared(printed) - prepared(derived))
        if difference != 0:
            return False, "symbolic", Note.of(Formula("printed - derived", difference))
    ok, note = numeric_equal(printed, derived, samples)
    return ok, "numeric", note


#: Limits ``_{v=a}^{b}`` written on something other than an integral, sum, product or limit: the
#: trace of an operator sign the PDF extraction lost (``\overline{y}_{g=0}^{\overline{y}}`` for
#: ``\int_{y=0}^{\overline{y}}``).
_STRAY_LIMITS = re.compile(r"(\\overline\{\w+\}|\\?[A-Za-z]+|\})_\{\s*\w+\s*=[^}]*\}\^")
_OPERATORS = {r"\int", r"\sum", r"\prod", r"\lim", r"\iint", r"\oint", r"\bigcup", r"\bigcap"}


def layout_note(entry) -> Note:
    """Why the printed display is garbled in transcription (empty when it is not): parentheses that do
    not balance over its printed lines, or the limits of an integral on a symbol that is not one."""
    layout = entry.get("layout")
    if layout:
        text = " ".join(layout)
        opened, closed = text.count("("), text.count(")")
        if opened != closed:
            return Note.of(f"the printed display is garbled: its first form has {opened} opening and {closed} "
                           f"closing parentheses over its {len(layout)} printed lines")
    for match in _STRAY_LIMITS.finditer(entry.get("latex", "")):
        if match.group(1) not in _OPERATORS:
            return Note.of(f"the printed display is garbled: limits {match.group(0)[len(match.group(1)):]}... stand "
                           f"on {match.group(1)}, which is not an integral or a sum (an operator sign lost in "
                           "the transcription)")
    return Note()


