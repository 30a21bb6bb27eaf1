r"""The potential bounding program (18) on a grid.

Minimise over :math:`\sigma \ge 0` on :math:`X \times \Theta` with
:math:`\sum_x \sigma(x, \theta) = \mu(\theta)` the bound (24)

.. math::  \overline P(X, \sigma) = \sum_x \max_c \gamma(x, c), \qquad
   \gamma(x, c) = \sum_\theta w(c, \theta)\sigma(x, \theta)
   - \sum_i \sum_\theta u_i(c, \theta) \tilde\nabla^+_i \sigma(x, \theta),

the IVO (23), with :math:`\tilde\nabla^+` equal to :math:`-k f` at the top.  The
IVO is affine in c, :math:`\gamma = a_0(x) + a(x) \cdot c`, and c ranges over a
product of factors, so the maximum splits into one term per factor, each an
epigraph variable :math:`z_f(x)`:

* simplex: :math:`z_f \ge 0` and :math:`z_f \ge a_j` for its coordinates;
* interval :math:`[l, u]`: :math:`z \ge l a_j` and :math:`z \ge u a_j`;
* half-line :math:`[l, \infty)`: :math:`a_j \le 0` and :math:`z \ge l a_j`;
* free coordinate (a transfer with no ``t_max``): :math:`a_j = 0`, the PDE (27).
  On a bounded grid this is often infeasible (in the auction it forces
  :math:`\sigma \equiv 0`), which is reported as
  :class:`FreeTransferError`, never as a number.

The value is an upper bound on the minimal potential :math:`P^*` for transfers
bounded by ``t_max``; it bounds the potential with unbounded transfers only when
``t_max`` is at least the transfers of a guarantee-optimal mechanism.

As for the guarantee, ``value`` is recomputed (in floating point) from the
returned σ after projecting it onto the constraints (clip at 0, rescale each state
to its prior); ``certified`` is the same bound in exact arithmetic for σ rounded to
an exactly feasible information structure (:mod:`.certified`), an upper bound for
transfers bounded by the ``t_max`` it states.  The
multipliers of the epigraph rows are the designer's best response, a mechanism
(complementary slackness (25)).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sps

from irmd.errors import InputError
from irmd.status import INF_OR_UNB, SOLUTION_PRESENT, LPStatus

from ..lp import LPData, LPSolution, solve
from .certified import CertifiedBound, certify_potential
from .common import AUTO, Program, ProgramResult, check_recomputed, number, on_grid, shared_fields, solver_for
from .grid import Grid
from .operators import adjoint_forward_difference_on_grid, gradient, shifted
from .reduced import ReducedEnvironment
from .symmetry import Reduction, reduce


class FreeTransferError(InputError):
    """The potential program with free transfers has no feasible σ on this grid."""


@dataclass(frozen=True)
class PotentialProgram(Program):
    epigraph_rows: tuple  # (coordinate j, kind 'upper'/'lower'/'simplex', row offset)


@dataclass(frozen=True)
class PotentialResult(ProgramResult):
    """Solution of the potential bounding program; arrays have the grid's shape.

    Attributes
    ----------
    value : float or None
        :math:`\\sum_x \\max_c \\gamma(x, c)` recomputed from σ: an upper bound on
        :math:`P^*` (transfers bounded by ``t_max``).
    sigma : ndarray, shape (states, *grid)
        The LP information structure (probability masses; times ``k**N`` a density).
    marginal : ndarray
        :math:`\\rho(x) = \\sum_\\theta \\sigma(x, \\theta)`.
    ivo_max : ndarray
        :math:`\\max_c \\gamma(x, c)` at every point.
    best_response : dict or None
        Coordinate -> designer's best-response mechanism from the multipliers.
    transfer_sensitivity : float or None
        :math:`d\\,\\mathrm{value}/d\\,t_{max} = \\sum_x \\sum_{capped\\ j} |a_j(x)|`.
    pde_residual : float or None
        :math:`\\sum_x |a_j(x)|` over free coordinates (should vanish).
    certified : CertifiedBound or None
        The upper end in exact arithmetic (:func:`.certified.certify_potential`).
    """

    sigma: np.ndarray | None = None
    marginal: np.ndarray | None = None
    ivo_max: np.ndarray | None = None
    best_response: dict | None = None
    transfer_sensitivity: float | None = None
    pde_residual: float | None = None
    certified: CertifiedBound | None = None

    program = "potential"

    def _details(self, dps: int) -> dict:
        return {
            "transfer_sensitivity": number(self.transfer_sensitivity, 3),
            "pde_residual": number(self.pde_residual, 3),
            "certified": None if self.certified is None else self.certified.to_dict(dps),
        }


def ivo_operators(env: ReducedEnvironment, grid: Grid):
    """``G0`` (P x S P) and ``[G_j]``: sigma -> a_0(.) and a_j(.), the IVO's constant and coefficients,
    on the whole grid (Kronecker products; the program itself uses :func:`_ivo_rows`)."""
    P, S = grid.points, env.states
    D = gradient("adjoint", grid.size, grid.k, grid.agents)
    eye = sps.identity(P, format="csr")

    def operator(w_of_s, u_of_is):
        blocks = []
        for s in range(S):
            op = w_of_s(s) * eye
            for i in range(env.agents):
                if u_of_is(i, s) != 0:
                    op = op - u_of_is(i, s) * D[i]
            blocks.append(op)
        return sps.hstack(blocks, format="csr")

    G0 = operator(lambda s: env.W0[s], lambda i, s: env.U0[i, s])
    G = [operator(lambda s, j=j: env.W[s, j], lambda i, s, j=j: env.U[i, s, j]) for j in range(env.dimension)]
    return G0, G


def _ivo_rows(env: ReducedEnvironment, red: Reduction) -> list[sps.csr_matrix]:
    r"""``[a_j]`` at the representatives: R x (S R) matrices of the symmetric σ -> a_j(x).

    :math:`a_j(x) = \sum_\theta W_j(\theta)\sigma(x,\theta) - \sum_{i,\theta} U_{ij}(\theta)
    \tilde\nabla^+_i\sigma(x,\theta)`, with σ at a neighbour read at its representative.
    """
    grid, points = red.grid, red.points
    R, S, k, top = red.count, env.states, grid.k, grid.size - 1
    at = np.arange(R)
    steps = [(below, red.representative_of(moved)) for below, moved in
             (shifted(points, i, top) for i in range(env.agents))]
    out = []
    for j in range(env.dimension):
        rows, cols, vals = [], [], []
        for s in range(S):
            # -U (-k sigma(x)) on every point (below the top and at it), -U (k sigma(x + e_i)) below it.
            diagonal = np.full(R, env.W[s, j] + k * env.U[:, s, j].sum())
            rows.append(at)
            cols.append(s * R + at)
            vals.append(diagonal)
            for i, (below, neighbour) in enumerate(steps):
                u = env.U[i, s, j]
                if u != 0:
                    rows.append(at[below])
                    cols.append(s * R + neighbour)
                    vals.append(np.full(len(neighbour), -k * u))
        matrix = sps.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                                shape=(R, S * R))
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        out.append(matrix)
    return out


def _ivo_constant_total(env: ReducedEnvironment, red: Reduction) -> np.ndarray:
    r"""The coefficients of :math:`\sum_x a_0(x)` on the symmetric σ (one per state and representative).

    Summed over a line along axis i, :math:`\tilde\nabla^+_i f` telescopes to :math:`-k f` at
    :math:`x_i = 0`, so :math:`\sum_x a_0 = \sum_{x,\theta} W_0(\theta)\sigma + k\sum_{i,\theta}
    U_{0,i}(\theta)\sum_{x_i = 0}\sigma`; over an orbit these count its points and its points
    with :math:`x_i = 0`.
    """
    weight = red.orbit_sizes.astype(float)
    zeros = [red.zero_counts(i).astype(float) for i in range(env.agents)]
    return np.concatenate([env.W0[s] * weight + red.grid.k * sum(env.U0[i, s] * zeros[i] for i in range(env.agents))
                           for s in range(env.states)])


def build(env: ReducedEnvironment, grid: Grid, use_symmetry: bool = True) -> PotentialProgram:
    """Assemble (18) at the orbit representatives (every point when the agents are not exchangeable)."""
    start = time.perf_counter()
    if grid.agents != env.agents:
        raise ValueError(f"grid has {grid.agents} agents, environment {env.agents}")
    S = env.states
    red = reduce(grid, env, use_symmetry)
    R = red.count
    ns = S * R
    a = _ivo_rows(env, red)  # R x ns each: a_j at representatives
    # Epigraph variables, one per (factor, representative) where the factor needs one.
    z_blocks = [b for b in env.blocks if not (b.kind == "interval" and math.isinf(b.lower) and math.isinf(b.upper))]
    nz = len(z_blocks) * R
    weight = red.orbit_sizes.astype(float)
    # An interval's epigraph variable is stored divided by max(|l|, |u|), so its rows carry
    # coefficients of order one instead of t_max * k: same LP, better conditioned.
    scale = [1.0 if b.kind == "simplex" else max(abs(b.lower) if not math.isinf(b.lower) else 0.0,
                                                 abs(b.upper) if not math.isinf(b.upper) else 0.0, 1e-300)
             for b in z_blocks]
    cost = np.concatenate([_ivo_constant_total(env, red)] + [sc * weight for sc in scale])
    z_lower = np.concatenate([np.zeros(R) if b.kind == "simplex" else np.full(R, -np.inf) for b in z_blocks])
    rows, lo, hi, tags = [], [], [], []
    offset = 0

    def add(matrix, lower, upper, tag=None):
        nonlocal offset
        rows.append(matrix)
        lo.append(np.broadcast_to(lower, matrix.shape[0]).astype(float))
        hi.append(np.broadcast_to(upper, matrix.shape[0]).astype(float))
        if tag is not None:
            tags.append(tag + (offset,))
        offset += matrix.shape[0]

    def z_of(f):
        return sps.csr_matrix((np.ones(R), (np.arange(R), f * R + np.arange(R))), shape=(R, nz))

    zero_z = sps.csr_matrix((R, nz))
    for b in env.blocks:
        if b.kind == "interval" and math.isinf(b.lower) and math.isinf(b.upper):
            add(sps.hstack([a[b.columns[0]], zero_z], format="csr"), 0.0, 0.0)
    for f, b in enumerate(z_blocks):
        if b.kind == "simplex":
            for j in b.columns:
                add(sps.hstack([-a[j], z_of(f)], format="csr"), 0.0, np.inf, (j, "simplex"))
            continue
        j = b.columns[0]
        for end, tag in ((b.upper, "upper"), (b.lower, "lower")):
            if math.isinf(end):  # a half-line: the coefficient must have the sign that keeps the max finite
                add(sps.hstack([a[j], zero_z], format="csr"), *((-np.inf, 0.0) if end > 0 else (0.0, np.inf)))
            else:
                add(sps.hstack([-(end / scale[f]) * a[j], z_of(f)], format="csr"), 0.0, np.inf, (j, tag))
    # Variables are densities (mass times k^N) and the epigraphs likewise: values of order one,
    # so the marginal row and the objective carry the cell volume instead of the variables.
    cell = grid.cell
    marginal = sps.hstack([sps.kron(sps.identity(S), cell * weight[None, :], format="csr"),
                           sps.csr_matrix((S, nz))], format="csr")
    add(marginal, env.prior, env.prior)
    A = sps.vstack(rows, format="csr")
    lp = LPData.from_matrix(cell * cost, A, np.concatenate(lo), np.concatenate(hi),
                np.concatenate([np.zeros(ns), z_lower]), np.full(ns + nz, np.inf))
    return PotentialProgram(lp, env, grid, red, time.perf_counter() - start, epigraph_rows=tuple(tags))


def ivo_coefficients_on_grid(env: ReducedEnvironment, grid: Grid, sigma: np.ndarray):
    """``a_0`` (P) and ``a`` (d x P), the IVO's constant and coefficients of a σ (S x P) on the whole grid."""
    on = sigma.reshape((env.states,) + grid.shape)
    # Per agent, the adjoint difference of each state's σ, computed once and weighted per coordinate.
    adjoint = [[adjoint_forward_difference_on_grid(on[s], i, grid.k) for s in range(env.states)]
               for i in range(env.agents)]

    def combine(w, u):
        total = np.tensordot(w, on, axes=1)
        for i in range(env.agents):
            for s in range(env.states):
                if u[i, s] != 0:
                    total -= u[i, s] * adjoint[i][s]
        return total.reshape(-1)

    a0 = combine(env.W0, env.U0)
    a = np.stack([combine(env.W[:, j], env.U[:, :, j]) for j in range(env.dimension)])
    return a0, a


