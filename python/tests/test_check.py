"""`check` and `validate`: the result's fields, the forms a request may take, warnings, and
the exception."""

from __future__ import annotations

import pickle
from collections import OrderedDict
from types import MappingProxyType

import pytest

import ecs_snapshot_rules as rules

SAMPLE_URL = (
    "https://ecs.aliyuncs.com/?Action=CreateSnapshot&DiskId=d-bp1s5fnvk4gn2tws0****"
    "&SnapshotName=testSnapshotName&Description=testDescription"
    "&ClientToken=123e4567-e89b-12d3-a456-426655440000&Tag.1.Key=TestKey&Tag.1.Value=TestValue"
)


def verdict(result) -> tuple:
    return ("valid",) if result.valid else (result.status, result.code, result.message, result.parameter)


def test_a_valid_request_has_no_verdict_fields():
    result = rules.check(SAMPLE_URL)
    assert result.valid is True and bool(result) is True
    assert (result.status, result.code, result.message, result.parameter) == (None, None, None, None)
    assert result.violations == () and result.warnings == () and result.error is None
    assert result.raise_for_error() is None
    assert repr(result) == "CheckResult(valid=True, warnings=0)"


def test_every_violation_in_the_apis_order_the_first_being_the_answer():
    result = rules.check("SnapshotName=1st&RetentionDays=0&Tag.1.Key=acs:x")
    assert [v.code for v in result.violations] == [
        "MissingParameter",
        "InvalidSnapshotName.Malformed",
        "InvalidRetentionDays.Malformed",
        "InvalidTagKey.Malformed",
    ]
    first = result.violations[0]
    assert verdict(result) == (first.status, first.code, first.message, first.parameter)
    assert bool(result) is False
    assert first.to_dict() == {
        "status": 400,
        "code": "MissingParameter",
        "message": 'The input parameter "DiskId" that is mandatory for processing this request is not supplied.',
        "parameter": "DiskId",
    }
    assert repr(result.violations[3]) == (
        "Violation(status=400, code='InvalidTagKey.Malformed', "
        "message='The specified Tag.n.Key is not valid.', parameter='Tag.1.Key')"
    )


def test_the_error_and_raise_for_error_are_the_first_refusal():
    result = rules.check("DiskId=d-1&Description=http://example.com")
    error = result.error
    assert isinstance(error, rules.ApiError) and isinstance(error, Exception)
    assert (error.status, error.code, error.parameter) == (404, "InvalidDescription.Malformed", "Description")
    with pytest.raises(rules.ApiError) as raised:
        result.raise_for_error()
    assert raised.value == error
    assert str(error) == "InvalidDescription.Malformed (HTTP 404): The specified description is wrongly formed."


def test_validate_raises_the_first_refusal_and_returns_none_otherwise():
    assert rules.validate("DiskId=d-1") is None
    with pytest.raises(rules.ApiError) as raised:
        rules.validate({"DiskId": "d-1", "Category": "Flash", "InstantAccess": True})
    assert (raised.value.status, raised.value.code, raised.value.message, raised.value.parameter) == (
        403,
        "InvalidCategoryAndInstantAccess.Malformed",
        "The snapshot Category and InstantAccess can't be used together.",
        "Category",
    )


def test_api_error_pickles_and_compares_by_its_fields():
    error = rules.ApiError(400, "InvalidParameter", 'The specified parameter "X" is not valid.', "X")
    again = pickle.loads(pickle.dumps(error))
    assert again == error and hash(again) == hash(error)
    assert again != rules.ApiError(400, "InvalidParameter", 'The specified parameter "X" is not valid.', None)
    assert repr(error) == (
        "ApiError(status=400, code='InvalidParameter', message='The specified parameter \"X\" is not valid.', parameter='X')"
    )


def test_the_forms_of_one_request_get_one_verdict():
    expected = (400, "InvalidTagValue.Malformed", "The specified Tag.n.Value is not valid.", "Tag.2.Value")
    forms = [
        "DiskId=d-1&Tag.1.Key=a&Tag.2.Key=b&Tag.2.Value=http://v",
        "https://ecs.aliyuncs.com/?DiskId=d-1&Tag.1.Key=a&Tag.2.Key=b&Tag.2.Value=http%3A%2F%2Fv",
        b"DiskId=d-1&Tag.1.Key=a&Tag.2.Key=b&Tag.2.Value=http://v",
        bytearray(b"DiskId=d-1&Tag.1.Key=a&Tag.2.Key=b&Tag.2.Value=http://v"),
        memoryview(b"DiskId=d-1&Tag.1.Key=a&Tag.2.Key=b&Tag.2.Value=http://v"),
        {"DiskId": "d-1", "Tag": [{"Key": "a"}, {"Key": "b", "Value": "http://v"}]},
        {"DiskId": "d-1", "Tag.1.Key": "a", "Tag.2.Key": "b", "Tag.2.Value": "http://v"},
        OrderedDict([("DiskId", "d-1"), ("Tag.1.Key", "a"), ("Tag.2.Key", "b"), ("Tag.2.Value", "http://v")]),
        MappingProxyType({"DiskId": "d-1", "Tag.1.Key": "a", "Tag.2.Key": "b", "Tag.2.Value": "http://v"}),
        '{"DiskId": "d-1", "Tag": [{"Key": "a"}, {"Key": "b", "Value": "http://v"}]}',
        [("DiskId", "d-1"), ("Tag.1.Key", "a"), ("Tag.2.Key", "b"), ("Tag.2.Value", "http://v")],
        (("DiskId", "d-1"), ("Tag.1.Key", "a"), ("Tag.2.Key", "b"), ("Tag.2.Value", "http://v")),
    ]
    for form in forms:
        assert verdict(rules.check(form)) == expected, form
        with pytest.raises(rules.ApiError):
            rules.validate(form)


