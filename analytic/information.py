r"""Information structures on the signal space :math:`[l, \infty)^N` with densities.

:class:`Information` (explicit)
    one density :math:`\sigma(x, \theta)` per state, in the signals ``x_1..x_N``;
:class:`SymmetricInformation`
    exchangeable signals whose joint density depends on the profile only through
    the total ``y`` (:data:`~irmd.analytic.environment.TOTAL`), as the exponential
    signals of the common-value auction do.

Densities may be piecewise, and may jump across a region boundary: the jump
contributes a singular (surface) term to the potential bound, which irmd computes
(see ``irmd.verify.model``).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import sympy as sp

from .mechanism import _pairs


@dataclass(frozen=True)
class Information:
    """Densities sigma(x, theta) by state label (explicit form)."""

    density: tuple
    lower: sp.Expr = sp.S.Zero

    @staticmethod
    def make(density: Mapping, lower=0) -> "Information":
        return Information(_pairs({str(k): v for k, v in density.items()}, "density"), sp.sympify(lower))

    @property
    def mapping(self) -> dict:
        return dict(self.density)


@dataclass(frozen=True)
class SymmetricInformation:
    """Densities sigma(y, theta) of the signal profile as functions of the total y."""

    density: tuple
    lower: sp.Expr = sp.S.Zero

    @staticmethod
    def make(density: Mapping, lower=0) -> "SymmetricInformation":
        return SymmetricInformation(_pairs({str(k): v for k, v in density.items()}, "density"), sp.sympify(lower))

    @property
    def mapping(self) -> dict:
        return dict(self.density)
