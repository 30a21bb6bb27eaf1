r"""irmd's LaTeX printer: sympy's printer protocol with the papers' notation.

:class:`IrmdLatexPrinter` subclasses sympy's ``LatexPrinter`` and only adds
``_print_<Type>`` methods (objects such as the Erlang functions print themselves
through their ``_latex`` hook):

* symbols get the papers' names: ``ybar`` is :math:`\bar y`, ``theta_1`` is
  :math:`\theta_1`, ``L_1`` is :math:`L_1`, the representative agent's own action
  ``s`` of a symmetric candidate is :math:`x_i`, helper symbols of sign proofs
  (``u_y``) are :math:`u`;
* applied functions print as :math:`T(y)` and their derivatives as :math:`T'(y)`;
* piecewise expressions are ``cases`` with the condition after an ``&`` (no
  "for"/"otherwise"), confluent hypergeometric functions as
  :math:`{}_1F_1(a; b; y)`.

Long expressions are broken into lines by :func:`break_lines`, which splits at
the top-level sums and products of the *expression tree* (never inside a
fraction or a ``\left...\right`` pair), with widths estimated from the LaTeX by
:func:`latex_width`.  Line breaking is a matter of presentation only: the pieces
are printed from the same sympy expression.
"""
from __future__ import annotations

import re

import sympy as sp
from sympy.core.function import AppliedUndef
from sympy.printing.latex import LatexPrinter
from sympy.printing.str import StrPrinter

from irmd.numbers import decimal_string

#: Symbol names that are not covered by sympy's own conventions.
SYMBOL_NAMES = {
    "s": "x_i",          # OWN: representative agent's own action (symmetric candidates)
    "u_y": "u",          # positivity substitutions of sign proofs
    "eta_": r"\eta",
    "eps": r"\epsilon",
    "mu1": r"\mu(1)",
    "mu0": r"\mu(0)",
    "sigmaL": r"\sigma_{L}",    # the survey's sigma(x, theta) in bilateral trade's low and high states
    "sigmaH": r"\sigma_{H}",
    "sL": r"\bar{\sigma}_{L}",
    "sH": r"\bar{\sigma}_{H}",
}


class IrmdLatexPrinter(LatexPrinter):
    """sympy's LatexPrinter with irmd's notation (see the module docstring)."""

    printmethod = "_latex"

    def __init__(self, settings=None):
        settings = dict(settings or {})
        settings.setdefault("mul_symbol", None)
        super().__init__(settings)

    def _print_Symbol(self, expr, style="plain"):
        name = SYMBOL_NAMES.get(expr.name)
        if name is not None:
            return name
        if expr.name.startswith("u_") and expr.name[2:] in ("x_1", "x_2", "y"):
            return "u"
        return super()._print_Symbol(expr, style=style)

    def _print_Function(self, expr, exp=None):
        if isinstance(expr, AppliedUndef):
            name = self._print(sp.Symbol(expr.func.__name__))
            args = ", ".join(self._print(a) for a in expr.args)
            tex = f"{name}({args})"
            return f"{tex}^{{{exp}}}" if exp is not None else tex
        return super()._print_Function(expr, exp)

    def _print_Derivative(self, expr):
        inner = expr.expr
        variables = expr.variable_count
        if isinstance(inner, AppliedUndef) and len(inner.args) == 1 and len(variables) == 1:
            var, order = variables[0]
            if inner.args[0] == var and order <= 3:
                name = self._print(sp.Symbol(inner.func.__name__))
                return f"{name}{chr(39) * int(order)}({self._print(var)})"
        return super()._print_Derivative(expr)

    def _print_Subs(self, expr):
        # rho'(u) at u = x_1 + x_2 (what Derivative(rho(x_1 + x_2), x_1).doit() gives) is rho'(x_1 + x_2).
        derivative = _prime_at(expr)
        if derivative is not None:
            func, order, point = derivative
            name = self._print(sp.Symbol(func.__name__))
            return f"{name}{chr(39) * order}({self._print(point)})"
        return super()._print_Subs(expr)

    def _print_Piecewise(self, expr):
        rows = []
        for e, c in expr.args:
            cond = r"\text{otherwise}" if c == sp.true else self._print(c)
            rows.append(f"{self._print(e)} & {cond}")
        return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"

    def _print_hyper(self, expr, exp=None):
        ap = ", ".join(self._print(a) for a in expr.ap)
        bq = ", ".join(self._print(b) for b in expr.bq)
        # The thin space keeps the prefix subscript {}_1 off a preceding factor's subscript.
        tex = r"\,{}_{%d}F_{%d}\left(%s; %s; %s\right)" % (len(expr.ap), len(expr.bq), ap, bq,
                                                          self._print(expr.argument))
        return f"{tex}^{{{exp}}}" if exp is not None else tex

    def _print_Pow(self, expr):
        # Objects printing themselves through ``_latex`` (the Erlang functions)
        # take no exponent argument: attach the exponent here.
        base, power = expr.args
        if hasattr(base, "_latex") and power.is_Integer and power > 1:
            return "%s^{%s}" % (self._print(base), self._print(power))
        return super()._print_Pow(expr)

    def _print_Max(self, expr, exp=None):
        return self._minmax(r"\max", expr, exp)

    def _print_Min(self, expr, exp=None):
        return self._minmax(r"\min", expr, exp)

    def _minmax(self, name, expr, exp):
        args = sorted(expr.args, key=sp.default_sort_key)
        tex = r"%s\left\{%s\right\}" % (name, ", ".join(self._print(a) for a in args))
        return f"{tex}^{{{exp}}}" if exp is not None else tex


