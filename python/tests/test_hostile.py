"""Hostile input: any Python object, any string, deep or cyclic nesting. Each gets a verdict
or a TypeError/ValueError that says what is wrong, never a crash, a panic across the
boundary, or a RecursionError."""

from __future__ import annotations

import enum
import math
import random
import sys

import pytest
from alibabacloud_ecs20140526 import models as ecs

import ecs_snapshot_rules as rules


def test_a_lone_surrogate_is_a_value_error_wherever_it_is():
    bad = "d-\ud800"
    cases = [
        (bad, "^the text is not valid Unicode"),
        ({"DiskId": bad}, "^DiskId: the text is not valid Unicode"),
        ({"DiskId": "d-1", "Tag": [{"Key": "k", "Value": bad}]}, r"^Tag\[1\]\.Value: |^Tag\[0\]\.Value: "),
        ({bad: "x"}, r"^\[0\]: the text is not valid Unicode"),
        ([("DiskId", bad)], r"^DiskId: the text is not valid Unicode"),
        (ecs.CreateSnapshotRequest(disk_id=bad), r"^DiskId: the text is not valid Unicode"),
    ]
    for request, message in cases:
        with pytest.raises(ValueError, match=message):
            rules.check(request)
        with pytest.raises(ValueError):
            rules.validate(request)


def test_a_models_or_pairs_bad_value_is_located_by_its_parameter():
    with pytest.raises(ValueError) as raised:
        rules.check(ecs.CreateSnapshotRequest(disk_id="d-1", description="ok\ud800"))
    assert str(raised.value) == (
        "Description: the text is not valid Unicode (it holds a lone surrogate), so it cannot be sent as UTF-8"
    )
    with pytest.raises(ValueError) as raised:
        rules.validate(ecs.CreateSnapshotRequest(disk_id="d-1", tag=[ecs.CreateSnapshotRequestTag(key="k", value="\udfff")]))
    assert str(raised.value).startswith("Tag.1.Value: the text is not valid Unicode")
    with pytest.raises(ValueError) as raised:
        rules.check([("DiskId", "d-1"), ("SnapshotName", "\ud800")])
    assert str(raised.value).startswith("SnapshotName: the text is not valid Unicode")
    # A name that cannot be read is located by the pair's place.
    with pytest.raises(ValueError) as raised:
        rules.check([("DiskId", "d-1"), ("\ud800", "x")])
    assert str(raised.value).startswith("[1]: the text is not valid Unicode")


def test_the_path_of_a_deep_value_is_cut_short():
    cyclic: dict = {}
    cyclic["DiskId"] = cyclic
    with pytest.raises(ValueError) as raised:
        rules.check(cyclic)
    assert str(raised.value) == (
        "DiskId.DiskId.DiskId.DiskId.DiskId.DiskId.DiskId.DiskId...: "
        "the request nests deeper than 256 levels (does a dict or list contain itself?)"
    )
    long_key = "K" * 10_000
    with pytest.raises(TypeError) as raised:
        rules.check({long_key: {"a": {1, 2}}})
    assert str(raised.value) == "K" * 64 + "....a: a set cannot stand in a request: values are str, int, float, bool, None, dict, list or tuple"


def test_a_tag_items_path_is_named():
    with pytest.raises(ValueError, match=r"^Tag\[0\]\.Value: the text is not valid Unicode"):
        rules.check({"DiskId": "d-1", "Tag": [{"Key": "k", "Value": "\udfff"}]})


def test_objects_that_are_no_request_are_type_errors():
    for request in [None, 42, 4.2, object(), {1, 2}, rules.check]:
        with pytest.raises(TypeError, match="^a request is a query string or URL"):
            rules.check(request)
        with pytest.raises(TypeError):
            rules.validate(request)


def test_values_json_cannot_hold_are_type_or_value_errors():
    with pytest.raises(TypeError, match=r"^SnapshotName: a set cannot stand in a request"):
        rules.check({"DiskId": "d-1", "SnapshotName": {"a"}})
    with pytest.raises(TypeError, match=r"^Tag\[0\]: a CreateSnapshotRequestTag cannot stand in a request"):
        rules.check({"DiskId": "d-1", "Tag": [ecs.CreateSnapshotRequestTag(key="k")]})
    with pytest.raises(TypeError, match="a key of int is not a parameter name: keys must be str"):
        rules.check({1: "d-1"})
    for number in [math.nan, math.inf, -math.inf]:
        with pytest.raises(ValueError, match="is not a number JSON or the API can carry"):
            rules.check({"DiskId": "d-1", "RetentionDays": number})
    with pytest.raises(TypeError, match=r"^\[0\]: a pair is a \(name, value\) tuple of two str, not a str"):
        rules.check(["DiskId=d-1"])
    with pytest.raises(TypeError, match=r"^RetentionDays: a pair is a \(name, value\) tuple of two str; this one holds a int"):
        rules.check([("DiskId", "d-1"), ("RetentionDays", 3)])
    with pytest.raises(TypeError, match=r"^\[1\]: a pair is a \(name, value\) tuple of two str; this one holds a int"):
        rules.check([("DiskId", "d-1"), (3, "x")])


