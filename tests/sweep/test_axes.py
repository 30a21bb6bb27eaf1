"""Sweep axes: ranges, lists and steps read exactly; typos are bad input before any work."""
import pytest

from irmd.errors import InputError, ParameterError
from irmd.sweep import MAX_POINTS, Axis, BuiltinSpec, exact_text, grid, parse_axis, prepare


@pytest.mark.parametrize("text, values", [
    ("N=1..5", ("1", "2", "3", "4", "5")),
    ("mu1=0.1,0.5,0.9", ("0.1", "0.5", "0.9")),
    ("N=1..3,8,2", ("1", "2", "3", "8")),                 # repeats dropped, order kept
    ("c=0..0.4:0.1", ("0", "0.1", "0.2", "0.3", "0.4")),  # exact steps: no 0.30000000000000004
    ("c=0..1:1/3", ("0", "1/3", "2/3", "1")),
    ("c=0..1:0.3", ("0", "0.3", "0.6", "0.9")),           # the end only when a step lands on it
    ("mu1=1/2", ("0.5",)),
    ("x=1e-3, 2.50 ,3/4", ("0.001", "2.5", "0.75")),
    ("h = -1..1", ("-1", "0", "1")),
])
def test_parse_axis(text, values):
    axis = parse_axis(text)
    assert axis.values == values and axis.name == text.partition("=")[0].strip()


@pytest.mark.parametrize("text, needle", [
    ("N", "NAME=VALUES"),
    ("=1", "NAME=VALUES"),
    ("N=", "NAME=VALUES"),
    ("N=1,,2", "empty value"),
    ("N=0.5..3", "integer ends"),
    ("N=5..1", "empty"),
    ("c=0..1:0", "step"),
    ("c=0..1:-0.1", "step"),
    ("mu1=abc", "mu1"),
    ("N=1..10000000", "more than"),
])
def test_bad_axes(text, needle):
    with pytest.raises(ParameterError if needle != "mu1" else InputError, match=needle):
        parse_axis(text)


def test_text_axes_keep_their_words():
    assert parse_axis("label=a, b,c", numeric=False).values == ("a", "b", "c")


def test_exact_text():
    assert [exact_text(v) for v in ("3", "0.10", "1/3", "-2.5", "7/8", "1e3")] == \
        ["3", "0.1", "1/3", "-2.5", "0.875", "1000"]


def test_grid_is_the_product_in_order_and_bounded():
    points = grid([parse_axis("N=1..2"), parse_axis("mu1=0.3,0.5")])
    assert points == [{"N": "1", "mu1": "0.3"}, {"N": "1", "mu1": "0.5"},
                      {"N": "2", "mu1": "0.3"}, {"N": "2", "mu1": "0.5"}]
    assert grid([]) == [{}]
    with pytest.raises(ParameterError, match="given twice"):
        grid([parse_axis("N=1"), parse_axis("N=2")])
    big = Axis("a", tuple(str(i) for i in range(1000)))
    with pytest.raises(ParameterError, match=f"more than {MAX_POINTS}"):
        grid([big, Axis("b", big.values)])


def test_every_value_is_validated_before_work():
    spec = BuiltinSpec("common-value-auction")
    with pytest.raises(ParameterError, match="N >= 1"):
        prepare(spec, [parse_axis("N=0..3")])
    with pytest.raises(ParameterError, match="mu1"):
        prepare(spec, [parse_axis("mu1=0.5,1.5")])
    with pytest.raises(ParameterError, match="unknown parameter 'M'"):
        prepare(spec, [parse_axis("M=1")])
    assert len(prepare(spec, [parse_axis("N=1..3"), parse_axis("mu1=0.2,0.4")])) == 6
