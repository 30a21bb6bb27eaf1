"""Reproduction of the survey's equations: verdicts come from derivation."""
import pytest

from irmd.derivations.reproduce import check_equation, load_equations
from irmd.derivations.rates import auction_value, survey_rate

FAST = ("27", "29", "30", "32", "34", "36'", "38", "gamma-nu", "gamma-nubar", "40", "42", "42'", "43",
        "lambda-q", "SVO-3.6.2", "surface")


@pytest.fixture(scope="module")
def results():
    return {e["id"]: check_equation(e) for e in load_equations() if e["id"] in FAST}


def test_printed_forms_transcribed():
    ids = [e["id"] for e in load_equations()]
    for number in range(27, 46):
        assert str(number) in ids


def test_reproduced_equations(results):
    for eq in ("27", "29", "30", "32", "34", "38", "gamma-nubar", "40", "42", "43", "lambda-q", "SVO-3.6.2",
               "surface"):
        assert results[eq].verdict == "reproduced", (eq, results[eq].explanation)


def test_differences_found_by_derivation(results):
    # L_0 = L_1 - N/y: the derivation gives N/ybar (the divergence of q-bar below ybar).
    assert results["36'"].verdict == "differs" and "ybar" in results["36'"].explanation
    # The garbled display: unbalanced parentheses and an extra term -g rho' q.
    assert results["gamma-nu"].verdict == "differs" and "parentheses" in results["gamma-nu"].explanation
    # The region after (42) is x_1 + x_2 > ybar, not > L.
    assert results["42'"].verdict == "differs"


def test_a_correct_transcription_is_reproduced():
    entry = next(e for e in load_equations() if e["id"] == "36'")
    fixed = dict(entry, printed=["L_0", "L_1 - N/ybar"])
    assert check_equation(fixed).verdict == "reproduced"


def test_rate_one_over_sqrt_n():
    report = survey_rate(10**4)
    assert abs(report["exponent"] - 0.5) < 0.05
    _, value = auction_value(2)
    assert 0 < value < 0.5
