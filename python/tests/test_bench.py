"""The benchmark's ground: its schema is the one of benches/peers.rs, its inputs are what
the SDK's models give, and every contender agrees on every input before anything is timed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHES = Path(__file__).resolve().parents[1] / "benches"
sys.path.insert(0, str(BENCHES))

bench = pytest.importorskip("bench_check", reason="the benchmark needs jsonschema and fastjsonschema")
peers = pytest.importorskip("peers_schema")


def test_the_schema_is_read_from_benches_peers_rs():
    schema = peers.peers_schema()
    source = peers.PEERS.read_text(encoding="utf-8")
    # Every property the Rust schema names is there, with the URL pattern expanded.
    for name in ["DiskId", "SnapshotName", "Description", "RetentionDays", "Category", "ClientToken", "Tag",
                 "ResourceGroupId", "InstantAccess", "InstantAccessRetentionDays"]:
        assert f'"{name}":' in source and name in schema["properties"]
    key = schema["properties"]["Tag"]["items"]["properties"]["Key"]
    assert key["not"]["pattern"] == "^acs:|^aliyun|https?://"
    assert schema["not"] == {"required": ["Category", "InstantAccess"]}


def test_a_schema_this_reader_cannot_follow_is_an_error(tmp_path):
    changed = peers.PEERS.read_text(encoding="utf-8").replace("{no_url}", "{other}")
    path = tmp_path / "peers.rs"
    path.write_text(changed, encoding="utf-8")
    with pytest.raises(ValueError, match="uses a name this reader does not know"):
        peers.peers_schema(path)


def test_every_contender_agrees_on_every_input():
    assert bench.verdicts() == {"sample": True, "full": True, "early": False, "late": False}


def test_the_inputs_are_the_shapes_of_the_rust_benchmark():
    shapes = bench.shapes()
    assert shapes["sample"]["DiskId"] == "d-bp1s5fnvk4gn2tws0****" and len(shapes["sample"]["Tag"]) == 1
    full = shapes["full"]
    assert len(full["Tag"]) == 20 and 200 < len(full["Description"]) <= 256
    assert "DiskId" not in shapes["early"]
    assert shapes["late"]["Category"] == "Standard"


def test_the_report_quotes_ratios_of_the_same_run():
    results = {shape: {"check": 100.0, "validate": 90.0, "jsonschema": 1500.0, "fastjsonschema": 300.0} for shape in ["sample"]}
    table = bench.report(results, {"sample": True})
    assert "| sample | valid | 100 | 90 | 1,500 | 300 | **15.0×** | **3.0×** |" in table
