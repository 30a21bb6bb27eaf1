"""Bounding programs (18)-(19) of the survey on grids X(k^2).

The guarantee program gives a lower bound on the maximal guarantee G*, the
potential program an upper bound on the minimal potential P*; both return result
objects with arrays on the grid (mechanism, SVO, information structure, IVO).

>>> from irmd.analytic.library import get
>>> from irmd.verify.bounding import compute_bounds
>>> auction = get("common-value-auction")
>>> value = float(auction.closed_forms_at({"N": "2"}).value)
>>> r = compute_bounds(auction.build({"N": "2"}).explicit_environment(), 3, t_max=2.5, analytic=value)
>>> r.lower <= value <= r.upper
True
"""
from irmd.status import LPStatus

from .api import BoundsResult, Order, OrderCheck, SweepResult, check_order, compute_bounds, sweep_bounds
from .grid import Grid
from .guarantee_lp import GuaranteeResult, solve_guarantee
from .potential_lp import FreeTransferError, PotentialResult, solve_potential
from .reduced import reduce_environment

__all__ = [
    "BoundsResult", "FreeTransferError", "Grid", "GuaranteeResult", "LPStatus", "Order", "OrderCheck",
    "PotentialResult", "SweepResult", "check_order", "compute_bounds", "reduce_environment", "solve_guarantee",
    "solve_potential", "sweep_bounds",
]
