"""Exact parsing of user numbers and decimal output at a requested precision."""
from __future__ import annotations

import re
from fractions import Fraction

import mpmath
import sympy as sp

from .errors import InputError

_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_RATIO = re.compile(r"^[+-]?\d+\s*/\s*[+-]?\d+$")

#: The most digits, and the largest decimal exponent, of a number irmd reads: beyond them the exact
#: rational alone takes minutes or all the memory to build ("1e999999999"), and no model needs them.
MAX_DIGITS = 1000
MAX_EXPONENT = 1000


def _check_size(s: str, what: str) -> None:
    mantissa, _, exponent = s.lower().partition("e")
    digits = sum(ch.isdigit() for ch in mantissa)
    if digits > MAX_DIGITS:
        raise InputError(f"{what}: a number of {digits} digits; at most {MAX_DIGITS} are read")
    if exponent and abs(int(exponent)) > MAX_EXPONENT:
        raise InputError(f"{what}: exponent {int(exponent)} out of range; |exponent| <= {MAX_EXPONENT}")


def parse_exact(text: str | int | float | Fraction, what: str = "value") -> sp.Rational:
    """Parse ``"0.5"``, ``"3/50"``, ``"1e-3"`` or an int into an exact sympy Rational.

    Decimal strings are read exactly (``"0.1"`` is 1/10, not the nearest double).  Numbers of more
    than :data:`MAX_DIGITS` digits or with a decimal exponent beyond :data:`MAX_EXPONENT` are refused.
    """
    if isinstance(text, bool):
        raise InputError(f"{what}: expected a number, got {text!r}")
    if isinstance(text, int):
        if text.bit_length() > 3.33 * MAX_DIGITS:
            raise InputError(f"{what}: an integer of more than {MAX_DIGITS} digits")
        return sp.Integer(text)
    if isinstance(text, Fraction):
        return sp.Rational(text.numerator, text.denominator)
    if isinstance(text, float):
        if text != text or text in (float("inf"), float("-inf")):
            raise InputError(f"{what}: expected a finite number, got {text!r}")
        return sp.Rational(str(text))
    if isinstance(text, sp.Basic):
        if text.is_Rational:
            return text
        raise InputError(f"{what}: expected an exact number, got {text}")
    s = str(text).strip()
    if len(s) > 4 * MAX_DIGITS:
        raise InputError(f"{what}: a text of {len(s)} characters is not a number irmd reads")
    if _NUMBER.match(s):
        _check_size(s, what)
        return sp.Rational(Fraction(s))
    if _RATIO.match(s):
        for part in s.split("/"):
            _check_size(part.strip(), what)
        num, den = (int(part) for part in s.split("/"))
        if den == 0:
            raise InputError(f"{what}: division by zero in {s!r}")
        return sp.Rational(num, den)
    raise InputError(f"{what}: expected a number such as 0.5 or 3/50, got {s!r}")


def decimal_string(value, dps: int) -> str:
    """``value`` as a decimal string with ``dps`` significant digits.

    Accepts mpmath numbers, sympy numbers, ints and Fractions.  Infinite values
    print as ``"inf"``/``"-inf"``; the string never depends on the global mpmath
    precision.
    """
    with mpmath.workdps(dps + 10):
        if isinstance(value, sp.Basic):
            value = mpmath.mpf(sp.N(value, dps + 10)) if value.is_real is not False else value
        elif isinstance(value, Fraction):
            value = mpmath.mpf(value.numerator) / value.denominator
        x = mpmath.mpf(value)
        if mpmath.isinf(x):
            return "inf" if x > 0 else "-inf"
        if mpmath.isnan(x):
            return "nan"
        return mpmath.nstr(x, dps, strip_zeros=False, min_fixed=-dps, max_fixed=dps)
