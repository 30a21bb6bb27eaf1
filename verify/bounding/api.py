r"""Both bounding programs for one environment and grid, checked against a known value.

:func:`compute_bounds` solves the guarantee program (19) and the potential
program (18) on the same grid and ``t_max``; with the analytic saddle value
:math:`V` of a candidate it checks the chain (20),

.. math::  \underline G(X) \le G^*(t_{max}) \le V \le P^*(t_{max}) \le \overline P(X),

where the middle inequalities need care: :math:`\underline G \le V` holds for
*every* ``t_max`` (bounded transfers only shrink the designer's options), so a
violation is a bug (or a wrong candidate); :math:`V \le \overline P` needs
``t_max`` at least the candidate mechanism's transfers, so a violation with a
smaller ``t_max`` (or with the guarantee program reporting that ``t_max``
binds) is an invalid ``t_max``, and otherwise a bug.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np

from irmd.errors import ParameterError
from irmd.status import Order

from ..extrapolation import Extrapolation, richardson
from ..lp import SOLVERS
from .certified import Bracket, describe_conditions
from .common import AUTO, number, solver_for
from .estimate import check_fits
from .grid import Grid
from .guarantee_lp import GuaranteeResult
from .guarantee_lp import build as build_guarantee
from .guarantee_lp import read_solution as read_guarantee
from .guarantee_lp import solve_program as solve_guarantee_program
from .mechanism_program import form_for
from .potential_lp import PotentialResult, solve_potential
from .reduced import reduce_environment
from .shapes import ShapeComparison, compare
from .tiebreak import TIE_BREAKS
from .tiebreak import tie_break as apply_tie_break

PROGRAMS = ("guarantee", "potential")



@dataclass(frozen=True)
class OrderCheck:
    """Whether lower <= analytic <= upper, and if not, why."""

    order: Order
    message: str
    tolerance: float

    def to_dict(self) -> dict:
        return {"order": str(self.order), "message": self.message, "tolerance": number(self.tolerance, 3)}


def check_order(lower, analytic, upper, t_max, transfer_scale=None, t_max_binds=False,
                tolerance: float = 1e-6) -> OrderCheck:
    """Check ``lower <= analytic <= upper`` and name the cause of a violation."""
    if analytic is None:
        return OrderCheck(Order.UNKNOWN, "no analytic value to compare with", tolerance)
    if lower is None and upper is None:
        return OrderCheck(Order.UNKNOWN, "neither program was solved", tolerance)
    a = float(analytic)
    if lower is not None and lower > a + tolerance:
        return OrderCheck(Order.BUG, f"lower bound {lower:.10g} exceeds the analytic value {a:.10g} by "
                          f"{lower - a:.3g}: the guarantee bound is below G* for every t_max, so this is a bug "
                          "(in the program or in the candidate)", tolerance)
    if upper is not None and upper < a - tolerance:
        small = t_max is not None and transfer_scale is not None and t_max < transfer_scale
        if small or (t_max is not None and t_max_binds):
            why = (f"t_max = {t_max:g} is below the candidate mechanism's largest transfer {transfer_scale:.4g}"
                   if small else f"t_max = {t_max:g} binds in the guarantee program")
            return OrderCheck(Order.INVALID_T_MAX, f"upper bound {upper:.10g} is below the analytic value {a:.10g}: "
                              f"{why}, so the potential bound is for a smaller transfer set; raise t_max",
                              tolerance)
        return OrderCheck(Order.BUG, f"upper bound {upper:.10g} is below the analytic value {a:.10g} by "
                          f"{a - upper:.3g} although t_max is large enough: a bug", tolerance)
    parts = [f"{lower:.10g}" if lower is not None else "-", f"{a:.10g}", f"{upper:.10g}" if upper is not None else "-"]
    return OrderCheck(Order.HOLDS, " <= ".join(parts), tolerance)


@dataclass(frozen=True)
class BoundsResult:
    """Both bounds on one grid, with the comparison to an analytic value."""

    grid: Grid
    t_max: float | None
    solver: str
    guarantee: GuaranteeResult | None
    potential: PotentialResult | None
    analytic: float | None
    order: OrderCheck
    tie_break: str = "none"
    shapes: ShapeComparison | None = None
    name: str = ""
    params: dict = field(default_factory=dict)
    state_labels: tuple[str, ...] = ()

    @property
    def lower(self) -> float | None:
        return self.guarantee.value if self.guarantee is not None and self.guarantee.ok else None

    @property
    def upper(self) -> float | None:
        return self.potential.value if self.potential is not None and self.potential.ok else None

    @property
    def bracket(self) -> Bracket:
        """The certified ends (exact arithmetic) and the transfer bounds they hold for."""
        return Bracket(self.guarantee.certified if self.guarantee is not None and self.guarantee.ok else None,
                       self.potential.certified if self.potential is not None and self.potential.ok else None)

    @property
    def certified_lower(self) -> float | None:
        """The certified lower end as a float rounded down (None when not certified)."""
        end = self.bracket.lower
        return None if end is None else end.float_value

    @property
    def certified_upper(self) -> float | None:
        """The certified upper end as a float rounded up (None when not certified)."""
        end = self.bracket.upper
        return None if end is None else end.float_value

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(w for r in (self.guarantee, self.potential) if r is not None for w in r.warnings)

    def _certified_dict(self, dps: int) -> dict:
        out = self.bracket.to_dict(dps)
        lower, upper = self.bracket.lower_value, self.bracket.upper_value
        out["contains_analytic"] = (None if self.analytic is None or (lower is None and upper is None) else
                                    (lower is None or lower <= Fraction(self.analytic))
                                    and (upper is None or Fraction(self.analytic) <= upper))
        return out

    def to_dict(self, dps: int = 10) -> dict:
        return {
            "name": self.name,
            "params": {k: str(v) for k, v in self.params.items()},
            "k": self.grid.k,
            "top": str(self.grid.top),
            "t_max": number(self.t_max, dps),
            "solver": self.solver,
            "lower": number(self.lower, dps),
            "upper": number(self.upper, dps),
            "certified": self._certified_dict(dps),
            "analytic": number(self.analytic, dps),
            "gap_lower": number(None if self.lower is None or self.analytic is None else self.analytic - self.lower, 4),
            "gap_upper": number(None if self.upper is None or self.analytic is None else self.upper - self.analytic, 4),
            "order": self.order.to_dict(),
            "tie_break": self.tie_break,
            "guarantee": None if self.guarantee is None else self.guarantee.to_dict(dps),
            "potential": None if self.potential is None else self.potential.to_dict(dps),
            "shapes": None if self.shapes is None else self.shapes.to_dict(),
            "warnings": list(self.warnings),
        }


def make_grid(agents: int, k, top=None) -> Grid:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise ParameterError(f"k must be a positive integer, got {k!r}")
    if top is None:
        return Grid.survey(agents, int(k))
    try:
        top = Fraction(str(top))
    except (ValueError, ZeroDivisionError):
        raise ParameterError(f"top Y must be a number, got {top!r}") from None
    return Grid(agents, int(k), top)


def compute_bounds(environment, k: int, top=None, t_max=None, solver: str = AUTO,
                   programs=PROGRAMS, use_symmetry: bool = True, tie_break: str = "none",
                   analytic=None, transfer_scale: float | None = None, shapes=None,
                   tolerance: float = 1e-6, time_limit: float | None = None,
                   name: str = "", params: dict | None = None, max_memory: int | None = None) -> BoundsResult:
    """Solve the bounding programs on the grid with inverse step ``k`` (and top ``top``, default k).

    Parameters
    ----------
    environment : Environment or SymmetricEnvironment
    k : int
        Inverse step; the grid is ``{0, 1/k, ..., top}``.
    top : number, optional
        Top Y of the grid (a multiple of 1/k); the survey's X(k^2) has ``top = k``.
    t_max : float or None
        Replaces free transfer intervals by ``[-t_max, t_max]``; ``None`` keeps them free
        (fine for the guarantee; the potential then needs the PDE to be solvable).
    solver : {'auto', 'clarabel', 'highs-ipm', 'highs-simplex', 'highs-pdlp', 'highs-hipdlp'}
        ``'auto'`` (default) picks per program and number of agents (:func:`.common.solver_for`).
    programs : subset of ('guarantee', 'potential')
    tie_break : {'none', 'proportional', 'smooth'}
        Secondary objective selecting one optimal mechanism (:mod:`.tiebreak`).
    analytic : number, optional
        Known saddle value to check ``lower <= analytic <= upper`` against.
    transfer_scale : float, optional
        Largest transfer of the candidate mechanism, to tell an invalid t_max from a bug.
    shapes : ShapeModel, optional
        Candidate shapes to compare the solutions with.
    max_memory : int, optional
        Bytes the run may plan to use (default: a share of the machine's memory); a grid estimated
        to need more is refused before anything is built (:mod:`.estimate`).
    """
    if solver not in SOLVERS and solver != AUTO:
        raise ParameterError(f"unknown solver {solver!r}; choose one of {', '.join((AUTO,) + SOLVERS)}")
    if tie_break not in TIE_BREAKS:
        raise ParameterError(f"unknown tie-break {tie_break!r}; choose one of {', '.join(TIE_BREAKS)}")
    unknown = set(programs) - set(PROGRAMS)
    if unknown or not programs:
        raise ParameterError(f"programs must be a non-empty subset of {PROGRAMS}, got {tuple(programs)}")
    grid = make_grid(environment.agents, k, top)
    check_fits(grid.agents, grid.k, top, max_memory)   # (the top given, or Y = k)
    env = reduce_environment(environment, t_max)
    guarantee = potential = None
    if "guarantee" in programs:
        guarantee_solver = solver_for(solver, "guarantee", grid.agents)
        program = build_guarantee(env, grid, use_symmetry, form_for("guarantee", guarantee_solver))
        first = read_guarantee(program, solve_guarantee_program(program, guarantee_solver, time_limit, tolerance),
                               tolerance)
        guarantee = apply_tie_break(program, first, tie_break, guarantee_solver, tolerance, time_limit=time_limit)
    if "potential" in programs:
        potential = solve_potential(env, grid, solver_for(solver, "potential", grid.agents), use_symmetry,
                                    time_limit, tolerance)
    lower = guarantee.value if guarantee is not None and guarantee.ok else None
    upper = potential.value if potential is not None and potential.ok else None
    binds = bool(guarantee is not None and guarantee.transfer_shadow_price is not None
                 and guarantee.transfer_shadow_price > tolerance)
    order = check_order(lower, analytic, upper, env.t_max, transfer_scale, binds, 10 * tolerance)
    comparison = None
    if shapes is not None:
        comparison = compare(grid, shapes, env.state_labels, guarantee, potential)
    return BoundsResult(grid, env.t_max, solver, guarantee, potential, None if analytic is None else float(analytic),
                        order, tie_break, comparison, name, dict(params or {}), env.state_labels)


@dataclass(frozen=True)
class SweepResult:
    """Bounds for several k and their extrapolations to k -> infinity."""

    results: tuple[BoundsResult, ...]
    lower_limit: Extrapolation
    upper_limit: Extrapolation

    @property
    def analytic(self):
        return self.results[0].analytic if self.results else None

    @property
    def brackets(self) -> tuple[Bracket, ...]:
        """The certified bracket of every k, in the order of ``results``."""
        return tuple(r.bracket for r in self.results)

    def to_dict(self, dps: int = 10) -> dict:
        return {
            "analytic": number(self.analytic, dps),
            "points": [{"k": r.grid.k, "lower": number(r.lower, dps), "upper": number(r.upper, dps),
                        "certified_lower": None if b.lower is None else b.lower.decimal(dps),
                        "certified_upper": None if b.upper is None else b.upper.decimal(dps),
                        "order": str(r.order.order)} for r, b in zip(self.results, self.brackets)],
            "certified_condition": describe_conditions(self.brackets),
            "lower_extrapolation": self.lower_limit.to_dict(dps),
            "upper_extrapolation": self.upper_limit.to_dict(dps),
            "results": [r.to_dict(dps) for r in self.results],
        }


def sweep_bounds(environment, ks, top=None, **options) -> SweepResult:
    """:func:`compute_bounds` for each k in ``ks`` (each grid's top is ``top`` or k)."""
    ks = list(ks)
    if not ks:
        raise ParameterError("a sweep needs at least one k")
    for k in ks:   # every grid is checked before the first is solved
        grid = make_grid(environment.agents, k, top)
        check_fits(grid.agents, grid.k, top, options.get("max_memory"))
    results = tuple(compute_bounds(environment, k, top, **options) for k in ks)
    return SweepResult(results, richardson(ks, [r.lower for r in results]),
                       richardson(ks, [r.upper for r in results]))
