"""Reading finite instances from JSON, with one-line errors that name the JSON path.

Format (documented in the README, "Finite mechanisms and information structures")::

    {"env": {"mu": [...], "u": [[[u_i(w, t) for t] for w] for i], "w": [[w(w, t) for t] for w],
             "agents": [...], "states": [...], "outcomes": [...]},          # labels optional
     "mechanism":   {"m": nested [a_0]...[a_{N-1}][w], "actions": [[...] per agent]},
     "information": {"sigma": nested [s_0]...[s_{N-1}][t], "signals": [[...] per agent]}}

Numbers are JSON numbers or strings such as ``"3/50"`` and are read exactly.  Probabilities
written as JSON floats (``json.dump(p.tolist())`` from numpy) rarely sum to exactly 1; where an
array of them is off by at most :data:`FLOAT_SUM_TOLERANCE` -- the prior, each lottery of the
mechanism, sigma and its marginal on the states -- it is renormalised exactly and the instance
says so in ``notes`` (the exact certificate is then for the renormalised instance).  Exact inputs
(integers, strings such as ``"1/3"``) are never renormalised.
"""
from __future__ import annotations

import json
import stat
from fractions import Fraction
from pathlib import Path

import numpy as np

from irmd.errors import InputError
from irmd.numbers import MAX_DIGITS, parse_exact

from .model import FiniteEnvironment, FiniteInformation, FiniteInstance, FiniteMechanism, InstanceError
from .rational import RationalArray

_TOP_KEYS = {"env", "mechanism", "information", "name", "description"}
_ENV_KEYS = {"mu", "u", "w", "agents", "states", "outcomes"}


def _number(value, path: str) -> Fraction:
    if isinstance(value, (list, dict)) or value is None:
        raise InstanceError(path, f"expected a number, got {json.dumps(value)[:40]}")
    try:
        exact = parse_exact(value, what=path)
    except InputError as error:
        raise InstanceError("", str(error)) from None
    return Fraction(int(exact.p), int(exact.q))


def _shape_of(value, path: str, depth: int) -> list[int]:
    """Shape of a rectangular nested list ``depth`` levels deep (checks only the first branch)."""
    shape, node, where = [], value, path
    for _ in range(depth):
        if not isinstance(node, list):
            raise InstanceError(where, f"expected a list, got {json.dumps(node)[:40]}")
        if len(node) == 0:
            raise InstanceError(where, "expected a non-empty list")
        shape.append(len(node))
        node, where = node[0], where + "[0]"
    return shape


#: How far from 1 a sum of JSON floats may be and still be renormalised (doubles carry about 16
#: digits; a sum of a thousand of them is off by about 1e-13).
FLOAT_SUM_TOLERANCE = Fraction(1, 10**9)


def _rational_array(value, path: str, depth: int) -> RationalArray:
    """A rectangular nested list of numbers ``depth`` levels deep, read exactly."""
    return RationalArray.from_fractions(_fractions(value, path, depth)[0])


def _fractions(value, path: str, depth: int) -> tuple[np.ndarray, bool]:
    """(object array of Fractions, whether any entry was a JSON float)."""
    shape = _shape_of(value, path, depth)
    flat: list[Fraction] = []
    floats = False

    def walk(node, level: int, where: str):
        nonlocal floats
        if level == depth:
            floats = floats or isinstance(node, float)
            flat.append(_number(node, where))
            return
        if not isinstance(node, list):
            raise InstanceError(where, f"expected a list, got {json.dumps(node)[:40]}")
        if len(node) != shape[level]:
            raise InstanceError(where, f"expected {shape[level]} entries like its siblings, got {len(node)}")
        for k, child in enumerate(node):
            walk(child, level + 1, f"{where}[{k}]")

    walk(value, 0, path)

    array = np.empty(len(flat), dtype=object)
    array[:] = flat
    return array.reshape(shape), floats


def _renormalised(array: np.ndarray, path: str, notes: list, axis: int | None = None) -> np.ndarray:
    """``array`` divided by its sum (over ``axis``, or all of it) where that sum differs from 1 by at
    most FLOAT_SUM_TOLERANCE (else unchanged: the model's check then reports it)."""
    sums = array.sum() if axis is None else array.sum(axis=axis, keepdims=True)
    off = np.vectorize(lambda s: s != 1 and abs(s - 1) <= FLOAT_SUM_TOLERANCE, otypes=[bool])(sums)
    if not off.any():
        return array
    worst = max(abs(s - 1) for s, renormalised in zip(np.atleast_1d(sums).ravel(), np.atleast_1d(off).ravel())
                if renormalised)
    notes.append(f"{path}: JSON floats summing to 1 within {float(worst):.1e} renormalised to sum to 1 exactly")
    divisor = np.where(off, sums, Fraction(1))
    return array / divisor


def _matched_marginal(sigma: np.ndarray, mu: np.ndarray, notes: list) -> np.ndarray:
    """sigma with each state's column rescaled to the prior where its marginal is within the tolerance."""
    marginal = sigma.reshape(-1, sigma.shape[-1]).sum(axis=0)
    scale = np.array([m_t / g_t if g_t != m_t and g_t != 0 and abs(g_t - m_t) <= FLOAT_SUM_TOLERANCE
                      else Fraction(1) for g_t, m_t in zip(marginal, mu)], dtype=object)
    if all(s == 1 for s in scale):
        return sigma
    notes.append("information.sigma: its marginal on the states, JSON floats within "
                 f"{float(max(abs(g - m) for g, m in zip(marginal, mu))):.1e} of env.mu, rescaled to env.mu exactly")
    return sigma * scale


