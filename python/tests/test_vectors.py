"""Parity with the Rust library on every conformance case: each case of tests/vectors/*.json
and tests/sdk/cases.json, read at run time, gets from the Python package exactly the verdict
the case expects (status, code, message, parameter), and, where a case lists them, exactly
its violations in order. Cases that tests/vectors/expected_failures.txt lists are expected
to fail here too (strictly: a listed case that passes fails the run)."""

from __future__ import annotations

import json

import pytest
from conftest import expected_failures, vector_cases

import ecs_snapshot_rules as rules

CASES = vector_cases()
KNOWN = expected_failures()


def outcome(expect: dict) -> tuple:
    if expect.get("valid") is True:
        return ("valid",)
    return (expect["status"], expect["code"], expect["message"], expect.get("parameter"))


def verdict_of(result) -> tuple:
    if result.valid:
        return ("valid",)
    return (result.status, result.code, result.message, result.parameter)


def forms(case: dict) -> list:
    """Every Python form of the case's request: the form it is written in, and its
    equivalents (bytes for a query, JSON text for a JSON document)."""
    if "query" in case:
        return [("str", case["query"]), ("bytes", case["query"].encode("utf-8"))]
    if "json" in case:
        document = case["json"]
        if not isinstance(document, dict):
            return [("json text", json.dumps(document))]
        return [("dict", document), ("json text", json.dumps(document, ensure_ascii=False))]
    if "pairs" in case:
        return [("pairs", [tuple(pair) for pair in case["pairs"]])]
    raise AssertionError(f"case {case['name']} has no request")


def _params():
    for case in CASES:
        marks = [pytest.mark.xfail(strict=True, reason="listed in expected_failures.txt")] if case["name"] in KNOWN else []
        yield pytest.param(case, id=case["name"], marks=marks)


PARAMS = list(_params())


@pytest.mark.parametrize("case", PARAMS)
def test_every_vector_gets_its_expected_verdict(case):
    expected = outcome(case["expect"])
    for form, request in forms(case):
        result = rules.check(request)
        assert verdict_of(result) == expected, form
        assert result.valid == (expected == ("valid",)), form
        if "all" in case:
            assert [verdict_of_violation(v) for v in result.violations] == [outcome(e) for e in case["all"]], form
        elif not result.valid:
            assert verdict_of_violation(result.violations[0]) == expected, form
        else:
            assert result.violations == (), form


def verdict_of_violation(violation) -> tuple:
    return (violation.status, violation.code, violation.message, violation.parameter)


@pytest.mark.parametrize("case", PARAMS)
def test_every_vector_validates_as_it_checks(case):
    expected = outcome(case["expect"])
    for form, request in forms(case):
        if expected == ("valid",):
            assert rules.validate(request) is None, form
            continue
        with pytest.raises(rules.ApiError) as raised:
            rules.validate(request)
        error = raised.value
        assert (error.status, error.code, error.message, error.parameter) == expected, form
        assert str(error) == f"{expected[1]} (HTTP {expected[0]}): {expected[2]}"


def test_the_vectors_were_read():
    # Every file contributes, and the names are unique, as the Rust runner requires.
    names = [case["name"] for case in CASES]
    assert len(names) == len(set(names))
    groups = {name.split("/")[0] for name in names}
    assert {"sample", "order", "tag", "wire", "json", "old_sdk", "new_sdk"} <= groups
    assert sum(1 for case in CASES if "all" in case) > 0
