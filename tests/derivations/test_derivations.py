"""Derivations: LaTeX of certificates, the printer, TeX compilation (skipped without pdflatex)."""
import shutil

import pytest
import sympy as sp

from irmd.analytic.library import build
from irmd.derivations import to_latex
from irmd.derivations.compile import parse_log
from irmd.derivations.printer import break_lines, latex, latex_width
from irmd.verify import verify

HAVE_TEX = shutil.which("pdflatex") is not None
BUILTINS = [("common-value-auction", {"N": "2"}), ("common-value-auction", {"N": "5"}),
            ("bilateral-trade", {"h": "3/2"}), ("bilateral-trade", {"h": "3"})]


@pytest.fixture(scope="module")
def certificates():
    return {(name, tuple(p.items())): verify(build(name, p), dps=20) for name, p in BUILTINS}


def test_printer_notation():
    ybar, theta1 = sp.Symbol("ybar"), sp.Symbol("theta_1")
    T = sp.Function("T")
    y = sp.Symbol("y")
    assert latex(ybar) == r"\bar{y}"
    assert latex(theta1) == r"\theta_{1}"
    assert latex(sp.Derivative(T(y), y)) == "T'(y)"
    tex = latex(sp.Piecewise((1, y <= ybar), (0, True)))
    assert r"\begin{cases}" in tex and r"\text{otherwise}" in tex and "for" not in tex


def test_long_expressions_are_broken():
    y = sp.Symbol("y")
    expr = sum(sp.exp(-k * y) * y**k / sp.factorial(k) for k in range(1, 30))
    lines = break_lines(expr, 50)
    assert len(lines) > 3
    assert all(latex_width(line) <= 50 for line in lines)


def test_document_has_every_check_and_status(certificates):
    for (name, _), cert in certificates.items():
        tex = to_latex(cert)
        assert tex.startswith(r"\documentclass")
        for check in cert.checks:
            assert check.name.replace("_", r"\_") in tex
        # numeric confirmations are never called proofs
        if any(c.status.value == "confirmed" for c in cert.checks):
            assert "confirmed numerically" in tex
        assert "verified" in tex


def test_refuted_candidate_shows_counterexample():
    from irmd.analytic.library.auction import common_value_auction

    wrong = common_value_auction(2, sp.Rational(1, 2), L0=sp.Symbol("L_1", real=True))
    cert = verify(wrong, dps=15)
    assert cert.status.value == "refuted"
    tex = to_latex(cert)
    assert r"\section{Refutation}" in tex and "Counterexample" in tex


def test_parse_log():
    log = ("Overfull \\hbox (12.5pt too wide) detected at line 40\n! Undefined control sequence.\nl.12 \\foo\n"
           "Output written on x.pdf (3 pages, 100 bytes).")
    report = parse_log(log)
    assert report.pages == 3 and len(report.overfull) == 1 and report.errors[0].startswith("Undefined control")
    assert not report.clean


@pytest.mark.skipif(not HAVE_TEX, reason="pdflatex not installed (CI installs TeX Live)")
def test_every_builtin_compiles_without_errors_or_overfull_boxes(certificates, tmp_path):
    from irmd.derivations.compile import compile_tex

    for k, ((name, _), cert) in enumerate(certificates.items()):
        path = tmp_path / f"{name}-{k}.tex"
        path.write_text(to_latex(cert))
        result = compile_tex(path)
        assert result.report.errors == (), result.report.errors
        assert result.report.overfull == (), result.report.overfull
        assert result.report.pages and result.report.pages > 3


def test_notebook_reprs(certificates):
    cert = next(iter(certificates.values()))
    assert "|" in cert._repr_markdown_() and "$" in cert._repr_markdown_()
    assert cert._repr_latex_().startswith("$")
    assert cert.source._repr_latex_().startswith("$")
