r"""Selecting one optimum of the guarantee program.

Above :math:`\bar y` the guarantee LP's optimal mechanisms form a large face
(any allocation with full trade/sale there and a compatible transfer does), and
a simplex or interior-point solver returns an arbitrary point of it.  To read a
conjecture off the solution we re-solve with the value pinned,
:math:`\sum_\theta \mu(\theta) L_\theta \ge \underline G - \delta`, and a
secondary objective:

``"proportional"``
    minimise :math:`\sum_x \sum_i |c_{f,i}(x)\,\Sigma x - x_i \sum_j c_{f,j}(x)|`
    over the per-agent families f (allocation and transfers): zero exactly for
    mechanisms with :math:`c_{f,i} \propto x_i`, such as the proportional
    auction.  An LP, solved by the same solver.
``"smooth"``
    minimise :math:`\tfrac12 \sum_x \sum_i \sum_j (\nabla^+_i c_j(x))^2`, the
    discrete Dirichlet energy: strictly convex in the gradients, so it picks the
    smoothest optimum.  A QP, solved by Clarabel.

``delta`` defaults to ``10 * tolerance * (1 + |value|)``; the re-solved
mechanism's own bound is recomputed and reported, so the price of the
tie-break in value is visible.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import scipy.sparse as sps

from irmd.errors import ParameterError
from irmd.status import SOLUTION_PRESENT, LPStatus

from ..lp import Clarabel, LPData, solve
from .guarantee_lp import GuaranteeProgram, GuaranteeResult, build, read_solution
from .mechanism_program import MECHANISM, factorisation_for
from .operators import gradient

TIE_BREAKS = ("none", "proportional", "smooth")


def _pin_value(program: GuaranteeProgram, value: float, delta: float):
    """The first-stage objective as a row: sum_theta mu L_theta >= value - delta."""
    lp = program.lp
    return sps.csr_matrix(-lp.cost[None, :]), value - delta


def _proportional_rows(program: GuaranteeProgram) -> sps.csr_matrix:
    env, grid, red = program.env, program.grid, program.reduction
    families = env.environment.families
    if not families:
        raise ParameterError("the proportional tie-break needs per-agent coordinate families "
                             "(a symmetric environment); use --tie-break smooth")
    P, d = grid.points, env.dimension
    x = grid.coordinates()
    total = x.sum(axis=1)
    names = env.coordinate_names
    rows = []
    for _, symbols in families:
        cols = [names.index(str(s)) for s in symbols]

        def select(j):
            return sps.hstack([sps.identity(P, format="csr") if jj == j else sps.csr_matrix((P, P))
                               for jj in range(d)], format="csr")

        family_sum = sum(select(j) for j in cols)
        for i, j in enumerate(cols):
            rows.append(sps.diags(total) @ select(j) - sps.diags(x[:, i]) @ family_sum)
    # A symmetric mechanism's deviations repeat along orbits: keep representatives, weight later.
    stacked = sps.vstack(rows, format="csr")
    blocks = stacked.shape[0] // P
    return stacked[red.rows(blocks)] @ red.coordinate_expansion, np.tile(red.orbit_sizes, blocks)


def tie_break(program: GuaranteeProgram, first: GuaranteeResult, rule: str, solver: str = "clarabel",
              tolerance: float = 1e-6, delta: float | None = None,
              time_limit: float | None = None) -> GuaranteeResult:
    """Re-solve the guarantee program with its value pinned and a secondary objective ``rule``."""
    if rule not in TIE_BREAKS:
        raise ParameterError(f"unknown tie-break {rule!r}; choose one of {', '.join(TIE_BREAKS)}")
    if rule == "none" or not first.ok:
        return first
    if program.form != MECHANISM:  # the second stage adds rows to the program as written
        program = build(program.env, program.grid, program.reduction.symmetric, MECHANISM)
    lp = program.lp
    value = -float(first.solver_value)
    if delta is None:
        delta = 10 * tolerance * (1 + abs(value))
    pin, bound = _pin_value(program, -value, delta)
    n = lp.shape[1]
    nc = program.reduction.coordinate_expansion.shape[1]
    if rule == "proportional":
        D, weight = _proportional_rows(program)
        m = D.shape[0]
        # |D c| <= u with u >= 0: two rows per deviation.
        Dx = sps.hstack([D, sps.csr_matrix((m, n - nc))], format="csr")
        eye = sps.identity(m, format="csr")
        A = sps.vstack([sps.hstack([lp.A, sps.csr_matrix((lp.shape[0], m))]),
                        sps.hstack([pin, sps.csr_matrix((1, m))]),
                        sps.hstack([Dx, eye]), sps.hstack([-Dx, eye])], format="csr")
        second = LPData.from_matrix(np.concatenate([np.zeros(n), weight.astype(float)]), A,
                        np.concatenate([lp.row_lower, [bound], np.zeros(2 * m)]),
                        np.concatenate([lp.row_upper, [np.inf], np.full(2 * m, np.inf)]),
                        np.concatenate([lp.col_lower, np.zeros(m)]),
                        np.concatenate([lp.col_upper, np.full(m, np.inf)]))
        solution = solve(second, solver, time_limit, tolerance, factorisation=factorisation_for(program.env))
        if solution.x is not None:
            solution = replace(solution, x=solution.x[:n])
    else:
        env, grid, red = program.env, program.grid, program.reduction
        d = env.dimension
        grads = gradient("forward", grid.size, grid.k, grid.agents)
        blocks = [sps.kron(sps.identity(d), g, format="csr") for g in grads]
        G = sps.vstack([b[red.rows(d)] for b in blocks], format="csr") @ red.coordinate_expansion
        w = np.tile(red.orbit_sizes.astype(float), d * grid.agents) * grid.cell
        H = (G.T @ sps.diags(w) @ G).tocsc()
        Q = sps.block_diag([H, sps.csr_matrix((n - nc, n - nc))], format="csc")
        second = LPData.from_matrix(np.zeros(n), sps.vstack([lp.A, pin], format="csr"),
                        np.concatenate([lp.row_lower, [bound]]), np.concatenate([lp.row_upper, [np.inf]]),
                        lp.col_lower, lp.col_upper)
        solution = Clarabel(time_limit, tolerance, quadratic=Q, factorisation=factorisation_for(env)).solve(second)
    if solution.status not in SOLUTION_PRESENT:
        return replace(first, warnings=first.warnings + (
            f"tie-break {rule} not applied: the second stage ended {solution.status} ({solution.message})",))
    # Report the first stage's objective as the solver value: the pinned row, not the secondary
    # objective, is what the second stage guarantees.
    solution = replace(solution, objective=float(lp.cost @ solution.x[:n] + lp.offset), row_dual=None, col_dual=None)
    result = read_solution(program, solution, tolerance)
    message = f"{result.message}; tie-break {rule} with the value pinned within {delta:.1e}"
    status = result.status
    if status is LPStatus.OPTIMAL and result.value < first.value - 2 * delta:
        status = LPStatus.OPTIMAL_INACCURATE
    return replace(result, status=status, message=message, sigma=first.sigma,
                   transfer_shadow_price=first.transfer_shadow_price,
                   warnings=first.warnings + result.warnings)
