"""Reading and validating finite instances: every mistake is one line naming the JSON path."""
import copy
import json

import pytest

from irmd.errors import InputError
from irmd.verify.finite import FiniteInstance, instance_from_dict, load_instance
from irmd.verify.finite.fpa import first_price_instance

ENV = {"mu": ["1/2", "1/2"],
       "u": [[[0, 0], [-1, 1]], [[0, 0], [1, -1]]],
       "w": [[0, 0], [1, 1]]}
MECHANISM = {"m": [[[1, 0], [1, 0]], [[1, 0], ["1/2", "1/2"]]]}
INFORMATION = {"sigma": [[["1/4", "1/4"], [0, 0]], [[0, 0], ["1/4", "1/4"]]]}
GOOD = {"env": ENV, "mechanism": MECHANISM, "information": INFORMATION}


def mutated(path, value):
    doc = copy.deepcopy(GOOD)
    node = doc
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


# (mutation, expected text in the one-line message)
BAD = [
    ((("env", "mu"), ["1/2", "2/5"]), "env.mu: probabilities sum to 0.9, not 1"),
    ((("env", "mu"), ["3/2", "-1/2"]), "env.mu[1]: probabilities must be >= 0"),
    ((("env", "mu"), "abc"), "env.mu: expected a list"),
    ((("env", "w"), [[0, 0], [1]]), "env.w[1]: expected 2 entries like its siblings, got 1"),
    ((("env", "u"), [[[0, 0], [-1, 1]]]), "env.u"),
    ((("env", "u"), KeyError), "env: missing key 'u'"),
    ((("env", "mu"), ["half", "1/2"]), "env.mu[0]: expected a number"),
    ((("mechanism", "m"), [[[1, 0], [1, 0]], [[1, 0], ["1/2", "2/5"]]]),
     "mechanism.m[1][1]: probabilities sum to 0.9, not 1"),
    ((("mechanism", "m"), [[[1, 0], [1, 0]], [[1, 0], ["3/2", "-1/2"]]]),
     "mechanism.m[1][1]: probability of outcome 1 must be >= 0"),
    ((("mechanism", "m"), [[1, 0], [1, 0]]), "mechanism.m: nested 2 levels deep, expected 3"),
    ((("mechanism", "m"), [[[1, 0], [1, 0]], [[1, 0]]]), "mechanism.m[1]: expected 2 entries like its siblings, got 1"),
    ((("mechanism", "m"), [[[0, 1], [1, 0]], [[1, 0], [1, 0]]]), "action 0 of agent 0 is not secure in state 0"),
    ((("mechanism", "actions"), [["a", "a"], ["x", "y"]]), "mechanism.actions[0]: labels must be distinct"),
    ((("information", "sigma"), [[["1/4", "1/4"], [0, 0]], [[0, 0], ["1/4", "1/5"]]]),
     "information.sigma: probabilities sum to"),
    ((("information", "sigma"), [[["3/4", 0], [0, 0]], [[0, 0], [0, "1/4"]]]),
     "information.sigma: marginal of state 0 is 0.75, but env.mu[0] is 0.5"),
    ((("information", "sigma"), [[["1/4", "1/4", 0], [0, 0, 0]], [[0, 0, 0], ["1/4", "1/4", 0]]]), "expected 2 states"),
    ((("information", "extra"), 1), "information.extra: unknown key"),
    ((("oops",), 1), "oops: unknown key"),
]


def test_good_document_loads():
    instance = instance_from_dict(GOOD)
    assert isinstance(instance, FiniteInstance)
    assert instance.mechanism.action_counts == (2, 2)
    assert instance.information.signal_counts == (2, 2)
    assert instance.env.states == ("state 0", "state 1")


@pytest.mark.parametrize("mutation, expected", BAD, ids=[b[1][:40] for b in BAD])
def test_bad_documents_name_the_path(mutation, expected):
    with pytest.raises(InputError) as info:
        instance_from_dict(mutated(*mutation))
    message = str(info.value)
    assert expected in message
    assert "\n" not in message


def test_insecure_action_zero_is_rejected_with_agent_and_state():
    doc = mutated(("mechanism", "m"), [[[1, 0], [1, 0]], [[0, 1], [1, 0]]])
    with pytest.raises(InputError, match=r"action 0 of agent 1 is not secure in state 1: expected utility -1"):
        instance_from_dict(doc)


def test_document_needs_mechanism_or_information():
    with pytest.raises(InputError, match="needs a 'mechanism' or an 'information'"):
        instance_from_dict({"env": ENV})


@pytest.mark.parametrize("text, expected", [("{", "not valid JSON"), ("[1, 2]", "must be a JSON object")])
def test_unparsable_files(tmp_path, text, expected):
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(InputError, match=expected):
        load_instance(path)


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="cannot read file"):
        load_instance(tmp_path / "nope.json")


def test_decimals_are_read_exactly(tmp_path):
    doc = mutated(("env", "mu"), [0.1, 0.9])
    doc.pop("information")
    path = tmp_path / "decimal.json"
    path.write_text(json.dumps(doc))
    assert load_instance(path).env.mu.entry((0,)) == __import__("fractions").Fraction(1, 10)


def test_example_files_load():
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "examples" / "finite"
    files = sorted(folder.glob("*.json"))
    assert len(files) >= 3
    for path in files:
        instance = load_instance(path)
        assert instance.mechanism is not None or instance.information is not None


def test_fpa_builtin_is_secure_and_exact():
    instance = first_price_instance(4)
    assert instance.mechanism.action_counts == (5, 5)
    m = instance.mechanism.m.fractions()
    assert m[2, 2].sum() == 1 and m[2, 2].max() == __import__("fractions").Fraction(1, 2)
