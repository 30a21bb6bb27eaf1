r"""Memory of the bounding programs, estimated from the grid before anything is built.

Both programs are local on the grid: every point carries its coordinates and, per state
and outcome coordinate, a bounded number of differences with its neighbours.  On the
built-ins the assembled LPs hold 8 to 24 non-zeros per grid point (auction N = 1, 2, 3 and
bilateral trade, k = 3 ... 16), and a whole run -- index arrays of the full grid, the
symmetry reduction's orbit tables, the CSR copies the solvers make, Clarabel's
factorisation -- was measured at 6.5 to 8 KB per point (auction N = 2, k = 6 and 12), and again
(peak resident memory above the memory before the build, both programs built, solved by
Clarabel and certified) at 5.8 KB per point for N = 2 at k = 10 and k = 16 and 3.5 KB per point for
N = 3 at k = 5 (tests/bounding/test_estimate.py checks the plan covers such a run).  The
plan is :data:`BYTES_PER_POINT` + :data:`BYTES_PER_COORDINATE` N bytes per point of the full
grid :math:`(kY + 1)^N`: generous for N >= 3, whose symmetric programs are smaller.  A
refused grid costs the user a smaller k; an accepted one that does not fit costs the machine.
"""
from __future__ import annotations

from fractions import Fraction

from irmd.errors import ParameterError
from irmd.memory import default_limit, largest_fitting, size_text

#: Bytes per grid point for the LP data and the solvers' copies and factorisation (measured
#: 6.5-8 KB per point for the auction with N = 2).
BYTES_PER_POINT = 8192
#: Bytes per grid point and agent for the coordinate and index arrays (several int64 copies).
BYTES_PER_COORDINATE = 64


def grid_points(agents: int, k: int, top=None) -> int:
    """Points of the full grid {0, 1/k, ..., Y}^N (Y = k by default, the survey's X(k^2))."""
    top = Fraction(k) if top is None else Fraction(top)
    return (int(top * k) + 1) ** agents


def estimated_bytes(agents: int, k: int, top=None) -> int:
    """The memory one solve of a bounding program on the grid is planned to need."""
    return grid_points(agents, k, top) * (BYTES_PER_POINT + BYTES_PER_COORDINATE * agents)


def largest_k(agents: int, limit: int, top=None) -> int | None:
    """The largest k whose grid fits ``limit`` (the top fixed, or Y = k), or None if even k = 1 does not."""
    return largest_fitting(lambda k: estimated_bytes(agents, k, top), limit)


def largest_top(agents: int, k: int, limit: int) -> Fraction | None:
    """The largest top Y (a multiple of 1/k) whose grid with step 1/k fits ``limit``, or None if
    not even Y = 1/k does."""
    steps = largest_fitting(lambda n: estimated_bytes(agents, k, Fraction(n, k)), limit)
    return None if steps is None else Fraction(steps, k)


def check_fits(agents: int, k: int, top=None, limit: int | None = None) -> None:
    """ParameterError (one line: the estimate, the limit, the largest k that fits, and the largest
    top that keeps this k) when the grid is planned to need more than ``limit`` bytes (default: a
    share of the machine's memory)."""
    limit = default_limit() if limit is None else limit
    needed = estimated_bytes(agents, k, top)
    if needed <= limit:
        return
    points = grid_points(agents, k, top)
    fitting = largest_k(agents, limit, top)
    advice = f"the largest k that fits is {fitting}" if fitting else "no grid of this shape fits"
    # A fine step is usually wanted where the mechanism changes, not up to the survey's top k.
    top_fitting = largest_top(agents, k, limit)
    if top_fitting is not None:
        advice += f", or k = {k} up to a smaller top: --top {top_fitting} fits"
    raise ParameterError(f"k = {k} with N = {agents}: {points:.3g} grid points, estimated {size_text(needed)} of "
                         f"memory, more than the limit {size_text(limit)} (--max-memory); {advice}")
