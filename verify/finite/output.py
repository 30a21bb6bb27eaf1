"""Numbers and arrays as JSON strings: decimals for floats, ``"p/q"`` for exact rationals."""
from __future__ import annotations

from fractions import Fraction

import numpy as np

#: Significant digits of decimal strings in JSON output.
DEFAULT_DPS = 12


def number_text(value, dps: int = DEFAULT_DPS) -> str | None:
    """``Fraction`` -> ``"3/50"``; float -> decimal string with ``dps`` significant digits."""
    if value is None:
        return None
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    if hasattr(value, "p") and hasattr(value, "q"):  # flint.fmpq
        return str(Fraction(int(value.p), int(value.q)))
    x = float(value)
    if x != x:
        return "nan"
    if x in (float("inf"), float("-inf")):
        return "inf" if x > 0 else "-inf"
    text = format(x, f".{dps}g")
    return "0" if text in ("-0", "0") else text


def array_text(array, dps: int = DEFAULT_DPS):
    """Nested lists of strings with the shape of ``array``."""
    if array is None:
        return None
    array = np.asarray(array, dtype=object) if not isinstance(array, np.ndarray) else array
    if array.ndim == 0:
        return number_text(array.item(), dps)
    flat = [number_text(v, dps) for v in array.reshape(-1).tolist()]
    nested = np.empty(len(flat), dtype=object)
    nested[:] = flat
    return nested.reshape(array.shape).tolist()


def exact_or_float(value):
    """Fractions stay exact; everything else becomes float."""
    return value if isinstance(value, Fraction) else (None if value is None else float(value))
