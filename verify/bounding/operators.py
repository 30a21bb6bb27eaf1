r"""Discrete derivatives of the bounding programs as sparse matrices.

With step :math:`1/k` on :math:`\{0, 1/k, \dots, Y\}` (survey, Section 3.3):

* :math:`\nabla^+_i f(x) = k(f(x + e_i/k) - f(x))` below the top and :math:`0` at
  :math:`x_i = Y`: the guarantee Lagrangian (15) and the SVO (21);
* :math:`\nabla^-_i f(x) = k(f(x) - f(x - e_i/k))` above 0 and :math:`k f(x)` at
  :math:`x_i = 0` (the participation multiplier :math:`\tilde\beta = k` of (12)):
  the potential Lagrangian (14);
* :math:`\tilde\nabla^+_i f(x) = k(f(x + e_i/k) - f(x))` below the top and
  :math:`-k f(x)` at the top: minus the adjoint of :math:`\nabla^-_i`, so that
  :math:`\sum_x g\,\nabla^-_i f = -\sum_x f\,\tilde\nabla^+_i g` (summation by parts,
  which turns (14) into the IVO (23)).

The survey prints these with its own typos; the adjoint identity above is what the
tests check.  Multi-agent operators are Kronecker products (agent 1 slowest); the
programs themselves are assembled at the orbit representatives from :func:`shifted`
neighbours, and a solution is evaluated on the grid with the array forms.
"""
from __future__ import annotations

import numpy as np
import scipy.sparse as sps


def forward_difference(size: int, k: int) -> sps.csr_matrix:
    r"""One-dimensional :math:`\nabla^+` on ``size`` points, zero row at the top."""
    main = [-float(k)] * (size - 1) + [0.0]
    upper = [float(k)] * (size - 1)
    return sps.diags([main, upper], [0, 1], shape=(size, size), format="csr")


def backward_difference(size: int, k: int) -> sps.csr_matrix:
    r"""One-dimensional :math:`\nabla^-` on ``size`` points, ``k f(0)`` at the bottom."""
    main = [float(k)] * size
    lower = [-float(k)] * (size - 1)
    return sps.diags([main, lower], [0, -1], shape=(size, size), format="csr")


def adjoint_forward_difference(size: int, k: int) -> sps.csr_matrix:
    r"""One-dimensional :math:`\tilde\nabla^+` on ``size`` points, ``-k f`` at the top."""
    main = [-float(k)] * size
    upper = [float(k)] * (size - 1)
    return sps.diags([main, upper], [0, 1], shape=(size, size), format="csr")


def along(operator: sps.spmatrix, agent: int, agents: int) -> sps.csr_matrix:
    """Apply a one-dimensional ``operator`` along axis ``agent`` (0-based) of the product grid."""
    size = operator.shape[0]
    before = sps.identity(size**agent, format="csr")
    after = sps.identity(size ** (agents - agent - 1), format="csr")
    return sps.kron(sps.kron(before, operator, format="csr"), after, format="csr")


def gradient(kind: str, size: int, k: int, agents: int) -> list[sps.csr_matrix]:
    """The N operators ``[D_1, ..., D_N]`` of ``kind`` in {'forward', 'backward', 'adjoint'}."""
    one = {"forward": forward_difference, "backward": backward_difference, "adjoint": adjoint_forward_difference}[kind]
    base = one(size, k)
    return [along(base, i, agents) for i in range(agents)]


def shifted(points: np.ndarray, axis: int, top: int, step: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """The points (Q x N index tuples) that have a neighbour one ``step`` (+1 or -1) along ``axis``
    inside ``{0, ..., top}``, as a mask, and those neighbours."""
    if step not in (1, -1):
        raise ValueError(f"step must be +1 or -1, got {step!r}")
    inside = points[:, axis] < top if step == 1 else points[:, axis] > 0
    moved = points[inside].copy()
    moved[:, axis] += step
    return inside, moved


def forward_difference_on_grid(values: np.ndarray, axis: int, k: int) -> np.ndarray:
    r""":math:`\nabla^+` along ``axis`` of an array with the grid's shape (zero at the top)."""
    out = np.zeros_like(values, dtype=float)
    lower = [slice(None)] * values.ndim
    upper = [slice(None)] * values.ndim
    lower[axis], upper[axis] = slice(None, -1), slice(1, None)
    out[tuple(lower)] = k * (values[tuple(upper)] - values[tuple(lower)])
    return out


def adjoint_forward_difference_on_grid(values: np.ndarray, axis: int, k: int) -> np.ndarray:
    r""":math:`\tilde\nabla^+` along ``axis`` of an array with the grid's shape (``-k f`` at the top)."""
    out = -float(k) * values
    lower = [slice(None)] * values.ndim
    upper = [slice(None)] * values.ndim
    lower[axis], upper[axis] = slice(None, -1), slice(1, None)
    out[tuple(lower)] += k * values[tuple(upper)]
    return out
