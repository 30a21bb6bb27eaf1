r"""Grids of actions and signals for the bounding programs.

The survey's grid is :math:`X_i(k^2) = \{0, 1/k, 2/k, \dots, k\}` (Section 3.3):
step :math:`1/k`, top :math:`k`, so :math:`k^2 + 1` points per agent.  The variant
keeps the step :math:`1/k` but stops at a chosen top :math:`Y` (a multiple of
:math:`1/k`), which is how one resolves a region such as :math:`\Sigma x \le \bar y`
finely without paying for the far tail.

Points are stored in C order over the agents' axes (agent 1 varies slowest), so
every operator on the grid is a Kronecker product of one-dimensional ones.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from irmd.errors import ParameterError


@dataclass(frozen=True)
class Grid:
    r"""The product grid :math:`\{0, 1/k, \dots, Y\}^N`.

    Parameters
    ----------
    agents : int
        N >= 1.
    k : int
        Inverse step; the local multiplier C of (10) and (12) equals k.
    top : Fraction
        Y, the largest action; ``k * top`` must be a positive integer.  The survey's
        grid X(k^2) has ``top = k``.
    """

    agents: int
    k: int
    top: Fraction

    def __post_init__(self):
        if isinstance(self.k, bool) or not isinstance(self.k, (int, np.integer)) or self.k < 1:
            raise ParameterError(f"k must be a positive integer, got {self.k!r}")
        if isinstance(self.agents, bool) or not isinstance(self.agents, (int, np.integer)) or self.agents < 1:
            raise ParameterError(f"number of agents must be a positive integer, got {self.agents!r}")
        top = Fraction(self.top)
        steps = top * self.k
        if top <= 0 or steps.denominator != 1:
            raise ParameterError(f"top Y must be a positive multiple of 1/k = 1/{self.k}, got {top}")
        object.__setattr__(self, "k", int(self.k))
        object.__setattr__(self, "agents", int(self.agents))
        object.__setattr__(self, "top", top)

    @classmethod
    def survey(cls, agents: int, k: int) -> "Grid":
        """The survey's X(k^2) = {0, 1/k, ..., k}."""
        return cls(agents, k, Fraction(k) if isinstance(k, (int, np.integer)) and not isinstance(k, bool) else k)

    @property
    def size(self) -> int:
        """Points per axis, ``k * Y + 1``."""
        return int(self.top * self.k) + 1

    @property
    def points(self) -> int:
        """Number of grid points, ``size ** N``."""
        return self.size**self.agents

    @property
    def shape(self) -> tuple[int, ...]:
        return (self.size,) * self.agents

    @property
    def step(self) -> float:
        return 1.0 / self.k

    @property
    def cell(self) -> float:
        """Volume of one grid cell, ``k ** -N``: a mass on the grid times ``k ** N`` is a density."""
        return float(self.k) ** (-self.agents)

    def axis(self) -> np.ndarray:
        """The actions of one agent, ``[0, 1/k, ..., Y]``."""
        return np.arange(self.size) / self.k

    def indices(self) -> np.ndarray:
        """Integer coordinates of all points, shape ``(points, N)``, C order."""
        return np.indices(self.shape).reshape(self.agents, -1).T

    def coordinates(self) -> np.ndarray:
        """Actions of all points, shape ``(points, N)``."""
        return self.indices() / self.k

    def totals(self) -> np.ndarray:
        r""":math:`\Sigma x` at every point."""
        return self.indices().sum(axis=1) / self.k

    def describe(self) -> str:
        return f"{{0, 1/{self.k}, ..., {self.top}}}^{self.agents} ({self.points} points)"
