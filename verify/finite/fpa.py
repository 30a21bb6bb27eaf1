r"""Built-in example: the first-price auction with a common value (Bergemann, Brooks & Morris 2017).

N bidders (2 by default) bid on the grid :math:`\{0, 1/n, \ldots, 1\}`; the common value
is :math:`\theta \in \{0, 1\}` with :math:`\mu(1)` = ``mu_high`` (1/2 by default).  The highest bid
wins and pays its bid; ties are broken uniformly.  Outcomes are
"bidder j wins at price b" (N (n+1) of them): :math:`u_i = (\theta - b)\,[i = j]`,
:math:`w = b` (revenue).  Bidding 0 is participation secure.

The rule ``first`` of :mod:`.standard_auctions`, which also builds second-price, all-pay and
mixed auctions.
"""
from __future__ import annotations

from fractions import Fraction

from .model import FiniteEnvironment, FiniteInstance, FiniteMechanism
from .standard_auctions import MAX_PROFILES, standard_auction, standard_auction_instance

__all__ = ["MAX_PROFILES", "first_price_auction", "first_price_instance"]


def first_price_auction(n: int, bidders: int = 2, mu_high=Fraction(1, 2),
                        max_memory: int | None = None) -> tuple[FiniteEnvironment, FiniteMechanism]:
    """Environment and mechanism of the common-value first-price auction on n+1 bids (sizes and memory
    are planned first; ``max_memory`` is the limit, default a share of this machine's memory)."""
    return standard_auction("first", n, bidders, mu_high, max_memory)


def first_price_instance(n: int, bidders: int = 2, mu_high=Fraction(1, 2)) -> FiniteInstance:
    """The auction as a validated :class:`FiniteInstance` (security of bidding 0 is checked)."""
    return standard_auction_instance("first", n, bidders, mu_high)
