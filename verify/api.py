"""``verify(candidate, dps=...)``: run every applicable check and build the certificate."""
from __future__ import annotations

import time

import mpmath

from irmd.analytic.candidate import Candidate
from irmd.analytic.constants import solve_constants
from irmd.analytic.resolve import resolve
from irmd.budget import Budget
from irmd.errors import BudgetExceeded, CandidateError, InputError
from irmd.status import Status

from .certificate import Certificate, CheckResult, verdict
from .checks import ordered_checks
from .checks.base import Run, RunOptions
from .checks.bounds import potential_upper
from .claims import DecisionContext
from .limits import potential_limit
from .model import build_model

DPS_MIN, DPS_MAX = 5, 2000
#: Checks a family may leave out of its certificate: complementary slackness (25)
#: says the mechanism's outcome maximises the IVO, but the bracket
#: G_lower <= G(M), P(I) <= P_upper holds without it.
EXCLUDABLE_CHECKS = frozenset({"ivo.slackness"})


def verify(
    candidate: Candidate,
    dps: int = 30,
    *,
    symbolic: bool = True,
    budget_seconds: float | None = 120.0,
    step_seconds: float | None = 20.0,
    include_jump_terms: bool = True,
    reject_negative_density: bool = True,
    only: tuple[str, ...] | None = None,
    plane_integrals: bool = False,
) -> Certificate:
    """Verify a candidate saddle point.

    Parameters
    ----------
    candidate : Candidate
    dps : int
        Decimal digits of the bounds and of numeric confirmation; checks run at
        ``dps + 20`` digits and near-misses are re-checked at ``2 dps + 20``.
    symbolic : bool
        Try symbolic proofs first (default).  With ``False`` every claim is decided
        numerically (statuses are then at best *confirmed*).
    budget_seconds, step_seconds : float or None
        Total and per-step time budgets of symbolic work; a step that runs out
        falls back to numerics.
    include_jump_terms : bool
        Include the singular terms of density jumps in the potential bound.  Only
        for experiments: leaving them out gives a wrong potential bound, which the
        verifier then reports.
    reject_negative_density : bool
        A density that is negative somewhere is not an information structure:
        raise :class:`~irmd.errors.CandidateError` (exit code 3 on the command line)
        instead of reporting a refuted distribution check.
    only : tuple of check names, optional
        Run only these checks (the verdict is then at best inconclusive unless all
        checks ran).
    plane_integrals : bool
        For explicit candidates with N = 2, integrate over the plane by nested
        quadrature even where the reduction to the total of the signals works (an
        independent cross-check of that reduction; much slower).

    Returns
    -------
    Certificate
    """
    if isinstance(dps, bool) or not isinstance(dps, int) or not DPS_MIN <= dps <= DPS_MAX:
        raise InputError(f"dps must be an integer between {DPS_MIN} and {DPS_MAX}, got {dps!r}")
    if not isinstance(candidate, Candidate):
        raise InputError(f"verify() needs a Candidate, got {type(candidate).__name__}")
    started = time.monotonic()
    run = _prepare(candidate, dps, symbolic, budget_seconds, step_seconds,
                   RunOptions(include_jump_terms=include_jump_terms, plane_integrals=plane_integrals))
    options = dict(symbolic=symbolic, budget_seconds=budget_seconds, step_seconds=step_seconds,
                   include_jump_terms=include_jump_terms)
    if candidate.family is not None and only is None:
        run.potential_limit = potential_limit(
            candidate, dps, lambda member: potential_bound(member, dps, **options))
    excluded = dict(candidate.excluded_checks)
    needed = sorted(set(excluded) - EXCLUDABLE_CHECKS)
    if needed:
        raise CandidateError(
            f"{candidate.name} excludes {', '.join(needed)}, which the verdict needs (only "
            f"{', '.join(sorted(EXCLUDABLE_CHECKS))} may be left out: the bracket G_lower <= G(M), "
            "P(I) <= P_upper does not rest on it)")
    results = []
    for check in ordered_checks():
        if only is not None and check.name not in only:
            continue
        if check.name in excluded or not check.applies(run):
            continue
        try:
            result = check.run(run)
        except (CandidateError, InputError):
            raise
        except BudgetExceeded as error:  # a time budget no step of the check caught: undecided, not a crash
            result = CheckResult(check.name, check.title, Status.INCONCLUSIVE,
                                 f"ran out of its time budget ({error})", dps)
        except Exception as error:  # noqa: BLE001 - a crashing check must not pass silently
            result = CheckResult(check.name, check.title, Status.INCONCLUSIVE,
                                 f"internal error in this check ({type(error).__name__}: {error}); please report",
                                 dps)
        run.results[check.name] = result
        results.append(result)
        if check.name == "information.distribution" and reject_negative_density:
            _reject_negative_density(result)
    complete = only is None and "bounds.saddle" in run.results
    status = verdict(results, complete)
    values = run.ctx.values
    constants = {c.symbol.name: values[c.symbol] for c in candidate.constants}
    headline = {name: constants[name] for name in getattr(candidate, "headline", ()) if name in constants}
    return Certificate(
        candidate=candidate.name,
        params=candidate.parameter_values,
        status=status,
        dps=dps,
        checks=tuple(results),
        guarantee_lower=run.guarantee_lower,
        potential_upper=run.potential_upper,
        tolerance=mpmath.mpf(10) ** (-dps),
        constants=constants,
        headline=headline,
        model=run.model.kind,
        elapsed=time.monotonic() - started,
        regime=candidate.regime,
        skipped=tuple(excluded.items()),
        potential_limit=run.potential_limit.value if run.potential_limit is not None else None,
        source=candidate,
        reduced_model=run.model,
    )


