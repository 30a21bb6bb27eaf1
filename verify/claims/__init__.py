r"""Claims about expressions on regions, and how irmd decides them.

Every check reduces to claims of three kinds on a region of a box:

``ZERO``     the expression vanishes identically (a PDE, an SVO level, (25));
``NONNEG``   the expression is non-negative (a density, feasibility, (26));
``BOUNDED``  the expression stays bounded (transfers, as t_max is finite).

:func:`decide` first tries a symbolic proof under a time budget (recording the
intermediate expressions), then evaluates the claim with mpmath at sample
points.  The outcome is never blurred:

* a symbolic zero / sign proof is **proved**;
* agreement at every sample point within the tolerance is **confirmed**, with
  the precision, tolerance and number of points;
* a point where the claim fails by more than the tolerance, and still fails
  after the precision is raised, is **refuted**, with the point and residual;
* no evaluable point, or a failure that disappears only partly, is
  **inconclusive**, with the reason.

Residuals are measured relative to the size of the expression's terms at the
point (``scale``), so an identity among large terms is not refuted by rounding.
"""
from __future__ import annotations

from .decide import decide
from .model import Claim, ClaimKind, DecisionContext, Evidence, Step
from .numeric import magnitude, point_text_of
from .symbolic import simplify_steps

__all__ = ["Claim", "ClaimKind", "DecisionContext", "Evidence", "Step", "decide", "magnitude", "point_text_of",
           "simplify_steps"]
