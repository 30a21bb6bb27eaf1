"""The JSON reader answers every file with an instance or one InputError: no traceback, no hang,
no exhausted memory (binary data, deep nesting, huge numbers, FIFOs), and a fuzz test of it and of
the --param parser."""
import json
import os
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from irmd.analytic.library import get
from irmd.cli import main
from irmd.errors import InputError
from irmd.numbers import parse_exact
from irmd.verify.finite import load_instance
from irmd.verify.finite.jsonio import _renormalised


@pytest.mark.parametrize("content, needle", [
    (bytes(range(128, 256)) * 10, "not a text file in UTF-8"),
    (("[" * 100_000 + "]" * 100_000).encode(), "nested too deep"),
    (('{"env": {"mu": [' + "1" * 5001 + "]}}").encode(), "5001 digits"),
    (b'{"env": {"mu": ["1e999999999", 0]}}', "exponent 999999999"),
    (b'{"env": {"mu": [1e999999999, 0]}}', "finite number"),
])
def test_hostile_files_are_one_line_and_exit_3(tmp_path, capsys, content, needle):
    path = tmp_path / "instance.json"
    path.write_bytes(content)
    assert main(["guarantee", str(path)]) == 3
    out, err = capsys.readouterr()
    assert out == "" and needle in err and len(err.strip().splitlines()) == 1, err


def test_a_fifo_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "instance.json"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match="not a regular file"):
        load_instance(fifo)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["env", "mu", "u", "w", "mechanism", "m", "information", "sigma", "agents", "x"]),
        children, max_size=4),
    max_leaves=30)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=JSON_VALUES)
def test_any_json_document_is_an_instance_or_one_input_error(tmp_path, document):
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(document))
    try:
        load_instance(path)
    except InputError as error:
        assert "\n" not in str(error)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=st.binary(max_size=200))
def test_any_bytes_are_an_instance_or_one_input_error(tmp_path, document):
    path = tmp_path / "fuzz.json"
    path.write_bytes(document)
    try:
        load_instance(path)
    except InputError as error:
        assert "\n" not in str(error)


NUMBERISH = st.one_of(
    st.text(alphabet="0123456789+-./eE xn", max_size=30),
    st.builds(lambda m, e: f"{m}e{e}", st.integers(-10**6, 10**6), st.integers(-10**12, 10**12)),
    st.text(max_size=20))


@settings(max_examples=300, deadline=None)
@given(text=NUMBERISH)
def test_any_parameter_text_is_a_number_or_one_input_error(text):
    for read in (lambda: parse_exact(text), lambda: get("common-value-auction").values({"mu1": text})):
        try:
            read()
        except InputError as error:
            assert "\n" not in str(error)


EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "finite" / "binary_signals.json"


def _with_sigma_as_floats(tmp_path, factor):
    """binary_signals.json with sigma written by numpy (floats), every entry times ``factor``."""
    document = json.loads(EXAMPLE.read_text())
    sigma = np.array([[[float(parse_exact(v)) for v in row] for row in plane]
                      for plane in document["information"]["sigma"]])
    document["information"]["sigma"] = (sigma * factor).tolist()
    path = tmp_path / "floats.json"
    path.write_text(json.dumps(document))
    return path


def test_numpy_floats_are_renormalised_exactly_and_said_so(tmp_path, capsys):
    path = _with_sigma_as_floats(tmp_path, 1 + 1e-12)
    instance = load_instance(path)
    assert any("renormalised" in note for note in instance.notes)
    sigma = instance.information.sigma
    assert sigma.numerators.sum() == sigma.denominator          # exactly 1
    assert main(["potential", str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert any("renormalised" in note for note in data["input_notes"])
    assert main(["potential", str(path)]) == 0
    assert capsys.readouterr().out.startswith("note: information.sigma: JSON floats")


def test_a_float_prior_of_tenths_sums_to_one_after_reading():
    # 0.1 + 0.2 + 0.7 == 0.9999999999999999 in floating point; the decimals as written sum to 1.
    notes = []
    tenths = np.array([Fraction(1, 10), Fraction(1, 5), Fraction(7, 10) - Fraction(1, 10**16)], dtype=object)
    fixed = _renormalised(tenths, "env.mu", notes)
    assert sum(fixed) == 1 and notes and "env.mu" in notes[0]


def test_floats_far_from_one_are_still_refused(tmp_path):
    with pytest.raises(InputError, match="sum to"):
        load_instance(_with_sigma_as_floats(tmp_path, 1.001))


def test_exact_inputs_are_never_renormalised(tmp_path):
    document = json.loads(EXAMPLE.read_text())
    document["information"]["sigma"][0][0][0] = "0.28125000001"   # 9/32 + 1e-11: close to 1, but exact
    path = tmp_path / "exact.json"
    path.write_text(json.dumps(document))
    with pytest.raises(InputError, match="sum to|marginal"):
        load_instance(path)
