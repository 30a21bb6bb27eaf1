r"""Built-in example: the first-price auction with a common value (Bergemann, Brooks & Morris 2017).

N bidders (2 by default) bid on the grid :math:`\{0, 1/n, \ldots, 1\}`; the common value
is :math:`\theta \in \{0, 1\}` with :math:`\mu(1)` = ``mu_high`` (1/2 by default).  The
highest bid wins and pays its bid; ties are broken uniformly.  Outcomes are
"bidder j wins at price b" (N (n+1) of them): :math:`u_i = (\theta - b)\,[i = j]`,
:math:`w = b` (revenue).  Bidding 0 is participation secure.
"""
from __future__ import annotations

import math
from fractions import Fraction

import numpy as np

from irmd.errors import ParameterError

from .model import FiniteEnvironment, FiniteInstance, FiniteMechanism
from .rational import RationalArray

#: Largest number of action profiles the built-in auction will build.
MAX_PROFILES = 2_000_000


def first_price_auction(n: int, bidders: int = 2, mu_high=Fraction(1, 2)) -> tuple[FiniteEnvironment, FiniteMechanism]:
    """Environment and mechanism of the common-value first-price auction on n+1 bids."""
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ParameterError(f"--n: the bid grid needs n >= 1 steps, got {n!r}")
    if isinstance(bidders, bool) or not isinstance(bidders, (int, np.integer)) or bidders < 1:
        raise ParameterError(f"--bidders: expected an integer >= 1, got {bidders!r}")
    mu_high = Fraction(mu_high)
    if not 0 <= mu_high <= 1:
        raise ParameterError(f"mu_high must lie in [0, 1], got {mu_high}")
    n, bidders = int(n), int(bidders)
    grid = n + 1
    if grid ** bidders > MAX_PROFILES:
        raise ParameterError(f"--n {n} with {bidders} bidders has {grid ** bidders} action profiles "
                             f"(limit {MAX_PROFILES})")
    states = 2
    # u[i, (j, b), t] = (t - b/n)[i == j] over the common denominator n
    u = np.zeros((bidders, bidders * grid, states), dtype=np.int64)
    bids = np.arange(grid)
    for j in range(bidders):
        for t in range(states):
            u[j, j * grid + bids, t] = t * n - bids
    w = np.zeros((bidders * grid, states), dtype=np.int64)
    w[:, :] = np.tile(bids, bidders)[:, None]
    env = FiniteEnvironment(
        RationalArray(np.array([(1 - mu_high).numerator * mu_high.denominator,
                                mu_high.numerator * (1 - mu_high).denominator], dtype=object).astype(np.int64),
                      (1 - mu_high).denominator * mu_high.denominator),
        RationalArray(u, n), RationalArray(w, n),
        agents=tuple(f"bidder {j}" for j in range(bidders)), states=("theta=0", "theta=1"),
        outcomes=tuple(f"bidder {j} wins at {Fraction(b, n)}" for j in range(bidders) for b in range(grid)))
    profiles = np.stack(np.meshgrid(*([bids] * bidders), indexing="ij"), axis=-1).reshape(-1, bidders)
    highest = profiles.max(axis=1)
    winners = profiles == highest[:, None]
    ties = winners.sum(axis=1)
    denominator = math.lcm(*range(1, bidders + 1))
    m = np.zeros((len(profiles), bidders * grid), dtype=np.int32 if denominator < 2**30 else np.int64)
    rows, who = np.nonzero(winners)
    m[rows, who * grid + highest[rows]] = denominator // ties[rows]
    mechanism = FiniteMechanism(RationalArray(m.reshape((grid,) * bidders + (bidders * grid,)), denominator),
                                tuple(tuple(str(Fraction(b, n)) for b in range(grid)) for _ in range(bidders)))
    return env, mechanism


def first_price_instance(n: int, bidders: int = 2, mu_high=Fraction(1, 2)) -> FiniteInstance:
    """The auction as a validated :class:`FiniteInstance` (security of bidding 0 is checked)."""
    env, mechanism = first_price_auction(n, bidders, mu_high)
    return FiniteInstance(env, mechanism, None, f"first-price auction, {bidders} bidders, n = {n}")
