"""`irmd bounds --file`: the bounding programs for a user's candidate file."""
import json

from irmd.cli import main


def test_bounds_for_a_candidate_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["new", "mine"]) == 0
    capsys.readouterr()
    assert main(["bounds", "--file", "mine.py", "--k", "6", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    text = json.dumps(data)
    assert "holds" in text and "irmd.verify" in text


def test_bounds_needs_exactly_one_source(capsys):
    assert main(["bounds", "--k", "4"]) == 3
    assert "NAME or --file" in capsys.readouterr().err
