"""`check` beside what a Python user would write instead, on the same dicts, in one run.

The inputs are `to_map()` of official SDK models (`alibabacloud_ecs20140526`): `sample`,
the API reference's sample request, and `full`, every parameter with 20 tags and long
Unicode text (the `full` shape of benches/peers.rs and docs/BENCHMARKS.md); also `early`
(the sample without DiskId, refused by the first rule) and `late` (`full` plus Category,
refused by the last). The peers validate against the JSON Schema of benches/peers.rs:

- `jsonschema` (PyPI): `Draft202012Validator(schema).is_valid(d)`, the validator built once;
- `fastjsonschema` (PyPI): `fastjsonschema.compile(schema)(d)`, compiled once, its
  exception caught for a refusal.

Before anything is timed, every contender's verdict on every input is checked to agree.
Each figure is the median of the repeats of a contender; the contenders take turns within
each repeat, so that a change in the machine's load falls on all of them. Ratios are
between medians of this one run.

    python python/benches/bench_check.py            # the full run, a Markdown table
    python python/benches/bench_check.py --quick    # a few calls each, to see it works
"""

from __future__ import annotations

import argparse
import importlib.metadata
import os
import platform
import statistics
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import fastjsonschema  # noqa: E402
import jsonschema  # noqa: E402
from alibabacloud_ecs20140526 import models as ecs  # noqa: E402
from peers_schema import peers_schema  # noqa: E402

import ecs_snapshot_rules as rules  # noqa: E402


def sample_request() -> ecs.CreateSnapshotRequest:
    """The API reference's sample request."""
    return ecs.CreateSnapshotRequest(
        disk_id="d-bp1s5fnvk4gn2tws0****",
        snapshot_name="testSnapshotName",
        description="testDescription",
        client_token="123e4567-e89b-12d3-a456-426655440000",
        tag=[ecs.CreateSnapshotRequestTag(key="TestKey", value="TestValue")],
    )


def full_request() -> ecs.CreateSnapshotRequest:
    """Every parameter, 20 tags, long Unicode text: `full_request()` of benches/peers.rs."""
    return ecs.CreateSnapshotRequest(
        disk_id="d-bp1s5fnvk4gn2tws0",
        snapshot_name="nightly-" + "db:volume_backup-" * 7,
        description="快照 of the database volume (数据库卷), taken before the upgrade. " * 4,
        retention_days=30,
        client_token="123e4567-e89b-12d3-a456-426655440000",
        resource_group_id="rg-bp67acfmxazb4p",
        instant_access=True,
        instant_access_retention_days=1,
        tag=[
            ecs.CreateSnapshotRequestTag(key=f"team-{n}-équipe-{'键' * 40}", value=f"value {n} 快照 {'é値' * 50}")
            for n in range(20)
        ],
    )


def shapes() -> dict:
    early = sample_request()
    early.disk_id = None
    late = full_request()
    late.category = "Standard"
    return {
        "sample": sample_request().to_map(),
        "full": full_request().to_map(),
        "early": early.to_map(),
        "late": late.to_map(),
    }


def contenders() -> dict:
    """Each contender: a function of the dict that returns its verdict (True for valid)."""
    schema = peers_schema()
    validator = jsonschema.Draft202012Validator(schema)
    compiled = fastjsonschema.compile(schema)

    def fast(document: dict) -> bool:
        try:
            compiled(document)
            return True
        except fastjsonschema.JsonSchemaValueException:
            return False

    return {
        "check": lambda document: rules.check(document).valid,
        "validate": lambda document: _validates(document),
        "jsonschema": validator.is_valid,
        "fastjsonschema": fast,
    }


def _validates(document: dict) -> bool:
    try:
        rules.validate(document)
        return True
    except rules.ApiError:
        return False


def verdicts() -> dict:
    """Every contender's verdict on every shape; raises if any two disagree."""
    table = {}
    for shape, document in shapes().items():
        seen = {name: judge(document) for name, judge in contenders().items()}
        if len(set(seen.values())) != 1:
            raise AssertionError(f"the verdicts on {shape} differ: {seen}")
        table[shape] = seen["check"]
    return table


def measure(quick: bool) -> dict:
    """The median time of one call, in nanoseconds, by shape and contender."""
    repeats = 1 if quick else 9
    results = {}
    for shape, document in shapes().items():
        timers = {name: timeit.Timer(lambda judge=judge: judge(document)) for name, judge in contenders().items()}
        numbers = {name: 10 if quick else max(timer.autorange()[0], 1) for name, timer in timers.items()}
        samples: dict = {name: [] for name in timers}
        for _ in range(repeats):
            for name, timer in timers.items():
                samples[name].append(timer.timeit(numbers[name]) / numbers[name] * 1e9)
        results[shape] = {name: statistics.median(times) for name, times in samples.items()}
    return results


def report(results: dict, valid: dict) -> str:
    lines = [
        f"Python {platform.python_version()} ({platform.python_implementation()}), "
        f"ecs-snapshot-rules {rules.__version__}, jsonschema {importlib.metadata.version('jsonschema')}, "
        f"fastjsonschema {importlib.metadata.version('fastjsonschema')}, {os.cpu_count()} CPUs, "
        f"{platform.machine()}",
        "",
        "| shape | verdict | `check` (ns) | `validate` (ns) | jsonschema (ns) | fastjsonschema (ns) "
        "| jsonschema / `check` | fastjsonschema / `check` |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for shape, row in results.items():
        lines.append(
            f"| {shape} | {'valid' if valid[shape] else 'refused'} | {row['check']:,.0f} | {row['validate']:,.0f} "
            f"| {row['jsonschema']:,.0f} | {row['fastjsonschema']:,.0f} "
            f"| **{row['jsonschema'] / row['check']:.1f}×** | **{row['fastjsonschema'] / row['check']:.1f}×** |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a few calls each, to see that it runs")
    args = parser.parse_args()
    valid = verdicts()
    print(report(measure(args.quick), valid))


if __name__ == "__main__":
    main()
