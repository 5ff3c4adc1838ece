"""Starts `ecs-snapshot-rules serve` for the SDK tests and gives them its endpoint.

The binary is `$ECS_SNAPSHOT_RULES_BIN`, else `target/debug/ecs-snapshot-rules` (built with
`cargo build --features server`). Each server listens on 127.0.0.1 port 0 and prints the
port it got on its first line.
"""

import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORLD = ROOT / "examples" / "world.json"
NOW = "2026-11-27T12:00:00Z"
CREDENTIALS = {"AccessKeys": [{"AccessKeyId": "LTAI-sdk-test", "AccessKeySecret": "sdk-test-secret"}]}


def binary():
    return os.environ.get("ECS_SNAPSHOT_RULES_BIN") or str(ROOT / "target" / "debug" / "ecs-snapshot-rules")


class Emulator:
    """A running server: its endpoint for the SDKs, and its control API."""

    def __init__(self, *extra):
        self.process = subprocess.Popen(
            [binary(), "serve", "--listen", "127.0.0.1:0", "--world", str(WORLD), "--now", NOW, "--seed", "7", *extra],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        line = self.process.stdout.readline().strip()
        prefix = "listening on http://"
        if not line.startswith(prefix):
            self.process.kill()
            raise RuntimeError(f"the server did not start: {line!r} {self.process.stderr.read()}")
        self.endpoint = line[len(prefix):]
        self.banner = ""

    def control(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://{self.endpoint}/_emulator/{path}", data=data, method=method)
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    def state(self):
        return self.control("GET", "state")

    def facts(self, facts):
        return self.control("POST", "facts", facts)

    def reset(self):
        return self.control("POST", "reset")

    def faults(self, plan=None):
        """Replaces the fault plan (what `plan` leaves out is off), or reads it."""
        if plan is None:
            return self.control("GET", "faults")
        return self.control("POST", "faults", plan)

    def fail_next(self, count, code, detail=None):
        """The next `count` calls fail with `code`."""
        return self.control("POST", "faults/fail-next", {"count": count, "code": code, "detail": detail})

    def created(self):
        """The snapshots created since the start (the world holds one, s-inprogress01)."""
        return [s for s in self.state()["snapshots"] if s["snapshot_id"] != "s-inprogress01"]

    def token_request(self, token):
        """The parameters the server recorded for a ClientToken's first request."""
        from urllib.parse import parse_qsl

        return dict(parse_qsl(self.state()["facts"]["client_tokens"][token]["request"], keep_blank_values=True))

    def stop(self):
        self.process.terminate()
        try:
            _, self.banner = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


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
