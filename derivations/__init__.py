"""LaTeX derivations of certificates and the reproduction of the papers' equations.

* :func:`to_latex` -- a certificate as a standalone LaTeX document
  (:mod:`irmd.derivations.build` makes the derivation as data,
  :mod:`irmd.derivations.document` prints it, :mod:`irmd.derivations.printer`
  is the sympy printer with the papers' notation);
* :func:`irmd.derivations.compile.compile_tex` -- pdflatex/latexmk and log checks;
* :mod:`irmd.derivations.reproduce` -- the survey's equations (27)-(45)
  re-derived and compared with the printed forms (:mod:`irmd.derivations.report`
  prints the verdicts as text, JSON and LaTeX);
* :mod:`irmd.derivations.text` -- plain text with formulas typeset as LaTeX;
* :mod:`irmd.derivations.rates` -- the headline numbers.
"""
from __future__ import annotations

from .build import certificate_derivation
from .document import render
from .notebook import candidate_latex, certificate_latex, certificate_markdown


def to_latex(certificate, short: bool = False) -> str:
    """The certificate's derivation as a standalone LaTeX document (``short``: irmd's own steps in an
    appendix, for pasting into a paper)."""
    return render(certificate_derivation(certificate, short))


__all__ = ["to_latex", "certificate_markdown", "certificate_latex", "candidate_latex"]