def test_subclasses_of_str_int_and_bool_are_their_values():
    class Name(str, enum.Enum):
        NIGHTLY = "nightly"

    class Days(enum.IntEnum):
        MONTH = 30

    class Text(str):
        pass

    assert rules.check({"DiskId": Text("d-1"), "SnapshotName": Name.NIGHTLY, "RetentionDays": Days.MONTH}).valid
    result = rules.check({"DiskId": "d-1", "RetentionDays": Days.MONTH, "SnapshotName": Text("1x")})
    assert result.code == "InvalidSnapshotName.Malformed"


def test_deep_nesting_is_a_value_error_not_a_recursion_error():
    deep: object = "v"
    for _ in range(100_000):
        deep = [deep]
    with pytest.raises(ValueError, match="nests deeper than 256 levels"):
        rules.check({"DiskId": "d-1", "Tag": deep})
    # Within the bound, the JSON reader's own limit (128 levels) answers.
    nested: object = 1
    for _ in range(200):
        nested = [nested]
    with pytest.raises(ValueError, match="recursion limit exceeded"):
        rules.check({"DiskId": "d-1", "Other": nested})


def test_a_request_that_contains_itself_is_a_value_error():
    cyclic: dict = {"DiskId": "d-1"}
    cyclic["Tag"] = [cyclic]
    with pytest.raises(ValueError, match="does a dict or list contain itself"):
        rules.check(cyclic)

    class Loop:
        def to_map(self):
            return {"DiskId": "d-1", "Tag": [self]}

    with pytest.raises(ValueError, match="does it contain itself"):
        rules.check(Loop())


def test_code_that_changes_the_dict_while_it_is_read_cannot_panic():
    # A dict read by the native layer is read from a copy of its items, its lists by index:
    # none of these methods is called, so nothing changes under the reader.
    request: dict = {"DiskId": "d-1"}

    class Tags(list):
        def __iter__(self):
            request[f"Grown{len(request)}"] = "x"
            return super().__iter__()

    class Days(int):
        def __int__(self):
            request[f"Grown{len(request)}"] = "x"
            return 5

        def __index__(self):
            request[f"Grown{len(request)}"] = "x"
            return 5

        def __str__(self):
            request[f"Grown{len(request)}"] = "x"
            return "5"

        __repr__ = __str__

    request["Tag"] = Tags([{"Key": "env", "Value": "prod"}])
    request["RetentionDays"] = Days(2**70)
    request["InstantAccessRetentionDays"] = Days(7)
    result = rules.check(request)
    assert (result.status, result.code, result.parameter) == (400, "InvalidRetentionDays.Malformed", "RetentionDays")
    assert [(w.kind, w.parameter) for w in result.warnings] == [
        ("DeprecatedParameter", "InstantAccessRetentionDays"),
        ("IneffectiveParameter", "InstantAccessRetentionDays"),
    ]
    assert set(request) == {"DiskId", "Tag", "RetentionDays", "InstantAccessRetentionDays"}
    # The int's own value, not what its methods say.
    assert rules.check({"DiskId": "d-1", "RetentionDays": Days(30)}).valid
    assert rules.check({"DiskId": "d-1", "RetentionDays": Days(0)}).code == "InvalidRetentionDays.Malformed"

    facts: dict = {}

    class Disks(dict):
        def items(self):
            facts[f"grown{len(facts)}"] = 1
            return super().items()

        def __iter__(self):
            facts[f"grown{len(facts)}"] = 1
            return super().__iter__()

    facts["disks"] = Disks({"d-1": {"instance_id": "i-1"}})
    facts["instances"] = {"i-1": {"status": "Running"}}
    assert rules.check_preconditions("DiskId=d-1", rules.Facts(facts), "2026-11-27T12:00:00Z").outcome == "create"
    assert set(facts) == {"disks", "instances"}

    class Pairs(list):
        def __iter__(self):
            raise AssertionError("not called")

        def __len__(self):
            raise AssertionError("not called")

    assert rules.check(Pairs([("DiskId", "d-1"), ("SnapshotName", "auto-x")])).code == "InvalidSnapshotName.Malformed"


def test_a_list_whose_iter_never_ends_is_read_by_its_items_or_refused():
    class Endless(list):
        def __iter__(self):
            while True:
                yield {"Key": "k", "Value": "v"}

    # As a dict's value (the native layer): its items, as json.dumps reads a list subclass.
    result = rules.check({"DiskId": "d-1", "Tag": Endless([{"Key": "env", "Value": "prod"}])})
    assert result.valid and result.warnings == ()

    class EndlessNone(list):
        def __iter__(self):
            while True:
                yield None

    # In a model's to_map() (flattened as the SDK flattens it): a bounded count of values.
    class Model:
        def to_map(self):
            return {"DiskId": "d-1", "Tag": EndlessNone()}

    with pytest.raises(ValueError) as raised:
        rules.check(Model())
    assert str(raised.value) == (
        "the request holds more than 4194304 values, the most this package reads (does a list's __iter__ never end?)"
    )


