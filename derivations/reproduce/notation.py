"""The symbols of the transcriptions, and how a printed form is read as sympy."""
from __future__ import annotations

import sympy as sp
from sympy.parsing.sympy_parser import parse_expr

from irmd.analytic.environment import action_symbols
from irmd.analytic.special import ErlangCDF, ErlangPDF

x1, x2 = action_symbols(2)  # the same signal symbols as the model
y, z, u = sp.symbols("y z u", positive=True)
N = sp.Symbol("N", integer=True, positive=True)
ybar, A, eps, k, B = sp.symbols("ybar A eps k B", positive=True)
g, h = sp.symbols("g h", positive=True)
L, L_1, L_0, theta, theta_1, theta_2 = sp.symbols("L L_1 L_0 theta theta_1 theta_2", real=True)
mu0, mu1 = sp.symbols("mu0 mu1", positive=True)
q_, t_, q_1, q_2, t_1, t_2 = sp.symbols("q t q_1 q_2 t_1 t_2", real=True)
sL, sH = sp.symbols("sL sH", positive=True)
l_ = sp.Symbol("l", integer=True, positive=True)
v, nu, rho, T, qf = (sp.Function(n) for n in ("v", "nu", "rho", "T", "q"))
s0, s1, sLo, sHi = (sp.Function(n) for n in ("sigma0", "sigma1", "sigmaL", "sigmaH"))
qF1, qF2, tF1, tF2 = (sp.Function(n) for n in ("q_1", "q_2", "t_1", "t_2"))

X = (x1, x2)
DEFINITIONS = ("28", "39")  # forms that define a symbol or state a conjecture from numerics


def namespace(eq_id: str) -> dict:
    """Names used by the transcriptions; what ``q``/``t`` mean depends on the display."""
    ns = {"x_1": x1, "x_2": x2, "y": y, "z": z, "u": u, "N": N, "ybar": ybar, "A": A, "eps": eps, "k": k, "B": B,
          "g": g, "h": h, "L": L, "L_1": L_1, "L_0": L_0, "theta": theta, "theta_1": theta_1, "theta_2": theta_2,
          "mu0": mu0, "mu1": mu1, "sL": sL, "sH": sH, "l": l_, "v": v, "nu": nu, "rho": rho, "T": T,
          "ErlangPDF": ErlangPDF, "ErlangCDF": ErlangCDF, "Integral": sp.Integral, "Sum": sp.Sum,
          "Piecewise": sp.Piecewise, "Min": sp.Min, "exp": sp.exp, "factorial": sp.factorial, "oo": sp.oo,
          "Derivative": sp.Derivative, "Subs": sp.Subs, "D": lambda f, var: sp.Derivative(f, var)}
    X = (x1, x2)
    ns.update({"sigma0": s0(*X), "sigma1": s1(*X), "sigmaL": sLo(*X), "sigmaH": sHi(*X)})
    if eq_id in ("SVO-3.5.2",):
        ns.update({"q_1": qF1(*X), "q_2": qF2(*X), "t_1": tF1(*X), "t_2": tF2(*X)})
    elif eq_id in ("SVO-3.6.2",):
        ns.update({"q": qF1(*X), "t": tF1(*X)})
    elif eq_id == "lambda-q":
        ns.update({"q": qf})
    else:
        ns.update({"q": q_, "t": t_, "q_1": q_1, "q_2": q_2})
    return ns


def parse(text: str, eq_id: str, evaluate: bool = True) -> sp.Expr:
    """The printed form read as sympy; ``evaluate=False`` keeps its printed structure (for display)."""
    if evaluate:
        return sp.sympify(text, locals=namespace(eq_id))

    try:
        return _tidy(parse_expr(text, local_dict=namespace(eq_id), evaluate=False))
    except Exception:  # noqa: BLE001 - the evaluated reading is shown instead
        return parse(text, eq_id)


def _tidy(expr):
    """An unevaluated reading with its numeric factors and zero terms settled (1*x -> x, -1*h/g -> -h/g),
    and nothing else rearranged."""
    if not expr.args or isinstance(expr, (sp.Integral, sp.Derivative, sp.Subs)) and not expr.args:
        return expr
    args = [_tidy(a) if isinstance(a, sp.Basic) else a for a in expr.args]
    if isinstance(expr, sp.Mul):
        # Signs of factors go to the front: (-h)*(1/g) is -h/g, not (-1) h/g.
        signs = [a for a in args if a.is_Mul and a.args[0].is_Number and a.args[0] < 0]
        args = [-a if a in signs else a for a in args] + [sp.S.NegativeOne] * len(signs)
        numbers = [a for a in args if a.is_Number]
        rest = [a for a in args if not a.is_Number]
        coefficient = sp.Mul(*numbers)
        if coefficient == 0:
            return sp.S.Zero
        body = rest[0] if len(rest) == 1 else sp.Mul(*rest, evaluate=False) if rest else sp.S.One
        return body if coefficient == 1 else sp.Mul(coefficient, *rest)
    if isinstance(expr, sp.Add):
        terms = [a for a in args if a != 0]
        return sp.Add(*terms, evaluate=False) if len(terms) > 1 else (terms[0] if terms else sp.S.Zero)
    try:
        return expr.func(*args, evaluate=False)
    except TypeError:
        return expr.func(*args)


