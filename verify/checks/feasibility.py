r"""Check 2: the mechanism is feasible and participation secure.

Feasibility: every outcome coordinate lies in its factor (allocations
non-negative with :math:`\sum_i q_i \le 1`, bounded intervals respected) and every
unbounded transfer stays bounded (the papers' t_max is large but finite).
Participation security: an agent at the lowest action gets non-negative utility
for every state and every action of the others.
"""
from __future__ import annotations

from ..claims import ClaimKind
from ..diagnostics import number, point_text
from .base import Check, register_check


@register_check
class MechanismFeasibility(Check):
    name = "mechanism.feasibility"
    title = "mechanism is feasible: q_i >= 0, sum q_i <= 1, transfers within bounds and bounded"
    priority = 20

    def _run(self, run):
        evidence = []
        for condition in run.model.feasibility:
            evidence += run.decide_by_region(condition.label, ClaimKind.NONNEG, condition.expr, condition.box,
                                             condition.subject)
        for condition in run.model.transfers:
            evidence.append(run.decide(run.claim(f"transfer {condition.label}", ClaimKind.BOUNDED, condition.expr,
                                                 condition.box, None, subject=condition.subject)))
        return self.result(run, evidence)

    def _diagnose(self, run, evidence, counterexample):
        if evidence.claim.kind is ClaimKind.BOUNDED:
            return (f"{evidence.claim.label} reaches |{number(evidence.residual)}| at {point_text(evidence.witness)}: "
                    "transfers must stay bounded (t_max is finite); a transfer defined by an ODE stays bounded only "
                    "for one choice of its constants (for the proportional auction L_1 = int div(q) g_N)")
        return (f"{evidence.claim.label} fails by {number(evidence.residual)} at {point_text(evidence.witness)}: "
                "every outcome coordinate must lie in its factor (allocations >= 0 summing to <= 1)")


@register_check
class Participation(Check):
    name = "mechanism.participation"
    title = "participation security: the lowest action gives non-negative utility in every state"
    priority = 25

    def _run(self, run):
        evidence = []
        for condition in run.model.participation:
            evidence += run.decide_by_region(f"u ({condition.label})", ClaimKind.NONNEG, condition.expr,
                                             condition.box, condition.subject)
        return self.result(run, evidence)

    def _diagnose(self, run, evidence, counterexample):
        return (f"{evidence.claim.label} is {number(evidence.residual)} < 0 at {point_text(evidence.witness)}: "
                "the lowest action must be secure for every state and every action of the others (for "
                "instance, no allocation and no payment at x_i = 0, or a price the agent accepts in every state)")
