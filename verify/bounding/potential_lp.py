r"""The potential bounding program (18) on a grid.

Minimise over :math:`\sigma \ge 0` on :math:`X \times \Theta` with
:math:`\sum_x \sigma(x, \theta) = \mu(\theta)` the bound (24)

.. math::  \overline P(X, \sigma) = \sum_x \max_c \gamma(x, c), \qquad
   \gamma(x, c) = \sum_\theta w(c, \theta)\sigma(x, \theta)
   - \sum_i \sum_\theta u_i(c, \theta) \tilde\nabla^+_i \sigma(x, \theta),

the IVO (23), with :math:`\tilde\nabla^+` equal to :math:`-k f` at the top.

**Solved over mechanisms or over σ.**  Choosing the maximiser :math:`c(x)` per point
and summing by parts back (:mod:`.operators`), :math:`\sum_x \max_c \gamma = \max_{c(\cdot)}
\sum_{x,\theta} \sigma(x,\theta) \Lambda(x,\theta; c)` with :math:`\Lambda = w(c(x),\theta) +
\sum_i \nabla^-_i u_i(c(\cdot),\theta)(x)` (the potential Lagrangian (14); :math:`\nabla^-`
differences against the outside option :math:`u_i = 0` below :math:`x_i = 0`).  The
objective is bilinear, σ ranges over a product of simplices and c over a compact product
of factors, so by the minimax theorem (LP duality)

.. math::  \min_\sigma \overline P(X, \sigma) = \max_{c(\cdot)} \sum_\theta \mu(\theta)
   \min_x \Lambda(x, \theta; c),

a program of the same kind as the guarantee (:mod:`.mechanism_program`): a mechanism,
one level per state and rows :math:`\Lambda \ge L_\theta` whose multipliers are σ.  It is
assembled as such and solved as written or as its dual (:mod:`.dual_form`), which is
(18) over σ with one epigraph variable per factor and point: the IVO is affine in c,
:math:`\gamma = a_0(x) + a(x)\cdot c`, and its maximum over a factor is over the factor's
vertices (a simplex: 0 and each vertex; an interval: its ends; a half-line: the sign of
:math:`a_j` fixed; a free coordinate, a transfer with no ``t_max``: :math:`a_j = 0`, the
PDE (27)).  With free transfers this is often infeasible on a bounded grid (in the
auction it forces :math:`\sigma \equiv 0`), which is reported as
:class:`FreeTransferError`, never as a number; such a program is always solved over σ,
whose infeasibility the presolve finds (the mechanism program is then unbounded, which a
first-order method does not reliably detect).

The value is an upper bound on the minimal potential :math:`P^*` for transfers
bounded by ``t_max``; it bounds the potential with unbounded transfers only when
``t_max`` is at least the transfers of a guarantee-optimal mechanism.

``value`` is not the solver's objective: it is recomputed (in floating point) from
the returned σ (the dual's point, or the program's multipliers as written) after
projecting it onto the constraints
(clip at 0, rescale each state to its prior); ``certified`` is the same bound in
exact arithmetic for σ rounded to an exactly feasible information structure
(:mod:`.certified`), an upper bound for transfers bounded by the ``t_max`` it states.
The designer's best response to σ (complementary slackness (25)) is the program's
mechanism (its point as written, or the dual's epigraph multipliers).
"""
from __future__ import annotations

import math
import time
from dataclasses import dataclass, replace

import numpy as np

from irmd.errors import InputError
from irmd.status import INF_OR_UNB, SOLUTION_PRESENT, LPStatus

from ..lp import LPSolution
from .certified import CertifiedBound, certify_potential
from .common import AUTO, ProgramResult, check_recomputed, number, on_grid, shared_fields, solver_for
from .grid import Grid
from .mechanism_program import (
    BACKWARD,
    SIGMA,
    MechanismProgram,
    assemble,
    finish,
    form_for,
    masses_on_grid,
    project,
    read_point,
    solve_program,
)
from .operators import adjoint_forward_difference_on_grid
from .reduced import ReducedEnvironment
from .symmetry import reduce


class FreeTransferError(InputError):
    """The potential program with free transfers has no feasible σ on this grid."""


@dataclass(frozen=True)
class PotentialProgram(MechanismProgram):
    """(18) as the mechanism program of its dual (:func:`build`), in one of the :data:`FORMS`."""


@dataclass(frozen=True)
class PotentialResult(ProgramResult):
    """Solution of the potential bounding program; arrays have the grid's shape.

    Attributes
    ----------
    value : float or None
        :math:`\\sum_x \\max_c \\gamma(x, c)` recomputed from σ: an upper bound on
        :math:`P^*` (transfers bounded by ``t_max``).
    sigma : ndarray, shape (states, *grid)
        The LP information structure (probability masses), the program's row multipliers.
    marginal : ndarray
        :math:`\\rho(x) = \\sum_\\theta \\sigma(x, \\theta)`.
    ivo_max : ndarray
        :math:`\\max_c \\gamma(x, c)` at every point.
    best_response : dict or None
        Coordinate -> the program's mechanism, a designer's best response to σ.
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


def build(env: ReducedEnvironment, grid: Grid, use_symmetry: bool = True, form: str = SIGMA) -> PotentialProgram:
    """Assemble (18) in ``form`` at the orbit representatives (every point when the agents are not
    exchangeable)."""
    start = time.perf_counter()
    if grid.agents != env.agents:
        raise ValueError(f"grid has {grid.agents} agents, environment {env.agents}")
    red = reduce(grid, env, use_symmetry)
    program = PotentialProgram(assemble(env, red, BACKWARD), env, grid, red, 0.0, svo_rows=env.states * red.count)
    return replace(finish(program, form), build_seconds=time.perf_counter() - start)


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
    """Build (in the form that suits the solver, :func:`form_for`) and solve (18); see
    :class:`PotentialResult`."""
    solver = solver_for(solver, "potential", grid.agents)
    program = program or build(env, grid, use_symmetry, SIGMA if env.free_columns() else form_for("potential", solver))
    return read_solution(program, solve_program(program, solver, time_limit, tolerance), tolerance)


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
    point = read_point(program, solution)
    if point.masses is None:
        return PotentialResult(LPStatus.SOLVER_ERROR, f"{solution.message}, but without the multipliers that are σ",
                               **common)
    returned = masses_on_grid(red, point.masses, S, clip=False)
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
    # The program's value is the mechanism program's maximum, the potential's minimum.
    status, message = check_recomputed(status, message, value, point.solver_value, tolerance, certified)
    best = None
    if point.mechanism is not None:
        mechanism = project(env, red.expand(point.mechanism).reshape(env.dimension, grid.points))
        best = {name: on_grid(mechanism[j], grid.shape) for j, name in enumerate(env.coordinate_names)}
    if not certified.certified:
        warnings.append(f"upper end {certified.message}")
    if env.capped_columns() and value != 0 and env.t_max * sensitivity > 0.5 * abs(value):
        warnings.append(
            f"t_max = {env.t_max:g} carries {env.t_max * sensitivity / abs(value):.0%} of the potential bound: "
            "at this grid the transfer bound shapes σ; the bound holds for transfers bounded by t_max")
    return PotentialResult(status, message, **common, value=value, solver_value=point.solver_value,
                           sigma=sigma.reshape((S,) + grid.shape), marginal=on_grid(sigma.sum(axis=0), grid.shape),
                           ivo_max=on_grid(ivo, grid.shape), best_response=best,
                           transfer_sensitivity=sensitivity if env.capped_columns() else None,
                           pde_residual=residual if free else None, certified=certified,
                           warnings=tuple(warnings))
