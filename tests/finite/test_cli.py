"""The finite commands as a new user runs them: help, examples, JSON output, bad files."""
import json
from pathlib import Path

import pytest

from irmd.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "finite"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("command", ["fpa", "guarantee", "potential", "reduce"])
def test_help(capsys, command):
    code, out, _ = run(capsys, command, "--help")
    assert code == 0
    assert "--json" in out


def test_top_level_help_lists_the_commands(capsys):
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("fpa", "guarantee", "potential", "reduce"):
        assert command in out


def test_fpa_exact_prints_fractions(capsys):
    code, out, err = run(capsys, "fpa", "--n", "5", "--exact")
    assert code == 0
    assert "3/50" in out and "1/30" in out and "proved" in out


def test_fpa_json_is_exactly_to_dict_and_quiet(capsys):
    code, out, err = run(capsys, "fpa", "--n", "5", "6", "--exact", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert [r["n"] for r in data["results"]] == [5, 6]
    assert data["results"][0]["guarantee"]["value"] == "3/50"
    assert data["results"][1]["guarantee"]["value"] == "4/51"
    assert data["results"][0]["coarse_guarantee"]["value"] == "1/30"


def test_guarantee_on_example(capsys):
    code, out, _ = run(capsys, "guarantee", str(EXAMPLES / "fpa5.json"), "--exact")
    assert code == 0 and "3/50" in out and "v(theta=1) = 9/25" in out
    code, out, _ = run(capsys, "guarantee", str(EXAMPLES / "fpa5.json"), "--coarse", "--json")
    data = json.loads(out)
    assert code == 0 and data["program"] == "coarse_guarantee" and data["status"] == "confirmed"
    assert float(data["value"]) == pytest.approx(1 / 30)


def test_potential_on_example(capsys):
    code, out, _ = run(capsys, "potential", str(EXAMPLES / "binary_signals.json"), "--exact", "--json")
    data = json.loads(out)
    assert code == 0 and data["value"] == "15/32" and data["multipliers"]["beta"][0] == ["5/4", "7/12"]


def test_reduce_both_kinds(capsys):
    code, out, err = run(capsys, "reduce", str(EXAMPLES / "posted_price.json"), "--k", "40", "--json")
    data = json.loads(out)
    assert code == 0 and err == ""
    assert data["mechanism"][0]["checks"]["Theorem 1"]["status"] == "confirmed"
    assert data["information"][0]["checks"]["Theorem 2"]["status"] == "confirmed"
    code, out, _ = run(capsys, "reduce", str(EXAMPLES / "fpa5.json"), "--k", "1", "10")
    assert code == 0 and "Theorem 1" in out
    code, out, _ = run(capsys, "reduce", str(EXAMPLES / "fpa5.json"), "--coarse", "--k", "2")
    assert code == 0 and "Corollary 1" in out


BAD_FILES = [
    ("{", "not valid JSON"),
    ('{"env": {"mu": [0.5, 0.4], "u": [[[0, 0]]], "w": [[0, 0]]}, "mechanism": {"m": [[1]]}}',
     "env.mu: probabilities sum to 0.9, not 1"),
    ('{"env": {"mu": [1], "u": [[[0], [-1]]], "w": [[0], [1]]}, "mechanism": {"m": [[0, 1], [1, 0]]}}',
     "action 0 of agent 0 is not secure in state 0"),
    ('{"env": {"mu": [1], "u": [[[0], [1]]], "w": [[0], [1]]}, "mechanism": {"m": [[1, 0], ["1/2", "1/3"]]}}',
     "mechanism.m[1]: probabilities sum to 5/6, not 1"),
]


@pytest.mark.parametrize("text, expected", BAD_FILES)
def test_bad_files_exit_3_with_one_line(capsys, tmp_path, text, expected):
    path = tmp_path / "bad.json"
    path.write_text(text)
    code, out, err = run(capsys, "guarantee", str(path))
    assert code == 3 and out == ""
    assert expected in err and err.count("\n") == 1 and err.startswith("irmd: error:")


def test_wrong_kind_of_file_is_bad_input(capsys):
    code, _, err = run(capsys, "potential", str(EXAMPLES / "fpa5.json"))
    assert code == 3 and "has no 'information' object" in err
    code, _, err = run(capsys, "guarantee", str(EXAMPLES / "binary_signals.json"))
    assert code == 3 and "has no 'mechanism' object" in err


def test_bad_arguments_exit_3(capsys):
    code, _, err = run(capsys, "fpa", "--n", "0")
    assert code == 3 and "expected positive integers" in err
    code, _, err = run(capsys, "reduce", "x.json", "--c-rule", "nope")
    assert code == 3 and "invalid choice" in err


def test_information_sweep_needs_one_deciding_level(capsys):
    # K = 1 leaves a loose tail bound (inconclusive); K = 60 decides: the sweep is confirmed
    code, out, _ = run(capsys, "reduce", str(EXAMPLES / "binary_signals.json"), "--k", "1", "60", "--json")
    data = json.loads(out)
    statuses = [r["checks"]["Theorem 2"]["status"] for r in data["information"]]
    assert statuses == ["inconclusive", "confirmed"]
    assert code == 0 and data["status"] == "confirmed"
    code, out, _ = run(capsys, "reduce", str(EXAMPLES / "binary_signals.json"), "--k", "1", "--json")
    assert code == 2 and json.loads(out)["status"] == "inconclusive"


@pytest.mark.parametrize("sizes", [("3,4",), ("3", "4"), ("4", "3,3")])
def test_fpa_sizes_are_written_either_way_and_without_repeats(capsys, sizes):
    code = main(["fpa", "--n", *sizes, "--json"])
    out, _ = capsys.readouterr()
    assert code == 0
    assert [row["n"] for row in json.loads(out)["results"]] == [3, 4]
