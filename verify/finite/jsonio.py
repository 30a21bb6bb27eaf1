"""Reading finite instances from JSON, with one-line errors that name the JSON path.

Format (documented in the README, "Finite mechanisms and information structures")::

    {"env": {"mu": [...], "u": [[[u_i(w, t) for t] for w] for i], "w": [[w(w, t) for t] for w],
             "agents": [...], "states": [...], "outcomes": [...]},          # labels optional
     "mechanism":   {"m": nested [a_0]...[a_{N-1}][w], "actions": [[...] per agent]},
     "information": {"sigma": nested [s_0]...[s_{N-1}][t], "signals": [[...] per agent]}}

Numbers are JSON numbers or strings such as ``"3/50"`` and are read exactly.
"""
from __future__ import annotations

import json
from fractions import Fraction
from pathlib import Path

import numpy as np

from irmd.errors import InputError
from irmd.numbers import parse_exact

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


def _rational_array(value, path: str, depth: int) -> RationalArray:
    """A rectangular nested list of numbers ``depth`` levels deep, read exactly."""
    shape = _shape_of(value, path, depth)
    flat: list[Fraction] = []

    def walk(node, level: int, where: str):
        if level == depth:
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
    return RationalArray.from_fractions(array.reshape(shape))


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
    array = _rational_array(nested, f"{path}.{array_key}", depth)
    return array, _label_list(value.get(labels_key), f"{path}.{labels_key}", nested=True)


def instance_from_dict(data) -> FiniteInstance:
    """Validate a parsed JSON document and return a :class:`FiniteInstance`."""
    if not isinstance(data, dict):
        raise InstanceError("", "the document must be a JSON object with keys env, mechanism and/or information")
    _no_unknown_keys(data, _TOP_KEYS, "")
    env_data = _require(data, "env", "")
    if not isinstance(env_data, dict):
        raise InstanceError("env", "expected an object")
    _no_unknown_keys(env_data, _ENV_KEYS, "env")
    mu = _rational_array(_require(env_data, "mu", "env"), "env.mu", 1)
    w = _rational_array(_require(env_data, "w", "env"), "env.w", 2)
    u = _rational_array(_require(env_data, "u", "env"), "env.u", 3)
    env = FiniteEnvironment(mu, u, w, _label_list(env_data.get("agents"), "env.agents"),
                            _label_list(env_data.get("states"), "env.states"),
                            _label_list(env_data.get("outcomes"), "env.outcomes"))
    mechanism = information = None
    if "mechanism" in data:
        array, labels = _nested_object(data["mechanism"], "mechanism", "m", "actions", env.n_agents,
                                       "then the outcome lottery")
        mechanism = FiniteMechanism(array, labels)
    if "information" in data:
        array, labels = _nested_object(data["information"], "information", "sigma", "signals", env.n_agents,
                                       "then the states")
        information = FiniteInformation(array, labels)
    if mechanism is None and information is None:
        raise InstanceError("", "the document needs a 'mechanism' or an 'information' object (or both)")
    return FiniteInstance(env, mechanism, information, str(data.get("name", "")))


def load_instance(path) -> FiniteInstance:
    """Read and validate a JSON file; every problem raises :class:`InstanceError` (an InputError)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"{path}: cannot read file ({error.strerror or error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"{path}: not valid JSON ({error.msg} at line {error.lineno} column {error.colno})") from None
    return instance_from_dict(data)
