"""`catalog()` and `explain()`: the rows are the command-line tool's, row for row."""

from __future__ import annotations

import json
import subprocess

import pytest
from aliyunsdkcore.acs_exception.exceptions import ServerException
from emulator import binary

import ecs_snapshot_rules as rules


def cli_catalog() -> list:
    output = subprocess.run([binary(), "catalog", "--format", "json"], check=True, capture_output=True, text=True)
    return json.loads(output.stdout)


def test_the_catalog_is_the_command_line_tools():
    ours = [
        {
            "HttpStatus": row.status,
            "Code": row.code,
            "Message": row.message,
            "Description": row.description,
            "HowToFix": row.how_to_fix,
            "Source": row.source,
            **({"SpecRow": row.spec_row} if row.spec_row is not None else {}),
            **({"CurrentRow": row.current_row} if row.current_row is not None else {}),
            **(
                {"Earlier": dict(zip(("Document", "HttpStatus", "Message"), row.earlier))}
                if row.earlier is not None
                else {}
            ),
            "Scope": row.scope.capitalize(),
        }
        for row in rules.catalog()
    ]
    assert ours == cli_catalog()


def test_explain_gives_each_codes_row():
    for row in rules.catalog():
        entry = rules.explain(row.code, row.message)
        assert entry == row and hash(entry) == hash(row)
        assert entry.description and entry.how_to_fix


def test_the_two_internal_error_rows_are_told_apart_by_their_message():
    first, second = [row for row in rules.catalog() if row.code == "InternalError"]
    assert first != second
    assert rules.explain("InternalError") == first
    assert rules.explain("InternalError", second.message) == second
    assert rules.explain(rules.ApiError(500, "InternalError", second.message)) == second
    assert rules.explain(ServerException("InternalError", second.message, http_status=500)) == second


def test_explain_takes_the_errors_a_caller_holds():
    error = rules.ApiError(403, "QuotaExceed.Snapshot", "The snapshot quota exceeds.")
    assert rules.explain(error).code == "QuotaExceed.Snapshot"
    assert rules.explain(ServerException("DiskInArrears", "x", http_status=403)).status == 403
    entry = rules.explain("InvalidSnapshotName.Malformed")
    assert rules.explain(entry) is entry
    assert repr(entry) == "CatalogEntry(code='InvalidSnapshotName.Malformed', status=400, scope='request')"


def test_an_unknown_code_is_a_value_error():
    with pytest.raises(ValueError, match="^unknown error code 'NoSuch.Code': catalog\\(\\) lists every code"):
        rules.explain("NoSuch.Code")
    # A code written in another letter case, or with a typo, is named.
    with pytest.raises(
        ValueError,
        match="^unknown error code 'invalidsnapshotname.malformed': did you mean 'InvalidSnapshotName.Malformed'\\? catalog",
    ):
        rules.explain("invalidsnapshotname.malformed")
    with pytest.raises(ValueError, match="did you mean 'QuotaExceed.Snapshot'\\?"):
        rules.explain("QuotaExceed.Snaphot")
    with pytest.raises(TypeError, match="^explain\\(\\) takes an error code"):
        rules.explain(42)