def _depth(value) -> int:
    depth = 0
    while isinstance(value, list) and value:
        value, depth = value[0], depth + 1
    return depth


def _require(mapping, key: str, path: str):
    if not isinstance(mapping, dict):
        raise InstanceError(path, "expected an object")
    if key not in mapping:
        raise InstanceError(path, f"missing key {key!r}")
    return mapping[key]


def _no_unknown_keys(mapping: dict, allowed: set[str], path: str) -> None:
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        where = f"{path}.{unknown[0]}" if path else unknown[0]
        raise InstanceError(where, f"unknown key; allowed keys are {sorted(allowed)}")


def _label_list(value, path: str, nested: bool = False) -> tuple:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise InstanceError(path, "expected a list of labels")
    if nested:
        for k, entry in enumerate(value):
            _label_list(entry, f"{path}[{k}]")
        return tuple(tuple(entry) for entry in value)
    for k, entry in enumerate(value):
        if not isinstance(entry, (str, int)) or isinstance(entry, bool):
            raise InstanceError(f"{path}[{k}]", "a label must be a string or an integer")
    return tuple(value)


def _nested_object(value, path: str, array_key: str, labels_key: str, agents: int, innermost: str):
    """The ``{array_key: nested array, labels_key: [[...]]}`` object of a mechanism or information structure."""
    if not isinstance(value, dict):
        raise InstanceError(path, "expected an object")
    _no_unknown_keys(value, {array_key, labels_key}, path)
    nested = _require(value, array_key, path)
    depth = _depth(nested)
    if depth != agents + 1:
        raise InstanceError(f"{path}.{array_key}", f"nested {depth} levels deep, expected {agents + 1} "
                                                   f"(one per agent of env.u, {innermost})")
    array, floats = _fractions(nested, f"{path}.{array_key}", depth)
    return array, floats, _label_list(value.get(labels_key), f"{path}.{labels_key}", nested=True)


def instance_from_dict(data) -> FiniteInstance:
    """Validate a parsed JSON document and return a :class:`FiniteInstance`."""
    if not isinstance(data, dict):
        raise InstanceError("", "the document must be a JSON object with keys env, mechanism and/or information")
    _no_unknown_keys(data, _TOP_KEYS, "")
    env_data = _require(data, "env", "")
    if not isinstance(env_data, dict):
        raise InstanceError("env", "expected an object")
    _no_unknown_keys(env_data, _ENV_KEYS, "env")
    notes: list[str] = []
    mu, floats = _fractions(_require(env_data, "mu", "env"), "env.mu", 1)
    if floats:
        mu = _renormalised(mu, "env.mu", notes)
    w = _rational_array(_require(env_data, "w", "env"), "env.w", 2)
    u = _rational_array(_require(env_data, "u", "env"), "env.u", 3)
    env = FiniteEnvironment(RationalArray.from_fractions(mu), u, w, _label_list(env_data.get("agents"), "env.agents"),
                            _label_list(env_data.get("states"), "env.states"),
                            _label_list(env_data.get("outcomes"), "env.outcomes"))
    mechanism = information = None
    if "mechanism" in data:
        array, floats, labels = _nested_object(data["mechanism"], "mechanism", "m", "actions", env.n_agents,
                                               "then the outcome lottery")
        if floats:
            array = _renormalised(array, "mechanism.m (lotteries)", notes, axis=-1)
        mechanism = FiniteMechanism(RationalArray.from_fractions(array), labels)
    if "information" in data:
        array, floats, labels = _nested_object(data["information"], "information", "sigma", "signals",
                                               env.n_agents, "then the states")
        if floats:
            array = _matched_marginal(_renormalised(array, "information.sigma", notes), mu, notes)
        information = FiniteInformation(RationalArray.from_fractions(array), labels)
    if mechanism is None and information is None:
        raise InstanceError("", "the document needs a 'mechanism' or an 'information' object (or both)")
    return FiniteInstance(env, mechanism, information, str(data.get("name", "")), tuple(notes))


#: The largest instance file read (bytes).
MAX_FILE_BYTES = 64 * 2**20


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_DIGITS:
        raise InputError(f"an integer of {len(text.lstrip('-'))} digits; at most {MAX_DIGITS} are read")
    return int(text)


def load_instance(path) -> FiniteInstance:
    """Read and validate a JSON file; every problem raises :class:`InstanceError` (an InputError).

    Only a regular file of at most :data:`MAX_FILE_BYTES` is opened (a FIFO or a device would block);
    numbers have at most :data:`~irmd.numbers.MAX_DIGITS` digits; nesting deeper than Python's
    recursion limit is refused (json raises RecursionError; no model nests more than N + 1 deep)."""
    path = Path(path)
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            raise InputError(f"{path}: not a regular file")
        if info.st_size > MAX_FILE_BYTES:
            raise InputError(f"{path}: {info.st_size} bytes; an instance file has at most {MAX_FILE_BYTES}")
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"{path}: cannot read file ({error.strerror or error})") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not a text file in UTF-8 (byte {error.start})") from None
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})") from None
    except InputError as error:
        raise InputError(f"{path}: {error}") from None
    except RecursionError:
        raise InputError(f"{path}: lists or objects nested too deep") from None
    return instance_from_dict(data)
