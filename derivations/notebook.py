"""Notebook display of certificates and candidates (``_repr_markdown_`` / ``_repr_latex_``)."""
from __future__ import annotations

from irmd.numbers import decimal_string

from .build import candidate_math
from .printer import latex


def candidate_latex(candidate) -> str:
    rows = candidate_math(candidate)
    return "$$\\begin{aligned}" + " \\\\ ".join(f"{lhs} &= {rhs}" for lhs, rhs in rows) + "\\end{aligned}$$"


def certificate_latex(certificate) -> str:
    rows = []
    if certificate.guarantee_lower is not None:
        rows.append(r"\underline G &= %s" % decimal_string(certificate.guarantee_lower, min(certificate.dps, 20)))
    if certificate.potential_upper is not None:
        rows.append(r"\overline P &= %s" % decimal_string(certificate.potential_upper, min(certificate.dps, 20)))
    rows.append(r"\text{verdict} &: \text{%s}" % certificate.status.value)
    return "$$\\begin{aligned}" + " \\\\ ".join(rows) + "\\end{aligned}$$"


def certificate_markdown(certificate) -> str:
    lines = [f"**{certificate.candidate}** "
             + ", ".join(f"${latex(__import__('sympy').Symbol(k))} = {v}$" for k, v in certificate.params.items())
             + f": **{certificate.status.value}** (dps {certificate.dps})", "",
             "| check | status | detail |", "|---|---|---|"]
    for c in certificate.checks:
        detail = c.detail.replace("|", "\\|")
        lines.append(f"| `{c.name}` | {c.status.value} | {detail} |")
    lines.append("")
    if certificate.guarantee_lower is not None:
        lines.append(f"$\\underline G = {decimal_string(certificate.guarantee_lower, min(certificate.dps, 20))}$  ")
    if certificate.potential_upper is not None:
        lines.append(f"$\\overline P = {decimal_string(certificate.potential_upper, min(certificate.dps, 20))}$")
    return "\n".join(lines)