def _prime_at(expr):
    """(function, order, point) when ``expr`` is Subs(Derivative(f(u), u, ...), u, point), else None."""
    if not isinstance(expr, sp.Subs) or len(expr.variables) != 1:
        return None
    inner = expr.expr
    if not isinstance(inner, sp.Derivative) or not isinstance(inner.expr, AppliedUndef):
        return None
    if len(inner.expr.args) != 1 or inner.expr.args[0] != expr.variables[0] or len(inner.variable_count) != 1:
        return None
    var, order = inner.variable_count[0]
    if var != expr.variables[0] or order > 3:
        return None
    return inner.expr.func, int(order), expr.point[0]


class PlainPrinter(StrPrinter):
    """sympy's str printer with derivatives of one-variable functions as primes: rho'(x_1 + x_2),
    partial derivatives as d/dx_1 f and integrals as "integral from a to b of f dy"."""

    def _print_Integral(self, expr):
        if len(expr.limits) == 1 and len(expr.limits[0]) == 3:
            var, lo, hi = expr.limits[0]
            return "(integral from %s to %s of %s d%s)" % (self._print(lo), self._print(hi),
                                                        self.parenthesize(expr.function, 1000)
                                                        if expr.function.is_Add else self._print(expr.function),
                                                        self._print(var))
        return super()._print_Integral(expr)

    def _print_Piecewise(self, expr):
        rows = [f"{self._print(e)} " + ("otherwise" if c == sp.true else f"if {self._print(c)}") for e, c in expr.args]
        return "{" + "; ".join(rows) + "}"

    def _print_Subs(self, expr):
        derivative = _prime_at(expr)
        if derivative is not None:
            func, order, point = derivative
            return f"{func.__name__}{chr(39) * order}({self._print(point)})"
        return super()._print_Subs(expr)

    def _print_Derivative(self, expr):
        inner = expr.expr
        if isinstance(inner, AppliedUndef) and len(inner.args) == 1 and len(expr.variable_count) == 1:
            var, order = expr.variable_count[0]
            if inner.args[0] == var and order <= 3:
                return f"{inner.func.__name__}{chr(39) * int(order)}({self._print(var)})"
        # Partial derivatives as the papers' nabla_i: d/dx_1 nu(x_1, x_2).
        parts = [f"d/d{self._print(v)}" + (f"^{n}" if n != 1 else "") for v, n in expr.variable_count]
        body = self._print(inner) if isinstance(inner, (sp.Function, sp.Symbol)) else "(%s)" % self._print(inner)
        return " ".join(parts) + " " + body


