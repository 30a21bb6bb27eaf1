"""Built-in candidates, written with the same public API a user uses.

Each built-in is one module here: it registers a :class:`Builtin` -- the candidate's
builder, its parameters and, where the paper gives them, its closed forms
(:class:`~irmd.analytic.shapes.ClosedForms`: the saddle value and the conjectured
shapes that the bounding programs compare against, an independent cross-check of
the verifier).  :func:`build` parses and validates user-given parameter strings
(exactly: ``"0.3"`` is 3/10) and returns the :class:`~irmd.analytic.candidate.Candidate`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping

from irmd.errors import ParameterError, UnknownNameError

from ..parameters import Parameter
from ..shapes import ClosedForms


@dataclass(frozen=True)
class Builtin:
    name: str
    description: str
    parameters: tuple[Parameter, ...]
    builder: Callable
    reference: str = ""
    closed_forms: Callable[..., ClosedForms] | None = None   # called with the parsed parameters

    def values(self, params: Mapping | None = None) -> dict:
        """The parameters parsed and validated, defaults filled in (None: chosen by the builder)."""
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
        return values

    def build(self, params: Mapping | None = None):
        return self.builder(**self.values(params))

    def closed_forms_at(self, params: Mapping | None = None) -> ClosedForms | None:
        """The paper's closed forms at these parameters, or None when the built-in has none."""
        return None if self.closed_forms is None else self.closed_forms(**self.values(params))


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
