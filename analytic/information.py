r"""Information structures on the signal space :math:`[l, \infty)^N` with densities.

:class:`Information` (explicit)
    one density :math:`\sigma(x, \theta)` per state, in the signals ``x_1..x_N``;
:class:`SymmetricInformation`
    exchangeable signals whose joint density depends on the profile only through
    the total ``y`` (:data:`~irmd.analytic.environment.TOTAL`), as the exponential
    signals of the common-value auction do.

Densities may be piecewise, and may jump across a region boundary: the jump
contributes a singular (surface) term to the potential bound, which irmd computes
(see ``irmd.verify.jumps``).
"""
from __future__ import annotations

from dataclasses import dataclass

import sympy as sp

from .mechanism import ExpressionTable


class _Densities(ExpressionTable):
    what = "density"

    @staticmethod
    def _key(key):
        return str(key)  # state labels


@dataclass(frozen=True)
class Information(_Densities):
    """Densities sigma(x, theta) by state label (explicit form)."""

    density: tuple
    lower: sp.Expr = sp.S.Zero


@dataclass(frozen=True)
class SymmetricInformation(_Densities):
    """Densities sigma(y, theta) of the signal profile as functions of the total y."""

    density: tuple
    lower: sp.Expr = sp.S.Zero
