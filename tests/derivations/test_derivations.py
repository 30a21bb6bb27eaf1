"""Derivations: LaTeX of certificates, the printer, TeX compilation (skipped without pdflatex)."""
import re
import shutil

import pytest
import sympy as sp

from irmd.analytic.library import build
from irmd.derivations import to_latex
from irmd.derivations.compile import parse_log
from irmd.derivations.printer import break_lines, latex, latex_width, plain
from irmd.verify import verify

HAVE_TEX = shutil.which("pdflatex") is not None
needs_tex = pytest.mark.skipif(not HAVE_TEX, reason="pdflatex not installed (CI installs TeX Live)")

#: Every built-in at its defaults, and bilateral trade's zero regime (a different candidate).
BUILTINS = [("common-value-auction", {"N": "2"}), ("bilateral-trade", {"h": "3/2"}), ("bilateral-trade", {"h": "3"})]
#: More parameters (slow: each verification and derivation takes tens of seconds).
MORE = [("common-value-auction", {"N": "5"}), ("bilateral-trade", {"h": "19/10"})]
#: Strings that betray a sympy repr or an escaped identifier in place of typeset mathematics.
RAW = ("_xi", "exp_polar", "exp\\_polar", "Subs(", "Derivative(", "lowergamma", "Integral(", "Piecewise(")


def _documents(cases):
    out = {}
    for name, params in cases:
        cert = verify(build(name, params), dps=20)
        out[(name, tuple(params.items()))] = (cert, to_latex(cert))
    return out


@pytest.fixture(scope="module")
def documents():
    return _documents(BUILTINS)


@pytest.fixture(scope="module")
def refuted():
    from irmd.analytic.library.auction import common_value_auction

    wrong = common_value_auction(2, sp.Rational(1, 2), L0=sp.Symbol("L_1", real=True))
    cert = verify(wrong, dps=15)
    return cert, to_latex(cert)


def _compiles_cleanly(tex: str, path):
    from irmd.derivations.compile import compile_tex

    path.write_text(tex)
    result = compile_tex(path)
    assert result.report.errors == (), result.report.errors
    assert result.report.overfull == (), result.report.overfull
    return result


def _text_outside_code(tex: str) -> str:
    """The document without \\texttt{...} (check names legitimately contain underscores)."""
    return re.sub(r"\\texttt\{[^{}]*\}", "", tex)


# ----------------------------------------------------------------------------- printer
def test_printer_notation():
    ybar, theta1 = sp.Symbol("ybar"), sp.Symbol("theta_1")
    T, rho = sp.Function("T"), sp.Function("rho")
    y, x1, x2 = sp.symbols("y x_1 x_2")
    assert latex(ybar) == r"\bar{y}"
    assert latex(theta1) == r"\theta_{1}"
    assert latex(sp.Derivative(T(y), y)) == "T'(y)"
    tex = latex(sp.Piecewise((1, y <= ybar), (0, True)))
    assert r"\begin{cases}" in tex and r"\text{otherwise}" in tex and "for" not in tex
    # d/dx_1 rho(x_1 + x_2) is rho'(x_1 + x_2), in LaTeX and in plain text
    derivative = sp.Derivative(rho(x1 + x2), x1).doit()
    assert latex(derivative) == r"\rho'(x_{1} + x_{2})"
    assert plain(derivative) == "rho'(x_1 + x_2)"
    # the 1F1 prefix keeps its distance from a preceding subscript
    assert r"\,{}_{1}F_{1}" in latex(x2 * sp.hyper([sp.S.Half], [sp.S(3) / 2], y))


def test_long_expressions_are_broken():
    y = sp.Symbol("y")
    expr = sum(sp.exp(-k * y) * y**k / sp.factorial(k) for k in range(1, 30))
    lines = break_lines(expr, 50)
    assert len(lines) > 3
    assert all(latex_width(line) <= 50 for line in lines)


def test_parse_log():
    log = ("Overfull \\hbox (12.5pt too wide) detected at line 40\n! Undefined control sequence.\nl.12 \\foo\n"
           "Output written on x.pdf (3 pages, 100 bytes).")
    report = parse_log(log)
    assert report.pages == 3 and len(report.overfull) == 1 and report.errors[0].startswith("Undefined control")
    assert not report.clean


