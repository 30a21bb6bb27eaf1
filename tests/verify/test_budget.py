import threading
import time

import pytest
import sympy as sp

from irmd.budget import time_budget
from irmd.errors import BudgetExceeded


def _hard():
    x = sp.Symbol("x")
    return sp.simplify(sum(sp.sin(k * x) ** k for k in range(1, 40)).expand(trig=True))


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

    thread = threading.Thread(target=work)
    thread.start()
    thread.join(120)
    assert caught == [True]


def test_finished_body_is_not_interrupted_later():
    with time_budget(0.2):
        pass
    time.sleep(0.4)  # the timer must not fire into unrelated code
