"""Soundness: "verified means proved".

Every wrong candidate in ``soundness_cases`` is a real counterexample to its own
saddle-point claim, built to slip past a verifier that judges claims at sample
points (narrow features, far fields, hidden regions), measures residuals against
the size of unsimplified terms, or trusts a far-field test of boundedness.  None
of them may come out VERIFIED, and the checks named in its ``caught_by`` must not
pass: each case runs once, in the module of its check family under ``checks/``.
This module keeps what is not per family: the case tables, the certificates that
would leave out a check, bad constants (an InputError, exit code 3, never a
verdict), the correct candidates (VERIFIED) and those that must never be refuted.
"""
import re
from pathlib import Path

import mpmath
import pytest
import sympy as sp

from irmd.errors import CandidateError, InputError
from irmd.status import Status, Verdict
from irmd.verify.api import EXCLUDABLE_CHECKS, ordered_checks
from irmd.verify.claims import Claim, ClaimKind, Evidence
from irmd.verify.regions import Surface
from irmd.verify.sampling import Box

from ..helpers import assert_verified
from . import soundness_cases as cases
from .checks.common import correct_certificate, run, witness_is_inside


def parameters(table):
    return [pytest.param(name, id=name, marks=[pytest.mark.slow] if name in cases.SLOW else []) for name in table]


# --------------------------------------------------------------------------- the case tables
# Each wrong candidate runs once, in the module of the family of its first `caught_by` check
# (tests/verify/checks/test_<family>.py), which asserts that those checks catch it.
def test_the_case_tables_are_consistent():
    assert len(cases.WRONG) >= 40
    named = set(cases.WRONG) | set(cases.CORRECT)
    assert cases.SLOW <= named  # no typos in the marks
    assert set(cases.FAMILY) == {check.name for check in ordered_checks()}  # every check has its family
    modules = {path.stem for path in (Path(__file__).parent / "checks").glob("test_*.py")}
    assert modules == {f"test_{family}" for family in cases.FAMILY.values()}  # one module per family
    for name, case in cases.WRONG.items():
        assert case.wrong, name
        assert case.caught_by and set(case.caught_by) <= set(cases.FAMILY), (name, case.caught_by)
        assert len(set(case.caught_by)) == len(case.caught_by), name
        assert bool(case.rejected_for) == case.rejectable, name  # a refusal must say why
        assert set(case.gaps) <= set(case.caught_by), name
    for name, case in cases.CORRECT.items():
        assert not (case.wrong or case.caught_by or case.rejectable or case.gaps), name


def test_a_witness_outside_its_claims_region_is_noticed():
    # The family modules' check of refuted witnesses must be able to fail.
    z, c = sp.symbols("z c", real=True)
    claim = Claim("z - c", ClaimKind.NONNEG, z - c, Box((z,), (0,)), region=((Surface(z - 2 * c), 1),))
    constants = {"c": mpmath.mpf(1)}

    def inside(value):
        return witness_is_inside(Evidence(claim, Status.REFUTED, "test", witness={z: mpmath.mpf(value)}), constants)

    assert inside(3) == (True, "") and inside(2)[0]            # inside, and on the region's boundary
    assert not inside("1.5")[0] and not inside(-1)[0]          # on the other side; below the box
    assert not witness_is_inside(Evidence(claim, Status.REFUTED, "test", witness={c: 1}), constants)[0]


# --------------------------------------------------------------------------- a certificate must not leave out a check
@pytest.mark.parametrize("check", ["mechanism.participation", "mechanism.feasibility", "svo.slackness", "svo.jumps",
                                   "information.distribution", "bounds.saddle"])
def test_leaving_out_a_check_the_verdict_needs_is_refused(check):
    # The template is right, but a certificate without this check would prove nothing:
    # the candidate is refused as bad input, naming the check.
    assert check not in EXCLUDABLE_CHECKS
    with pytest.raises(CandidateError, match=f"excludes {re.escape(check)}, which the verdict needs"):
        run(cases.excluding(cases.template_candidate(), check))


# --------------------------------------------------------------------------- bad constants
NUMBER = re.compile(r"[-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?")


def names_number(message: str, value: float, tolerance: float = 0.1) -> bool:
    return any(abs(float(token) - value) <= tolerance for token in NUMBER.findall(message))


@pytest.mark.parametrize("name", list(cases.BAD_CONSTANTS))
def test_bad_constant_is_bad_input(name):
    build, roots = cases.BAD_CONSTANTS[name]
    with pytest.raises(InputError) as raised:
        run(build())
    message = str(raised.value)
    assert message.strip()
    missing = [root for root in roots or () if not names_number(message, root)]
    assert not missing, f"the message does not name the roots {missing}: {message}"


# --------------------------------------------------------------------------- correct candidates
def test_the_mutated_one_buyer_is_the_template():
    # The template mutants start from exactly what `irmd new` writes.
    template, rebuilt = cases.template_candidate(), cases.one_buyer()
    for part in ("environment", "mechanism", "information", "constants", "svo_levels"):
        assert getattr(rebuilt, part) == getattr(template, part), part


@pytest.mark.parametrize("name", parameters(cases.CORRECT))
def test_correct_candidate_is_verified(name):
    certificate = correct_certificate(name)  # shared with the family modules' correct candidates
    assert_verified(certificate)


@pytest.mark.parametrize("name", list(cases.NEVER_REFUTED))
def test_correct_candidate_is_never_refuted(name):
    build, dps = cases.NEVER_REFUTED[name]
    certificate = run(build(), dps)
    assert certificate.status is not Verdict.REFUTED, certificate.summary()
