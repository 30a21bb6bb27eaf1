"""Built-in candidates, written with the same public API a user uses.

Each built-in registers a builder with its parameters; :func:`build` parses and
validates user-given parameter strings (exactly: ``"0.3"`` is 3/10) and returns
the :class:`~irmd.analytic.candidate.Candidate`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

import sympy as sp

from irmd.errors import ParameterError, UnknownNameError
from irmd.numbers import parse_exact


@dataclass(frozen=True)
class Parameter:
    """A parameter of a built-in: name, type, default, description and a validity test."""

    name: str
    kind: str                 # "integer" | "number"
    default: str | None       # None: chosen by the builder ("auto")
    description: str
    check: Callable[[sp.Rational], str | None] = lambda value: None

    def parse(self, text) -> sp.Rational:
        value = parse_exact(text, f"parameter {self.name}")
        if self.kind == "integer" and not value.is_Integer:
            raise ParameterError(f"parameter {self.name} must be an integer, got {text}")
        problem = self.check(value)
        if problem:
            raise ParameterError(f"parameter {self.name} = {text}: {problem}")
        return value


@dataclass(frozen=True)
class Builtin:
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    builder: Callable
    reference: str = ""

    def build(self, params: Mapping | None = None):
        params = dict(params or {})
        known = {p.name for p in self.parameters}
        unknown = sorted(set(params) - known)
        if unknown:
            raise ParameterError(
                f"unknown parameter {unknown[0]!r} for {self.name}; parameters are {sorted(known)}"
            )
        values = {}
        for p in self.parameters:
            given = params.get(p.name, p.default)
            values[p.name] = None if given is None else p.parse(given)
        return self.builder(**values)


_REGISTRY: dict[str, Builtin] = {}


def register(builtin: Builtin) -> Builtin:
    if builtin.name in _REGISTRY:
        raise RuntimeError(f"built-in {builtin.name!r} registered twice")
    _REGISTRY[builtin.name] = builtin
    return builtin


def names() -> list[str]:
    return sorted(_REGISTRY)


def get(name: str) -> Builtin:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise UnknownNameError(f"unknown candidate {name!r}; built-ins are {', '.join(names())}") from None


def build(name: str, params: Mapping | None = None):
    """Build the built-in candidate ``name`` with parameters given as strings or numbers."""
    return get(name).build(params)


from . import auction, bilateral  # noqa: E402,F401  (register themselves)
