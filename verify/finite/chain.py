"""The chain shared by every finite program: reduction -> HiGHS -> re-check -> (exact certificate).

:func:`solve_chain` applies a reduction to float tables, solves, inverts the solution
into named quantities and, when exact tables are given, rebuilds the same program in
rationals and certifies the basis.  The result's status follows one rule:
PROVED (exact certificate), CONFIRMED (float optimum re-checked), INCONCLUSIVE (anything else).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import ClassVar

import numpy as np

from irmd.status import LPStatus, Status

from ..lp import ExactCertificate, HiGHS, LPSolution, certify
from ..lp.highs import BASIS_BASIC
from .output import DEFAULT_DPS, array_text, number_text


@dataclass(frozen=True, eq=False)
class ChainOutcome:
    """Everything a program's result needs; ``named`` is None when there is no solution."""

    status: Status
    value: object
    named: dict | None
    solution: LPSolution
    certificate: ExactCertificate | None
    exact_tables: object
    message: str
    build_seconds: float
    sizes: dict

    def result_fields(self) -> dict:
        """The :class:`ChainResult` fields of a program's result."""
        return dict(status=self.status, value=self.value, solution=self.solution, exact=self.certificate,
                    message=self.message, build_seconds=self.build_seconds, sizes=self.sizes)


def solve_chain(reduction, tables, exact_tables, solver: HiGHS | None, max_exact_dimension: int) -> ChainOutcome:
    """Build, solve, re-check, invert and optionally certify (``exact_tables``: tables or a callable)."""
    solver = solver or HiGHS()
    start = time.perf_counter()
    lp, inverse = reduction.apply(tables)
    build_seconds = time.perf_counter() - start
    solution = solver.solve(lp)
    sizes = {"variables": lp.n_cols, "constraints": lp.n_rows, "nonzeros": lp.nnz}
    if not solution.has_solution:
        return ChainOutcome(Status.INCONCLUSIVE, None, None, solution, None, None,
                            f"no solution: {solution.status} {solution.message}", build_seconds, sizes)
    if solution.row_dual is None:
        return ChainOutcome(Status.INCONCLUSIVE, None, None, solution, None, None,
                            f"no multipliers: {solution.message}", build_seconds, sizes)
    named = reduction.invert(solution.x, solution.row_dual, inverse, lp)
    status = Status.CONFIRMED if solution.status is LPStatus.OPTIMAL else Status.INCONCLUSIVE
    message = (f"float optimum re-checked within tolerance {solution.tolerance:.1e}"
               if status is Status.CONFIRMED else solution.message)
    value, certificate, exact_input = solution.objective, None, None
    dimension = _basis_dimension(solution.basis)
    if exact_tables is not None and dimension is None:
        # an interior point without crossover: nothing to reconstruct from, so nothing exact is built
        certificate = ExactCertificate(Status.INCONCLUSIVE, f"{solution.solver} returned no basis; not certified")
        message = f"exact reconstruction not attempted ({certificate.message}); " + message
    elif exact_tables is not None and dimension > max_exact_dimension:
        # the exact program is not even built: at this size it would cost more than the certificate may
        certificate = ExactCertificate(Status.INCONCLUSIVE, f"basis dimension {dimension} exceeds the exact limit "
                                                            f"{max_exact_dimension}; not certified",
                                       dimension=dimension)
        message = f"exact reconstruction not attempted ({certificate.message}); " + message
    elif exact_tables is not None:  # an exact proof does not need the float re-check to pass
        exact_input = exact_tables() if callable(exact_tables) else exact_tables
        exact_lp, _ = reduction.apply(exact_input, exact=True)
        certificate = certify(exact_lp, solution.basis, max_exact_dimension)
        if certificate.proved:
            named = reduction.invert(certificate.x, certificate.y, inverse, exact_lp)
            value, status = certificate.value, Status.PROVED
            message = "exact: " + certificate.message
        else:
            message = f"exact reconstruction failed ({certificate.message}); " + message
            exact_input = None
    return ChainOutcome(status, value, named, solution, certificate, exact_input, message, build_seconds, sizes)


def _basis_dimension(basis) -> int | None:
    """Basic columns of a simplex basis (the size of the exact solve), None without a basis."""
    if basis is None:
        return None
    return int(np.count_nonzero(np.asarray(basis[0]) == BASIS_BASIC))


def _text(value, dps: int):
    """An array, or a list of arrays (one per agent), as JSON strings."""
    return [array_text(a, dps) for a in value] if isinstance(value, list) else array_text(value, dps)


@dataclass(frozen=True, eq=False, kw_only=True)
class ChainResult:
    """What the results of the finite programs share: the chain's outcome, the LP status, the JSON layout.

    ``status`` is PROVED (exact certificate), CONFIRMED (float solution re-checked) or
    INCONCLUSIVE (solver failed or the re-check did not pass; see ``message``);
    ``value`` is exact when proved; ``exact`` is the certificate when one was asked for.
    Subclasses add their named arrays (positional fields), a ``program`` name, and
    list the arrays they print in ``MULTIPLIERS`` and ``PRIMAL``.
    """

    status: Status
    value: object
    solution: LPSolution
    exact: ExactCertificate | None
    message: str
    build_seconds: float = 0.0
    sizes: dict = field(default_factory=dict)
    input_notes: tuple[str, ...] = ()   # how the input was changed when read (renormalised float sums)

    MULTIPLIERS: ClassVar[tuple[str, ...]] = ()
    PRIMAL: ClassVar[tuple[str, ...]] = ()

    @property
    def lp_status(self) -> LPStatus:
        return self.solution.status

    def to_dict(self, dps: int = DEFAULT_DPS) -> dict:
        """Value, statuses, the LP report, the exact report, then multipliers and primal arrays."""
        solution = self.solution
        return {
            "program": self.program,
            "status": str(self.status),
            "value": number_text(self.value, dps),
            "value_decimal": number_text(None if self.value is None else float(self.value), dps),
            "message": self.message,
            "lp": {"status": str(solution.status), "solver": solution.solver, "native_status": solution.native_status,
                   "message": solution.message, "iterations": solution.iterations,
                   "build_seconds": number_text(self.build_seconds, 4),
                   "solve_seconds": number_text(solution.seconds, 4),
                   "tolerance": number_text(solution.tolerance, 3),
                   "residuals": {k: number_text(r, 3) for k, r in solution.residuals.items()},
                   **{k: int(s) for k, s in self.sizes.items()}},
            "exact": None if self.exact is None else self.exact.to_dict(),
            "multipliers": {name: _text(getattr(self, name), dps) for name in self.MULTIPLIERS},
            "primal": {name: _text(getattr(self, name), dps) for name in self.PRIMAL},
            **({"input_notes": list(self.input_notes)} if self.input_notes else {}),
        }
