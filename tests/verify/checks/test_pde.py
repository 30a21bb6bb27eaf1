"""ivo.transfer_pde (27) and svo.transfer_ode (verify/checks/pde.py): the IVO coefficients of
unbounded transfers vanish; the symmetric total transfer solves its ODE.

Each wrong case of ``soundness_cases`` whose first ``caught_by`` check is of this family
runs here, once in the suite; correct candidates must keep the family's checks PROVED.
"""
import pytest

from .common import assert_caught, assert_family_proved, wrong_cases

CHECKS = ("ivo.transfer_pde", "svo.transfer_ode")


@pytest.mark.parametrize("name", wrong_cases("pde"))
def test_wrong_candidate_is_caught_by_its_check(name):
    assert_caught(name)


@pytest.mark.parametrize("name, checks", [("template mu1=1/2", ("ivo.transfer_pde",)), ("N=2 symmetric", CHECKS)])
def test_correct_candidate_keeps_the_checks_proved(name, checks):
    assert_family_proved(name, checks)
