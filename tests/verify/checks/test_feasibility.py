"""mechanism.feasibility and mechanism.participation (verify/checks/feasibility.py): every
outcome in its factor and every unbounded transfer bounded; the lowest action secure.

Each wrong case of ``soundness_cases`` whose first ``caught_by`` check is of this family
runs here, once in the suite; correct candidates must keep the family's checks PROVED.
"""
import pytest

from .common import assert_caught, assert_family_proved, wrong_cases

CHECKS = ("mechanism.feasibility", "mechanism.participation")


@pytest.mark.parametrize("name", wrong_cases("feasibility"))
def test_wrong_candidate_is_caught_by_its_check(name):
    assert_caught(name)


@pytest.mark.parametrize("name, checks", [("template mu1=1/2", CHECKS), ("N=2 symmetric", CHECKS)])
def test_correct_candidate_keeps_the_checks_proved(name, checks):
    assert_family_proved(name, checks)