def plain(expr) -> str:
    """Readable plain text of a sympy expression (for the CLI and JSON)."""
    return PlainPrinter().doprint(sp.sympify(expr))


_PRINTER = IrmdLatexPrinter()


def latex(expr) -> str:
    """LaTeX of a sympy expression (or anything sympify accepts) in irmd's notation."""
    return _PRINTER.doprint(sp.sympify(expr))


# ----------------------------------------------------------------------------- widths
_ZERO_WIDTH = {"left", "right", "displaystyle", "limits", "nolimits", "mathrm", "mathbf", "mathit",
               "operatorname", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr", "middle", "allowbreak",
               "begin", "end", "mathcal", "boldsymbol", "mathbb"}
_SPACES = {",": 0.2, ":": 0.25, ";": 0.3, "!": -0.1, "quad": 1.0, "qquad": 2.0, " ": 0.3}
_WORDS = {"log", "exp", "max", "min", "sup", "inf", "lim", "int", "sum", "sin", "cos", "text"}

_TOKEN = re.compile(r"\\([A-Za-z]+|.)|([{}^_&])|(\s+)|(.)", re.S)


def _group(s: str, i: int) -> tuple[str, int]:
    """The brace group starting at ``s[i]`` (or the single token there) and the index after it."""
    while i < len(s) and s[i] == " ":
        i += 1
    if i >= len(s):
        return "", i
    if s[i] != "{":
        m = _TOKEN.match(s, i)
        return m.group(0), m.end()
    depth, j = 0, i
    while j < len(s):
        if s[j] == "\\":
            j += 2
            continue
        if s[j] == "{":
            depth += 1
        elif s[j] == "}":
            depth -= 1
            if depth == 0:
                return s[i + 1:j], j + 1
        j += 1
    return s[i + 1:], len(s)


def latex_width(tex: str) -> float:
    """Approximate width of math-mode LaTeX in units of one average symbol.

    A fraction counts as its wider part, scripts at 70 %, ``cases`` as their
    widest row; spacing commands by their size.  Good enough to decide where a
    line must break (the compile test checks the result for overfull boxes).
    """
    width, i = 0.0, 0
    while i < len(tex):
        m = _TOKEN.match(tex, i)
        command, special, space, char = m.groups()
        i = m.end()
        if space:
            continue
        if char is not None:
            # Binary operators and relations carry thick spaces on both sides.
            width += 2.0 if char in "+-=<>" else (0.6 if char in ",;" else 1.0)
            continue
        if special in ("{", "}", "&"):
            continue
        if special in ("^", "_"):
            group, i = _group(tex, i)
            width += 0.7 * latex_width(group)
            continue
        if command in ("frac", "dfrac", "tfrac"):
            num, i = _group(tex, i)
            den, i = _group(tex, i)
            width += max(latex_width(num), latex_width(den)) + 0.4
        elif command == "sqrt":
            arg, i = _group(tex, i)
            width += latex_width(arg) + 1.0
        elif command in ("bar", "hat", "tilde", "overline", "underline", "mathrm", "mathit", "mathbf",
                         "operatorname", "mathcal", "mathbb", "boldsymbol"):
            arg, i = _group(tex, i)
            width += latex_width(arg) if command not in ("mathrm", "operatorname") else 0.8 * len(arg)
        elif command == "text":
            arg, i = _group(tex, i)
            width += 0.75 * len(arg)
        elif command == "begin":
            env, i = _group(tex, i)
            end = tex.find(r"\end{%s}" % env, i)
            body = tex[i:end if end >= 0 else len(tex)]
            i = (end + len(r"\end{%s}" % env)) if end >= 0 else len(tex)
            if env in ("cases", "matrix", "array"):
                rows = [r for r in re.split(r"\\\\", body)]
                width += max((sum(latex_width(c) + 1.5 for c in r.split("&")) for r in rows), default=0) + 1
            else:
                width += latex_width(body)
        elif command in ("le", "ge", "leq", "geq", "cdot", "times", "neq"):
            width += 2.0
        elif command in _SPACES:
            width += _SPACES[command]
        elif command in _ZERO_WIDTH:
            continue
        elif command in ("left", "right"):
            continue
        elif command in _WORDS:
            width += 0.8 * len(command)
        else:
            width += 1.0
    return width


