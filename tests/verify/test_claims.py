"""The claim decider: every status must be reachable, and a failure must never pass."""
import mpmath
import pytest
import sympy as sp

from irmd.analytic.constants import Constant
from irmd.budget import Budget
from irmd.status import Status
from irmd.verify.claims import Claim, ClaimKind, DecisionContext, decide, simplify_steps
from irmd.verify.regions import Surface
from irmd.verify.sampling import Box

y = sp.Symbol("y", real=True, nonnegative=True)
c = sp.Symbol("c", positive=True)
box = Box((y,), (0,))


def sqrt2(dps):
    with mpmath.workdps(dps):
        return {c: mpmath.sqrt(2)}


SQRT2 = (Constant(c, equation=c**2 - 2, bracket=(1, 2)),)


def context(values=None, dps=30, symbolic=True, escalate=sqrt2, guard=20, constants=SQRT2):
    values = values if values is not None else sqrt2(dps + guard)
    return DecisionContext(dps, values, Budget(20, 10), symbolic, guard=guard, escalate=escalate,
                           constants=constants)


def claim(kind, expr):
    return Claim("test", kind, expr, box)


@pytest.mark.parametrize("kind, expr, expected", [
    (ClaimKind.ZERO, (y + 1) ** 2 - y**2 - 2 * y - 1, Status.PROVED),
    (ClaimKind.ZERO, sp.exp(y) * sp.exp(-y) * (1 + y) - y - 1, Status.PROVED),
    (ClaimKind.ZERO, c**2 - 2, Status.CONFIRMED),             # holds only for the value of c
    (ClaimKind.ZERO, y - sp.Rational(1, 1000), Status.REFUTED),
    (ClaimKind.ZERO, c**2 - 2 + sp.Rational(1, 10**20), Status.REFUTED),
    (ClaimKind.NONNEG, y**2 + 1, Status.PROVED),
    (ClaimKind.NONNEG, y - 5, Status.REFUTED),
    (ClaimKind.NONNEG, sp.exp(-y) * (2 - c**2) + y, Status.CONFIRMED),
    (ClaimKind.BOUNDED, y / (1 + y), Status.PROVED),       # continuous, limits 0 and 1 at the ends
    (ClaimKind.BOUNDED, sp.exp(y / 10), Status.REFUTED),
    (ClaimKind.BOUNDED, 1 / (y + sp.Rational(1, 10)), Status.PROVED),
    (ClaimKind.BOUNDED, 1 / y, Status.REFUTED),
])
def test_statuses(kind, expr, expected):
    evidence = decide(claim(kind, expr), context())
    assert evidence.status is expected, (evidence.method, evidence.note)
    # A witness exactly when refuted, with the claim's variable (and no witness otherwise).
    refuted = expected is Status.REFUTED
    assert (evidence.witness is not None) is refuted, evidence.witness
    assert set(evidence.witness or {}) == ({y} if refuted else set()), evidence.witness


def test_numeric_only_never_proves():
    evidence = decide(claim(ClaimKind.ZERO, (y + 1) ** 2 - y**2 - 2 * y - 1), context(symbolic=False))
    assert evidence.status is Status.CONFIRMED
    assert evidence.dps == 30 and evidence.points > 10


def test_refutation_reports_the_residual_at_the_witness():
    evidence = decide(claim(ClaimKind.NONNEG, y - 5), context())
    point = evidence.witness[y]
    assert point < 5 and abs(evidence.residual - (point - 5)) < 1e-20


def test_near_miss_that_vanishes_at_higher_precision_is_confirmed():
    a, b = sp.symbols("a b", positive=True)
    low = {a: mpmath.mpf(2), b: mpmath.mpf(2) + mpmath.mpf("1e-12")}
    evidence = decide(claim(ClaimKind.ZERO, a - b),
                      context(low, dps=15, escalate=lambda d: {a: mpmath.mpf(2), b: mpmath.mpf(2)},
                              constants=(Constant(a, value=2), Constant(b, value=2))))
    assert evidence.status is Status.CONFIRMED
    assert "agree at" in evidence.note


def test_near_miss_that_persists_is_refuted():
    a, b = sp.symbols("a b", positive=True)
    low = {a: mpmath.mpf(2), b: mpmath.mpf(2) + mpmath.mpf("1e-12")}
    exact = (Constant(a, value=2), Constant(b, value=2 + sp.Rational(1, 10**12)))
    evidence = decide(claim(ClaimKind.ZERO, a - b), context(low, dps=15, escalate=lambda d: dict(low),
                                                            constants=exact))
    assert evidence.status is Status.REFUTED
    assert "persists" in evidence.note


def test_simplification_over_budget_is_inconclusive_then_numeric():
    hard = sp.sin(y) ** 2 + sp.cos(y) ** 2 - 1 + sum(sp.sin(k * y) ** 7 - sp.sin(k * y) ** 7 for k in range(3))
    ctx = DecisionContext(20, sqrt2(40), Budget(0.0001, 0.0001), True, escalate=sqrt2)
    evidence = decide(claim(ClaimKind.ZERO, hard + (c**2 - 2)), ctx)
    assert evidence.status is Status.CONFIRMED  # numeric fallback, never "proved"


@pytest.mark.parametrize("centre", ["1.2345", "6.789", "0.0777"])
def test_the_numeric_search_climbs_to_a_dip_between_sample_points(centre):
    # (y - centre)^2 - 10^-7 < 0 only within 3.2e-4 of the centre, far narrower than the sample
    # spacing: the sample alone sees a positive function; climbing from its worst points finds the
    # dip, and the failure is certified in ball arithmetic (symbolic proofs off, so nothing else could).
    dip = (y - sp.Rational(centre)) ** 2 - sp.Rational(1, 10**7)
    evidence = decide(claim(ClaimKind.NONNEG, dip), context(symbolic=False))
    assert evidence.status is Status.REFUTED, evidence
    assert abs(evidence.witness[y] - mpmath.mpf(centre)) < mpmath.mpf("3.2e-4")


def test_the_numeric_search_stays_inside_the_region():
    # Negative only below y = 1, outside the region y > 2: the climb must not step out of it.
    side = Surface(y - 2)
    outside = Claim("test", ClaimKind.NONNEG, y - 1 + sp.Rational(1, 10**6) * (y - 3) ** 2, box,
                    region=((side, 1),), surfaces=(side,), intervals=((2, sp.oo),))
    evidence = decide(outside, context(symbolic=False))
    assert evidence.status is Status.CONFIRMED, evidence


def test_the_numeric_search_does_not_climb_off_a_surface():
    # A claim on the surface y = 2 only: 1 - y/2 - (y - 2)^2 >= 0 holds there (it is 0) and fails
    # beside it.  Climbing from a point of the surface would leave it and "refute" a true claim.
    surface = Surface(y - 2)
    on_surface = Claim("test", ClaimKind.NONNEG, 1 - y / 2 - (y - 2) ** 2, box, region=((surface, 0),),
                       surfaces=(surface,))
    evidence = decide(on_surface, context(symbolic=False))
    assert evidence.status is Status.CONFIRMED, evidence


def test_a_power_too_large_to_expand_is_not_expanded():
    """simplify_steps skips an expansion that would exhaust memory (no time budget could stop it)."""
    x1, x2 = sp.symbols("x1 x2", positive=True)
    power = (x1 + x2) ** (-10**6)
    result, steps = simplify_steps(x1 * power + x2 * power, Budget(5.0, 2.0))
    assert all(step.description != "expand" for step in steps)
    assert result.has(x1 + x2)
