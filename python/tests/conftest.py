"""Shared fixtures of the Python package's tests: the repository's data files, and a local
`ecs-snapshot-rules serve` for the requests a guarded client lets through.

The server binary is `$ECS_SNAPSHOT_RULES_BIN`, else `target/debug/ecs-snapshot-rules` of
this repository (`cargo build -p ecs-snapshot-rules-cli --features server`). It listens on
127.0.0.1 port 0 and prints the port it got on its first line.
"""

from __future__ import annotations

import json
import os
import subprocess
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WORLD = ROOT / "examples" / "world.json"
NOW = "2026-11-27T12:00:00Z"


def binary() -> str:
    path = os.environ.get("ECS_SNAPSHOT_RULES_BIN") or str(ROOT / "target" / "debug" / "ecs-snapshot-rules")
    if not Path(path).exists():
        raise RuntimeError(
            f"{path} does not exist: build it with `cargo build -p ecs-snapshot-rules-cli --features server` "
            "or point ECS_SNAPSHOT_RULES_BIN at it"
        )
    return path


class Server:
    """A running `ecs-snapshot-rules serve` on the example world, and its control API."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [binary(), "serve", "--listen", "127.0.0.1:0", "--world", str(WORLD), "--now", NOW, "--seed", "15"],
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

    def control(self, method: str, path: str, body: object = None) -> object:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://{self.endpoint}/_emulator/{path}", data=data, method=method)
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    def created(self) -> list:
        """The snapshots created since the start (the world holds one, s-inprogress01)."""
        state = self.control("GET", "state")
        return [s for s in state["snapshots"] if s["snapshot_id"] != "s-inprogress01"]

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


class Recorder:
    """A local HTTP endpoint that records the parameters of every request it gets (query
    string and form body, decoded) and answers CreateSnapshot's success body."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qsl, urlsplit

        self.received: list = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def handle_one(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode("utf-8") if length else ""
                query = urlsplit(self.path).query
                pairs = parse_qsl(query, keep_blank_values=True) + parse_qsl(body, keep_blank_values=True)
                recorder.received.append(pairs)
                answer = b'{"RequestId":"473469C7-AA6F-4DC5-B3DB-A3DC0DE3C83E","SnapshotId":"s-recorded"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            do_GET = do_POST = handle_one

            def log_message(self, *args: object) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.endpoint = f"127.0.0.1:{self.http.server_address[1]}"
        self.thread = threading.Thread(target=self.http.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()


@pytest.fixture
def recorder():
    endpoint = Recorder()
    yield endpoint
    endpoint.stop()


@pytest.fixture(scope="session")
def running_server():
    server = Server()
    yield server
    server.stop()


@pytest.fixture
def server(running_server):
    """The server, reset to the example world before each test."""
    running_server.control("POST", "reset")
    return running_server


def vector_files() -> list:
    """The conformance data the Rust tests read: tests/vectors/*.json, then the requests the
    official SDKs really send (tests/sdk/cases.json)."""
    return sorted((ROOT / "tests" / "vectors").glob("*.json")) + [ROOT / "tests" / "sdk" / "cases.json"]


def vector_cases() -> list:
    cases = []
    for path in vector_files():
        for case in json.loads(path.read_text(encoding="utf-8"))["cases"]:
            cases.append(case)
    return cases


def expected_failures() -> set:
    """The cases the Rust conformance test lists as known to fail, if any."""
    path = ROOT / "tests" / "vectors" / "expected_failures.txt"
    if not path.exists():
        return set()
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return {line for line in lines if line and not line.startswith("#")}