# ----------------------------------------------------------------------------- documents
def test_document_has_every_check_and_status(documents):
    for cert, tex in documents.values():
        assert tex.startswith(r"\documentclass")
        for check in cert.checks:
            assert check.name.replace("_", r"\_") in tex
        # numeric confirmations are never called proofs
        if any(c.status.value == "confirmed" for c in cert.checks):
            assert "confirmed numerically" in tex
        assert "verified" in tex


def test_documents_typeset_their_text(documents, refuted):
    for _, tex in list(documents.values()) + [refuted]:
        text = _text_outside_code(tex)
        for raw in RAW:
            assert raw not in text, raw
        # identifiers such as t_i, x_i, L_0 are math, never escaped underscores in running text
        assert r"\_" not in text
        assert "|value|" not in text and "|gap|" not in text


def test_boundedness_is_not_stated_as_a_residual(documents):
    for cert, tex in documents.values():
        bounded = [e for c in cert.checks for e in c.evidence if e.claim.kind.value == "bounded"
                   and e.status.value == "confirmed"]
        if bounded:
            assert "largest sampled" in tex and "settle" in tex
            for paragraph in tex.split("\n\n"):
                if "far field (out to" in paragraph:
                    assert "relative residual" not in paragraph


def test_refuted_candidate_shows_counterexample(refuted):
    cert, tex = refuted
    assert cert.status.value == "refuted"
    assert r"\section{Refutation}" in tex and "Counterexample" in tex
    # the readable reduction shows where the claim fails (lambda(x, 0) - L_0 = -2/ybar)
    refutation = tex.split(r"\section{Refutation}")[1].split(r"\section{")[0]
    assert "In the papers' notation" in refutation and r"\frac{2}{\bar{y}}" in refutation


@needs_tex
def test_every_builtin_compiles_without_errors_or_overfull_boxes(documents, refuted, tmp_path):
    for k, (_cert, tex) in enumerate(list(documents.values()) + [refuted]):
        result = _compiles_cleanly(tex, tmp_path / f"derivation-{k}.tex")
        assert result.report.pages and result.report.pages > 3


@pytest.mark.slow
@needs_tex
def test_more_parameters_compile_without_errors_or_overfull_boxes(tmp_path):
    for k, (_, tex) in enumerate(_documents(MORE).values()):
        _compiles_cleanly(tex, tmp_path / f"more-{k}.tex")


@pytest.mark.slow
@needs_tex
def test_derive_command_writes_a_clean_pdf(tmp_path, capsys):
    from irmd.cli import main

    out = tmp_path / "a.tex"
    # A user's own a.out (`irmd ... > a.out`) is not hyperref's outline file.
    (tmp_path / "a.out").write_text("irmd: the output of another command, not TeX's $\\relax\n")
    code = main(["derive", "common-value-auction", "--param", "N=2", "--dps", "20", "-o", str(out), "--pdf"])
    assert code == 0
    assert out.with_suffix(".pdf").exists()
    assert "warning" not in capsys.readouterr().err     # overfull boxes are printed as warnings
    # TeX ran in a temporary folder: no .aux, .log, .fls or .fdb_latexmk beside the output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.out", "a.pdf", "a.tex"]


def test_notebook_reprs(documents):
    cert, _ = next(iter(documents.values()))
    assert "|" in cert._repr_markdown_() and "$" in cert._repr_markdown_()
    assert cert._repr_latex_().startswith("$")
    assert cert.source._repr_latex_().startswith("$")


@needs_tex
def test_derive_a_candidate_file(tmp_path, capsys, monkeypatch):
    # The template of `irmd new` (a user's starting point) derives and compiles cleanly.
    from irmd.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["new", "mine"]) == 0
    out = tmp_path / "mine.tex"
    assert main(["derive", "--file", "mine.py", "--dps", "20", "-o", str(out), "--pdf"]) == 0
    assert "warning" not in capsys.readouterr().err     # overfull boxes are printed as warnings
    assert sorted(p.suffix for p in tmp_path.iterdir() if p.stem == "mine") == [".pdf", ".py", ".tex"]


def test_derive_needs_exactly_one_source(capsys):
    from irmd.cli import main

    assert main(["derive", "-o", "x.tex"]) == 3
    assert "NAME or --file" in capsys.readouterr().err
