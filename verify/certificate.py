"""Certificates: the result of verifying a candidate, check by check.

A :class:`CheckResult` is one named check with its status, a one-paragraph
detail, the claims' evidence, and (when refuted) the counterexample.  A
:class:`Certificate` collects them with the two bounds; its status is
``verified`` only if every check -- the bounds check included -- is *proved*
(exactly, or by a rigorous enclosure), ``confirmed`` when nothing is refuted or
inconclusive but some claim rests on numeric evidence only (:attr:`numeric_only`
names them), ``refuted`` if any check is refuted, and ``inconclusive``
otherwise.  ``to_dict()`` is what
``irmd verify --json`` prints, with every number a decimal string at ``dps``
digits.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import mpmath

from irmd.numbers import decimal_string
from irmd.status import PASSING, Status, Verdict, combine

from .claims import Evidence


def _number(value, dps):
    return None if value is None else decimal_string(value, dps)


def _point(point: dict | None, dps: int):
    if point is None:
        return None
    return {str(k): (_number(v, min(dps, 20)) if not isinstance(v, str) else v) for k, v in point.items()}


@dataclass(frozen=True)
class CheckResult:
    """One check: ``name`` from the registry, its status and the evidence behind it."""

    name: str
    title: str
    status: Status
    detail: str
    dps: int
    evidence: tuple[Evidence, ...] = ()
    residual: object = None
    counterexample: dict | None = None
    method: str = ""
    values: dict = field(default_factory=dict)
    hint: str = ""              # what would have to change (refuted checks)

    def __post_init__(self):
        if self.status is Status.REFUTED and not self.counterexample:
            raise ValueError(f"check {self.name}: a refutation needs a counterexample")

    def to_dict(self) -> dict:
        out = {"name": self.name, "status": self.status.value, "detail": self.detail}
        if self.method:
            out["method"] = self.method
        if self.residual is not None:
            out["residual"] = _number(self.residual, min(self.dps, 20))
        if self.counterexample:
            out["counterexample"] = _point(self.counterexample, self.dps)
        if self.hint:
            out["hint"] = self.hint
        if self.values:
            out["values"] = {k: _number(v, self.dps) if not isinstance(v, str) else v for k, v in self.values.items()}
        return out


@dataclass(frozen=True)
class Certificate:
    """The verdict on a candidate, with every check and both bounds."""

    candidate: str
    params: dict
    status: Verdict
    dps: int
    checks: tuple[CheckResult, ...]
    guarantee_lower: object = None
    potential_upper: object = None
    tolerance: object = None
    constants: dict = field(default_factory=dict)
    headline: dict = field(default_factory=dict)
    model: str = ""
    elapsed: float = 0.0
    regime: str = ""
    skipped: tuple = ()
    potential_limit: object = None
    # What was checked, for derivations and diagnostics (not serialised).
    source: object = field(default=None, compare=False, repr=False)
    reduced_model: object = field(default=None, compare=False, repr=False)

    @property
    def verified(self) -> bool:
        return self.status is Verdict.VERIFIED

    def check(self, name: str) -> CheckResult:
        for c in self.checks:
            if c.name == name:
                return c
        raise KeyError(name)

    @property
    def failing(self) -> tuple[CheckResult, ...]:
        return tuple(c for c in self.checks if c.status not in PASSING)

    @property
    def numeric_only(self) -> tuple[str, ...]:
        """What rests on numeric evidence only: one line per confirmed claim (or check without claims)."""
        lines = []
        for check in self.checks:
            if check.status is not Status.CONFIRMED:
                continue
            confirmed = [e for e in check.evidence if e.status is Status.CONFIRMED]
            if not confirmed:
                lines.append(f"{check.name}: {check.detail}")
            for e in confirmed:
                where = e.claim.region_text if e.claim.region_text.startswith("on ") else f"on {e.claim.region_text}"
                lines.append(f"{check.name}: {e.claim.label} {e.claim.kind.value} {where} ({e.method})")
        return tuple(lines)

    def to_dict(self) -> dict:
        out = {
            "candidate": self.candidate,
            "params": dict(self.params),
            "status": self.status.value,
            "guarantee_lower": _number(self.guarantee_lower, self.dps),
            "potential_upper": _number(self.potential_upper, self.dps),
            "dps": self.dps,
        }
        if self.potential_limit is not None:
            out["potential_upper_limit"] = _number(self.potential_limit, self.dps)
        if self.regime:
            out["regime"] = self.regime
        out.update({k: _number(v, self.dps) for k, v in self.headline.items()})
        out["tolerance"] = _number(self.tolerance, 3)
        out["constants"] = {k: _number(v, self.dps) for k, v in self.constants.items()}
        out["model"] = self.model
        out["checks"] = [c.to_dict() for c in self.checks]
        if self.skipped:
            out["skipped"] = [{"name": name, "reason": reason} for name, reason in self.skipped]
        if self.status is Verdict.CONFIRMED:
            out["numeric_only"] = list(self.numeric_only)
        return out

    def summary(self) -> str:
        """A plain-text report, one line per check."""
        name = f"{self.candidate} {self._params_text()}".strip()
        lines = [f"{name}: {self.status.value.upper()} (dps={self.dps})"]
        width = max((len(c.name) for c in self.checks), default=10)
        for c in self.checks:
            lines.append(f"  {c.name:<{width}}  {c.status.value:<12}  {c.detail}")
            if c.hint:
                lines.append(f"  {'':<{width}}  {'':<12}  what would have to change: {c.hint}")
        if self.guarantee_lower is not None:
            lines.append(f"  guarantee lower bound  {decimal_string(self.guarantee_lower, self.dps)}")
        if self.potential_upper is not None:
            lines.append(f"  potential upper bound  {decimal_string(self.potential_upper, self.dps)}")
        if self.potential_limit is not None:
            lines.append(f"  potential upper bound, limit  {decimal_string(self.potential_limit, self.dps)}")
        for name, reason in self.skipped:
            lines.append(f"  {name}: not part of this certificate ({reason})")
        if self.status is Verdict.CONFIRMED:
            lines.append("  not proved, numeric evidence only:")
            lines.extend(f"    {line}" for line in self.numeric_only)
        if self.regime:
            lines.append(f"  regime: {self.regime}")
        return "\n".join(lines)

    # -- LaTeX and notebooks (irmd.derivations) ------------------------------
    def to_latex(self) -> str:
        """The verification as a standalone LaTeX document (see :mod:`irmd.derivations`)."""
        from irmd.derivations import to_latex

        return to_latex(self)

    def _repr_latex_(self) -> str:
        from irmd.derivations import certificate_latex

        return certificate_latex(self)

    def _repr_markdown_(self) -> str:
        from irmd.derivations import certificate_markdown

        return certificate_markdown(self)

    def _params_text(self) -> str:
        return " ".join(f"{k}={v}" for k, v in self.params.items())


def verdict(checks, complete: bool) -> Verdict:
    """The candidate's verdict from its checks (``complete``: every check the verdict needs ran).

    The bounds check is one of the checks: it is proved only when the two bounds
    are proved to bracket the value within the tolerance.
    """
    status = combine(c.status for c in checks)
    if status is Status.REFUTED:
        return Verdict.REFUTED
    if status is Status.INCONCLUSIVE or not complete:
        return Verdict.INCONCLUSIVE
    return Verdict.VERIFIED if status is Status.PROVED else Verdict.CONFIRMED


def mp_or_none(value):
    return None if value is None else mpmath.mpf(value)
