"""Starts `ecs-snapshot-rules serve` (emulator.py) for the SDK tests and gives them its
endpoint."""

import json
import subprocess

import pytest
from emulator import Emulator, binary

CREDENTIALS = {"AccessKeys": [{"AccessKeyId": "LTAI-sdk-test", "AccessKeySecret": "sdk-test-secret"}]}


@pytest.fixture(scope="session")
def catalogue():
    """The server's catalogue (`catalog --format json`), by code: the first row of each."""
    output = subprocess.run([binary(), "catalog", "--format", "json"], check=True, capture_output=True, text=True)
    rows = {}
    for row in json.loads(output.stdout):
        rows.setdefault(row["Code"], row)
    return rows


@pytest.fixture(scope="session")
def open_server():
    server = Emulator()
    yield server
    server.stop()


@pytest.fixture
def server(open_server):
    """The open server (no --credentials), reset to the example world before each test."""
    open_server.reset()
    return open_server


@pytest.fixture(scope="session")
def signed_session(tmp_path_factory):
    """A server that checks signatures: started with --credentials (CREDENTIALS)."""
    path = tmp_path_factory.mktemp("keys") / "credentials.json"
    path.write_text(json.dumps(CREDENTIALS))
    server = Emulator("--credentials", str(path))
    yield server
    server.stop()
    assert "checking signatures" in server.banner, server.banner


@pytest.fixture
def signed_server(signed_session):
    """The signing server, reset to the example world before each test."""
    signed_session.reset()
    return signed_session
