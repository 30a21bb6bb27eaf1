"""Status helpers shared by the tests (what each outcome must look like)."""
from irmd.status import PASSING, Status, Verdict


def assert_verified(certificate):
    bad = [(c.name, c.status.value, c.detail) for c in certificate.checks if c.status not in PASSING]
    assert certificate.status is Verdict.VERIFIED, f"not verified: {bad}"
    assert not bad


def assert_refuted(certificate, *checks):
    """Refuted overall, and each named check refuted with a counterexample."""
    assert certificate.status is Verdict.REFUTED, certificate.summary()
    refuted = {c.name for c in certificate.checks if c.status is Status.REFUTED}
    for name in checks:
        assert name in refuted, f"{name} not refuted; refuted: {sorted(refuted)}\n{certificate.summary()}"
    for c in certificate.checks:
        if c.status is Status.REFUTED:
            assert c.counterexample, f"{c.name} refuted without a counterexample"
            assert c.hint and "no diagnosis" not in c.hint, f"{c.name} refuted without a diagnosis"


def assert_never_verified(certificate):
    assert certificate.status is not Verdict.VERIFIED, certificate.summary()
