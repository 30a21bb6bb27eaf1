"""Every command of the README's tutorial section, run in order, as the tutorial says (and the notebook, executed).

The commands are parsed out of the Markdown, so the tutorial cannot drift from what irmd does:

* a ```bash block holds ``irmd ...`` commands, one a line; a trailing ``# exits N`` comment states
  an expected non-zero exit code (the default is 0); ``-o FILE`` and ``--plot PATH`` outputs must exist;
* a ```python block runs in one namespace shared by all python blocks, in document order;
* ```text blocks are shown output and are not run.

Everything runs in a fresh folder holding a link to this repository's ``examples/``.
"""
from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUTORIAL = ROOT / "docs" / "tutorial.md"
README = ROOT / "README.md"
NOTEBOOK = ROOT / "examples" / "tutorial" / "costly_sale.ipynb"
_FENCE = re.compile(r"^```(\w*)\s*$")
_EXIT = re.compile(r"#\s*exits?\s+(\d+)")


def tutorial_text() -> str:
    """docs/tutorial.md, or once it is merged into the README, the README's tutorial section."""
    if TUTORIAL.exists():
        return TUTORIAL.read_text()
    text = README.read_text()
    match = re.search(r"^(#+) Tutorial\b.*?$", text, re.M)
    assert match, "no tutorial: neither docs/tutorial.md nor a '# Tutorial' heading in README.md"
    level = len(match.group(1))
    end = re.compile(rf"^#{{1,{level}}} ", re.M).search(text, match.end())
    return text[match.start():end.start() if end else len(text)]


def blocks(text: str) -> list[tuple[str, str, int]]:
    """(language, body, first line number) of every fenced block."""
    out, language, body, start = [], None, [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        match = _FENCE.match(line.strip())
        if language is None and match:
            language, body, start = match.group(1) or "text", [], number + 1
        elif language is not None and line.strip() == "```":
            out.append((language, "\n".join(body), start))
            language = None
        elif language is not None:
            body.append(line)
    assert language is None, "unclosed code block in the tutorial"
    return out


def steps(text: str) -> list[tuple[str, object, int]]:
    """("command", (argv, expected exit, outputs), line) and ("python", source, line) in document order."""
    out = []
    for language, body, start in blocks(text):
        if language == "python":
            out.append(("python", body, start))
        elif language == "bash":
            for offset, line in enumerate(body.splitlines()):
                command, _, comment = line.partition("#")
                if not command.strip():
                    continue
                argv = shlex.split(command)
                assert argv[0] == "irmd", f"line {start + offset}: the tutorial runs irmd commands only: {line}"
                expected = _EXIT.search("#" + comment) if comment else None
                outputs = [argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("-o", "--output", "--plot")]
                out.append(("command", (argv[1:], int(expected.group(1)) if expected else 0, outputs),
                            start + offset))
        elif language not in ("text", "console"):
            raise AssertionError(f"line {start}: unknown block language {language!r} in the tutorial")
    return out


def test_the_tutorial_has_the_papers_workflow():
    kinds = [kind for kind, _, _ in steps(tutorial_text())]
    commands = [" ".join(item[0]) for kind, item, _ in steps(tutorial_text()) if kind == "command"]
    assert kinds.count("python") >= 2
    for needle in ("new ", "bounds ", "verify --file", "--plot", "sweep ", "derive "):
        assert any(needle in c for c in commands), needle


def test_every_command_of_the_tutorial(tmp_path, monkeypatch):
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    monkeypatch.chdir(tmp_path)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    namespace: dict = {"__name__": "__tutorial__"}
    for kind, item, line in steps(tutorial_text()):
        if kind == "python":
            exec(compile(item, f"tutorial line {line}", "exec"), namespace)  # noqa: S102 - our own docs
            continue
        argv, expected, outputs = item
        proc = subprocess.run([sys.executable, "-m", "irmd", *argv], capture_output=True, text=True,
                              timeout=600, env=env)
        where = f"tutorial line {line}: irmd {' '.join(argv)}"
        assert proc.returncode == expected, (f"{where}: exit {proc.returncode}\n"
                                             f"{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
        assert "Traceback" not in proc.stderr, where
        if expected == 3:
            assert len(proc.stderr.strip().splitlines()) == 1, where
        for output in outputs:
            assert Path(output).exists(), f"{where}: {output} not written"
    # What the tutorial claims about the results.
    assert Path("my_sale.py").exists() and Path("costly_sale.tex").read_text().startswith("\\documentclass")
    assert sorted(os.listdir("plots/guess")) == ["ivo.png", "pde.png", "svo.png"]
    rows = Path("costly.csv").read_text().splitlines()
    assert len(rows) == 11 and all(",verified," in row for row in rows[1:])


@pytest.mark.slow
def test_the_notebook_runs(tmp_path):
    """The executed notebook under examples/ still runs from top to bottom (its cells assert their results)."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert [cell.execution_count for cell in code] == list(range(1, len(code) + 1)), \
        "store the notebook executed, top to bottom (python examples/tutorial/build_notebook.py)"
    assert any(output.get("data", {}).get("image/png") for cell in code for output in cell.outputs)
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    errors = [output for cell in notebook.cells if cell.cell_type == "code"
              for output in cell.outputs if output.output_type == "error"]
    assert not errors, errors
