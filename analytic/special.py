r"""Erlang distribution functions as sympy functions.

The sum of N independent standard exponential signals has the Erlang density

.. math:: g_N(y) = \frac{y^{N-1} e^{-y}}{(N-1)!}, \qquad
          G_N(y) = \int_0^y g_N = 1 - \sum_{l=1}^{N} g_l(y)

(survey, (32)-(33)); by convention :math:`g_0 \equiv 0` and :math:`G_0 \equiv 1`; the
survival function :math:`\bar G_N = 1 - G_N` has its own class so that it is
evaluated without cancellation far in the tail.

sympy's own ``lowergamma(n, y)`` expands itself for every integer n (14 s for
n = 10,000), so irmd uses these two classes instead: they stay unevaluated, have
exact derivatives (:math:`G_N' = g_N`, :math:`g_N' = g_{N-1} - g_N`), evaluate with
mpmath's regularized incomplete gamma at any precision, and expand into
elementary functions only when asked (:func:`expand_erlang`, used for small N).
"""
from __future__ import annotations

import mpmath
import sympy as sp

#: Largest order that :func:`expand_erlang` writes out as a finite sum.
EXPAND_MAX_ORDER = 40


def _order(n):
    n = sp.sympify(n)
    if n.is_Integer and n < 0:
        raise ValueError(f"Erlang order must be >= 0, got {n}")
    return n


def erlang_pdf(n: int, y):
    """g_n(y) with mpmath at the current precision (no overflow for huge n)."""
    n = int(n)
    if n == 0:
        return mpmath.mpf(0)
    y = mpmath.mpf(y)
    if y < 0:
        return mpmath.mpf(0)
    if y == 0:
        return mpmath.mpf(1) if n == 1 else mpmath.mpf(0)
    return mpmath.exp((n - 1) * mpmath.log(y) - y - mpmath.loggamma(n))


def erlang_cdf(n: int, y):
    """G_n(y) with mpmath at the current precision."""
    n = int(n)
    if n == 0:
        return mpmath.mpf(1)
    y = mpmath.mpf(y)
    if y <= 0:
        return mpmath.mpf(0)
    if y >= n:
        # Past the mode G_n >= 1/2, so 1 - (1 - G_n) loses no digits, and the upper
        # series converges where the lower one does not (n = 10^6 near y = n).
        return 1 - mpmath.gammainc(n, y, mpmath.inf, regularized=True)
    return mpmath.gammainc(n, 0, y, regularized=True)


def erlang_sf(n: int, y):
    """1 - G_n(y), computed without cancellation."""
    n = int(n)
    if n == 0:
        return mpmath.mpf(0)
    y = mpmath.mpf(y)
    if y <= 0:
        return mpmath.mpf(1)
    return mpmath.gammainc(n, y, mpmath.inf, regularized=True)


class _Erlang(sp.Function):
    """Shared behaviour: two arguments (order, point), exact derivative in the point,
    mpmath evaluation, a LaTeX name, and an optional expansion for small orders."""

    nargs = 2
    latex_name = ""

    @staticmethod
    def numeric(n: int, y):  # pragma: no cover - each subclass supplies it
        raise NotImplementedError

    @classmethod
    def special_value(cls, n, y):
        """Closed values (order 0, point 0) or None."""
        return None

    @staticmethod
    def derivative(n, y):  # pragma: no cover - each subclass supplies it
        raise NotImplementedError

    @classmethod
    def eval(cls, n, y):
        return cls.special_value(_order(n), y)

    def fdiff(self, argindex=2):
        if argindex == 2:
            return self.derivative(*self.args)
        raise sp.ArgumentIndexError(self, argindex)

    def _eval_is_nonnegative(self):
        if self.args[1].is_nonnegative:
            return True

    def _eval_evalf(self, prec):
        n, y = self.args
        if n.is_Integer and y.is_number:
            with mpmath.workprec(prec):
                return sp.Float(self.numeric(int(n), mpmath.mpf(y._to_mpmath(prec))), precision=prec)

    def _latex(self, printer):
        n, y = self.args
        return r"%s_{%s}\left(%s\right)" % (self.latex_name, printer._print(n), printer._print(y))


def _exp_partial_sum(n, y):
    """e^{-y} sum_{k<n} y^k / k!  (= 1 - G_n(y))."""
    return sp.exp(-y) * sum(y**k / sp.factorial(k) for k in range(int(n)))


