r"""A derivation is data; this module turns it into a standalone LaTeX document.

The data model is small and holds sympy expressions, never LaTeX made by the
checks:

:class:`Step`
    one line of a derivation: ``label`` (an equation tag such as ``(27)``, may be
    empty), ``lhs``, ``relation``, ``rhs`` and the ``reason`` the step holds;
:class:`Chain`
    consecutive steps sharing their left-hand side (``lhs = e_1 = e_2 = ...``),
    printed as one ``align*`` with the reasons between the lines;
:class:`Paragraph`, :class:`Verdict`, :class:`Table`
    text (already LaTeX: it is written by irmd's derivation builders, and any
    text taken from a certificate goes through :func:`escape`), a status line and
    a small table;
:class:`Section` and :class:`Derivation`
    the document.

Left-hand sides that are not expressions (``\lambda(x, \theta) - L_\theta``) are
:class:`Math` objects holding their LaTeX; everything else is printed by
:func:`irmd.derivations.printer.latex` and broken into lines by
:func:`~irmd.derivations.printer.break_lines`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy as sp

from irmd.status import Status

from .printer import break_lines, latex, latex_width

#: Width (in average math symbols) of one displayed line; A4 with 2.2 cm margins.
LINE_WIDTH = 58
#: An intermediate expression longer than this many lines is shown in part.
MAX_LINES = 10


@dataclass(frozen=True)
class Math:
    """A piece of math given as LaTeX (a left-hand side such as ``\\lambda(x,\\theta)``)."""

    tex: str


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``lhs relation rhs`` because of ``reason``."""

    label: str
    lhs: object
    rhs: object
    reason: str = ""
    relation: str = "="
    elide: bool = False       # an intermediate result that may be shown in part


@dataclass(frozen=True)
class Chain:
    """Steps sharing one left-hand side: lhs = rhs_1 = rhs_2 = ..."""

    steps: tuple
    label: str = ""


@dataclass(frozen=True)
class Paragraph:
    text: str


@dataclass(frozen=True)
class Verdict:
    """A status line: the status word and what stands behind it."""

    status: Status | str
    text: str


@dataclass(frozen=True)
class Table:
    """A table; ``long`` tables (``longtable``) break across pages and repeat their header."""

    header: tuple
    rows: tuple
    columns: str = ""
    long: bool = False


@dataclass
class Section:
    title: str
    items: list = field(default_factory=list)
    level: int = 1

    def add(self, *items):
        self.items.extend(items)
        return self


@dataclass
class Derivation:
    title: str
    subtitle: str = ""
    sections: list = field(default_factory=list)

    def section(self, title: str, level: int = 1) -> Section:
        s = Section(title, level=level)
        self.sections.append(s)
        return s


# ----------------------------------------------------------------------------- text
_ESCAPES = {"\\": r"\textbackslash{}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#", "_": r"\_",
            "{": r"\{", "}": r"\}", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}",
            "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}


def escape(text: str, breaks: bool = True) -> str:
    """Plain text made safe for LaTeX (special characters escaped).

    With ``breaks``, long unbroken tokens may break after operators and commas.
    Text that contains formulas should go through
    :func:`irmd.derivations.text.text_tex` instead, which sets them in math mode.
    """
    out = "".join(_ESCAPES.get(ch, ch) for ch in str(text))
    if breaks:
        for op in ("+", "*", "/", ",", "="):
            out = out.replace(op, op + r"\allowbreak{}")
    return out


STATUS_WORDS = {
    Status.PROVED: (r"proved", "irmdgreen"),
    Status.CONFIRMED: (r"confirmed numerically", "irmdblue"),
    Status.REFUTED: (r"refuted", "irmdred"),
    Status.INCONCLUSIVE: (r"inconclusive", "irmdorange"),
}


def status_tex(status) -> str:
    if isinstance(status, Status):
        word, colour = STATUS_WORDS[status]
    else:
        word, colour = str(status), {"verified": "irmdgreen", "refuted": "irmdred"}.get(str(status), "irmdorange")
    return r"\textcolor{%s}{\textbf{%s}}" % (colour, word)


# ----------------------------------------------------------------------------- math
def _tex_lines(obj, width: float) -> list[str]:
    if isinstance(obj, Math):
        return [obj.tex]
    if isinstance(obj, str):
        return [obj]
    return break_lines(sp.sympify(obj), width)


def _lhs(obj) -> str:
    if obj is None:
        return ""
    if isinstance(obj, Math):
        return obj.tex
    if isinstance(obj, str):
        return obj
    return latex(obj)


def _elided(lines: list[str]) -> tuple[list[str], int]:
    if len(lines) <= MAX_LINES:
        return lines, 0
    keep_head, keep_tail = MAX_LINES - 4, 3
    return lines[:keep_head] + [r"\cdots"] + lines[-keep_tail:], len(lines) - keep_head - keep_tail


def render_chain(chain: Chain) -> str:
    before, body = chain_rows(chain)
    return before + "\\begin{align*}\n" + "\n".join(body) + "\n\\end{align*}\n"


def render_steps(steps) -> str:
    """Consecutive one-line steps (definitions) in one ``align*``, one row each."""
    befores, rows = [], []
    for step in steps:
        before, body = chain_rows(Chain((step,), step.label))
        if before:
            befores.append(before)
        if rows:
            rows[-1] += r" \\"
        rows.extend(body)
    return "".join(befores) + "\\begin{align*}\n" + "\n".join(rows) + "\n\\end{align*}\n"


