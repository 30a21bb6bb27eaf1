"""Shared pieces of the two bounding programs: sizes, timings, memory, JSON numbers."""
from __future__ import annotations

import resource
import sys
from dataclasses import dataclass

import numpy as np

from irmd.numbers import decimal_string


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MB (solver allocations included)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024.0 if sys.platform != "darwin" else peak / 2**20


@dataclass(frozen=True)
class ProgramSize:
    """Size and cost of one solved program."""

    variables: int
    rows: int
    nonzeros: int
    build_seconds: float
    solve_seconds: float
    peak_mb: float

    def to_dict(self, dps: int = 6) -> dict:
        return {
            "variables": self.variables,
            "rows": self.rows,
            "nonzeros": self.nonzeros,
            "build_seconds": number(self.build_seconds, 4),
            "solve_seconds": number(self.solve_seconds, 4),
            "peak_mb": number(self.peak_mb, 4),
        }


def number(value, dps: int) -> str | None:
    """A float (or None) as a decimal string with ``dps`` significant digits."""
    if value is None:
        return None
    return decimal_string(float(value), dps)


def on_grid(values: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    return np.asarray(values, dtype=float).reshape(shape)
