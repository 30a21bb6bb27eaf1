r"""Compile a derivation with a real TeX engine and read its log.

irmd writes no TeX engine of its own: ``latexmk -pdf`` is used when installed,
otherwise ``pdflatex`` (run twice, for the cross references).  When neither is
there, :class:`TexNotInstalled` says how to install one.  :func:`parse_log`
finds what the tests and ``irmd derive --pdf`` care about: errors (``! ...``
lines) and overfull boxes (text running into the margin).
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from irmd.errors import InputError

INSTALL_HINT = (
    "install a TeX distribution with pdflatex: on Debian/Ubuntu `sudo apt-get install texlive-latex-base "
    "texlive-latex-recommended texlive-latex-extra latexmk`, on Fedora `sudo dnf install texlive-scheme-medium "
    "latexmk`, on macOS `brew install --cask mactex-no-gui`, on Windows MiKTeX (https://miktex.org)"
)


class TexNotInstalled(InputError):
    """Neither latexmk nor pdflatex is on the PATH."""


class TexCompileError(InputError):
    """The TeX engine failed on a document irmd wrote (the log is kept)."""


@dataclass(frozen=True)
class LogReport:
    """What a TeX log says: error messages and overfull boxes (with their lines)."""

    errors: tuple = ()
    overfull: tuple = ()
    pages: int | None = None

    @property
    def clean(self) -> bool:
        return not self.errors and not self.overfull


@dataclass(frozen=True)
class CompileResult:
    pdf: Path | None
    log: Path | None          # kept only when compilation failed (the build folder is removed)
    engine: str
    returncode: int
    report: LogReport
    seconds: float
    command: tuple = field(default=())


_OVERFULL = re.compile(r"^(Overfull \\[hv]box \(([\d.]+)pt too (?:wide|high)\).*)$", re.M)
_PAGES = re.compile(r"Output written on .*? \((\d+) pages?")


def parse_log(text: str) -> LogReport:
    """Errors and overfull boxes of a pdflatex log.

    Each error is its ``!`` line with the following context line (``l.<n> ...``)
    when present; each overfull box is its one-line message (which names the
    source lines).
    """
    lines = text.splitlines()
    errors = []
    for k, line in enumerate(lines):
        if line.startswith("! "):
            context = next((lines[j] for j in range(k + 1, min(k + 8, len(lines))) if lines[j].startswith("l.")), "")
            errors.append(f"{line[2:].strip()} {context.strip()}".strip())
    overfull = tuple(m.group(1) for m in _OVERFULL.finditer(text))
    pages = _PAGES.search(text)
    return LogReport(tuple(errors), overfull, int(pages.group(1)) if pages else None)


def find_engine() -> tuple[str, str]:
    """(name, path) of the TeX engine to use; raises :class:`TexNotInstalled`."""
    for name in ("latexmk", "pdflatex"):
        path = shutil.which(name)
        if path and (name != "latexmk" or shutil.which("pdflatex")):
            return name, path
    raise TexNotInstalled(f"--pdf needs pdflatex, which is not installed; {INSTALL_HINT}")


def compile_tex(tex_path, timeout: float = 600) -> CompileResult:
    """Compile ``tex_path`` to the PDF next to it.

    The engine runs in a temporary folder, so that its auxiliary files (.aux, .log, .out,
    .fls, .fdb_latexmk) never land beside the user's files -- and a user's own ``name.out``
    is never read by hyperref as its outline file; only the PDF is copied out (and, when
    compilation fails, the log, which the error names).  Returns the result whatever the log
    says (callers decide what an overfull box means); raises :class:`TexNotInstalled` without
    an engine and :class:`TexCompileError` when the engine produced no PDF.
    """
    tex_path = Path(tex_path).resolve()
    if not tex_path.is_file():
        raise InputError(f"no such file: {tex_path}")
    name, path = find_engine()
    common = ["-interaction=nonstopmode", "-halt-on-error"]
    if name == "latexmk":
        commands = [[path, "-pdf", "-silent", *[f"-pdflatex=pdflatex {' '.join(common)} %O %S"], tex_path.name]]
    else:
        commands = [[path, *common, tex_path.name]] * 2
    started = time.monotonic()
    returncode = 0
    with tempfile.TemporaryDirectory(prefix="irmd-tex-") as folder:
        build = Path(folder)
        shutil.copy(tex_path, build / tex_path.name)
        for command in commands:
            try:
                done = subprocess.run(command, cwd=build, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                      stderr=subprocess.STDOUT, timeout=timeout, check=False)
            except subprocess.TimeoutExpired:
                raise TexCompileError(f"{name} did not finish within {timeout:.0f} s on {tex_path.name}") from None
            returncode = done.returncode
            if returncode != 0:
                break
        seconds = time.monotonic() - started
        built_log, built_pdf = build / tex_path.with_suffix(".log").name, build / tex_path.with_suffix(".pdf").name
        text = built_log.read_text(errors="replace") if built_log.exists() else ""
        report = parse_log(text)
        if returncode != 0 or not built_pdf.exists():
            log = tex_path.with_suffix(".log")
            if built_log.exists():
                shutil.copy(built_log, log)
            first = report.errors[0] if report.errors else f"exit code {returncode}"
            raise TexCompileError(f"{name} failed on {tex_path.name}: {first} (log: {log})")
        pdf = tex_path.with_suffix(".pdf")
        shutil.copy(built_pdf, pdf)
    return CompileResult(pdf, None, name, returncode, report, seconds, tuple(map(str, commands[0])))
