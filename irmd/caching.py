"""A small thread-safe cache of the most recently used entries, for results keyed on exact inputs."""
from __future__ import annotations

import threading
from collections import OrderedDict

import sympy as sp


def exact_key(expr):
    """``expr`` as part of a key for results that depend on its exact value: itself (sympy's
    structural equality), and for an expression holding a Float also its ``srepr`` (printed form
    and precision), so that 2.0 at two precisions are told apart."""
    if isinstance(expr, sp.Basic) and expr.has(sp.Float):
        return (expr, sp.srepr(expr))
    return expr


class RecentCache:
    """Keeps at most ``size`` entries, dropping the least recently used; safe across threads.

    ``get`` returns None for a missing key, so None is never stored as a value.
    """

    def __init__(self, size: int):
        self._size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self._size:
                self._items.popitem(last=False)
