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
from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sps

from irmd.status import SOLUTION_PRESENT, LPStatus

from ..lp import LPSolution
from .certified import CertifiedBound, certify_guarantee
from .common import AUTO, ProgramResult, check_recomputed, number, on_grid, shared_fields, solver_for
from .grid import Grid
from .mechanism_program import (
    FORWARD,
    MECHANISM,
    MechanismProgram,
    assemble,
    coordinate_sum,
    finish,
    form_for,
    masses_on_grid,
    project,
    read_point,
)
from .mechanism_program import solve_program as solve_mechanism_program  # this module has its own
from .operators import forward_difference_on_grid
from .reduced import ReducedEnvironment
from .symmetry import Reduction, reduce


@dataclass(frozen=True)
class GuaranteeProgram(MechanismProgram):
    """(19); the first ``svo_rows`` rows are λ(x, θ) - L_θ ≥ -W0 at the representatives."""


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


def _participation_rows(env: ReducedEnvironment, red: Reduction):
    """Rows u_i(c(x), theta) >= 0 at the representatives with x_i = 0, stacked over (i, theta): the
    matrix, its lower bounds and each row's representative."""
    mats, lower, at = [], [], []
    for i in range(env.agents):
        at_zero = np.flatnonzero(red.points[:, i] == 0)
        for s in range(env.states):
            if not np.any(env.U[i, s]) and env.U0[i, s] >= 0:
                continue
            mats.append(coordinate_sum(red, env.U[i, s], at_zero))
            lower.append(np.full(len(at_zero), -env.U0[i, s]))
            at.append(at_zero)
    if not mats:
        return sps.csr_matrix((0, red.variables)), np.zeros(0), np.zeros(0, dtype=np.int64)
    return sps.vstack(mats, format="csr"), np.concatenate(lower), np.concatenate(at)


def build(env: ReducedEnvironment, grid: Grid, use_symmetry: bool = True, form: str = MECHANISM) -> GuaranteeProgram:
    """Assemble (19) in ``form`` at the orbit representatives (every point when the agents are not
    exchangeable).

    Rows at representatives suffice for a symmetric mechanism: its constraints coincide along orbits.
    """
    start = time.perf_counter()
    if grid.agents != env.agents:
        raise ValueError(f"grid has {grid.agents} agents, environment {env.agents}")
    red = reduce(grid, env, use_symmetry)
    # Participation security at x_i = 0 (rows at representatives suffice for symmetric m).
    rows, lower, at = _participation_rows(env, red)
    program = GuaranteeProgram(assemble(env, red, FORWARD, (rows, lower)), env, grid, red, 0.0,
                               svo_rows=env.states * red.count)
    return replace(finish(program, form, at), build_seconds=time.perf_counter() - start)


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
    """Solve an assembled (19) with ``solver`` (``"auto"``: :func:`.common.solver_for`) and the settings
    of :func:`.mechanism_program.solve_program`."""
    return solve_mechanism_program(program, solver_for(solver, "guarantee", program.grid.agents), time_limit,
                                   tolerance)


def solve_guarantee(env: ReducedEnvironment, grid: Grid, solver: str = AUTO, use_symmetry: bool = True,
                    time_limit: float | None = None, tolerance: float = 1e-6,
                    program: GuaranteeProgram | None = None, solution: LPSolution | None = None) -> GuaranteeResult:
    """Build (in the form :func:`.mechanism_program.form_for` gives the solver) and solve (19); see
    :class:`GuaranteeResult`.

    ``solver="auto"`` picks by the number of agents (:func:`.common.solver_for`); the README's
    *Speed* has the tables.
    """
    solver = solver_for(solver, "guarantee", grid.agents)
    program = program or build(env, grid, use_symmetry, form_for("guarantee", solver))
    if solution is None:
        solution = solve_program(program, solver, time_limit, tolerance)
    return read_solution(program, solution, tolerance)


def read_solution(program: GuaranteeProgram, solution: LPSolution, tolerance: float = 1e-6) -> GuaranteeResult:
    env, grid, red = program.env, program.grid, program.reduction
    common = shared_fields(program, solution)
    if solution.status not in SOLUTION_PRESENT:
        return GuaranteeResult(solution.status, solution.message, **common)
    point = read_point(program, solution)
    if point.mechanism is None:
        return GuaranteeResult(LPStatus.SOLVER_ERROR, f"{solution.message}, but without the multipliers that are "
                               "the mechanism", **common)
    P, d, S = grid.points, env.dimension, env.states
    nc = red.variables
    c = project(env, red.expand(point.mechanism).reshape(d, P))
    svo, levels, violation = evaluate(env, grid, c)
    value = float(env.prior @ levels)
    status, message = solution.status, solution.message
    if violation > tolerance:
        status = LPStatus.OPTIMAL_INACCURATE
        message += f"; participation violated by {violation:.2e} after projection"
    certified = certify_guarantee(env, grid, c)
    # The solver's objective is checked against the rigorous bound when there is one.
    status, message = check_recomputed(status, message, value, point.solver_value, tolerance, certified)
    sigma = None if point.masses is None else masses_on_grid(red, point.masses, S)
    capped = env.capped_columns()
    max_t, price, warnings = None, None, []
    if not certified.certified:
        warnings.append(f"lower end {certified.message}")
    if capped:
        max_t = float(np.max(np.abs(c[list(capped)])))
        # d value / d t_max: the multipliers of the capped variables' bounds, which the dual form
        # has as its coefficients g.
        if program.form == MECHANISM:
            marginal = None if solution.col_dual is None else solution.col_dual[:nc]
        else:
            marginal = point.coefficients
        if marginal is not None:
            price = float(np.sum(np.abs(marginal[np.isin(red.coordinate_of, capped)])))
        binding = max_t >= env.t_max * (1 - 1e-6)
        if price is not None and price > tolerance * (1 + abs(value)):
            warnings.append(
                f"t_max = {env.t_max:g} binds in the guarantee program (shadow price {price:.3g}): "
                "a larger t_max may raise the lower bound, and a potential bound at this t_max may lie "
                "below the value with unbounded transfers")
        elif binding:
            warnings.append(f"LP transfers reach t_max = {env.t_max:g} (with zero shadow price)")
    return GuaranteeResult(status, message, **common, value=value, solver_value=point.solver_value,
                           levels=levels, outcome={name: on_grid(c[j], grid.shape)
                                                   for j, name in enumerate(env.coordinate_names)},
                           svo=svo.reshape((S,) + grid.shape),
                           sigma=None if sigma is None else sigma.reshape((S,) + grid.shape),
                           participation_violation=violation, max_abs_transfer=max_t,
                           transfer_shadow_price=price, certified=certified, warnings=tuple(warnings))
