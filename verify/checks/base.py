"""The check registry and what every check shares.

Each check is a class with a unique ``name`` (the key everything uses: the
registry, the certificate, the JSON), a ``title``, a ``priority`` (run order) and
``applies``/``run`` template methods around private ``_applies``/``_run``
hooks.  ``@register_check`` stores one instance per name; a duplicate name is a
programming error.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import mpmath
import sympy as sp

from irmd.analytic.candidate import Candidate
from irmd.analytic.environment import TOTAL
from irmd.analytic.resolve import Resolution
from irmd.errors import BudgetExceeded
from irmd.status import PASSING, Status, combine

from ..certificate import CheckResult
from ..claims import Claim, ClaimKind, DecisionContext, Evidence, decide
from ..model import ReducedModel
from ..partition import Region, interval_bounds, partition, surface_pieces, total_form
from ..sampling import Box, in_closure
from ..subjects import Subject

REGISTRY: dict[str, "Check"] = {}


class CheckNotApplicable(Exception):
    """Raised by ``run`` when a check does not apply to the candidate."""


def register_check(cls):
    if not cls.name or cls.name in REGISTRY:
        raise RuntimeError(f"check name {cls.name!r} is empty or registered twice")
    REGISTRY[cls.name] = cls()
    return cls


def ordered_checks() -> list["Check"]:
    return sorted(REGISTRY.values(), key=lambda c: (c.priority, c.name))


@dataclass(frozen=True)
class RunOptions:
    """How a run computes what it needs (fixed for the run)."""

    include_jump_terms: bool = True   # singular terms of jumps across surfaces in the bounds
    plane_integrals: bool = False     # nested quadrature over the plane where regions are not functions of the total
    numeric_masses: bool = False      # masses by quadrature only (the potential bound of a family member)


@dataclass
class Run:
    """One verification run: the candidate, its model, precision, options and what checks found.

    The fields after ``results`` are computed once, by the check named, and read by later
    checks and by the certificate."""

    candidate: Candidate
    resolution: Resolution
    model: ReducedModel
    ctx: DecisionContext
    options: RunOptions = RunOptions()
    slack_carried: bool = False                 # set while a check that carries slack runs
    results: dict = field(default_factory=dict)
    levels: dict | None = None                  # SVO levels L_theta (svo.slackness)
    ivo_pieces: list | None = None              # (region, IVO coefficients), shared by ivo.slackness and the bound
    guarantee_lower: object = None              # bounds.saddle
    potential_upper: object = None              # bounds.saddle
    bound_balls: tuple | None = None            # the bounds enclosed in ball arithmetic (bounds.saddle)
    potential_limit: object = None              # the potential bound along the family's limit (verify)

    def regions(self, exprs, box: Box) -> list[Region]:
        return partition(exprs, box, self.ctx, self.model.scales)

    def surface_regions(self, exprs, box: Box) -> list:
        """(surface, adjacent region, sides of the other surfaces) for every piece of a surface:
        from the exact breakpoints along the total when every surface is a function of it, else
        the pieces that sample points reach (their claims are then never proved)."""
        exact = surface_pieces(exprs, box, self.ctx)
        if exact is not None:
            return exact
        return [(surface, replace(region, exact=False), others)
                for surface, region, others in self._sampled_surface_regions(exprs, box)]

    def _sampled_surface_regions(self, exprs, box: Box) -> list:
        regions = self.regions(exprs, box)
        if not regions or not regions[0].surfaces:
            return []
        surfaces = regions[0].surfaces
        probe = Claim("", ClaimKind.ZERO, sp.S.Zero, box, (), surfaces, self.model.scales)
        points = self.ctx.points(probe)
        out, seen = [], set()
        for region in regions:
            for k, surface in enumerate(surfaces):
                others = tuple((s, v) for s, v in region.sides if s != surface)
                if (surface, others) in seen:
                    continue
                seen.add((surface, others))
                if any(p.sides[k] == 0 and in_closure(p, dict(others), surfaces) for p in points):
                    out.append((surface, region, dict(others)))
        return out

    def claim(self, label: str, kind: ClaimKind, expr: sp.Expr, box: Box, region: Region | None,
              on_surface=None, subject: Subject = Subject()) -> Claim:
        reduced = self._on_total(expr, box, region, on_surface)
        if reduced is not None:
            expr, box, region, on_surface = reduced
        sides = region.sides if region else ()
        surfaces = region.surfaces if region else ()
        text = region.text if region else "everywhere"
        if on_surface is not None:
            sides = tuple((s, v) for s, v in sides if s != on_surface) + ((on_surface, 0),)
            text = f"on {on_surface.phi} = 0" + ("" if not region or region.text == "everywhere"
                                                 else f", {region.text}")
        if on_surface is not None and len(box.variables) == 1:
            expr = _on_root(expr, box.variables[0], on_surface, self.ctx)
        lower, upper = ((), ())
        if region is not None and len(box.variables) == 1:
            lower, upper = interval_bounds(region, box.variables[0])
        intervals = region.intervals if region is not None and on_surface is None else ()
        exact = region.exact if region is not None else True
        return Claim(label, kind, expr, box, sides, surfaces, self.model.scales, text, lower, upper, intervals,
                     exact, self.slack_carried, subject)

    def _on_total(self, expr, box: Box, region: Region | None, on_surface):
        """A claim in several variables whose expression and region depend on the total only, as
        the same claim on the line of the total (exact: the region is {x : sum x in its intervals})."""
        if box.dimension == 1 or region is None or not region.exact or (region.surfaces and not region.total_sides):
            return None
        h = total_form(expr, box.variables, self.ctx.budget)
        if h is None:
            return None
        line = Box((TOTAL,), (sum((sp.sympify(b) for b in box.lower), sp.S.Zero),))
        on_line = Region(region.total_sides + tuple((s, v) for s, v in region.sides if s not in region.surfaces),
                         tuple(s for s, _ in region.total_sides), region.intervals, True, region.sampled,
                         region.total_sides)
        if on_surface is not None:
            h_surface = total_form(on_surface.phi, box.variables, self.ctx.budget)
            matching = [s for s, _ in region.total_sides if h_surface is not None and sp.expand(s.phi - h_surface) == 0]
            if not matching:
                return None
            on_surface = matching[0]
        return h, line, on_line, on_surface

    def decide(self, claim: Claim) -> Evidence:
        return decide(claim, self.ctx)

    def decide_by_region(self, label: str, kind: ClaimKind, expr: sp.Expr, box: Box,
                         subject: Subject = Subject()) -> list[Evidence]:
        """One claim per region of ``expr`` (its piece there), each decided."""
        return [self.decide(self.claim(label, kind, region.restrict(expr), box, region, subject=subject))
                for region in self.regions([expr], box)]

    def passed(self, name: str) -> bool:
        result = self.results.get(name)
        return result is not None and result.status in PASSING


class Check:
    name = ""
    title = ""
    priority = 100
    #: Whether this check's claims may be proved up to an absolute slack: only where the slack is
    #: carried into the bracket (the SVO levels, subtracted from the guarantee bound).
    carries_slack = False

    def applies(self, run: Run) -> bool:
        return self._applies(run)

    def _applies(self, run: Run) -> bool:
        return True

    def run(self, run: Run) -> CheckResult:
        if not self.applies(run):
            raise CheckNotApplicable(self.name)
        run.slack_carried = self.carries_slack
        try:
            return self._run(run)
        finally:
            run.slack_carried = False

    def _run(self, run: Run) -> CheckResult:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- summarising evidence ------------------------------------------------
    def result(self, run: Run, evidence: list[Evidence], values: dict | None = None,
               extra_status: Status | None = None, extra_detail: str = "", counterexample=None,
               residual=None) -> CheckResult:
        statuses = [e.status for e in evidence] + ([extra_status] if extra_status else [])
        status = combine(statuses)
        detail, method = summarise(evidence, status)
        if extra_detail:
            if not evidence:
                detail = extra_detail
            elif any(e.status is Status.REFUTED for e in evidence):
                detail = f"{detail}; {extra_detail}"
            else:
                detail = f"{extra_detail}; {detail}"
        witness, worst = counterexample, residual
        refuted = next((e for e in evidence if e.status is Status.REFUTED), None)
        if status is Status.REFUTED and witness is None:
            witness = dict(refuted.witness)
            witness["claim"] = refuted.claim.label
            witness["region"] = refuted.claim.region_text
            worst = refuted.residual
        hint = ""
        if status is Status.REFUTED:
            try:
                hint = self._diagnose(run, refuted, witness)
            except Exception as error:  # noqa: BLE001 - a diagnosis must never hide the verdict
                hint = f"(no diagnosis: {type(error).__name__})"
        return CheckResult(self.name, self.title, status, detail, run.ctx.dps, tuple(evidence),
                           worst, witness, method, values or {}, hint)

    def _diagnose(self, run: Run, evidence: Evidence | None, counterexample: dict | None) -> str:
        """What would have to change for the check to pass (refuted checks only)."""
        return ""


def _on_root(expr: sp.Expr, variable: sp.Symbol, surface, ctx) -> sp.Expr:
    """In one dimension a surface is a point: substitute its root when sympy finds a unique one."""
    try:
        with ctx.budget.step("solve for the surface"):
            roots = sp.solve(surface.phi, variable)
    except (BudgetExceeded, NotImplementedError, ValueError, TypeError):
        return expr
    if len(roots) != 1 or roots[0].has(sp.I):
        return expr
    return expr.xreplace({variable: roots[0]})


def summarise(evidence: list[Evidence], status: Status) -> tuple[str, str]:
    """A one-paragraph detail and the method line for a list of evidence."""
    if not evidence:
        return "nothing to check", ""
    refuted = [e for e in evidence if e.status is Status.REFUTED]
    if refuted:
        e = refuted[0]
        point = ", ".join(f"{k} = {mpmath.nstr(v, 10)}" for k, v in (e.witness or {}).items())
        return (f"{e.claim.label} {e.claim.kind.value} fails on {e.claim.region_text} at {point}: "
                f"residual {mpmath.nstr(e.residual, 6)}" + (f" ({e.note})" if e.note else "")), e.method
    inconclusive = [e for e in evidence if e.status is Status.INCONCLUSIVE]
    proved = sum(e.status is Status.PROVED for e in evidence)
    confirmed = [e for e in evidence if e.status is Status.CONFIRMED]
    parts = [f"{len(evidence)} claims: {proved} proved symbolically"]
    if confirmed:
        pts = sum(e.points for e in confirmed)
        dps = confirmed[0].dps
        parts.append(f"{len(confirmed)} confirmed numerically ({pts} points, dps {dps}, "
                     f"tolerance 1e-{dps} relative)")
    if inconclusive:
        e = inconclusive[0]
        parts.append(f"{len(inconclusive)} inconclusive ({e.claim.label} on {e.claim.region_text}: {e.note})")
    methods = sorted({e.method.split(":")[0] for e in evidence})
    return ", ".join(parts), " + ".join(methods)


def zero_piece(expr: sp.Expr) -> bool:
    """True when a piece is identically zero (symbolically, without heavy simplification)."""
    if expr == 0:
        return True
    try:
        return sp.expand(expr) == 0
    except Exception:  # noqa: BLE001 - expand failing only means "not known zero"
        return False
