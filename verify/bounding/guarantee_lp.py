r"""The guarantee bounding program (19) on a grid.

Maximise over mechanisms :math:`c : X \to` (product of factors) the bound (22)

.. math::  \underline G(X, m) = \sum_\theta \mu(\theta) \min_x \lambda(x, \theta),
   \qquad \lambda(x, \theta) = w(c(x), \theta) + \sum_i U_i(\theta) \cdot \nabla^+_i c(x),

the SVO (21) with :math:`\nabla^+` zero at the top (the constant of :math:`u_i`
drops out of a difference), subject to participation security
:math:`u_i(c(0, x_{-i}), \theta) \ge 0` for every i, θ and :math:`x_{-i}`.  One
epigraph level :math:`L_\theta` per state turns the minimum into rows
:math:`\lambda(x, \theta) \ge L_\theta`.  Its value is a lower bound on the
maximal guarantee :math:`G^*` (20) for transfers bounded by ``t_max``, and so on
:math:`G^*` with unbounded transfers.

The reported ``value`` is not the solver's objective: it is recomputed (in
floating point) from the returned mechanism after projecting it onto the factors.
``certified`` is the same bound made rigorous (:mod:`.certified`): the mechanism
rounded to a dyadic grid, projected exactly, participation checked exactly (and
repaired where the solver left it violated), and the bound evaluated in exact
rationals, so it is the exact bound (17) of an exactly feasible mechanism whatever
the solver returned.  The row multipliers of :math:`\lambda \ge L_\theta` are the
adversary's worst-case σ (complementary slackness (26)).
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sps

from irmd.status import SOLUTION_PRESENT, LPStatus

from ..lp import LPData, LPSolution, solve
from .certified import CertifiedBound, certify_guarantee
from .common import AUTO, Program, ProgramResult, check_recomputed, number, on_grid, shared_fields, solver_for
from .grid import Grid
from .operators import forward_difference_on_grid, shifted
from .reduced import ReducedEnvironment
from .symmetry import Reduction, reduce


@dataclass(frozen=True)
class GuaranteeProgram(Program):
    svo_rows: int  # the first rows are lambda(x, theta) - L_theta >= -W0 at representatives


@dataclass(frozen=True)
class GuaranteeResult(ProgramResult):
    """Solution of the guarantee bounding program; arrays have the grid's shape.

    Attributes
    ----------
    value : float or None
        :math:`\\sum_\\theta \\mu(\\theta)\\min_x\\lambda(x,\\theta)` recomputed from the
        mechanism: a lower bound on :math:`G^*` (given participation holds).
    solver_value : float or None
        The solver's objective (differs from ``value`` by the solver's inaccuracy).
    outcome : dict
        Coordinate name -> c(x) on the grid (the LP mechanism, projected onto the factors).
    svo : ndarray, shape (states, *grid)
        :math:`\\lambda(x, \\theta)` of that mechanism.
    levels : ndarray
        :math:`L_\\theta = \\min_x \\lambda(x, \\theta)`.
    sigma : ndarray or None, shape (states, *grid)
        Multipliers of the SVO rows: a worst-case information structure for this mechanism.
    transfer_shadow_price : float or None
        :math:`d\\,\\mathrm{value}/d\\,t_{max}` from the multipliers of the transfer bounds;
        positive means ``t_max`` binds and a larger ``t_max`` could raise the bound.
    certified : CertifiedBound or None
        The lower end in exact arithmetic (:func:`.certified.certify_guarantee`).
    """

    levels: np.ndarray | None = None
    outcome: dict | None = None
    svo: np.ndarray | None = None
    sigma: np.ndarray | None = None
    participation_violation: float | None = None
    max_abs_transfer: float | None = None
    transfer_shadow_price: float | None = None
    certified: CertifiedBound | None = None

    program = "guarantee"

    def _details(self, dps: int) -> dict:
        return {
            "levels": None if self.levels is None else [number(v, dps) for v in self.levels],
            "participation_violation": number(self.participation_violation, 3),
            "max_abs_transfer": number(self.max_abs_transfer, dps),
            "transfer_shadow_price": number(self.transfer_shadow_price, 3),
            "certified": None if self.certified is None else self.certified.to_dict(dps),
        }


def _svo_rows(env: ReducedEnvironment, red: Reduction) -> list[sps.csr_matrix]:
    """For each state, the R x (reduced) matrix of c -> lambda(., theta) - W0[theta] at the representatives."""
    grid, points = red.grid, red.points
    R, d, k, top = red.count, env.dimension, grid.k, grid.size - 1
    at = np.arange(R)
    steps = [shifted(points, i, top) for i in range(env.agents)]
    neighbour = {}  # (agent, coordinate) -> reduced variables at the points one step up
    out = []
    for s in range(env.states):
        rows, cols, vals = [], [], []
        for j in range(d):
            diagonal = np.full(R, env.W[s, j])
            for i, (below, moved) in enumerate(steps):
                u = env.U[i, s, j]
                if u == 0:
                    continue
                diagonal = diagonal - (k * u) * below
                if (i, j) not in neighbour:
                    neighbour[i, j] = red.variables_at(moved, j)
                rows.append(at[below])
                cols.append(neighbour[i, j])
                vals.append(np.full(len(moved), k * u))
            rows.append(at)
            cols.append(red.variable_table[:, j])
            vals.append(diagonal)
        matrix = sps.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                                shape=(R, red.variables))
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        out.append(matrix)
    return out


def _coordinate_sum(red: Reduction, coefficients: np.ndarray, at: np.ndarray) -> sps.csr_matrix:
    """Rows sum_j coefficients[j] c_j(x) at the representatives ``at`` (tied coordinates add up)."""
    used = np.flatnonzero(coefficients)
    n = len(at)
    rows = np.repeat(np.arange(n), len(used))
    cols = red.variable_table[at][:, used].ravel()
    matrix = sps.csr_matrix((np.tile(coefficients[used], n), (rows, cols)), shape=(n, red.variables))
    matrix.sum_duplicates()
    return matrix


def _participation_rows(env: ReducedEnvironment, red: Reduction):
    """Rows u_i(c(x), theta) >= 0 at the representatives with x_i = 0, stacked over (i, theta)."""
    mats, lower = [], []
    for i in range(env.agents):
        at_zero = np.flatnonzero(red.points[:, i] == 0)
        for s in range(env.states):
            if not np.any(env.U[i, s]) and env.U0[i, s] >= 0:
                continue
            mats.append(_coordinate_sum(red, env.U[i, s], at_zero))
            lower.append(np.full(len(at_zero), -env.U0[i, s]))
    if not mats:
        return sps.csr_matrix((0, red.variables)), np.zeros(0)
    return sps.vstack(mats, format="csr"), np.concatenate(lower)


def build(env: ReducedEnvironment, grid: Grid, use_symmetry: bool = True) -> GuaranteeProgram:
    """Assemble (19) at the orbit representatives (every point when the agents are not exchangeable).

    Rows at representatives suffice for a symmetric mechanism: its constraints coincide along orbits.
    """
    start = time.perf_counter()
    if grid.agents != env.agents:
        raise ValueError(f"grid has {grid.agents} agents, environment {env.agents}")
    S = env.states
    red = reduce(grid, env, use_symmetry)
    nc, R = red.variables, red.count
    # SVO rows at representatives: lambda_s(x) - L_s >= -W0[s].
    svo = _svo_rows(env, red)
    n_levels = S
    level_cols = sps.vstack([sps.csr_matrix((-np.ones(R), (np.arange(R), np.full(R, s))), shape=(R, S))
                             for s in range(S)], format="csr")
    blocks = [sps.hstack([sps.vstack(svo, format="csr"), level_cols], format="csr")]
    lower = [np.concatenate([np.full(R, -env.W0[s]) for s in range(S)])]
    upper = [np.full(S * R, np.inf)]
    # Simplex factors: sum of their coordinates <= 1 at every representative.
    for b in env.blocks:
        if b.kind == "simplex" and len(b.columns) > 1:
            member = np.zeros(env.dimension)
            member[list(b.columns)] = 1.0
            rows = _coordinate_sum(red, member, np.arange(R))
            blocks.append(sps.hstack([rows, sps.csr_matrix((R, n_levels))], format="csr"))
            lower.append(np.full(R, -np.inf))
            upper.append(np.ones(R))
    # Participation security at x_i = 0 (rows at representatives suffice for symmetric m).
    part, part_lower = _participation_rows(env, red)
    if part.shape[0]:
        blocks.append(sps.hstack([part, sps.csr_matrix((part.shape[0], n_levels))], format="csr"))
        lower.append(part_lower)
        upper.append(np.full(part.shape[0], np.inf))
    A = sps.vstack(blocks, format="csr")
    col_lo, col_hi = env.column_bounds()
    for b in env.blocks:
        if b.kind == "simplex" and len(b.columns) > 1:
            # q <= 1 follows from q >= 0 and the row sum q <= 1; dropping it keeps
            # Clarabel's cone (one row per finite bound) smaller.
            col_hi[list(b.columns)] = np.inf
    # Every reduced variable stands for copies of one coordinate, so bounds carry over.
    coord_of = red.coordinate_of
    c = np.concatenate([np.zeros(nc), -env.prior])
    lp = LPData.from_matrix(c, A, np.concatenate(lower), np.concatenate(upper),
                np.concatenate([col_lo[coord_of], np.full(n_levels, -np.inf)]),
                np.concatenate([col_hi[coord_of], np.full(n_levels, np.inf)]))
    return GuaranteeProgram(lp, env, grid, red, time.perf_counter() - start, svo_rows=S * R)


def project(env: ReducedEnvironment, c: np.ndarray) -> np.ndarray:
    """Project c (d x P) onto the factors: clip intervals, clip and rescale simplices."""
    c = c.copy()
    for b in env.blocks:
        cols = list(b.columns)
        if b.kind == "interval":
            c[cols] = np.clip(c[cols], b.lower, b.upper)
        else:
            block = np.maximum(c[cols], 0.0)
            total = block.sum(axis=0)
            c[cols] = block / np.maximum(total, 1.0)
    return c


def svo_on_grid(env: ReducedEnvironment, grid: Grid, c: np.ndarray) -> np.ndarray:
    """lambda(x, theta) (S x P) of a mechanism c (d x P) on the whole grid."""
    on = c.reshape((env.dimension,) + grid.shape)
    svo = np.empty((env.states,) + grid.shape)
    for s in range(env.states):
        svo[s] = env.W0[s] + np.tensordot(env.W[s], on, axes=1)
        for i in range(env.agents):
            if np.any(env.U[i, s]):
                svo[s] += forward_difference_on_grid(np.tensordot(env.U[i, s], on, axes=1), i, grid.k)
    return svo.reshape(env.states, -1)


def evaluate(env: ReducedEnvironment, grid: Grid, c: np.ndarray):
    """SVO (S x P), levels and participation violation of a mechanism c (d x P)."""
    svo = svo_on_grid(env, grid, c)
    levels = svo.min(axis=1)
    idx = grid.indices()
    worst = 0.0
    for i in range(env.agents):
        at_zero = idx[:, i] == 0
        u = env.U0[i][:, None] + env.U[i] @ c[:, at_zero]
        worst = max(worst, float(np.max(-u, initial=0.0)))
    return svo, levels, worst


def solve_program(program: GuaranteeProgram, solver: str = AUTO, time_limit: float | None = None,
                  tolerance: float = 1e-6) -> LPSolution:
    """Solve an assembled (19) with ``solver`` (``"auto"``: :func:`.common.solver_for`).

    Clarabel runs without its equilibration here: fewer iterations on every grid measured, with the
    same factorisation per iteration (auction N = 2, k = 12: 34 -> 23, k = 16: 40 -> 36; bilateral
    trade, k = 12: 27 -> 21; auction N = 3, k = 6: 20 -> 17), and closer to the optimum.  The
    potential program, already in density units, takes more iterations without it (k = 16: 21 -> 33)
    and keeps it.
    """
    return solve(program.lp, solver_for(solver, "guarantee", program.grid.agents), time_limit, tolerance,
                 equilibrate=False)


def solve_guarantee(env: ReducedEnvironment, grid: Grid, solver: str = AUTO, use_symmetry: bool = True,
                    time_limit: float | None = None, tolerance: float = 1e-6,
                    program: GuaranteeProgram | None = None, solution: LPSolution | None = None) -> GuaranteeResult:
    """Build and solve (19); see :class:`GuaranteeResult`.

    ``solver="auto"`` picks by the number of agents (:func:`.common.solver_for`): Clarabel for two
    (on the auction with N = 2 at k = 12 it took 6 s against 113 s for HiGHS's interior point and
    45 s for PDLP), PDLP from three on; the README's *Speed* has the tables.
    """
    program = program or build(env, grid, use_symmetry)
    if solution is None:
        solution = solve_program(program, solver, time_limit, tolerance)
    return read_solution(program, solution, tolerance)


def read_solution(program: GuaranteeProgram, solution: LPSolution, tolerance: float = 1e-6) -> GuaranteeResult:
    env, grid, red = program.env, program.grid, program.reduction
    common = shared_fields(program, solution)
    if solution.status not in SOLUTION_PRESENT:
        return GuaranteeResult(solution.status, solution.message, **common)
    P, d, S = grid.points, env.dimension, env.states
    nc = red.variables
    c = red.expand(solution.x[:nc]).reshape(d, P)
    c = project(env, c)
    svo, levels, violation = evaluate(env, grid, c)
    value = float(env.prior @ levels)
    status, message = solution.status, solution.message
    if violation > tolerance:
        status = LPStatus.OPTIMAL_INACCURATE
        message += f"; participation violated by {violation:.2e} after projection"
    certified = certify_guarantee(env, grid, c)
    # The solver's objective is checked against the rigorous bound when there is one.
    status, message = check_recomputed(status, message, value, -solution.objective, tolerance, certified)
    sigma = None
    if solution.row_dual is not None:
        y = np.maximum(solution.row_dual[: program.svo_rows], 0.0).reshape(S, -1)
        # A representative's multiplier covers its whole orbit; spread it evenly.
        sigma = red.expand_points(y / red.orbit_sizes)
    capped = env.capped_columns()
    max_t, price, warnings = None, None, []
    if not certified.certified:
        warnings.append(f"lower end {certified.message}")
    if capped:
        max_t = float(np.max(np.abs(c[list(capped)])))
        if solution.col_dual is not None:
            cap_vars = np.isin(red.coordinate_of, capped)
            price = float(np.sum(np.abs(solution.col_dual[:nc][cap_vars])))
        binding = max_t >= env.t_max * (1 - 1e-6)
        if price is not None and price > tolerance * (1 + abs(value)):
            warnings.append(
                f"t_max = {env.t_max:g} binds in the guarantee program (shadow price {price:.3g}): "
                "a larger t_max may raise the lower bound, and a potential bound at this t_max may lie "
                "below the value with unbounded transfers")
        elif binding:
            warnings.append(f"LP transfers reach t_max = {env.t_max:g} (with zero shadow price)")
    return GuaranteeResult(status, message, **common, value=value, solver_value=-solution.objective,
                           levels=levels, outcome={name: on_grid(c[j], grid.shape)
                                                   for j, name in enumerate(env.coordinate_names)},
                           svo=svo.reshape((S,) + grid.shape),
                           sigma=None if sigma is None else sigma.reshape((S,) + grid.shape),
                           participation_violation=violation, max_abs_transfer=max_t,
                           transfer_shadow_price=price, certified=certified, warnings=tuple(warnings))
