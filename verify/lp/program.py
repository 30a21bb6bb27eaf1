"""Linear programs: one data type for every program irmd solves, and the assembler of canonical ones.

An :class:`LPData` is::

    minimise    sense * (cost @ x + offset)        (sense = -1 stores a maximisation as -cost)
    subject to  row_lower <= A @ x <= row_upper
                col_lower <=   x   <= col_upper     (bounds may be infinite)

with ``A`` kept as CSR arrays, so that the same type holds float programs (for the
solvers) and programs with exact rational coefficients (for the exact certificate).
Dual signs follow HiGHS: ``cost - A.T @ row_dual - col_dual = 0``, with non-negative
multipliers on active lower bounds.

The finite programs are written in the *canonical* form

    minimise c @ x  s.t.  A[:n_eq] @ x == b[:n_eq],  A[n_eq:] @ x >= b[n_eq:],  x >= 0,

whose dual is ``max b @ y  s.t.  A.T @ y <= c`` (``y`` free on equalities, ``>= 0`` on
inequalities): in HiGHS's convention ``row_dual`` is that ``y`` and ``col_dual`` the
reduced costs.  :class:`RowAssembler` builds canonical programs from dense blocks,
and the same assembly code runs on float arrays and on object arrays of rationals:
row and column numbering never depends on the values, so a basis found in floating
point indexes the exact program too.

A :class:`Reduction` turns a problem into an :class:`LPData` plus the data needed to
map an LP solution back to the problem's named quantities (cvxpy's
``apply``/``invert``).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import scipy.sparse as sparse


@dataclass(frozen=True, eq=False)
class LPData:
    """A linear program with its matrix in CSR arrays (float64, or object arrays of rationals).

    ``row_blocks``/``col_blocks`` name consecutive ranges (e.g. ``"obedience[1]"``).
    Build float programs from a scipy matrix with :meth:`from_matrix` and canonical
    ones with :class:`RowAssembler` or :meth:`canonical`.
    """

    cost: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    row_lower: np.ndarray
    row_upper: np.ndarray
    col_lower: np.ndarray
    col_upper: np.ndarray
    offset: float = 0.0
    sense: int = 1
    row_blocks: dict = field(default_factory=dict)
    col_blocks: dict = field(default_factory=dict)

    @classmethod
    def from_matrix(cls, cost, matrix, row_lower, row_upper, col_lower, col_upper, offset: float = 0.0,
                    **blocks) -> LPData:
        """A float program ``min cost @ x + offset`` with ``matrix`` in any scipy sparse format."""
        A = sparse.csr_matrix(matrix, dtype=np.float64)
        return cls(np.asarray(cost, dtype=np.float64).reshape(-1), A.indptr, A.indices, A.data,
                   *(np.asarray(v, dtype=np.float64).reshape(-1) for v in (row_lower, row_upper, col_lower,
                                                                           col_upper)),
                   float(offset), 1, **blocks)

    @classmethod
    def canonical(cls, cost, indptr, indices, data, rhs, n_equalities: int, sense: int = 1,
                  row_blocks: dict | None = None, col_blocks: dict | None = None) -> LPData:
        """The canonical program: equalities first, then ``>=`` rows, ``x >= 0``."""
        exact = np.asarray(data).dtype == object
        dtype = object if exact else np.float64
        rhs = np.asarray(rhs, dtype=dtype).reshape(-1)
        upper = rhs.copy()
        upper[n_equalities:] = np.inf
        n_cols = len(cost)
        zero = np.zeros(n_cols, dtype=dtype) if not exact else np.array([0] * n_cols, dtype=object)
        return cls(np.asarray(cost, dtype=dtype).reshape(-1), indptr, indices, data, rhs, upper, zero,
                   np.full(n_cols, np.inf, dtype=dtype), 0.0, sense, dict(row_blocks or {}), dict(col_blocks or {}))

    @property
    def n_rows(self) -> int:
        return len(self.row_lower)

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    @property
    def shape(self) -> tuple[int, int]:
        return self.n_rows, self.n_cols

    @property
    def nnz(self) -> int:
        return len(self.data)

    @property
    def exact(self) -> bool:
        return self.data.dtype == object

    @cached_property
    def A(self) -> sparse.csr_matrix:
        """The constraint matrix as scipy CSR (float programs only)."""
        if self.exact:
            raise TypeError("the matrix of an exact program stays in its CSR arrays")
        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)

    @cached_property
    def equality_rows(self) -> np.ndarray:
        """Rows whose two bounds coincide."""
        return np.asarray(self.row_lower == self.row_upper, dtype=bool)

    @property
    def is_canonical(self) -> bool:
        """Equalities first, then ``>=`` rows with finite right-hand sides, and ``x >= 0``."""
        equalities = self.equality_rows
        n_eq = int(np.count_nonzero(equalities))
        return (bool(np.all(equalities[:n_eq])) and not np.any(equalities[n_eq:])
                and all(np.isinf(float(u)) and u > 0 for u in self.row_upper[n_eq:])
                and all(np.isfinite(float(b)) for b in self.row_lower)
                and all(lo == 0 for lo in self.col_lower) and all(np.isinf(float(u)) for u in self.col_upper)
                and self.offset == 0)

    @property
    def n_equalities(self) -> int:
        """Leading equality rows of a canonical program."""
        return int(np.count_nonzero(self.equality_rows))

    def value(self, x) -> object:
        """The objective in the original sense, ``sense * (cost @ x + offset)``."""
        return self.sense * (self.cost @ x + self.offset)


class RowAssembler:
    """Collects blocks of rows ``coefficients[r, k]`` on columns ``columns[r, k]``.

    Zero coefficients are dropped; rows are kept (a zero row is harmless), so the
    numbering of rows and columns depends only on the problem's shape.
    """

    def __init__(self, n_cols: int, exact: bool):
        self.n_cols = n_cols
        self.exact = exact
        self._counts: list[np.ndarray] = []
        self._indices: list[np.ndarray] = []
        self._data: list[np.ndarray] = []
        self._rhs: list[np.ndarray] = []
        self.blocks: dict[str, tuple[int, int]] = {}
        self.n_rows = 0

    def add(self, name: str, coefficients: np.ndarray, columns: np.ndarray, rhs, *,
            column_rows: np.ndarray | None = None, keep_rows: np.ndarray | None = None) -> None:
        """Append rows ``r`` with ``coefficients[r, k]`` on columns ``columns[column_rows[r], k]``.

        ``column_rows`` lets many rows share one row of ``columns`` without copying it
        (default: row r uses ``columns[r]``, broadcasting allowed); ``keep_rows`` drops
        whole rows (e.g. the pairs a' = a).  Only nonzero coefficients are stored.
        """
        n_rows = coefficients.shape[0]
        coefficients = coefficients.reshape(n_rows, -1) if n_rows else coefficients.reshape(0, 0)
        width = coefficients.shape[1]
        if keep_rows is None:
            keep_rows = np.ones(n_rows, dtype=bool)
        rows = int(np.count_nonzero(keep_rows))
        if name in self.blocks:
            # a block may arrive in chunks (bounded temporaries), but only as the latest block
            first, last = self.blocks[name]
            if last != self.n_rows:
                raise ValueError(f"block {name!r} can only be extended while it is the last block")
            self.blocks[name] = (first, last + rows)
        else:
            self.blocks[name] = (self.n_rows, self.n_rows + rows)
        self._rhs.append(np.broadcast_to(np.asarray(rhs, dtype=object if self.exact else float), (rows,)))
        self.n_rows += rows
        if coefficients.size == 0:
            self._counts.append(np.zeros(rows, dtype=np.int64))
            return
        keep = coefficients != 0
        if keep.dtype != bool:
            keep = keep.astype(bool)
        dropped = np.flatnonzero(~keep_rows)
        if len(dropped):
            keep[dropped] = False
        self._counts.append(keep.sum(axis=1)[keep_rows])
        row, entry = np.nonzero(keep)
        if column_rows is None:
            columns = np.broadcast_to(columns.reshape(-1, width) if columns.ndim != 2 else columns, (n_rows, width))
            picked = columns[row, entry]
        else:
            picked = columns.reshape(-1, width)[np.asarray(column_rows)[row], entry]
        self._indices.append(picked.astype(np.int32, copy=False))
        self._data.append(coefficients[keep])

    def finish(self, cost: np.ndarray, n_equalities: int, sense: int = 1, col_blocks: dict | None = None) -> LPData:
        counts = np.concatenate(self._counts) if self._counts else np.zeros(0, dtype=np.int64)
        indptr = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=indptr[1:])
        dtype = object if self.exact else np.float64
        data = np.concatenate(self._data).astype(dtype, copy=False) if self._data else np.zeros(0, dtype=dtype)
        indices = np.concatenate(self._indices) if self._indices else np.zeros(0, dtype=np.int32)
        rhs = np.concatenate(self._rhs).astype(dtype) if self._rhs else np.zeros(0, dtype=dtype)
        return LPData.canonical(np.asarray(cost, dtype=dtype).reshape(-1), indptr, indices, data, rhs, n_equalities,
                                sense, self.blocks, col_blocks)


class Reduction:
    """``apply(problem) -> (LPData, inverse_data)`` and ``invert(solution, inverse_data)``."""

    def apply(self, problem, exact: bool = False):  # pragma: no cover - interface
        raise NotImplementedError

    def invert(self, solution, inverse_data):  # pragma: no cover - interface
        raise NotImplementedError
