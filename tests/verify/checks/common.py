"""What the family modules share: one run per candidate, and what a catch must look like.

A wrong case is *caught* when the verdict is not VERIFIED and every check in its
``caught_by`` ended REFUTED or INCONCLUSIVE (never PROVED or CONFIRMED; the case's
``gaps``, known gaps of the verifier, may end CONFIRMED, never PROVED); a refuted
check's witnesses must lie in the closure of the regions of the claims they refute.
Each wrong case belongs to the family of its first ``caught_by`` check and is run once,
by that family's module.
"""
from __future__ import annotations

import functools

import mpmath
import pytest
import sympy as sp

from irmd.errors import IrmdError
from irmd.status import PROVEN, Status, Verdict
from irmd.verify import verify

from ...helpers import assert_never_verified
from .. import soundness_cases as cases

CAUGHT = frozenset({Status.REFUTED, Status.INCONCLUSIVE})


def run(candidate, dps=20):
    return verify(candidate, dps=dps, budget_seconds=20, step_seconds=5)


@functools.cache
def correct_certificate(name):
    """The certificate of the correct case ``name``, computed once per process (shared by
    ``test_soundness`` and the family modules)."""
    return run(cases.CORRECT[name].build())


def wrong_cases(family: str) -> list:
    """The wrong cases whose first ``caught_by`` check is of ``family``, slow ones marked."""
    out = [pytest.param(name, id=name, marks=[pytest.mark.slow] if name in cases.SLOW else [])
           for name, case in cases.WRONG.items() if cases.FAMILY[case.caught_by[0]] == family]
    assert out, f"no wrong case is caught by the {family} family"
    return out


def witness_is_inside(evidence, constants: dict) -> tuple[bool, str]:
    """Whether a refuted claim's witness lies in the box and in the closure of the region of
    its claim (on a surface of side 0 up to a relative 1e-8), with the reason if not."""
    claim, witness = evidence.claim, dict(evidence.witness)
    missing = [v for v in claim.variables if v not in witness]
    surfaces = [surface for surface, side in claim.region if side == 0]
    if len(missing) == 1 and surfaces:
        # A claim on a surface is decided on the surface's parametrisation: the witness gives the free
        # coordinates, and the surface fixes the last one.
        phi = sp.sympify(surfaces[0].phi)
        known = {v: sp.Float(str(witness[v]), 40) for v in claim.variables if v in witness}
        known.update({s: sp.Float(str(constants[s.name]), 40) for s in phi.free_symbols if s.name in constants})
        roots = [r for r in sp.solve(phi.xreplace(known), missing[0]) if r.is_real]
        if len(roots) == 1:
            witness[missing[0]] = roots[0]
            missing = []
    if missing:
        return False, f"the witness {witness} has no value for {missing}"
    with mpmath.workdps(40):
        point = {v: mpmath.mpf(witness[v]) for v in claim.variables}
        size = 1 + sum(abs(c) for c in point.values())

        def value(expr):
            expr = sp.sympify(expr)
            unknown = [s for s in expr.free_symbols if s not in point and s.name not in constants]
            if unknown:
                raise AssertionError(f"cannot evaluate {expr}: no value for {unknown}")
            numbers = {**point, **{s: constants[s.name] for s in expr.free_symbols if s not in point}}
            return mpmath.mpf(sp.lambdify(list(numbers), expr, "mpmath")(*numbers.values()))

        for variable, lower in zip(claim.variables, claim.box.lower):
            if point[variable] < value(lower) - mpmath.mpf("1e-8") * size:
                return False, f"{variable} = {point[variable]} is below the box's lower bound {lower}"
        for surface, side in claim.region:
            phi = value(surface.phi)
            on_surface = abs(phi) <= mpmath.mpf("1e-8") * size
            if (side == 0 and not on_surface) or (side != 0 and not on_surface and mpmath.sign(phi) != side):
                return False, f"{surface} is {mpmath.nstr(phi, 5)} at the witness, the region's side is {side}"
    return True, ""


def assert_caught(name):
    """Run the wrong case ``name`` once: not verified, and each ``caught_by`` check refuted
    (with its witnesses inside the claims' regions) or inconclusive."""
    case = cases.WRONG[name]
    try:
        certificate = run(case.build())
    except IrmdError as error:
        # Refused as bad input (e.g. a negative density, or a check the verdict needs left out):
        # only where the case allows it, and only for the reason it is wrong.
        assert case.rejectable, f"{name} raised {error!r}"
        assert case.rejected_for and case.rejected_for in str(error), (case.rejected_for, str(error))
        return
    try:
        assert_never_verified(certificate)
    except AssertionError as failure:
        raise AssertionError(f"verified, but wrong: {case.wrong}\n{failure}") from None
    results = {c.name: c for c in certificate.checks}
    for check in case.caught_by:
        assert check in results, f"{name}: {check} did not run ({sorted(results)}, skipped {certificate.skipped})"
        result = results[check]
        if check in case.gaps:
            # A known gap (see Case.gaps): the false claim may be CONFIRMED, never PROVED (whether the
            # check gets further within its time budget depends on the machine's load).
            assert result.status is not Status.PROVED, f"{name}: {check} proves a false claim ({case.wrong})"
            if result.status is not Status.REFUTED:
                continue
        assert result.status in CAUGHT, (
            f"{name}: {check} is {result.status.value}, should catch it ({case.wrong})\n{certificate.summary()}")
        if result.status is Status.REFUTED:
            assert result.counterexample, f"{check} refuted without a counterexample"
            refuted = [e for e in result.evidence if e.status is Status.REFUTED]
            for evidence in refuted:
                inside, why = witness_is_inside(evidence, certificate.constants)
                assert inside, f"{name}: {check} refutes '{evidence.claim.label}' outside its region: {why}"


def assert_family_proved(name, checks):
    """The correct case ``name`` is verified and each of ``checks`` ran and is PROVED."""
    certificate = correct_certificate(name)
    assert certificate.status is Verdict.VERIFIED, certificate.summary()
    results = {c.name: c.status for c in certificate.checks}
    for check in checks:
        assert results.get(check) in PROVEN, f"{name}: {check} is {results.get(check)}"