def evaluate(env: ReducedEnvironment, grid: Grid, sigma: np.ndarray):
    """IVO maximum per point, its pieces, and the PDE residual of a σ (S x P)."""
    a0, a = ivo_coefficients_on_grid(env, grid, sigma)
    total = a0.copy()
    sensitivity, residual = 0.0, 0.0
    for b in env.blocks:
        if b.kind == "simplex":
            total += np.maximum(0.0, a[list(b.columns)].max(axis=0))
            continue
        aj = a[b.columns[0]]
        if math.isinf(b.lower) and math.isinf(b.upper):
            residual += float(np.abs(aj).sum())
            continue
        with np.errstate(invalid="ignore"):
            piece = np.maximum(np.where(aj > 0, b.upper * aj, 0.0) if not math.isinf(b.upper) else
                               np.where(aj > 0, np.inf, 0.0),
                               np.where(aj < 0, b.lower * aj, 0.0) if not math.isinf(b.lower) else
                               np.where(aj < 0, np.inf, 0.0))
        total += piece
        if b.capped:
            sensitivity += float(np.abs(aj).sum())
    return total, sensitivity, residual


def solve_potential(env: ReducedEnvironment, grid: Grid, solver: str = AUTO, use_symmetry: bool = True,
                    time_limit: float | None = None, tolerance: float = 1e-6,
                    program: PotentialProgram | None = None) -> PotentialResult:
    """Build and solve (18); see :class:`PotentialResult`."""
    program = program or build(env, grid, use_symmetry)
    solution = solve(program.lp, solver_for(solver, "potential", grid.agents), time_limit, tolerance)
    return read_solution(program, solution, tolerance)