def chain_rows(chain: Chain) -> tuple[str, list]:
    """``align*`` with the first step's lhs and every step's rhs broken into lines.

    A wide left-hand side gets a line of its own (mathtools' ``\\MoveEqLeft``);
    the reason of every step after the first is an ``\\intertext`` above it.
    """
    first = chain.steps[0]
    lhs = _lhs(first.lhs)
    own_line = latex_width(lhs) > LINE_WIDTH / 3
    width = LINE_WIDTH - (6 if own_line else latex_width(lhs) + 4)
    before = r"\noindent{\small %s}" % first.reason + "\n" if first.reason else ""
    rows, texts = [], {}          # texts[k]: intertext before row k
    if own_line:
        # A left-hand side wider than the line is itself broken (its later lines indented).
        lhs_lines = ([lhs] if isinstance(first.lhs, (Math, str)) or latex_width(lhs) <= LINE_WIDTH
                     else break_lines(sp.sympify(first.lhs), LINE_WIDTH - 4))
        rows.append(r"\MoveEqLeft[1] %s" % lhs_lines[0])
        rows.extend(r"\MoveEqLeft[1] \quad %s" % line for line in lhs_lines[1:])
    for k, step in enumerate(chain.steps):
        lines = _tex_lines(step.rhs, width)
        note = ""
        if step.elide:
            lines, omitted = _elided(lines)
            if omitted:
                note = r" (%d lines of this intermediate expression are not shown)" % omitted
        reason = (step.reason if k > 0 else "") + note
        if reason and rows:
            texts[len(rows)] = reason
        elif reason:
            before += r"\noindent{\small %s}" % reason + "\n"
        head = lhs if (k == 0 and not own_line) else ""
        rows.append(r"%s &%s %s" % (head, step.relation, lines[0]))
        rows.extend(r"&\qquad %s" % line for line in lines[1:])
    body = []
    for k, row in enumerate(rows):
        if k in texts:
            body.append(r"\intertext{\small %s}" % texts[k])
        body.append(row + (r" \\" if k < len(rows) - 1 else ""))
    if chain.label:
        body[-1] += r" \tag*{%s}" % chain.label
    return before, body


def render_item(item) -> str:
    if isinstance(item, Paragraph):
        return item.text + "\n\n"
    if isinstance(item, Step):
        return render_chain(Chain((item,), item.label))
    if isinstance(item, Chain):
        return render_chain(item)
    if isinstance(item, Verdict):
        return r"\noindent\emph{Verdict:} %s. %s" % (status_tex(item.status), item.text) + "\n\n"
    if isinstance(item, Table):
        return render_table(item)
    raise TypeError(f"unknown derivation item {type(item).__name__}")


def render_table(table: Table) -> str:
    columns = table.columns or ("l" * len(table.header))
    header = " & ".join(r"\textbf{%s}" % h for h in table.header) + r" \\"
    body = [" & ".join(row) + r" \\" for row in table.rows]
    if table.long:
        # A longtable breaks across pages (a tabular taller than the page would be an overfull \vbox).
        lines = [r"{\small", r"\begin{longtable}{%s}" % columns, r"\toprule", header, r"\midrule", r"\endfirsthead",
                 r"\toprule", header, r"\midrule", r"\endhead", r"\bottomrule", r"\endfoot"]
        lines += body + [r"\end{longtable}", "}"]
    elif "X" in columns:
        lines = [r"\begin{center}\small", r"\begin{tabularx}{\linewidth}{%s}" % columns, r"\toprule", header,
                 r"\midrule"] + body + [r"\bottomrule", r"\end{tabularx}", r"\end{center}"]
    else:
        # Without a stretchable column the table keeps its natural width.
        lines = [r"\begin{center}\small", r"\begin{tabular}{%s}" % columns, r"\toprule", header,
                 r"\midrule"] + body + [r"\bottomrule", r"\end{tabular}", r"\end{center}"]
    return "\n".join(lines) + "\n\n"


PREAMBLE = r"""\documentclass[11pt,a4paper]{article}
\usepackage[margin=2.2cm]{geometry}
\usepackage{amsmath,amssymb,mathtools}
\usepackage{array,booktabs,tabularx,longtable}
\usepackage[table]{xcolor}
\usepackage[hidelinks]{hyperref}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5ex}
\emergencystretch=3em
\definecolor{irmdgreen}{rgb}{0.0,0.45,0.15}
\definecolor{irmdblue}{rgb}{0.05,0.25,0.6}
\definecolor{irmdred}{rgb}{0.75,0.05,0.05}
\definecolor{irmdorange}{rgb}{0.7,0.35,0.0}
"""


def render(derivation: Derivation) -> str:
    """The standalone LaTeX document of a derivation."""
    out = [PREAMBLE, r"\title{%s}" % derivation.title]
    out.append(r"\author{%s}" % (derivation.subtitle or "generated by irmd"))
    out.append(r"\date{}")
    out.append(r"\begin{document}")
    out.append(r"\maketitle")
    for section in derivation.sections:
        command = {1: "section", 2: "subsection", 3: "subsubsection"}.get(section.level, "paragraph")
        out.append(r"\%s{%s}" % (command, section.title))
        pending = []
        for item in section.items + [None]:
            if isinstance(item, Step) and not item.reason:
                pending.append(item)
                continue
            if pending:
                out.append(render_steps(pending))
                pending = []
            if item is not None:
                out.append(render_item(item))
    out.append(r"\end{document}")
    return "\n".join(out) + "\n"
