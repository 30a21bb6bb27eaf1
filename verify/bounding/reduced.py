r"""An environment as numeric arrays for the bounding programs.

The reduced-form outcome :math:`c \in \mathbb{R}^d` ranges over a product of
factors (:mod:`irmd.analytic.outcomes`); utilities and the objective are affine in
:math:`c`: :math:`u_i(c, \theta_s) = U_0[i, s] + U[i, s] \cdot c` and
:math:`w(c, \theta_s) = W_0[s] + W[s] \cdot c`.  Free transfer intervals are
replaced by :math:`[-t_{max}, t_{max}]` when a ``t_max`` is given; with
``t_max=None`` they stay free (``±inf`` bounds), which the guarantee program
accepts and the potential program refuses.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import sympy as sp

from irmd.analytic.environment import Environment, SymmetricEnvironment
from irmd.analytic.outcomes import Interval, Simplex
from irmd.errors import CandidateError, ParameterError

from .certified import ExactData, exact_data


@dataclass(frozen=True)
class FactorBlock:
    """One factor as coordinate indices: a simplex or one interval with numeric ends."""

    kind: str  # "simplex" or "interval"
    columns: tuple[int, ...]
    lower: float = 0.0
    upper: float = 1.0
    capped: bool = False  # a free interval replaced by [-t_max, t_max]


@dataclass(frozen=True)
class ReducedEnvironment:
    """Numeric arrays of an explicit environment with transfers capped at ``t_max``."""

    environment: Environment
    U0: np.ndarray
    U: np.ndarray
    W0: np.ndarray
    W: np.ndarray
    prior: np.ndarray
    blocks: tuple[FactorBlock, ...]
    t_max: float | None

    @property
    def agents(self) -> int:
        return self.environment.agents

    @property
    def states(self) -> int:
        return len(self.prior)

    @property
    def dimension(self) -> int:
        return self.W.shape[1]

    @property
    def coordinate_names(self) -> tuple[str, ...]:
        return tuple(str(c) for c in self.environment.coordinates)

    @property
    def state_labels(self) -> tuple[str, ...]:
        return self.environment.state_labels

    @cached_property
    def exact(self) -> ExactData:
        """The same numbers read exactly from the sympy environment (rationals, or arb balls where
        irrational), for the certified bounds; computed once (raises certified.CertificationError)."""
        return exact_data(self)

    def column_bounds(self) -> tuple[np.ndarray, np.ndarray]:
        """Per-coordinate bounds (simplex coordinates are in [0, 1])."""
        lower = np.zeros(self.dimension)
        upper = np.ones(self.dimension)
        for block in self.blocks:
            if block.kind == "interval":
                lower[block.columns[0]] = block.lower
                upper[block.columns[0]] = block.upper
        return lower, upper

    def capped_columns(self) -> tuple[int, ...]:
        return tuple(b.columns[0] for b in self.blocks if b.capped)

    def free_columns(self) -> tuple[int, ...]:
        return tuple(
            b.columns[0] for b in self.blocks if b.kind == "interval" and math.isinf(b.lower) and math.isinf(b.upper)
        )


def _number(value, what: str) -> float:
    value = sp.sympify(value)
    if value == sp.S.Infinity:
        return math.inf
    if value == sp.S.NegativeInfinity:
        return -math.inf
    if value.free_symbols:
        raise CandidateError(f"{what} must be a number, got {value}")
    return float(value)


def check_t_max(t_max) -> float | None:
    """Validate ``t_max``: ``None`` (free transfers) or a finite positive number."""
    if t_max is None:
        return None
    try:
        value = float(t_max)
    except (TypeError, ValueError):
        raise ParameterError(f"t_max must be a positive number, got {t_max!r}") from None
    if not math.isfinite(value) or value <= 0:
        raise ParameterError(f"t_max must be a finite positive number, got {t_max!r}")
    return value


def reduce_environment(environment, t_max=None) -> ReducedEnvironment:
    """Arrays of ``environment`` (explicit or symmetric) with free intervals capped at ``t_max``."""
    if isinstance(environment, SymmetricEnvironment):
        environment = environment.expand()
    if not isinstance(environment, Environment):
        raise CandidateError(f"expected an Environment, got {type(environment).__name__}")
    t_max = check_t_max(t_max)
    U0, U, W0, W = environment.coefficient_arrays()
    index = {c: j for j, c in enumerate(environment.coordinates)}
    blocks = []
    for factor in environment.factors:
        if isinstance(factor, Simplex):
            blocks.append(FactorBlock("simplex", tuple(index[c] for c in factor.coordinates)))
        elif isinstance(factor, Interval):
            lower = _number(factor.lower, f"lower bound of {factor.coordinate}")
            upper = _number(factor.upper, f"upper bound of {factor.coordinate}")
            capped = factor.free and t_max is not None
            if capped:
                lower, upper = -t_max, t_max
            blocks.append(FactorBlock("interval", (index[factor.coordinate],), lower, upper, capped))
        else:  # pragma: no cover - outcomes.Factor is closed
            raise CandidateError(f"unsupported factor {factor!r}")
    prior = np.array([float(p) for p in environment.prior])
    return ReducedEnvironment(environment, U0, U, W0, W, prior, tuple(blocks), t_max)
