"""Shared pieces of the two bounding programs: sizes, timings, memory, JSON numbers, results."""
from __future__ import annotations

import resource
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from irmd.numbers import decimal_string
from irmd.status import SOLUTION_PRESENT, LPStatus

from .grid import Grid

if TYPE_CHECKING:
    from ..lp import LPData, LPSolution
    from .certified import CertifiedBound
    from .reduced import ReducedEnvironment
    from .symmetry import Reduction


#: The default solver: chosen per program and number of agents by :func:`solver_for`.
AUTO = "auto"


def solver_for(requested: str, program: str, agents: int) -> str:
    """The solver that ``requested`` stands for: itself, or for ``"auto"`` the one measured fastest.

    Measured on the 2-core machine (README, *Speed*): the interior point (Clarabel) wins on two
    agents, whose programs are grid stencils in two dimensions (auction N = 2, k = 16: 17 s against
    376 s for PDLP; bilateral trade, k = 12: 11 s against 62 s).  From three agents on the
    factorisation of a stencil in N dimensions fills in and first-order methods win: HiGHS's
    cuPDLP-C for the guarantee (N = 3, k = 8: 145 s against 335 s for its HiPDLP; N = 5, k = 4:
    20-33 s against more than 8 minutes for Clarabel with QDLDL), its HiPDLP for the potential, given over
    mechanisms, at N = 3 and 4 (N = 3, k = 8: 128 s; N = 4, k = 5: 45 s; Clarabel with faer took
    291 s and 412 s), while from N = 5 on the potential stays with Clarabel (with faer, N = 5,
    k = 4: 259 s; HiPDLP over mechanisms did not finish k = 3 in 10 minutes).  Either way the
    reported bounds are recomputed from the returned point, so a less accurate solve gives a
    weaker bound, never a wrong one.
    """
    if requested != AUTO:
        return requested
    if agents <= 2:
        return "clarabel"
    if program == "guarantee":
        return "highs-pdlp"
    return "highs-hipdlp" if agents <= 4 else "clarabel"


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far, in MB (solver allocations included)."""
    # Linux's VmHWM first: ru_maxrss survives exec, so a process started from a large parent (a
    # test run, a benchmark driver) would report the parent's peak.
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except (OSError, ValueError, IndexError):
        pass
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


@dataclass(frozen=True)
class Program:
    """An assembled bounding LP and what is needed to read its solution back."""

    lp: LPData
    env: ReducedEnvironment
    grid: Grid
    reduction: Reduction
    build_seconds: float


@dataclass(frozen=True)
class ProgramResult:
    """What both bounding programs report: how the solve ended, where, at what cost, and the bound.

    ``value`` is the bound recomputed from the returned point (after projecting it onto
    the constraints); ``solver_value`` is the solver's own number for the same bound.
    Subclasses add their arrays and name their JSON keys in :meth:`_details`.
    """

    status: LPStatus
    message: str
    grid: Grid
    t_max: float | None
    solver: str
    symmetric: bool
    size: ProgramSize
    value: float | None = None
    solver_value: float | None = None
    warnings: tuple[str, ...] = field(default=(), kw_only=True)

    program = ""

    @property
    def ok(self) -> bool:
        return self.status in SOLUTION_PRESENT

    def _details(self, dps: int) -> dict:  # pragma: no cover - interface
        raise NotImplementedError

    def to_dict(self, dps: int = 10) -> dict:
        return {
            "program": self.program,
            "status": str(self.status),
            "message": self.message,
            "grid": {"agents": self.grid.agents, "k": self.grid.k, "top": str(self.grid.top),
                     "points": self.grid.points},
            "t_max": number(self.t_max, dps),
            "solver": self.solver,
            "symmetric": self.symmetric,
            "value": number(self.value, dps),
            "solver_value": number(self.solver_value, dps),
            **self._details(dps),
            "warnings": list(self.warnings),
            "size": self.size.to_dict(),
        }


def shared_fields(program: Program, solution: LPSolution) -> dict:
    """The :class:`ProgramResult` fields both read-backs fill alike: grid, t_max, solver, symmetry, size."""
    lp = program.lp
    size = ProgramSize(lp.shape[1], lp.shape[0], lp.A.nnz, program.build_seconds, solution.seconds, peak_memory_mb())
    return dict(grid=program.grid, t_max=program.env.t_max, solver=solution.solver,
                symmetric=program.reduction.symmetric, size=size)


def check_recomputed(status: LPStatus, message: str, value: float, solver_value: float,
                     tolerance: float, certified: CertifiedBound | None = None) -> tuple[LPStatus, str]:
    """Demote OPTIMAL when the recomputed bound and the solver's differ by more than ``10 tol (1 + |value|)``.

    With a certified bound (:mod:`.certified`) that one is compared instead of the floating-point
    recomputation: it is the number the result stands behind.
    """
    if certified is not None and certified.certified:
        value = certified.float_value
    difference = abs(value - solver_value)
    if status is LPStatus.OPTIMAL and difference > 10 * tolerance * (1 + abs(value)):
        return LPStatus.OPTIMAL_INACCURATE, (message
                                             + f"; recomputed value differs from the solver's by {difference:.2e}")
    return status, message
