"""Time budgets for symbolic steps.

Every sympy call that can run long (simplify, integrate, limit, solve) runs
inside :func:`time_budget`; when the budget is spent, :class:`BudgetExceeded` is
raised *inside* the computation and the caller falls back to numerics, so irmd
never hangs.  The exception is delivered to the running thread with
``PyThreadState_SetAsyncExc`` from a timer thread, which works in any thread
(signals only reach the main thread, and sweeps run checks in worker threads).
sympy is pure Python, so the exception arrives between two bytecodes.
"""
from __future__ import annotations

import ctypes
import threading
import time
from contextlib import contextmanager

from .errors import BudgetExceeded

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc


@contextmanager
def time_budget(seconds: float | None, what: str = "symbolic step"):
    """Run the body for at most ``seconds`` (None: no limit), else raise BudgetExceeded."""
    if seconds is None:
        yield
        return
    if seconds <= 0:
        raise BudgetExceeded(f"{what}: no time left in the budget")
    # A subclass per budget tells nested budgets apart: an outer budget's
    # exception passes through an inner one untouched.
    own = type("BudgetExceededHere", (BudgetExceeded,), {})
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"finished": False, "fired": False}

    def fire():
        with lock:
            if state["finished"]:
                return
            state["fired"] = True
            _set_async_exc(ctypes.c_ulong(thread_id), ctypes.py_object(own))

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except own:
        raise BudgetExceeded(f"{what}: exceeded its time budget of {seconds:g} s") from None
    finally:
        with lock:
            state["finished"] = True
            timer.cancel()
            if state["fired"]:
                # The exception may still be pending if the body ended just before
                # delivery; clear it so it cannot surface in unrelated code.
                _set_async_exc(ctypes.c_ulong(thread_id), None)  # NULL clears


class Budget:
    """A total time allowance shared by many symbolic steps (e.g. one per check)."""

    def __init__(self, total_seconds: float | None, per_step: float | None = None):
        self.total = total_seconds
        self.per_step = per_step
        self.start = time.monotonic()

    def remaining(self) -> float | None:
        if self.total is None:
            return self.per_step
        left = self.total - (time.monotonic() - self.start)
        if self.per_step is not None:
            left = min(left, self.per_step)
        return max(left, 0.0)

    def step(self, what: str = "symbolic step"):
        return time_budget(self.remaining(), what)
