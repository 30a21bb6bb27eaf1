r"""Convergence in a grid size and Richardson extrapolation.

The bounding programs' bounds converge as the grid X(k^2) is refined (Section 3.3;
on the examples the gaps shrink like :math:`1/k`), and the finite auctions'
guarantees as the bid grid is; both extrapolate with :func:`richardson`.  With :math:`V(k) = V_\infty + C k^{-p}`:

* order-one Richardson on the last two grids,
  :math:`R = (k_2 V(k_2) - k_1 V(k_1))/(k_2 - k_1)`;
* with three or more grids, :math:`p` fitted from the last three values (the
  ratio :math:`(V_1 - V_2)/(V_2 - V_3)` determines it) and the matching
  extrapolation, when the differences have one sign.

An extrapolation is an estimate, not a bound: the LP values are the bounds.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

from irmd.numbers import decimal_string


@dataclass(frozen=True)
class Extrapolation:
    richardson: float | None  # order 1, last two grids
    order: float | None  # fitted p, last three grids
    fitted: float | None  # V_inf for the fitted p

    def to_dict(self, dps: int = 10) -> dict:
        return {"richardson_order1": _text(self.richardson, dps), "fitted_order": _text(self.order, 4),
                "fitted_limit": _text(self.fitted, dps)}


def _text(value: float | None, dps: int) -> str | None:
    return None if value is None else decimal_string(float(value), dps)


def richardson(ks, values) -> Extrapolation:
    """Extrapolate ``values`` (None entries skipped) at grids ``ks`` to k -> infinity."""
    pairs = [(float(k), float(v)) for k, v in zip(ks, values) if v is not None and np.isfinite(v)]
    pairs.sort()
    if len(pairs) < 2:
        return Extrapolation(None, None, None)
    (k1, v1), (k2, v2) = pairs[-2:]
    first = (k2 * v2 - k1 * v1) / (k2 - k1)
    if len(pairs) < 3:
        return Extrapolation(first, None, None)
    (ka, va), (kb, vb), (kc, vc) = pairs[-3:]
    d1, d2 = va - vb, vb - vc
    if d1 == 0 or d2 == 0 or np.sign(d1) != np.sign(d2):
        return Extrapolation(first, None, None)
    target = d1 / d2

    def mismatch(p):
        return (ka**-p - kb**-p) / (kb**-p - kc**-p) - target

    try:
        p = brentq(mismatch, 0.05, 8.0)
    except ValueError:
        return Extrapolation(first, None, None)
    C = d2 / (kb**-p - kc**-p)
    return Extrapolation(first, float(p), float(vc - C * kc**-p))