def _small(n) -> bool:
    return n.is_Integer and int(n) <= EXPAND_MAX_ORDER


class ErlangPDF(_Erlang):
    r"""g_n(y) = y^{n-1} e^{-y} / (n-1)!  (g_0 = 0)."""

    latex_name = "g"
    numeric = staticmethod(erlang_pdf)

    @classmethod
    def special_value(cls, n, y):
        if n == 0:
            return sp.S.Zero
        if y == 0 and n.is_Integer:
            return sp.S.One if n == 1 else sp.S.Zero

    @staticmethod
    def derivative(n, y):
        return ErlangPDF(n - 1, y) - ErlangPDF(n, y)

    def _eval_rewrite_as_exp(self, n, y, **kwargs):
        return y ** (n - 1) * sp.exp(-y) / sp.factorial(n - 1)


class ErlangCDF(_Erlang):
    r"""G_n(y) = P(Erlang(n) <= y)  (G_0 = 1)."""

    latex_name = "G"
    numeric = staticmethod(erlang_cdf)

    @classmethod
    def special_value(cls, n, y):
        if n == 0:
            return sp.S.One
        if y == 0:
            return sp.S.Zero

    @staticmethod
    def derivative(n, y):
        return ErlangPDF(n, y)

    def _eval_rewrite_as_exp(self, n, y, **kwargs):
        if _small(n):
            return 1 - _exp_partial_sum(n, y)
        return None


class ErlangSF(_Erlang):
    r"""1 - G_n(y), the survival function; kept separate to avoid cancellation for large y."""

    latex_name = r"\bar{G}"
    numeric = staticmethod(erlang_sf)

    @classmethod
    def special_value(cls, n, y):
        if n == 0:
            return sp.S.Zero
        if y == 0:
            return sp.S.One

    @staticmethod
    def derivative(n, y):
        return -ErlangPDF(n, y)

    def _eval_rewrite_as_exp(self, n, y, **kwargs):
        if _small(n):
            return _exp_partial_sum(n, y)
        return None


#: lambdify name -> mpmath implementation, for numeric evaluation of expressions.
MPMATH_IMPLEMENTATIONS = {"ErlangPDF": erlang_pdf, "ErlangCDF": erlang_cdf, "ErlangSF": erlang_sf}


def expand_erlang(expr: sp.Expr) -> sp.Expr:
    """Rewrite Erlang functions of small integer order as elementary functions."""

    def expandable(f):
        return f.args[0].is_Integer and int(f.args[0]) <= EXPAND_MAX_ORDER

    replacements = {}
    for f in expr.atoms(ErlangPDF, ErlangCDF, ErlangSF):
        if expandable(f):
            replacements[f] = f.rewrite(sp.exp)
    return expr.xreplace(replacements) if replacements else expr


def has_erlang(expr: sp.Expr) -> bool:
    return bool(expr.atoms(ErlangPDF, ErlangCDF, ErlangSF))


#: Largest spread of orders (at one point) that :func:`erlang_lowest_order_form` writes out.
RECURRENCE_MAX_SPAN = 64


def erlang_lowest_order_form(expr: sp.Expr) -> sp.Expr | None:
    r"""Rewrite the Erlang functions at each point through those of the lowest order there.

    With m the lowest order at a point z, the recurrences
    :math:`g_{n}(z) = z^{n-m}\,\frac{(m-1)!}{(n-1)!}\,g_m(z)`,
    :math:`\bar G_n = \bar G_m + \sum_{k=m+1}^{n} g_k` and :math:`G_n = 1 - \bar G_n`
    are exact for every order, so an identity among Erlang functions of large order
    (N = 10^4, where :func:`expand_erlang` would write 10^4 terms) becomes one
    among rational functions of z, :math:`g_m(z)` and :math:`\bar G_m(z)`; sympy then
    cancels it as if those two were free symbols, which is sound for proving an
    identity (a polynomial identity in free symbols holds for any values of them).
    Returns None when the orders at one point are spread wider than
    :data:`RECURRENCE_MAX_SPAN` or are not integers.
    """
    atoms = expr.atoms(ErlangPDF, ErlangCDF, ErlangSF)
    if not atoms:
        return expr
    if any(not f.args[0].is_Integer for f in atoms):
        return None
    lowest: dict = {}
    for f in atoms:
        n, z = int(f.args[0]), f.args[1]
        lowest[z] = min(lowest.get(z, n), n)
    if any(int(f.args[0]) - lowest[f.args[1]] > RECURRENCE_MAX_SPAN for f in atoms):
        return None

    def pdf(n: int, z):
        m = lowest[z]
        # (m-1)!/(n-1)! as the product of the few factors between (never n! itself).
        return z ** (n - m) / sp.prod([sp.Integer(k) for k in range(m, n)]) * ErlangPDF(m, z)

    def sf(n: int, z):
        m = lowest[z]
        return ErlangSF(m, z) + sum((pdf(k, z) for k in range(m + 1, n + 1)), sp.S.Zero)

    def rewritten(f):
        n, z = int(f.args[0]), f.args[1]
        if isinstance(f, ErlangPDF):
            return pdf(n, z)
        return sf(n, z) if isinstance(f, ErlangSF) else 1 - sf(n, z)

    return expr.xreplace({f: rewritten(f) for f in atoms})