# ----------------------------------------------------------------------------- line breaking
def _terms(expr: sp.Expr) -> list:
    """(sign, term) pairs of a sum in sympy's print order."""
    terms = _PRINTER._as_ordered_terms(expr) if expr.is_Add else [expr]
    out = []
    for term in terms:
        if term.could_extract_minus_sign():
            out.append(("-", -term))
        else:
            out.append(("+", term))
    return out


def _factors(term: sp.Expr) -> tuple[list, list]:
    """(numerator factors, denominator factors) of a product."""
    num, den = [], []
    for f in sp.Mul.make_args(term):
        if f.is_Pow and f.exp.is_negative and f.exp.is_Rational:
            den.append(sp.Pow(f.base, -f.exp, evaluate=False) if f.exp != -1 else f.base)
        elif f.is_Rational and f.q != 1:
            if f.p != 1:
                num.append(sp.Integer(f.p))
            den.append(sp.Integer(f.q))
        else:
            num.append(f)
    return num, den


def _wrap(tex: str, add: bool) -> str:
    return r"\left(%s\right)" % tex if add else tex


def _pieces(expr: sp.Expr, width: float, first_op: str = "") -> list[str]:
    """Line pieces of ``expr`` whose widths stay below ``width`` where the tree allows."""
    tex = latex(expr)
    if latex_width(tex) + len(first_op) <= width:
        return [f"{first_op} {tex}".strip()]
    if isinstance(expr, sp.Piecewise):
        return [f"{first_op} {_broken_cases(expr, width)}".strip()]
    if expr.is_Add:
        lines, current = [], ""
        # A sum is only ever broken at the top level or inside \Bigl( \Bigr), so no
        # operator precedes it here: the first term keeps its own sign.
        for k, (sign, term) in enumerate(_terms(expr)):
            op = sign if (k > 0 or sign == "-") else first_op
            term_tex = latex(term)
            if term.is_Add:
                term_tex = _wrap(term_tex, True)
            piece = f"{op} {term_tex}".strip()
            if latex_width(piece) > width:
                if current:
                    lines.append(current)
                    current = ""
                lines.extend(_pieces(term, width, op))
                continue
            candidate = f"{current} {piece}".strip() if current else piece
            if current and latex_width(candidate) > width:
                lines.append(current)
                current = piece
            else:
                current = candidate
        if current:
            lines.append(current)
        return lines
    if expr.is_Mul:
        num, den = _factors(expr)
        prefix = ""
        numbers = [f for f in num if f.is_Number]
        if numbers and den:
            num = [f for f in num if not f.is_Number]
            den_numbers = [d for d in den if d.is_Number]
            coefficient = sp.Mul(*numbers) / sp.Mul(*den_numbers)
            den = [d for d in den if not d.is_Number]
            if coefficient.q != 1:
                den.append(sp.Integer(coefficient.q))
            num = ([sp.Integer(coefficient.p)] if coefficient.p != 1 else []) + num
        if den:
            den_tex = latex(sp.Mul(*den, evaluate=False)) if len(den) > 1 else latex(den[0])
            if latex_width(den_tex) <= width / 2:
                lead = num[0] if num and num[0].is_Number else sp.S.One
                if num and num[0].is_Number:
                    num = num[1:]
                prefix = r"\frac{%s}{%s}" % (latex(lead), den_tex)
            else:
                # A denominator too wide for one line: write it as a power -1 that
                # is broken like any other factor.
                num = num + [sp.Pow(sp.Mul(*den), -1, evaluate=False)]
        # Keep short factors together in front; the long factor is broken inside \Bigl( \Bigr).
        lines, current = [], f"{first_op} {prefix}".strip()
        for f in num:
            f_tex = latex(f)
            wrapped = _wrap(f_tex, f.is_Add)
            if latex_width(f"{current} {wrapped}") <= width:
                current = f"{current} {wrapped}".strip()
                continue
            inner = f.base if (f.is_Pow and f.exp == -1) else f
            if isinstance(inner, sp.Piecewise) and inner is f:
                if current:
                    lines.append(current)
                current = _broken_cases(inner, width)
                continue
            inner_lines = _pieces(inner, width - 4) if (inner.is_Add or inner.is_Mul) else [latex(inner)]
            if len(inner_lines) == 1 and not (f.is_Pow and f.exp == -1):
                if current:
                    lines.append(current)
                current = wrapped
                continue
            if current and latex_width(f"{current} \\Bigl( {inner_lines[0]}") > width:
                lines.append(current)
                current = ""
            opener = r"\Bigl("
            closer = r"\Bigr)" if not (f.is_Pow and f.exp == -1) else r"\Bigr)^{-1}"
            lines.append(f"{current} {opener} {inner_lines[0]}".strip())
            lines.extend(inner_lines[1:-1])
            if len(inner_lines) > 1:
                current = f"{inner_lines[-1]} {closer}"
            else:
                lines[-1] = lines[-1] + " " + closer
                current = ""
        if current:
            lines.append(current)
        return lines
    return [f"{first_op} {tex}".strip()]


