"""The LP core: one program type, one solution type, one adapter per solver, one exact certificate.

The finite programs (:mod:`irmd.verify.finite`) and the bounding programs
(:mod:`irmd.verify.bounding`) are reductions onto it.

=====================  ==========================================================
:class:`LPData`        the program (float, or exact rationals), CSR arrays
:class:`RowAssembler`  builds canonical programs from dense blocks
:class:`LPSolution`    status, point, multipliers (HiGHS signs), re-check, basis
:func:`recheck`        the residuals every adapter recomputes
:class:`HiGHS`         HiGHS adapter (dual simplex with basis, IPM, PDLP)
:class:`Clarabel`      Clarabel adapter (interior point; optional quadratic term)
:func:`certify`        exact certificate from a simplex basis (python-flint)
:func:`solve`          solve by solver name (:data:`SOLVERS`)
=====================  ==========================================================
"""
from __future__ import annotations

from irmd.errors import ParameterError

from .clarabel import STATUS_MAP as CLARABEL_STATUS_MAP
from .clarabel import Clarabel
from .exact import MAX_EXACT_DIMENSION, ExactCertificate, certify
from .highs import STATUS_MAP as HIGHS_STATUS_MAP
from .highs import HiGHS, highs_status
from .program import LPData, Reduction, RowAssembler
from .solution import RECHECK_TOLERANCE, LPSolution, Recheck, recheck

#: Solver names accepted by :func:`solver_named` and the command line.
SOLVERS = ("highs-ipm", "highs-simplex", "highs-pdlp", "highs-hipdlp", "clarabel")


def solver_named(name: str, time_limit: float | None = None, tolerance: float = RECHECK_TOLERANCE,
                 equilibrate: bool = True, factorisation: str = "qdldl"):
    """The adapter called ``name`` (one of :data:`SOLVERS`); ``equilibrate`` and ``factorisation`` are
    Clarabel's Ruiz equilibration and sparse LDL code (HiGHS chooses both by its own rules)."""
    if name == "clarabel":
        return Clarabel(time_limit, tolerance, equilibrate=equilibrate, factorisation=factorisation)
    if name in SOLVERS:
        return HiGHS(name.split("-")[1], time_limit, tolerance)
    raise ParameterError(f"unknown solver {name!r}; choose one of {', '.join(SOLVERS)}")


def solve(lp: LPData, solver: str = "highs-ipm", time_limit: float | None = None,
          tolerance: float = RECHECK_TOLERANCE, equilibrate: bool = True, factorisation: str = "qdldl") -> LPSolution:
    """Solve ``lp`` with the adapter called ``solver``."""
    return solver_named(solver, time_limit, tolerance, equilibrate, factorisation).solve(lp)


__all__ = ["LPData", "RowAssembler", "Reduction", "LPSolution", "Recheck", "recheck", "HiGHS", "Clarabel",
           "HIGHS_STATUS_MAP", "CLARABEL_STATUS_MAP", "highs_status", "certify", "ExactCertificate",
           "MAX_EXACT_DIMENSION", "SOLVERS", "RECHECK_TOLERANCE", "solver_named", "solve"]
