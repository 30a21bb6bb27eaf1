"""``irmd new`` and ``irmd verify --file/--plot`` as a user runs them."""
import json
import os
from pathlib import Path

import pytest

from irmd.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "tutorial"
PNG = b"\x89PNG\r\n\x1a\n"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_new_writes_a_template_that_verifies_as_is(in_tmp, capsys):
    code, out, _ = run(capsys, "new", "my_sale")
    assert code == 0 and "irmd verify --file my_sale.py" in out
    text = (in_tmp / "my_sale.py").read_text()
    for part in ("Environment(", "Mechanism.make(", "Information.make(", "Constant(", "def candidate(mu1="):
        assert part in text
    code, out, err = run(capsys, "verify", "--file", "my_sale.py", "--dps", "20", "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["candidate"] == "my_sale" and data["status"] == "verified"
    assert data["guarantee_lower"].startswith("0.1866823088508370")  # e^-ybar, e^-ybar (1 + ybar) = 1/2
    code, out, _ = run(capsys, "verify", "--file", "my_sale.py", "--dps", "20", "--param", "mu1=0.3")
    assert code == 0 and "my_sale mu1=3/10: VERIFIED" in out


def test_new_refuses_to_overwrite_and_checks_the_name(in_tmp, capsys):
    assert run(capsys, "new", "one.py")[0] == 0
    code, _, err = run(capsys, "new", "one")
    assert code == 3 and "exists; use --force" in err
    assert run(capsys, "new", "one", "--force")[0] == 0
    for bad, needle in (("9lives", "letters"), ("x.txt", "ends in .py"), ("no/such/dir/x", "does not exist")):
        code, _, err = run(capsys, "new", bad)
        assert code == 3 and needle in err and "\n" not in err.strip()


def test_verify_file_bad_input_is_one_line_naming_file_and_line(in_tmp, capsys):
    Path("broken.py").write_text("import sympy\n\ndef candidate(N=2):\n    return N / 0\n")
    code, _, err = run(capsys, "verify", "--file", "broken.py")
    assert code == 3
    assert err.strip() == "irmd: error: broken.py, line 4: ZeroDivisionError: division by zero"
    code, _, err = run(capsys, "verify", "--file", "broken.py", "--param", "N=x")
    assert code == 3 and "parameter N" in err
    code, _, err = run(capsys, "verify", "--file", "notes.txt")
    assert code == 3 and "ending in .py" in err
    code, _, err = run(capsys, "verify", "common-value-auction", "--file", "broken.py")
    assert code == 3 and "one of" in err
    code, _, err = run(capsys, "verify", "--all", "--file", "broken.py")
    assert code == 3 and "one of" in err


def test_verify_file_refuted_with_plots(in_tmp, capsys):
    code, out, err = run(capsys, "verify", "--file", str(EXAMPLES / "costly_sale_guess.py"), "--dps", "15",
                         "--plot", "plots")
    assert code == 1, err
    assert "REFUTED" in out and "ivo.slackness" in out
    names = sorted(os.listdir("plots"))
    assert names == ["ivo.png", "pde.png", "svo.png"]
    for name in names:
        assert (in_tmp / "plots" / name).read_bytes()[:8] == PNG
    assert "plots: plots/svo.png" in err


def test_verify_plot_rejects_a_file_as_folder_and_stays_quiet_under_json(in_tmp, capsys):
    Path("taken").write_text("")
    code, _, err = run(capsys, "verify", "common-value-auction", "--param", "N=1", "--plot", "taken")
    assert code == 3 and "not a folder" in err
    code, out, err = run(capsys, "verify", "common-value-auction", "--param", "N=1", "--dps", "15", "--json",
                         "--plot", "maps")
    assert code == 0 and json.loads(out)["status"] == "verified" and err == ""
    assert (in_tmp / "maps" / "svo.png").read_bytes()[:8] == PNG
