"""Time budgets for symbolic steps.

Every sympy call that can run long (simplify, integrate, limit, solve) runs
inside :func:`time_budget`; when the budget is spent, :class:`BudgetExceeded` is
raised *inside* the computation and the caller falls back to numerics, so irmd
never hangs.  The exception is delivered to the running thread with
``PyThreadState_SetAsyncExc`` from a watcher thread, which works in any thread
(signals only reach the main thread, and sweeps run checks in worker threads).
sympy is pure Python, so the exception arrives between two bytecodes.

An asynchronous exception that arrives while a ``gc`` callback runs (hypothesis
installs one; so may any library) is dropped by the interpreter as
"unraisable".  :func:`_redeliver_dropped` is chained into ``sys.unraisablehook``
and delivers it again, so a budget is never lost that way.  Only a drop
triggers a second delivery: a blind repetition could land just as the body ends
and escape its ``with`` block into unrelated code.
"""
from __future__ import annotations

import ctypes
import sys
import threading
import time
import weakref

from .errors import BudgetExceeded

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc

#: Seconds between a dropped delivery and the next one.
REDELIVERY_DELAY = 0.05


class time_budget:  # noqa: N801 - used like a function: ``with time_budget(2.0): ...``
    """Run the body for at most ``seconds`` (None: no limit), else raise BudgetExceeded."""

    def __init__(self, seconds: float | None, what: str = "symbolic step"):
        self.seconds = seconds
        self.what = what

    def __enter__(self):
        if self.seconds is None:
            return self
        if self.seconds <= 0:
            raise BudgetExceeded(f"{self.what}: no time left in the budget")
        # A subclass per budget tells nested budgets apart (an outer budget's
        # exception passes through an inner one untouched) and leads a dropped
        # delivery back to its budget.
        self._own = type("BudgetExceededHere", (BudgetExceeded,), {"budget": weakref.ref(self)})
        self._thread_id = ctypes.c_ulong(threading.get_ident())
        # Delivery and the body's end both happen under this lock, so once the
        # body has ended nothing is delivered into unrelated code.
        self._lock = threading.Lock()
        self._ended = False
        self._delivered = False
        self._stop = threading.Event()
        threading.Thread(target=self._watch, name=f"budget: {self.what}", daemon=True).start()
        return self

    def _deliver(self) -> None:
        with self._lock:
            if self._ended:
                return
            _install_redelivery()
            self._delivered = True
            _set_async_exc(self._thread_id, ctypes.py_object(self._own))

    def _watch(self) -> None:
        if not self._stop.wait(self.seconds):
            self._deliver()

    def __exit__(self, exc_type, exc, tb):
        if self.seconds is None:
            return False
        exceeded = exc_type is not None and issubclass(exc_type, self._own)
        foreign = None
        # A delivery may still land while we end (before the lock is taken):
        # catch it and end again, so that nothing is delivered afterwards.
        while True:
            try:
                with self._lock:
                    self._ended = True
                    if self._delivered:
                        _set_async_exc(self._thread_id, None)  # NULL clears a pending one
                self._stop.set()
                break
            except self._own:
                exceeded = True
            except BudgetExceeded as other:  # an enclosing budget's; it must reach its owner
                foreign = other
        if foreign is not None:
            raise foreign
        if exceeded:
            raise BudgetExceeded(f"{self.what}: exceeded its time budget of {self.seconds:g} s") from None
        return False


def _redeliver_dropped(unraisable, previous) -> None:
    exc_type = getattr(unraisable, "exc_type", None)
    budget_ref = getattr(exc_type, "budget", None) if isinstance(exc_type, type) else None
    budget = budget_ref() if isinstance(budget_ref, weakref.ref) else None
    if budget is None:
        previous(unraisable)
        return
    # From another thread and a moment later: set here, it would be raised
    # inside this hook and dropped again.
    timer = threading.Timer(REDELIVERY_DELAY, budget._deliver)  # no-op once the body has ended
    timer.daemon = True
    timer.start()


def _install_redelivery() -> None:
    """Chain :func:`_redeliver_dropped` in front of whatever ``sys.unraisablehook`` is now."""
    current = sys.unraisablehook
    if getattr(current, "_irmd_redelivery", False):
        return

    def hook(unraisable):
        _redeliver_dropped(unraisable, current)

    hook._irmd_redelivery = True
    sys.unraisablehook = hook


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
