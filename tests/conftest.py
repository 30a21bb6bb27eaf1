"""Shared test configuration.

Precision must never leak out of a call: after every test the global mpmath
context must be back at its default 53 bits (asserted, not silently reset).
"""
import mpmath
import pytest


@pytest.fixture(autouse=True)
def _precision_does_not_leak():
    assert mpmath.mp.prec == 53, "a previous test left mpmath precision changed"
    yield
    assert mpmath.mp.prec == 53, "this test (or irmd) left mpmath precision changed"