GUARD_DIGITS = 20


def _prepare(candidate, dps, symbolic, budget_seconds, step_seconds, options: RunOptions) -> Run:
    """Resolve, model and set up the numeric context of one candidate."""
    budget = Budget(budget_seconds, step_seconds)
    values = solve_constants(candidate.constants, dps + GUARD_DIGITS)
    resolution = resolve(candidate, budget)
    model = build_model(resolution, budget)
    exact = {c.symbol: c.value for c in candidate.constants if c.kind == "number" and c.value.is_Rational}
    ctx = DecisionContext(dps=dps, values=values, budget=budget, symbolic=symbolic, guard=GUARD_DIGITS,
                          escalate=lambda d: solve_constants(candidate.constants, d), exact=exact,
                          constants=tuple(candidate.constants))
    return Run(candidate, resolution, model, ctx, options)


def potential_bound(candidate: Candidate, dps: int = 30, **options):
    """(value, status, detail): the potential upper bound of the candidate's information structure.

    Runs the checks the bound relies on (distribution, transfer PDE) and the
    integral of the maximised IVO with its surface terms; the mechanism plays no
    role.  ``status`` is CONFIRMED when the value is established.
    """
    # Only the number and a refutation matter here: the masses are not enclosed.
    run = _prepare(candidate, dps, options.get("symbolic", True), options.get("budget_seconds", 120.0),
                   options.get("step_seconds", 20.0),
                   RunOptions(include_jump_terms=options.get("include_jump_terms", True), numeric_masses=True))
    for check in ordered_checks():
        if check.name in ("information.distribution", "ivo.transfer_pde") and check.applies(run):
            run.results[check.name] = result = check.run(run)
            if result.status is Status.REFUTED:
                return None, Status.REFUTED, f"{check.name} refuted: {result.detail}"
    value, error, note, status = potential_upper(run)
    return value, status, note


def _reject_negative_density(result: CheckResult):
    for evidence in result.evidence:
        if evidence.status is Status.REFUTED and evidence.claim.label.startswith("sigma("):
            point = ", ".join(f"{k} = {mpmath.nstr(v, 8)}" for k, v in evidence.witness.items())
            raise CandidateError(
                f"{evidence.claim.label} is negative ({mpmath.nstr(evidence.residual, 8)}) at {point}: "
                "not an information structure"
            )
