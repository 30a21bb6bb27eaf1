"""Exact certificates: rebuild a rational primal-dual pair from the solver's basis.

The program must be canonical (:meth:`LPData.canonical`).  Given the optimal basis
of the floating-point solve, the basic variables solve the square system
``A[active rows, basic columns] x_B = b[active rows]`` and the duals of the active
rows solve its transpose with the basic costs.  Both systems are solved over the
rationals (python-flint).  The pair is then checked exactly:

* primal feasibility: ``x >= 0``, equalities hold, inequalities hold;
* dual feasibility: ``y >= 0`` on inequalities, reduced costs ``c - A^T y >= 0``;
* equal objectives: ``c @ x == b @ y``.

Weak duality then *proves* that the common value is the optimum.  If any step fails
(basis missing, singular, too large, or not optimal in exact arithmetic) the
certificate says why and the caller keeps the floating result as *confirmed*.
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import flint
import numpy as np

from irmd.status import Status

from .highs import BASIS_BASIC
from .program import LPData

#: Largest basis dimension reconstructed by default (a dense rational solve of this
#: size takes a few seconds with python-flint).
MAX_EXACT_DIMENSION = 1500


@dataclass(frozen=True, eq=False)
class ExactCertificate:
    """Outcome of the exact reconstruction.

    ``status`` is PROVED (``value`` is the exact optimum of the program, in its
    original sense) or INCONCLUSIVE (``message`` says why; nothing is claimed).
    ``x`` and ``y`` are object arrays of Fractions in the canonical program's order.
    """

    status: Status
    message: str
    value: Fraction | None = None
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    dimension: int = 0

    @property
    def proved(self) -> bool:
        return self.status is Status.PROVED

    def to_dict(self) -> dict:
        return {"status": str(self.status), "message": self.message,
                "value": None if self.value is None else str(self.value), "basis_dimension": self.dimension}


def _fmpq(value):
    value = Fraction(value)
    return flint.fmpq(value.numerator, value.denominator)


def _fraction(value) -> Fraction:
    return Fraction(int(value.p), int(value.q))


def certify(lp: LPData, basis, max_dimension: int = MAX_EXACT_DIMENSION) -> ExactCertificate:
    """Reconstruct and check a rational optimum of the exact program ``lp`` from ``basis``.

    Parameters
    ----------
    lp : LPData
        The program built with exact (object) coefficients.
    basis : tuple of (col_status, row_status) or None
        HiGHS basis of the float solve of the same program.
    max_dimension : int
        Larger bases are not reconstructed (the certificate is then INCONCLUSIVE).
    """
    if not lp.exact:
        raise TypeError("certify() needs the program built with exact coefficients")
    if not lp.is_canonical:
        raise TypeError("certify() needs a canonical program (equalities, then >= rows, x >= 0)")
    if basis is None:
        return ExactCertificate(Status.INCONCLUSIVE, "the solver returned no basis to reconstruct from")
    col_status, row_status = basis
    basic_cols = np.flatnonzero(np.asarray(col_status) == BASIS_BASIC)
    active_rows = np.flatnonzero(np.asarray(row_status) != BASIS_BASIC)
    dimension = len(basic_cols)
    if dimension != len(active_rows):
        return ExactCertificate(Status.INCONCLUSIVE, f"basis is not square: {dimension} basic columns, "
                                                    f"{len(active_rows)} active rows", dimension=dimension)
    if dimension > max_dimension:
        return ExactCertificate(Status.INCONCLUSIVE, f"basis dimension {dimension} exceeds the exact limit "
                                                    f"{max_dimension}", dimension=dimension)
    position = np.full(lp.n_cols, -1, dtype=np.int64)
    position[basic_cols] = np.arange(dimension)
    M = flint.fmpq_mat(dimension, dimension)
    for k, row in enumerate(active_rows):
        lo, hi = lp.indptr[row], lp.indptr[row + 1]
        for col, value in zip(lp.indices[lo:hi], lp.data[lo:hi]):
            p = position[col]
            if p >= 0:
                M[k, int(p)] = _fmpq(value)
    rhs = flint.fmpq_mat(dimension, 1, [_fmpq(lp.row_lower[r]) for r in active_rows])
    costs = flint.fmpq_mat(dimension, 1, [_fmpq(lp.cost[c]) for c in basic_cols])
    try:
        x_basic = M.solve(rhs) if dimension else None
        y_active = M.transpose().solve(costs) if dimension else None
    except ZeroDivisionError:
        return ExactCertificate(Status.INCONCLUSIVE, "basis matrix is singular in exact arithmetic",
                                dimension=dimension)
    x = [Fraction(0)] * lp.n_cols
    y = [Fraction(0)] * lp.n_rows
    for k in range(dimension):
        x[int(basic_cols[k])] = _fraction(x_basic[k, 0])
        y[int(active_rows[k])] = _fraction(y_active[k, 0])
    problem = _exact_violation(lp, x, y)
    x_array, y_array = np.empty(lp.n_cols, dtype=object), np.empty(lp.n_rows, dtype=object)
    x_array[:], y_array[:] = x, y
    if problem:
        return ExactCertificate(Status.INCONCLUSIVE, f"the reconstructed basis solution is not optimal in exact "
                                                     f"arithmetic: {problem}", dimension=dimension)
    value = lp.sense * sum((Fraction(c) * xi for c, xi in zip(lp.cost, x) if xi), Fraction(0))
    return ExactCertificate(Status.PROVED, "rational primal and dual solutions reconstructed from the basis: "
                                           "feasible, and their objectives are equal", value, x_array, y_array,
                            dimension)


def _exact_violation(lp: LPData, x: list, y: list) -> str:
    """Empty string if (x, y) is an exactly optimal primal-dual pair, else the first violation."""
    for j, value in enumerate(x):
        if value < 0:
            return f"x[{j}] = {value} < 0"
    neq = lp.n_equalities
    reduced = [Fraction(c) for c in lp.cost]
    for r in range(lp.n_rows):
        lo, hi = lp.indptr[r], lp.indptr[r + 1]
        activity = Fraction(0)
        yr = y[r]
        for col, value in zip(lp.indices[lo:hi], lp.data[lo:hi]):
            if x[col]:
                activity += value * x[col]
            if yr:
                reduced[col] -= value * yr
        b = Fraction(lp.row_lower[r])
        if r < neq and activity != b:
            return f"equality row {r} has activity {activity}, not {b}"
        if r >= neq and activity < b:
            return f"inequality row {r} has activity {activity} < {b}"
        if r >= neq and yr < 0:
            return f"dual of inequality row {r} is {yr} < 0"
    for j, d in enumerate(reduced):
        if d < 0:
            return f"reduced cost of column {j} is {d} < 0"
    primal = sum((Fraction(c) * xi for c, xi in zip(lp.cost, x) if xi), Fraction(0))
    dual = sum((Fraction(b) * yi for b, yi in zip(lp.row_lower, y) if yi), Fraction(0))
    if primal != dual:
        return f"primal objective {primal} differs from dual objective {dual}"
    return ""
