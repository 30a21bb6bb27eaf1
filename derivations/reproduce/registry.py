"""The registry of equation derivers: each display's derivation is a function registered under its id."""
from __future__ import annotations

from typing import Callable

#: A deriver takes the display's namespace and returns its derived forms: ``{"forms": [...], "note": ...}``
#: aligned with the printed chain, ``{"state_forms": {label: [...]}}`` when the display holds in every
#: state, or ``{"forms": "<kind>"}`` for the displays checked by a dedicated procedure.
Deriver = Callable[[dict], dict]


def registrar(registry: dict[str, Deriver]) -> Callable[..., Callable[[Deriver], Deriver]]:
    """A decorator ``@derives(id, ...)`` that files a deriver in ``registry`` under each id."""

    def derives(*ids: str) -> Callable[[Deriver], Deriver]:
        def register(function: Deriver) -> Deriver:
            for eq_id in ids:
                if eq_id in registry:
                    raise ValueError(f"equation {eq_id} has two derivers")
                registry[eq_id] = function
            return function
        return register
    return derives
