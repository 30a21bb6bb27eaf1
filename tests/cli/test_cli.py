"""The command line as a user meets it: exit codes, JSON, one-line errors."""
import argparse
import importlib
import json
import subprocess
import sys

import pytest

from irmd import commands
from irmd.cli import command_modules, main


def run(*argv):
    """Run the installed console script (a real process: exit code and streams)."""
    proc = subprocess.run([sys.executable, "-m", "irmd", *argv], capture_output=True, text=True, timeout=600)
    return proc.returncode, proc.stdout, proc.stderr


def test_help_and_list():
    code, out, _ = run("--help")
    assert code == 0 and "verify" in out and "Exit codes" in out
    code, out, _ = run("list")
    assert code == 0 and "common-value-auction" in out and "--param N=" in out
    code, out, _ = run("list", "--json")
    entries = {e["name"]: e for e in json.loads(out)}
    assert entries["common-value-auction"]["parameters"][0]["name"] == "N"
    assert {"h", "g", "mu", "eps"} <= {p["name"] for p in entries["bilateral-trade"]["parameters"]}


def test_verify_json_headline_case():
    code, out, err = run("verify", "common-value-auction", "--param", "N=2", "--param", "mu1=0.5", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert set(data) >= {"candidate", "params", "status", "guarantee_lower", "potential_upper", "dps", "checks"}
    assert data["status"] == "verified" and data["dps"] == 50
    assert data["guarantee_lower"] == data["potential_upper"]
    assert data["guarantee_lower"].startswith("0.25340585370753452606")
    assert len(data["guarantee_lower"]) == 52  # "0." + 50 digits
    for check in data["checks"]:
        assert set(check) >= {"name", "status", "detail"}
        assert check["status"] in ("proved", "confirmed")


@pytest.mark.parametrize("argv, needle", [
    (["verify", "no-such-candidate"], "unknown candidate"),
    (["verify", "common-value-auction", "--param", "N=0"], "N"),
    (["verify", "common-value-auction", "--param", "N=2.5"], "integer"),
    (["verify", "common-value-auction", "--param", "mu1=1.3"], "mu1"),
    (["verify", "common-value-auction", "--param", "mu1=abc"], "mu1"),
    (["verify", "common-value-auction", "--param", "M=2"], "unknown parameter"),
    (["verify", "common-value-auction", "--param", "N"], "KEY=VALUE"),
    (["verify", "common-value-auction", "--dps", "x"], "dps"),
    (["verify"], "NAME"),
    (["no-such-command"], "invalid choice"),
])
def test_bad_input_is_one_line_and_exit_3(argv, needle, capsys):
    code = main(argv)
    err = capsys.readouterr().err.strip()
    assert code == 3
    assert needle in err and "\n" not in err and "Traceback" not in err


def test_refuted_exit_code(monkeypatch, capsys):
    # A built-in whose builder is swapped for a mutant: the CLI must exit 1.
    import sympy as sp

    from irmd.analytic import library
    from irmd.analytic.library import auction

    builtin = library.get("common-value-auction")
    mutant = lambda N, mu1: auction.common_value_auction(N, mu1, level_1=auction.L1 + sp.Rational(1, 10))  # noqa: E731
    monkeypatch.setitem(library._REGISTRY, "common-value-auction",
                        library.Builtin(builtin.name, builtin.description, builtin.parameters, mutant))
    assert main(["verify", "common-value-auction", "--dps", "15"]) == 1
    assert "REFUTED" in capsys.readouterr().out


def test_every_command_is_found_in_the_module_named_for_it():
    registered = {}
    for name in command_modules():
        subparsers = argparse.ArgumentParser().add_subparsers()
        importlib.import_module(f"irmd.commands.{name}").register(subparsers)
        registered.update({command: name for command in subparsers.choices})
    assert registered == commands.MODULE_OF_COMMAND


def test_running_one_command_imports_only_its_module():
    code = ("import sys; from irmd.cli import build_parser; build_parser('verify'); "
            "print(sorted(m for m in sys.modules if m.startswith('irmd.commands.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert "irmd.commands.finite" not in out and "irmd.commands.candidates" in out