def read_solution(program: PotentialProgram, solution: LPSolution, tolerance: float = 1e-6) -> PotentialResult:
    env, grid, red = program.env, program.grid, program.reduction
    common = shared_fields(program, solution)
    free = env.free_columns()
    if solution.status not in SOLUTION_PRESENT:
        if free and solution.status in INF_OR_UNB:
            names = ", ".join(env.coordinate_names[j] for j in free)
            raise FreeTransferError(
                f"the potential program with free transfers ({names}) is {solution.status} on this grid: "
                "with unbounded transfers the IVO's transfer coefficients must vanish at every point (the PDE), "
                "and no distribution on a bounded grid satisfies that here; pass a finite t_max")
        return PotentialResult(solution.status, solution.message, **common)
    S = env.states
    returned = grid.cell * red.expand_points(solution.x[: S * red.count].reshape(S, red.count))
    sigma = np.maximum(returned, 0.0)
    mass = sigma.sum(axis=1)
    sigma = sigma * np.where(mass > 0, env.prior / np.where(mass > 0, mass, 1.0), 0.0)[:, None]
    ivo, sensitivity, residual = evaluate(env, grid, sigma)
    value = float(ivo.sum())
    status, message = solution.status, solution.message
    warnings = []
    if free and residual > tolerance:
        status = LPStatus.OPTIMAL_INACCURATE if status is LPStatus.OPTIMAL else status
        message += f"; PDE residual of the free coordinates {residual:.2e}"
    # From the returned masses themselves: the float rescaling above turns one infinite entry into NaNs.
    certified = certify_potential(env, grid, returned)
    status, message = check_recomputed(status, message, value, solution.objective, tolerance, certified)
    best = _best_response(program, solution)
    if not certified.certified:
        warnings.append(f"upper end {certified.message}")
    if env.capped_columns() and value != 0 and env.t_max * sensitivity > 0.5 * abs(value):
        warnings.append(
            f"t_max = {env.t_max:g} carries {env.t_max * sensitivity / abs(value):.0%} of the potential bound: "
            "at this grid the transfer bound shapes σ; the bound holds for transfers bounded by t_max")
    return PotentialResult(status, message, **common, value=value, solver_value=solution.objective,
                           sigma=sigma.reshape((S,) + grid.shape), marginal=on_grid(sigma.sum(axis=0), grid.shape),
                           ivo_max=on_grid(ivo, grid.shape), best_response=best,
                           transfer_sensitivity=sensitivity if env.capped_columns() else None,
                           pde_residual=residual if free else None, certified=certified,
                           warnings=tuple(warnings))


