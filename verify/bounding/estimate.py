r"""Memory of the bounding programs, estimated from the grid before anything is built.

Both programs are local on the grid: every point carries its coordinates and, per state
and outcome coordinate, a bounded number of differences with its neighbours.  On the
built-ins the assembled LPs hold 8 to 24 non-zeros per grid point (auction N = 1, 2, 3 and
bilateral trade, k = 3 ... 16), and a whole run -- index arrays of the full grid, the
symmetry reduction's orbit tables, the CSR copies the solvers make, Clarabel's
factorisation -- was measured at 6.5 to 8 KB per point (auction N = 2, k = 6 and 12).  The
plan is :data:`BYTES_PER_POINT` + :data:`BYTES_PER_COORDINATE` N bytes per point of the full
grid :math:`(kY + 1)^N`: generous for N >= 3, whose symmetric programs are smaller.  A
refused grid costs the user a smaller k; an accepted one that does not fit costs the machine.
"""
from __future__ import annotations

import os
import re
from fractions import Fraction

from irmd.errors import ParameterError

#: Bytes per grid point for the LP data and the solvers' copies and factorisation (measured
#: 6.5-8 KB per point for the auction with N = 2).
BYTES_PER_POINT = 8192
#: Bytes per grid point and agent for the coordinate and index arrays (several int64 copies).
BYTES_PER_COORDINATE = 64
#: Share of the machine's memory a run may plan to use by default.
DEFAULT_SHARE = 0.75

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def grid_points(agents: int, k: int, top=None) -> int:
    """Points of the full grid {0, 1/k, ..., Y}^N (Y = k by default, the survey's X(k^2))."""
    top = Fraction(k) if top is None else Fraction(top)
    return (int(top * k) + 1) ** agents


def estimated_bytes(agents: int, k: int, top=None) -> int:
    """The memory one solve of a bounding program on the grid is planned to need."""
    return grid_points(agents, k, top) * (BYTES_PER_POINT + BYTES_PER_COORDINATE * agents)


def machine_memory() -> int:
    """Physical memory of this machine in bytes (8 GiB where the system does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def default_limit() -> int:
    return int(DEFAULT_SHARE * machine_memory())


def parse_size(text: str) -> int:
    """``"8G"``, ``"500M"``, ``"2GiB"``, ``"1.5t"`` or a number of bytes."""
    match = _SIZE.match(str(text))
    if not match:
        raise ParameterError(f"--max-memory: expected a size such as 8G or 500M, got {text!r}")
    value = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if not value >= 2**20:
        raise ParameterError(f"--max-memory: {text} is less than 1 MiB")
    return int(value)


def size_text(count: int) -> str:
    for unit, scale in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"


def largest_k(agents: int, limit: int, top=None) -> int | None:
    """The largest k whose grid fits ``limit`` (the top fixed, or Y = k), or None if even k = 1 does not."""
    def fits(k):
        return estimated_bytes(agents, k, top) <= limit
    if not fits(1):
        return None
    low, high = 1, 2
    while fits(high):
        low, high = high, high * 2
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low


def check_fits(agents: int, k: int, top=None, limit: int | None = None) -> None:
    """ParameterError (one line: the estimate, the limit, the largest k that fits) when the grid
    is planned to need more than ``limit`` bytes (default: a share of the machine's memory)."""
    limit = default_limit() if limit is None else limit
    needed = estimated_bytes(agents, k, top)
    if needed <= limit:
        return
    points = grid_points(agents, k, top)
    fitting = largest_k(agents, limit, top)
    advice = f"the largest k that fits is {fitting}" if fitting else "no grid of this shape fits"
    raise ParameterError(f"k = {k} with N = {agents}: {points:.3g} grid points, estimated {size_text(needed)} of "
                         f"memory, more than the limit {size_text(limit)} (--max-memory); {advice}")
