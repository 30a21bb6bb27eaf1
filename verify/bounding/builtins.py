"""Built-in environments for ``irmd bounds NAME``, with what is known about them.

A name is looked up first in :mod:`irmd.analytic.library` (the verified built-in
candidates): the environment is the candidate's, and the analytic value is the
verifier's common guarantee/potential bound when the candidate is verified.
Names the library does not have yet fall back to the closed forms of
:mod:`.environments`.  The closed forms also give the candidate mechanism's
largest transfer (to tell an invalid ``t_max`` from a bug) and the shapes
compared with the grid solutions; when both sources give a value they are
cross-checked.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

import irmd.analytic.library as library
from irmd.errors import IrmdError, UnknownNameError
from irmd.verify.api import verify

from . import environments
from .candidates import ShapeModel, builtin_shapes, candidate_shapes
from .common import number


@dataclass(frozen=True)
class Source:
    name: str
    params: dict
    environment: object
    analytic: float | None
    analytic_origin: str
    transfer_scale: float | None
    shapes: ShapeModel | None
    notes: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict:
        return {"name": self.name, "params": {k: str(v) for k, v in self.params.items()},
                "analytic": number(self.analytic, 12), "analytic_origin": self.analytic_origin,
                "candidate_max_transfer": number(self.transfer_scale, 6), "notes": list(self.notes)}


def names() -> list[str]:
    return sorted(set(environments.names()) | set(library.names()))


def resolve(name: str, params: Mapping[str, str] | None = None, dps: int = 20) -> Source:
    """The environment and known values of the built-in ``name`` with string parameters."""
    params = dict(params or {})
    in_library = name in library.names()
    if not in_library and name not in environments.names():
        raise UnknownNameError(f"unknown candidate {name!r}; built-ins are {', '.join(names())}")
    if not in_library:
        example = environments.build(name, params)
        closed = float(example.value) if example.value is not None else None
        return Source(name, {k: str(v) for k, v in example.params.items()}, example.environment, closed,
                      "closed form (survey, Sections 3.5-3.6)", example.transfer_scale, builtin_shapes(example),
                      (example.note,) if example.note else ())
    candidate = library.build(name, params)  # the library validates the parameters
    example = None
    if name in environments.names():
        try:
            example = environments.build(name, params)
        except IrmdError:
            example = None
    notes = [example.note] if example is not None and example.note else []
    closed = float(example.value) if example is not None and example.value is not None else None
    environment = candidate.explicit_environment()
    analytic, origin = closed, "closed form (survey)"
    try:
        certificate = verify(candidate, dps=dps)
        verdict = str(getattr(certificate, "status", ""))
        if verdict == "verified" and certificate.guarantee_lower is not None:
            analytic, origin = float(certificate.guarantee_lower), f"irmd.verify (verified at dps={dps})"
        else:
            notes.append(f"the library candidate is {verdict or 'not verified'}; using the closed form")
    except IrmdError as error:  # the verifier's own failure must not hide the bounds
        notes.append(f"verifier failed ({error}); using the closed form")
    if closed is not None and analytic is not None and abs(closed - analytic) > 1e-9 * (1 + abs(closed)):
        notes.append(f"verified value {analytic:.12g} differs from the closed form {closed:.12g}")
    try:  # the library's own defaults, so that the header shows what was actually built
        effective = {p.name: str(params.get(p.name, "auto" if p.default is None else p.default))
                     for p in library.get(name).parameters}
    except AttributeError:
        effective = params
    shapes = builtin_shapes(example) if example else None
    if origin.startswith("irmd.verify"):
        # A verified candidate is compared through its own expressions, the ones the
        # verifier checked; the survey's closed forms remain the cross-check above.
        shapes = candidate_shapes(candidate, dps)
    return Source(name, effective, environment, analytic, origin,
                  example.transfer_scale if example else None, shapes, tuple(notes))


def source_from_candidate(candidate, dps: int = 20) -> Source:
    """The bounding programs' view of any candidate (e.g. a user's candidate file).

    The analytic value is the verifier's when the candidate verifies; the shapes
    are the candidate's own expressions; the transfer scale (to tell an invalid
    t_max from a bug) is the largest |transfer| of its mechanism on a box around
    its constants' scale.
    """

    notes = []
    analytic, origin = None, "none (the candidate is not verified)"
    try:
        certificate = verify(candidate, dps=dps)
        if certificate.status.value == "verified" and certificate.guarantee_lower is not None:
            analytic, origin = float(certificate.guarantee_lower), f"irmd.verify (verified at dps={dps})"
        else:
            notes.append(f"the candidate is {certificate.status.value}: no analytic value to compare with")
    except IrmdError as error:
        notes.append(f"verifier failed ({error})")
    shapes = candidate_shapes(candidate, dps)
    environment = candidate.explicit_environment()
    transfers = [str(f.coordinate) for f in environment.factors
                 if getattr(f, "coordinate", None) is not None and not f.bounded]
    reach = 3 * max(1.0, shapes.ybar or 1.0)
    axis = np.linspace(0, reach, 41)
    grid = np.stack(np.meshgrid(*[axis] * candidate.agents, indexing="ij"), -1).reshape(-1, candidate.agents)
    outcome = shapes.outcome(grid[1:])  # skip the 0/0 corner
    scale = max((float(np.nanmax(np.abs(outcome[t]))) for t in transfers if t in outcome), default=None)
    return Source(candidate.name, dict(candidate.parameter_values), environment, analytic, origin, scale, shapes,
                  tuple(notes))