def _best_response(program: PotentialProgram, solution: LPSolution) -> dict | None:
    """The designer's mechanism from the epigraph multipliers (per unit of orbit weight)."""
    if solution.row_dual is None:
        return None
    env, grid, red = program.env, program.grid, program.reduction
    R, P, d = red.count, grid.points, env.dimension
    y = np.abs(solution.row_dual)
    values = np.zeros((d, R))
    ends = {}
    for j, tag, offset in program.epigraph_rows:
        block = y[offset: offset + R] / (red.orbit_sizes * grid.cell)
        if tag == "simplex":
            values[j] = block
        else:
            b = next(b for b in env.blocks if b.columns == (j,))
            ends.setdefault(j, []).append((b.upper if tag == "upper" else b.lower, block))
    for j, pieces in ends.items():
        weight = sum(w for _, w in pieces)
        values[j] = sum(end * w for end, w in pieces) / np.where(weight > 0, weight, 1.0)
    # Rows (j, representative) -> reduced variables (tied coordinates averaged) -> the full grid.
    table = red.variable_table.T.ravel()
    counts = np.bincount(table, minlength=red.variables)
    reduced = np.bincount(table, weights=values.ravel(), minlength=red.variables) / np.where(counts > 0, counts, 1)
    full = red.expand(reduced).reshape(d, P)
    return {name: on_grid(full[j], grid.shape) for j, name in enumerate(env.coordinate_names)}
