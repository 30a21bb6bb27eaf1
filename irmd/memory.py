"""Memory budgets: the machine's memory, the default share a run may plan to use, and sizes as text.

A computation whose arrays grow with a parameter (a grid size k, a truncation level) estimates
its need from the shapes before it allocates anything and refuses, on one line, a plan above
the limit (by default :data:`DEFAULT_SHARE` of the machine; ``--max-memory`` sets another).

>>> from irmd.memory import parse_size, size_text
>>> parse_size("1.5G") == 3 * 2**29, size_text(3 * 2**29)
(True, '1.5 GiB')
"""
from __future__ import annotations

import os
import re
from typing import Callable

from .errors import ParameterError

#: Share of the machine's memory a run may plan to use by default.
DEFAULT_SHARE = 0.75

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "k": 2**10, "m": 2**20, "g": 2**30, "t": 2**40}


def machine_memory() -> int:
    """Physical memory of this machine in bytes (8 GiB where the system does not say)."""
    try:
        return int(os.sysconf("SC_PAGE_SIZE")) * int(os.sysconf("SC_PHYS_PAGES"))
    except (ValueError, OSError, AttributeError):
        return 8 * 2**30


def default_limit() -> int:
    """The bytes a run may plan to use when the user sets no limit."""
    return int(DEFAULT_SHARE * machine_memory())


def parse_size(text: str) -> int:
    """``"8G"``, ``"500M"``, ``"2GiB"``, ``"1.5t"`` or a number of bytes (at least 1 MiB)."""
    match = _SIZE.match(str(text))
    if not match:
        raise ParameterError(f"--max-memory: expected a size such as 8G or 500M, got {text!r}")
    value = float(match.group(1)) * _UNITS[match.group(2).lower()]
    if not value >= 2**20:
        raise ParameterError(f"--max-memory: {text} is less than 1 MiB")
    return int(value)


def largest_fitting(needed: Callable[[int], int], limit: int) -> int | None:
    """The largest n >= 1 with ``needed(n) <= limit`` (``needed`` grows with n), None if n = 1 does not fit.

    Doubling then bisection: about 2 log2(n) evaluations of the plan, nothing allocated.
    """
    if needed(1) > limit:
        return None
    low, high = 1, 2
    while needed(high) <= limit:
        low, high = high, 2 * high
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if needed(middle) <= limit else (low, middle)
    return low


def size_text(count: int) -> str:
    """A byte count for a reader: ``"1.5 GiB"``."""
    for unit, scale in (("TiB", 2**40), ("GiB", 2**30), ("MiB", 2**20)):
        if count >= scale:
            return f"{count / scale:.3g} {unit}"
    return f"{count} bytes"
