r"""A candidate's shapes as vectorised functions of grid points, and a built-in's closed forms.

The bounding programs (:mod:`irmd.verify.bounding`) compare their grid solutions with
a conjectured saddle point through a few numpy functions of the points ``X`` (shape
``(P, N)``): a :class:`ShapeModel`.  Any candidate has one, computed from its own
expressions (:func:`irmd.verify.bounding.candidates.candidate_shapes`); a built-in
may also give the paper's :class:`ClosedForms` -- its value, the threshold
:math:`\bar y`, the scale of its transfers and its shapes written out by hand -- as
an independent cross-check of the verifier.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import mpmath
import numpy as np


@dataclass(frozen=True)
class ShapeModel:
    """A candidate's shapes as functions of points ``X`` (P x N).

    ``outcome(X)`` maps coordinate names to arrays; ``density(X)`` is the marginal
    density of σ; ``posterior(X)`` is ``(S, P)``, the conditional probability of
    each state.
    """

    name: str
    outcome: Callable[[np.ndarray], dict]
    density: Callable[[np.ndarray], np.ndarray]
    posterior: Callable[[np.ndarray], np.ndarray]
    ybar: float | None = None
    labels: tuple[str, ...] = ()  # state labels of the rows of posterior(X)


@dataclass(frozen=True)
class ClosedForms:
    """The paper's closed forms for a built-in at given parameters.

    ``value`` is the saddle value (None where the paper gives none, ``note`` says why),
    ``transfer_scale`` a bound on the analytic mechanism's transfers (to tell a t_max
    that cuts them off from a bug), ``shapes`` the conjectured pair on grid points.
    """

    value: mpmath.mpf | None
    ybar: mpmath.mpf | None
    transfer_scale: float
    shapes: ShapeModel | None = None
    note: str = ""


def safe_ratio(numerator, denominator):
    """numerator / denominator where the denominator is positive, 0 elsewhere."""
    return np.divide(numerator, denominator, out=np.zeros_like(numerator, dtype=float), where=denominator > 0)