def test_a_request_that_makes_more_than_256_mib_is_a_value_error():
    # A list that holds the same list many times over: 1,000 x 300 strings of 1,000
    # characters is 300 MB of text, made from a few kilobytes.
    row = ["x" * 1_000] * 1_000
    bomb = [row] * 300
    with pytest.raises(ValueError) as raised:
        rules.check({"DiskId": "d-1", "Other": bomb})
    assert str(raised.value) == "Other[267][632]: the request is larger than 256 MiB as JSON, the most this package reads"
    with pytest.raises(ValueError) as raised:
        rules.check([("Description", "x" * 1_000_000)] * 300)
    assert str(raised.value) == "the request is larger than 256 MiB, the most this package reads"

    class Model:
        def to_map(self):
            return {"DiskId": "d-1", "Other": [row] * 300}

    with pytest.raises(ValueError) as raised:
        rules.check(Model())
    assert str(raised.value) == "the request is larger than 256 MiB, the most this package reads"


@pytest.mark.skipif(not hasattr(sys, "get_int_max_str_digits"), reason="no limit on int digits in this Python")
def test_an_int_of_too_many_digits_is_a_value_error_where_it_is():
    with pytest.raises(ValueError, match=r"^RetentionDays: Exceeds the limit \(4300 digits\) for integer string conversion"):
        rules.check({"DiskId": "d-1", "RetentionDays": 10**5000})


def test_huge_text_gets_a_verdict():
    huge = "x" * 20_000_000
    result = rules.check({"DiskId": "d-1", "Description": huge})
    assert (result.code, result.parameter) == ("InvalidDescription.Malformed", "Description")
    result = rules.check("DiskId=d-1&Description=" + "%C3%A9" * 256)
    assert result.valid
    result = rules.check("DiskId=d-1&" + "&".join(f"P{n}=v" for n in range(100_000)))
    assert result.valid and len(result.warnings) == 100_000


def test_bytes_that_are_not_utf8_are_the_apis_invalid_parameter():
    result = rules.check(b"DiskId=d-1&SnapshotName=%ff%fe")
    assert (result.status, result.code, result.parameter) == (400, "InvalidParameter", "SnapshotName")


def test_nul_and_control_characters_are_characters():
    assert rules.check({"DiskId": "d-\x00\x01\n"}).valid
    result = rules.check({"DiskId": "d-1", "SnapshotName": "ab\x00"})
    assert result.code == "InvalidSnapshotName.Malformed"
    assert rules.check({"DiskId": "d-1", "Description": 'quote " and \\ backslash'}).valid


def test_a_to_map_that_raises_raises_its_own_error():
    class Broken:
        def to_map(self):
            raise RuntimeError("to_map failed")

    with pytest.raises(RuntimeError, match="to_map failed"):
        rules.check(Broken())


def random_value(rng: random.Random, depth: int) -> object:
    choices = [
        lambda: None,
        lambda: rng.choice([True, False]),
        lambda: rng.randint(-(2**70), 2**70),
        lambda: rng.random() * 10 ** rng.randint(-5, 5),
        lambda: "".join(chr(rng.choice([rng.randint(0, 0x7F), rng.randint(0x80, 0x10FFFF)])) for _ in range(rng.randint(0, 12))),
        lambda: b"bytes",
        lambda: object(),
    ]
    if depth < 5:
        choices.append(lambda: [random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))])
        choices.append(lambda: {rng.choice(NAMES): random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))})
    return rng.choice(choices)()


NAMES = ["DiskId", "SnapshotName", "Description", "RetentionDays", "Category", "ClientToken", "Tag", "Key",
         "Value", "Tag.1.Key", "Tag.21.Value", "InstantAccess", "InstantAccessRetentionDays", "ResourceGroupId",
         "Action", "Unknown", "\ud800"]


def test_random_objects_get_a_verdict_or_a_clear_error():
    rng = random.Random(15)
    outcomes = {"verdict": 0, "TypeError": 0, "ValueError": 0}
    for _ in range(5_000):
        request = random_value(rng, 0)
        if rng.random() < 0.7:
            request = {rng.choice(NAMES): random_value(rng, 1) for _ in range(rng.randint(0, 6))}
        try:
            result = rules.check(request)
        except (TypeError, ValueError) as error:
            assert str(error), repr(request)
            outcomes["TypeError" if isinstance(error, TypeError) else "ValueError"] += 1
            continue
        outcomes["verdict"] += 1
        first = rules._native.first_violation(request if type(request) in (str, dict, bytes) else rules._shape.native_form(request))
        assert (first is None) == result.valid
        if first is not None:
            assert first == result.violations[0]
    assert all(count > 100 for count in outcomes.values()), outcomes
