r"""Re-derive the survey's equations (27)-(45) and compare them with the printed forms.

The printed forms are transcribed, typos included, in
``derivations/data/survey_equations.json`` (read literally as sympy syntax).
Every *derived* form is computed here from the model -- the environments of the
built-in candidates (:func:`irmd.analytic.library.auction.auction_environment`,
:func:`irmd.analytic.library.bilateral.trade_environment`) and the papers'
definitions of the SVO and IVO -- never copied from the paper.  The comparison
is mechanical:

1. symbolic: ``simplify(printed - derived) == 0`` (derivatives evaluated,
   Erlang functions written out);
2. otherwise numeric, at sample values of every free symbol (several N, ybar,
   h/g ...), with mpmath quadrature for integrals (split at the kink ybar; an
   integral over (a, oo) whose integrand does not tend to 0 diverges);
3. a printed form that disagrees is **differs**, with the derived form and an
   explanation computed from the two forms (free symbols only one side has, a
   divergent integral, unbalanced parentheses in the printed layout, the
   difference itself, and a one-symbol repair found by trying them all); a form
   that states a definition or a conjecture taken from numerical solutions is
   **not checkable**.

Printed solutions of ODEs (the total transfer T before (36), the trade
probability (44)) are substituted into the ODE derived from the SVO: the integral
with a variable upper limit is differentiated by the fundamental theorem of
calculus and the residual simplified symbolically; the initial value is read off
by quadrature, and T is also compared with the closed form of irmd's built-in.

No list of known errors is consulted: the verdicts come from the comparison.
Results, explanations (:class:`~irmd.derivations.report.Note`) and the LaTeX
report live in :mod:`irmd.derivations.report`.
"""
from __future__ import annotations

from ..report import EquationResult, Report, report_latex
from .run import DERIVERS, check_equation, derive, load_equations, reproduce

__all__ = ["check_equation", "load_equations", "reproduce", "report_latex", "Report", "EquationResult", "derive",
           "DERIVERS"]
