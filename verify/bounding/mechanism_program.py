r"""The linear program over mechanisms that both bounding programs are solved as.

Both bounds of (20) on a grid are values of the same kind of program: maximise over
mechanisms :math:`c : X \to` (product of factors)

.. math::  \sum_\theta \mu(\theta) \min_x \Lambda(x, \theta; c),

with one level :math:`L_\theta` per state turning the minimum into rows
:math:`\Lambda(x, \theta; c) \ge L_\theta`; the row multipliers are an information
structure σ (they sum to :math:`\mu(\theta)` per state).  The two differ in the
difference operator of :math:`\Lambda` (:mod:`.operators`):

* **forward** (the guarantee (19)): :math:`\Lambda = \lambda(x, \theta) = w(c(x), \theta)
  + \sum_i U_i(\theta)\cdot\nabla^+_i c(x)`, zero at the top, plus participation security
  at :math:`x_i = 0` as separate rows (:mod:`.guarantee_lp`);
* **backward** (the potential (18), by LP duality; :mod:`.potential_lp`):
  :math:`\Lambda = w(c(x), \theta) + \sum_i \nabla^-_i u_i(c(\cdot), \theta)(x)`, where
  :math:`\nabla^-` at :math:`x_i = 0` differences against the outside option
  :math:`u_i = 0`; no participation rows.

Rows are assembled at the orbit representatives (:mod:`.symmetry`): a neighbour
:math:`x \pm e_i/k` is looked up at its own representative.

**Two forms.**  The program is solved either as written (:data:`MECHANISM`) or as its
dual over information structures (:data:`SIGMA`, :mod:`.dual_form`); a solution of either
gives both a mechanism and σ, one as the point and the other as the multipliers
(:func:`read_point`), and what is read from multipliers is only as accurate as the
solver's duals.  :func:`form_for` chooses by measurement (auction N = 2, Clarabel): the
potential, whose bound is read from σ, is solved over σ (k = 16: 21 iterations against 42,
at the same cost per iteration); the guarantee, whose bound is read from the mechanism,
as written: over σ it takes fewer iterations at Clarabel's tolerance (k = 16: 23 against
36), but the mechanism read from the multipliers then breaks participation by up to 1e-5
and its certified bound is 1e-4 lower (k = 8); at a tolerance that keeps it within 3e-7 it
takes as long (k = 12: 5.2 s against 5.1 s).

**Which factorisation.**  For Clarabel, :func:`factorisation_for` chooses between its
simplicial and supernodal LDL codes from the stencil's shape.
"""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import scipy.sparse as sps

from ..lp import LPData, LPSolution, solve
from .common import Program
from .dual_form import DualForm, dual_form
from .operators import shifted
from .reduced import ReducedEnvironment
from .symmetry import Reduction

FORWARD = "forward"
BACKWARD = "backward"
#: The program over mechanisms as written, and its dual over information structures.
MECHANISM, SIGMA = "mechanism", "sigma"
FORMS = (MECHANISM, SIGMA)
#: Interior-point solvers, which get the potential over σ (see the module's docstring).
INTERIOR_POINT = ("clarabel", "highs-ipm")


def factorisation_for(env: ReducedEnvironment) -> str:
    """Clarabel's factorisation for the programs of ``env``: the simplicial ``"qdldl"`` for at most
    two agents whose outcome coordinates are each one agent's, the supernodal ``"faer"`` otherwise.

    Measured on the 2-core machine: where a coordinate enters two agents' utilities (bilateral
    trade's q and t), it is differenced along both axes and faer wins (k = 16: the guarantee 230 s
    with QDLDL against 83 s, the potential 144 s against 60 s); so it does from three agents on,
    whose stencil is N-dimensional (the auction's potential, N = 5, k = 3: 9.2 s against 4.0 s;
    k = 4: more than 10 minutes against 259 s).  On the N = 2 auction, whose q_i, t_i are each
    differenced along one axis, the factor stays sparse and QDLDL's lower overhead wins (k = 16:
    the guarantee 38 s against 75 s, the potential 23 s against 34 s).  Neither changes the
    program or the tolerance.
    """
    agents_per_coordinate = np.count_nonzero(np.any(env.U != 0, axis=1), axis=0)
    return "qdldl" if env.agents <= 2 and np.all(agents_per_coordinate <= 1) else "faer"


