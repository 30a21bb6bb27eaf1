"""The architecture holds: import-linter's layer and acyclicity contracts (pyproject.toml), no
import inside a function except the documented presentation hooks, and ruff's checks.

The four top-level folders install under one namespace (``analytic/`` as ``irmd.analytic``
and so on), which import-linter cannot follow in an editable install: the contracts run on a
copy of the tree laid out as it is installed.
"""
import ast
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
#: Where each installed package's sources live in the repository.
LAYOUT = {"irmd": "irmd", "irmd/analytic": "analytic", "irmd/verify": "verify", "irmd/derivations": "derivations"}
#: Functions that may import the presentation layer from inside: the notebook hooks and
#: Certificate.to_latex (each hands its object to irmd.derivations).
HOOKS = {("analytic/candidate.py", "_repr_latex_"), ("verify/certificate.py", "_repr_latex_"),
         ("verify/certificate.py", "_repr_markdown_"), ("verify/certificate.py", "to_latex")}


def _tool(name: str) -> str:
    found = shutil.which(name, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if found is None:
        pytest.fail(f"{name} is not installed (it is among the test extras: pip install -e '.[test]')")
    return found


def test_import_contracts_are_kept(tmp_path):
    for installed, source in LAYOUT.items():
        shutil.copytree(ROOT / source, tmp_path / installed, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    result = subprocess.run([_tool("lint-imports"), "--no-cache"], cwd=tmp_path, env=env, capture_output=True,
                            text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " 0 broken" in result.stdout and "kept" in result.stdout


def _function_imports(path: Path):
    """(function name, line) of every import statement inside a function of ``path``."""
    found = []

    def visit(node, function):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)):
                visit(child, child.name)
            elif isinstance(child, (ast.Import, ast.ImportFrom)) and function is not None:
                found.append((function, child.lineno))
            else:
                visit(child, function)

    visit(ast.parse(path.read_text()), None)
    return found


def test_no_import_inside_a_function_except_the_hooks():
    late = []
    for source in LAYOUT.values():
        for path in sorted((ROOT / source).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            late += [f"{relative}:{line} in {function}" for function, line in _function_imports(path)
                     if (relative, function) not in HOOKS]
    assert not late, "imports inside functions hide the dependencies import-linter checks:\n" + "\n".join(late)


def test_ruff_finds_nothing():
    result = subprocess.run([_tool("ruff"), "check", "--no-cache", "."], cwd=ROOT, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