def erlang_ratio_form(expr: sp.Expr) -> sp.Expr:
    r"""Write each quotient :math:`G_n(z)/g_n(z)` as the entire function :math:`\frac{z}{n}\,{}_1F_1(1; n+1; z)`.

    Both G_n and g_n vanish at z = 0 (to orders n and n - 1), so the quotient is 0/0
    there for any ball arithmetic; the series
    :math:`G_n/g_n = \sum_{k \ge 0} z^{k+1} (n-1)!/(n+k)! = \frac{z}{n}\sum_k z^k/(n+1)_k`
    has no such point.  Used before enclosing transfers such as the auction's T near y = 0.
    """
    def rewrite(mul):
        factors = list(mul.args)
        for k, f in enumerate(factors):
            if not isinstance(f, ErlangCDF) or not f.args[0].is_Integer or f.args[0] < 1:
                continue
            n, z = f.args
            inverse = ErlangPDF(n, z) ** -1
            if inverse in factors:
                rest = [g for j, g in enumerate(factors) if j != k]
                rest.remove(inverse)
                return sp.Mul(*rest, z / n, sp.hyper([1], [n + 1], z))
        return mul

    return expr.replace(lambda e: e.is_Mul and e.has(ErlangCDF), rewrite) if expr.has(ErlangCDF) else expr


#: Shifts farther apart than this are left alone (each one nests the previous expression once more).
CONTIGUOUS_MAX_SHIFT = 8


def contiguous_1f1(expr: sp.Expr) -> sp.Expr:
    r"""``expr`` with every :math:`M_{\alpha+k}(y) = {}_1F_1(\alpha+k; \alpha+k+1; y)` (k = 1, 2, ...)
    written through the lowest one present, :math:`M_\alpha`.

    From the series :math:`M_\alpha = \sum_j \frac{\alpha}{\alpha+j}\frac{y^j}{j!}` (any alpha > 0):
    :math:`y M_\alpha' = \alpha(e^y - M_\alpha)` and :math:`M_\alpha' = \frac{\alpha}{\alpha+1} M_{\alpha+1}`,
    so :math:`M_{\alpha+1} = (\alpha+1)(e^y - M_\alpha)/y` exactly.  Derivatives of the bilateral
    trade's allocation bring in such neighbours, which no simplification relates to M_alpha."""
    families: dict = {}
    for atom in expr.atoms(sp.hyper):
        (numerators, denominators, argument) = atom.args
        if len(numerators) != 1 or len(denominators) != 1:
            continue
        (alpha,), (beta,) = numerators, denominators
        if not (alpha.is_Rational and alpha > 0 and beta - alpha == 1):
            continue
        families.setdefault((argument, alpha - sp.floor(alpha)), []).append(alpha)
    replacements = {}
    for (argument, _), alphas in families.items():
        base = min(alphas)
        if len(alphas) < 2 or max(alphas) - base > CONTIGUOUS_MAX_SHIFT:
            continue
        current = sp.hyper([base], [base + 1], argument)
        for shift in range(1, int(max(alphas) - base) + 1):
            current = (base + shift) * (sp.exp(argument) - current) / argument
            if base + shift in alphas:
                replacements[sp.hyper([base + shift], [base + shift + 1], argument)] = current
    return expr.xreplace(replacements) if replacements else expr