def solve_program(program: MechanismProgram, solver: str, time_limit: float | None = None,
                  tolerance: float = 1e-6) -> LPSolution:
    """Solve an assembled program with ``solver`` (a name) and the Clarabel settings that suit it.

    Equilibration only over σ: the dual form, in density units, does better with it (the
    potential, k = 16: 21 iterations against 33 without), the program as written without it
    (the guarantee, auction N = 2, k = 12: 34 -> 23, k = 16: 40 -> 36; bilateral trade, k = 12:
    27 -> 21; auction N = 3, k = 6: 20 -> 17; and closer to the optimum).  The factorisation
    follows the stencil (:func:`factorisation_for`).
    """
    return solve(program.lp, solver, time_limit, tolerance, equilibrate=program.form != MECHANISM,
                 factorisation=factorisation_for(program.env))


def form_for(program: str, solver: str) -> str:
    """The form in which ``program`` ('guarantee' or 'potential') is given to ``solver`` (a name
    of :data:`irmd.verify.lp.SOLVERS`)."""
    return SIGMA if program == "potential" and solver in INTERIOR_POINT else MECHANISM


@dataclass(frozen=True)
class MechanismProgram(Program):
    """An assembled mechanism program in one of :data:`FORMS`.

    ``svo_rows``: the mechanism program's first rows, Λ(x, θ) ≥ L_θ (state major); ``dual``, for
    the σ form, is the solved program with the maps back (:class:`.dual_form.DualForm`).
    """

    svo_rows: int
    form: str = MECHANISM
    dual: DualForm | None = None


@dataclass(frozen=True)
class Point:
    """What a solution of either form says: the mechanism (reduced variables) and σ (masses per
    representative, state major), either possibly missing, and the program's value as the solver
    states it (the mechanism program's maximum)."""

    mechanism: np.ndarray | None
    masses: np.ndarray | None
    solver_value: float
    coefficients: np.ndarray | None = None  # the σ form's g: d value / d c per reduced variable


def read_point(program: MechanismProgram, solution) -> Point:
    """The mechanism and σ of ``solution`` (which must carry a point)."""
    if program.form == MECHANISM:
        masses = None if solution.row_dual is None else np.asarray(solution.row_dual[: program.svo_rows], float)
        return Point(np.asarray(solution.x[: program.reduction.variables], float), masses, -solution.objective)
    dual = program.dual
    mechanism = None if solution.row_dual is None else dual.mechanism(solution.row_dual)
    return Point(mechanism, dual.sigma_masses(solution.x), solution.objective, dual.coefficients(solution.x))


def finish(program: MechanismProgram, form: str, extra_representatives: np.ndarray | None = None) -> MechanismProgram:
    """``program`` (assembled as written) in ``form``."""
    if form not in FORMS:
        raise ValueError(f"form must be one of {', '.join(FORMS)}, got {form!r}")
    if form == MECHANISM:
        return program
    dual = dual_form(program.env, program.reduction, program.lp, program.svo_rows, extra_representatives)
    return replace(program, lp=dual.lp, form=SIGMA, dual=dual)


def svo_rows(env: ReducedEnvironment, red: Reduction, difference: str) -> tuple[list[sps.csr_matrix], list[np.ndarray]]:
    r"""Per state, the R x (reduced) matrix of :math:`c \mapsto \Lambda(\cdot, \theta; c)` at the
    representatives and its constant term.

    ``forward``: diagonal :math:`W - k\sum_{i:\,x_i < top} U_i`, :math:`+kU_i` at :math:`x + e_i`,
    constant :math:`W_0`.  ``backward``: diagonal :math:`W + k\sum_i U_i`, :math:`-kU_i` at
    :math:`x - e_i` (for :math:`x_i > 0`), constant :math:`W_0 + k\sum_i U_{0,i}[x_i = 0]`.
    """
    if difference not in (FORWARD, BACKWARD):
        raise ValueError(f"difference must be {FORWARD!r} or {BACKWARD!r}, got {difference!r}")
    grid, points = red.grid, red.points
    R, d, k, top = red.count, env.dimension, grid.k, grid.size - 1
    step = 1 if difference == FORWARD else -1
    at = np.arange(R)
    steps = [shifted(points, i, top, step) for i in range(env.agents)]
    neighbour = {}  # (agent, coordinate) -> reduced variables at the points one step away
    matrices, constants = [], []
    for s in range(env.states):
        rows, cols, vals = [], [], []
        for j in range(d):
            if difference == FORWARD:
                diagonal = np.full(R, env.W[s, j])
            else:
                diagonal = np.full(R, env.W[s, j] + k * env.U[:, s, j].sum())
            for i, (inside, moved) in enumerate(steps):
                u = env.U[i, s, j]
                if u == 0:
                    continue
                if difference == FORWARD:
                    diagonal = diagonal - (k * u) * inside
                if (i, j) not in neighbour:
                    neighbour[i, j] = red.variables_at(moved, j)
                rows.append(at[inside])
                cols.append(neighbour[i, j])
                vals.append(np.full(len(moved), step * k * u))
            rows.append(at)
            cols.append(red.variable_table[:, j])
            vals.append(diagonal)
        matrix = sps.csr_matrix((np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))),
                                shape=(R, red.variables))
        matrix.sum_duplicates()
        matrix.eliminate_zeros()
        matrices.append(matrix)
        constant = np.full(R, env.W0[s])
        if difference == BACKWARD:
            for i in range(env.agents):
                constant = constant + k * env.U0[i, s] * (points[:, i] == 0)
        constants.append(constant)
    return matrices, constants