def test_json_types_are_read_as_the_sdk_writes_them():
    assert rules.check({"DiskId": "d-1", "RetentionDays": 30, "InstantAccess": True, "InstantAccessRetentionDays": "7"}).valid
    assert rules.check({"DiskId": "d-1", "Description": None, "Tag": []}).valid
    result = rules.check({"DiskId": "d-1", "RetentionDays": 65537})
    assert (result.code, result.parameter) == ("InvalidRetentionDays.Malformed", "RetentionDays")
    result = rules.check({"DiskId": {"id": "d-1"}})
    assert verdict(result) == (400, "InvalidParameter", 'The specified parameter "DiskId" is not valid.', "DiskId")
    # Integers beyond 64 bits are numbers too.
    result = rules.check({"DiskId": "d-1", "RetentionDays": 2**80})
    assert result.code == "InvalidRetentionDays.Malformed"


def test_a_wire_refusal_is_the_apis_answer():
    # The same parameter twice is InvalidParameter for it.
    result = rules.check("DiskId=d-1&SnapshotName=ab&SnapshotName=cd")
    assert verdict(result) == (400, "InvalidParameter", 'The specified parameter "SnapshotName" is not valid.', "SnapshotName")
    assert result.warnings == ()
    result = rules.check([("DiskId", "d-1"), ("DiskId", "d-2")])
    assert (result.code, result.parameter) == ("InvalidParameter", "DiskId")
    # Another Action.
    result = rules.check("Action=DescribeDisks&DiskId=d-1")
    assert verdict(result) == (404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method.", "Action")
    # A bad escape.
    assert rules.check("DiskId=d-1&SnapshotName=%zz").parameter == "SnapshotName"


def test_warnings_say_what_the_api_ignores():
    result = rules.check("DiskId=d-1&SnapshotNmae=nightly&Tag.1.key=env&InstantAccessRetentionDays=3")
    assert result.valid
    assert [(w.kind, w.parameter, w.suggestion) for w in result.warnings] == [
        ("UnknownParameter", "SnapshotNmae", "SnapshotName"),
        ("DeprecatedParameter", "InstantAccessRetentionDays", None),
        ("DeprecatedParameter", "Tag.1.key", "Tag.1.Key"),
        ("IneffectiveParameter", "InstantAccessRetentionDays", None),
    ]
    assert result.warnings[0].message == "unknown parameter SnapshotNmae; did you mean SnapshotName?"
    assert repr(result.warnings[0]) == (
        "RequestWarning(kind='UnknownParameter', parameter='SnapshotNmae', suggestion='SnapshotName', "
        "message='unknown parameter SnapshotNmae; did you mean SnapshotName?')"
    )
    # Warnings come with refusals too.
    result = rules.check({"DiskId": "", "RegionID": "cn-hangzhou"})
    assert result.code == "MissingParameter" and [w.suggestion for w in result.warnings] == ["RegionId"]


def test_text_that_is_no_request_is_a_value_error():
    with pytest.raises(ValueError, match="^not a CreateSnapshot request: invalid JSON at line 1, column"):
        rules.check('{"DiskId": ')
    with pytest.raises(ValueError, match="not a CreateSnapshot request: the input is not UTF-8 text"):
        rules.check(b'{"DiskId": "\xff"}')


def test_a_violation_explains_itself():
    violation = rules.check("DiskId=d-1&ClientToken=" + "x" * 65).violations[0]
    entry = violation.explain()
    assert entry.code == violation.code == "InvalidClientToken.Malformed"
    assert entry.how_to_fix == rules.explain("InvalidClientToken.Malformed").how_to_fix
    assert violation.error() == rules.ApiError(violation.status, violation.code, violation.message, violation.parameter)


def test_reprs_are_pythons_own_quoting():
    requests = [
        "DiskId=d-1&DiskId=d-2",  # a message with double quotes
        {"DiskId": "d-1", "Category": "Flash", "InstantAccess": True},  # a message with "can't"
        "SnapshotName=1st&Tag.1.Key=acs:x&Tag.1.Value=http://x",
    ]
    violations = [v for request in requests for v in rules.check(request).violations]
    assert len(violations) == 6
    for violation in violations:
        assert repr(violation) == (
            f"Violation(status={violation.status!r}, code={violation.code!r}, "
            f"message={violation.message!r}, parameter={violation.parameter!r})"
        )
    names = ["it's", 'say "hi"', "both ' and \"", "tab\there\nnew\\line\x01"]
    warnings = rules.check([("DiskId", "d-1")] + [(name, "1") for name in names]).warnings
    assert [w.parameter for w in warnings] == names
    for warning in warnings:
        assert repr(warning) == (
            f"RequestWarning(kind={warning.kind!r}, parameter={warning.parameter!r}, "
            f"suggestion={warning.suggestion!r}, message={warning.message!r})"
        )