_REL = {sp.StrictLessThan: "<", sp.LessThan: r"\le", sp.StrictGreaterThan: ">", sp.GreaterThan: r"\ge"}


def _broken_cases(expr: sp.Piecewise, width: float) -> str:
    """``cases`` whose too-wide rows are broken into ``aligned`` blocks."""
    rows = []
    for e, c in expr.args:
        cond = r"\text{otherwise}" if c == sp.true else latex(c)
        if latex_width(cond) > width * 0.4:
            # A long condition goes above its piece, inside the row.
            lines = _pieces(e, width - 6)
            if latex_width(cond) < width - 6 or not isinstance(c, sp.Rel):
                cond_lines = [r"\text{if } " + cond]
            else:
                parts = _pieces(c.lhs - c.rhs, width - 10)
                parts[-1] += r" %s 0" % _REL.get(type(c), "=")
                cond_lines = [r"\text{if } " + parts[0]] + parts[1:]
            cond_lines[-1] += r"\text{:}"
            body = r"\begin{aligned}[t] & " + r" \\ &\quad ".join(cond_lines + lines) + r" \end{aligned}"
            rows.append(f"{body} & ")
            continue
        lines = _pieces(e, width - latex_width(cond) - 4)
        if len(lines) == 1:
            body = lines[0]
        else:
            body = r"\begin{aligned}[t] & " + r" \\ &\quad ".join(lines) + r" \end{aligned}"
        rows.append(f"{body} & {cond}")
    return r"\begin{cases} " + r" \\ ".join(rows) + r" \end{cases}"


def break_lines(expr: sp.Expr, width: float = 62) -> list[str]:
    """``expr`` as a list of LaTeX lines, each (where the expression tree allows)
    at most ``width`` symbols wide.  Lines after the first start with their own
    operator, ready for ``&\\quad`` continuation in an ``align`` environment."""
    return _pieces(sp.sympify(expr), width)


def number(value, digits: int) -> str:
    r"""A decimal number for inline math with break points every five digits.

    ``digits`` significant digits; the groups are separated by ``\,\allowbreak``
    so that a 100-digit value wraps inside a paragraph instead of overflowing.
    """
    text = decimal_string(value, digits)
    if text in ("inf", "-inf", "nan"):
        return {"inf": r"\infty", "-inf": r"-\infty", "nan": r"\mathrm{NaN}"}[text]
    mantissa, _, exponent = text.partition("e")
    sign = ""
    if mantissa.startswith("-"):
        sign, mantissa = "-", mantissa[1:]
    whole, _, frac = mantissa.partition(".")
    groups = [frac[k:k + 5] for k in range(0, len(frac), 5)]
    out = sign + whole + ("." + r"\,\allowbreak ".join(groups) if frac else "")
    if exponent:
        out += r"\cdot 10^{%d}" % int(exponent)
    return out
