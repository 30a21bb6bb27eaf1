"""Linear programs in one canonical form, assembled sparsely from dense blocks.

Canonical form (every program of this package is written this way)::

    minimise    c @ x
    subject to  A[:n_eq] @ x == b[:n_eq]       (dual y free)
                A[n_eq:] @ x >= b[n_eq:]       (dual y >= 0)
                x >= 0

Its dual is ``max b @ y  s.t.  A.T @ y <= c`` with the same signs.  A program
that maximises stores ``-c`` and ``sense = -1``; its value is ``sense * c @ x``.

A :class:`Reduction` turns a problem into an :class:`LPData` plus the data needed
to map an LP solution back to the problem's named quantities (cvxpy's
``apply``/``invert``).  Dual signs are normalised once, inside ``invert``.

The same assembly code runs on float arrays (for the solver) and on object arrays
of exact rationals (for the exact certificate): row and column numbering never
depends on the values, so a basis found in floating point indexes the exact
program too.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sparse


@dataclass(frozen=True, eq=False)
class LPData:
    """A program in canonical form, with its matrix in CSR arrays.

    ``data`` is float64 for the solver or an object array of exact rationals;
    ``row_blocks``/``col_blocks`` name consecutive ranges (e.g. ``"obedience[1]"``).
    """

    cost: np.ndarray
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    rhs: np.ndarray
    n_equalities: int
    sense: int = 1
    row_blocks: dict = field(default_factory=dict)
    col_blocks: dict = field(default_factory=dict)

    @property
    def n_rows(self) -> int:
        return len(self.rhs)

    @property
    def n_cols(self) -> int:
        return len(self.cost)

    @property
    def nnz(self) -> int:
        return len(self.data)

    @property
    def exact(self) -> bool:
        return self.data.dtype == object

    def matrix(self) -> sparse.csr_matrix:
        """The constraint matrix as scipy CSR (float programs only)."""
        if self.exact:
            raise TypeError("matrix() is for float programs; exact programs keep their CSR arrays")
        return sparse.csr_matrix((self.data, self.indices, self.indptr), shape=(self.n_rows, self.n_cols))


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
        return LPData(np.asarray(cost, dtype=dtype).reshape(-1), indptr, indices, data, rhs, n_equalities, sense,
                      dict(self.blocks), dict(col_blocks or {}))


class Reduction:
    """``apply(problem) -> (LPData, inverse_data)`` and ``invert(solution, inverse_data)``."""

    def apply(self, problem, exact: bool = False):  # pragma: no cover - interface
        raise NotImplementedError

    def invert(self, solution, inverse_data):  # pragma: no cover - interface
        raise NotImplementedError