def coordinate_sum(red: Reduction, coefficients: np.ndarray, at: np.ndarray) -> sps.csr_matrix:
    """Rows sum_j coefficients[j] c_j(x) at the representatives ``at`` (tied coordinates add up)."""
    used = np.flatnonzero(coefficients)
    n = len(at)
    rows = np.repeat(np.arange(n), len(used))
    cols = red.variable_table[at][:, used].ravel()
    matrix = sps.csr_matrix((np.tile(coefficients[used], n), (rows, cols)), shape=(n, red.variables))
    matrix.sum_duplicates()
    return matrix


def assemble(env: ReducedEnvironment, red: Reduction, difference: str,
             extra: tuple[sps.csr_matrix, np.ndarray] | None = None) -> LPData:
    r"""Minimise :math:`-\sum_\theta \mu(\theta) L_\theta` over (reduced mechanism, levels).

    Rows, in order: :math:`\Lambda(x, \theta) - L_\theta \ge` minus the constant (S R rows, state
    major), each simplex factor's sum :math:`\le 1` (R rows each), then ``extra`` rows
    ``(matrix over the mechanism, lower bounds)`` with no upper bound.
    """
    S, R, nc = env.states, red.count, red.variables
    matrices, constants = svo_rows(env, red, difference)
    levels = sps.vstack([sps.csr_matrix((-np.ones(R), (np.arange(R), np.full(R, s))), shape=(R, S))
                         for s in range(S)], format="csr")
    blocks = [sps.hstack([sps.vstack(matrices, format="csr"), levels], format="csr")]
    lower = [-np.concatenate(constants)]
    upper = [np.full(S * R, np.inf)]
    col_lo, col_hi = env.column_bounds()
    for b in env.blocks:
        if b.kind == "simplex" and len(b.columns) > 1:
            member = np.zeros(env.dimension)
            member[list(b.columns)] = 1.0
            blocks.append(sps.hstack([coordinate_sum(red, member, np.arange(R)), sps.csr_matrix((R, S))],
                                     format="csr"))
            lower.append(np.full(R, -np.inf))
            upper.append(np.ones(R))
            # q <= 1 follows from q >= 0 and the row sum q <= 1; dropping it keeps
            # Clarabel's cone (one row per finite bound) smaller.
            col_hi[list(b.columns)] = np.inf
    if extra is not None and extra[0].shape[0]:
        blocks.append(sps.hstack([extra[0], sps.csr_matrix((extra[0].shape[0], S))], format="csr"))
        lower.append(extra[1])
        upper.append(np.full(extra[0].shape[0], np.inf))
    # Every reduced variable stands for copies of one coordinate, so bounds carry over.
    coordinate_of = red.coordinate_of
    return LPData.from_matrix(np.concatenate([np.zeros(nc), -env.prior]), sps.vstack(blocks, format="csr"),
                              np.concatenate(lower), np.concatenate(upper),
                              np.concatenate([col_lo[coordinate_of], np.full(S, -np.inf)]),
                              np.concatenate([col_hi[coordinate_of], np.full(S, np.inf)]))


def masses_on_grid(red: Reduction, masses: np.ndarray, states: int, clip: bool = True) -> np.ndarray:
    """σ on the whole grid (S x P) from its masses per representative (state major).

    A representative's mass covers its whole orbit and is spread evenly over it; with ``clip``,
    negative entries (a solver's inaccuracy) are set to 0.
    """
    y = np.asarray(masses[: states * red.count], dtype=float).reshape(states, -1)
    if clip:
        y = np.maximum(y, 0.0)
    return red.expand_points(y / red.orbit_sizes)


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
