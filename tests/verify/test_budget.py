import gc
import threading
import time

import pytest
import sympy as sp

from irmd.analytic.library import build
from irmd.budget import time_budget
from irmd.errors import BudgetExceeded
from irmd.status import Status, Verdict
from irmd.verify import verify
from irmd.verify.checks import ordered_checks


def _hard():
    x = sp.Symbol("x")
    return sp.simplify(sum(sp.sin(k * x) ** k for k in range(1, 40)).expand(trig=True))


def _spin(seconds):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        pass


def test_budget_interrupts_sympy():
    start = time.monotonic()
    with pytest.raises(BudgetExceeded):
        with time_budget(0.5):
            _hard()
    # Unbudgeted, this runs for minutes; generous slack for a loaded CI machine.
    assert time.monotonic() - start < 60


def test_budget_works_in_a_worker_thread():
    caught = []

    def work():
        try:
            with time_budget(0.5):
                _hard()
        except BudgetExceeded:
            caught.append(True)

    # daemon: should the budget ever fail, the test fails instead of hanging the run
    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    thread.join(120)
    assert caught == [True]


def test_an_interrupt_dropped_in_a_gc_callback_is_delivered_again():
    # An asynchronous exception raised inside a gc callback (hypothesis installs
    # one) is dropped as "unraisable"; the budget must still end the body.
    entered = []

    def slow_callback(phase, info):
        if phase == "start" and not entered:
            entered.append(True)
            _spin(1.0)  # the delivery at 0.2 s lands here

    start = time.monotonic()
    gc.callbacks.append(slow_callback)
    try:
        with pytest.raises(BudgetExceeded, match="exceeded its time budget"):
            with time_budget(0.2):
                gc.collect()
                _spin(60)
    finally:
        gc.callbacks.remove(slow_callback)
    assert entered == [True]
    assert time.monotonic() - start < 30


def test_nested_budgets_each_end_their_own_body():
    with pytest.raises(BudgetExceeded, match="outer"):
        with time_budget(0.3, "outer"):
            with time_budget(30, "inner"):
                _spin(60)
    with pytest.raises(BudgetExceeded, match="inner"):
        with time_budget(30, "outer"):
            with time_budget(0.3, "inner"):
                _spin(60)
    time.sleep(1.5)  # no late delivery from either watcher


def test_finished_body_is_not_interrupted_later():
    with time_budget(0.2):
        pass
    time.sleep(0.4)  # the timer must not fire into unrelated code
    with pytest.raises(BudgetExceeded):
        with time_budget(0.2):
            _spin(60)
    time.sleep(1.5)  # nor deliver after the body has ended


def test_a_budget_no_step_caught_makes_its_check_inconclusive_not_a_crash(monkeypatch):
    """BudgetExceeded is a BaseException (sympy's `except Exception` must not swallow it): verify() still
    turns one that escapes a check into that check's inconclusive result."""
    check = next(c for c in ordered_checks() if c.name == "svo.slackness")

    def exhausted(run):
        raise BudgetExceeded("hypergeometric functions in closed form")

    monkeypatch.setattr(type(check), "run", lambda self, run: exhausted(run))
    certificate = verify(build("common-value-auction", {"N": "2"}), dps=15, symbolic=False)
    result = next(r for r in certificate.checks if r.name == "svo.slackness")
    assert result.status is Status.INCONCLUSIVE and "time budget" in result.detail
    assert certificate.status is Verdict.INCONCLUSIVE
