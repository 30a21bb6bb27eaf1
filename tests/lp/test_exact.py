"""The exact certificate proves only what it checks: tampered bases are never proved."""
from fractions import Fraction

import numpy as np

from irmd.status import Status
from irmd.verify.finite import Guarantee2LP, PayoffTables, first_price_auction
from irmd.verify.lp import HiGHS, certify
from irmd.verify.lp.highs import BASIS_BASIC


def _solved(n=5):
    env, mechanism = first_price_auction(n)
    reduction = Guarantee2LP()
    lp, _ = reduction.apply(PayoffTables.of(env, mechanism))
    exact_lp, _ = reduction.apply(PayoffTables.of(env, mechanism, exact=True), exact=True)
    return HiGHS().solve(lp), exact_lp


def test_certificate_of_the_optimal_basis_is_proved():
    solution, exact_lp = _solved()
    certificate = certify(exact_lp, solution.basis)
    assert certificate.status is Status.PROVED
    assert certificate.value == Fraction(3, 50)
    assert all(isinstance(v, Fraction) for v in certificate.x)


def test_no_basis_and_non_square_basis_are_inconclusive():
    solution, exact_lp = _solved()
    assert certify(exact_lp, None).status is Status.INCONCLUSIVE
    cols, rows = solution.basis
    rows = rows.copy()
    rows[np.flatnonzero(rows == BASIS_BASIC)[0]] = 0      # one more active row than basic columns
    certificate = certify(exact_lp, (cols, rows))
    assert certificate.status is Status.INCONCLUSIVE and "not square" in certificate.message


def test_a_wrong_square_basis_is_not_proved():
    solution, exact_lp = _solved()
    cols, rows = (s.copy() for s in solution.basis)
    # swap one basic column for a non-basic one: still square, but not an optimal basis
    basic = np.flatnonzero(cols == BASIS_BASIC)
    nonbasic = np.flatnonzero(cols != BASIS_BASIC)
    proved = 0
    for out, into in zip(basic[:5], nonbasic[-5:]):
        c = cols.copy()
        c[out], c[into] = 0, BASIS_BASIC
        certificate = certify(exact_lp, (c, rows))
        if certificate.status is Status.PROVED:
            proved += 1
            assert certificate.value == Fraction(3, 50)       # only an alternative optimal basis may pass
        else:
            assert "singular" in certificate.message or "not optimal" in certificate.message
    assert proved < 5
