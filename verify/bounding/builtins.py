"""Built-in candidates for ``irmd bounds NAME``, with what is known about them.

Every name is a built-in of :mod:`irmd.analytic.library`: the environment is the
candidate's, and the analytic value is the verifier's common guarantee/potential
bound when the candidate is verified.  The built-in's closed forms (where the paper
gives them) supply the value otherwise, the candidate mechanism's largest
transfer (to tell an invalid ``t_max`` from a bug) and the shapes compared with the
grid solutions; when both sources give a value they are cross-checked.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

import irmd.analytic.library as library
from irmd.analytic.shapes import ShapeModel
from irmd.errors import IrmdError
from irmd.verify.api import verify

from .candidates import candidate_shapes
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
    return library.names()


def resolve(name: str, params: Mapping[str, str] | None = None, dps: int = 20, candidate=None) -> Source:
    """The environment and known values of the built-in ``name`` with string parameters
    (``candidate``: the one these build, when the caller has it already)."""
    builtin = library.get(name)
    values = builtin.values(params)          # the library validates the parameters
    candidate = builtin.builder(**values) if candidate is None else candidate
    closed_forms = builtin.closed_forms(**values) if builtin.closed_forms is not None else None
    notes = [closed_forms.note] if closed_forms is not None and closed_forms.note else []
    closed = float(closed_forms.value) if closed_forms is not None and closed_forms.value is not None else None
    environment = candidate.explicit_environment()
    analytic, origin = closed, "closed form (survey)"
    try:
        certificate = verify(candidate, dps=dps)
        verdict = certificate.status.value
        if verdict == "verified" and certificate.guarantee_lower is not None:
            analytic, origin = float(certificate.guarantee_lower), f"irmd.verify (verified at dps={dps})"
        else:
            notes.append(f"the library candidate is {verdict}; using the closed form")
    except IrmdError as error:  # the verifier's own failure must not hide the bounds
        notes.append(f"verifier failed ({error}); using the closed form")
    if closed is not None and analytic is not None and abs(closed - analytic) > 1e-9 * (1 + abs(closed)):
        notes.append(f"verified value {analytic:.12g} differs from the closed form {closed:.12g}")
    # The library's own defaults, so that the header shows what was actually built.
    given = dict(params or {})
    effective = {p.name: str(given.get(p.name, "auto" if p.default is None else p.default)) for p in builtin.parameters}
    shapes = closed_forms.shapes if closed_forms is not None else None
    if origin.startswith("irmd.verify"):
        # A verified candidate is compared through its own expressions, the ones the
        # verifier checked; the survey's closed forms remain the cross-check above.
        shapes = candidate_shapes(candidate, dps)
    return Source(name, effective, environment, analytic, origin,
                  closed_forms.transfer_scale if closed_forms is not None else None, shapes, tuple(notes))


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
