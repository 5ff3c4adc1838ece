"""Shared fixtures of the Python package's tests: the repository's data files, and a local
`ecs-snapshot-rules serve` for the requests a guarded client lets through.

The server is started by the SDK tests' launcher, `tests/sdk_clients/emulator.py`, which
says where the binary comes from.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tests" / "sdk_clients"))
from emulator import ROOT, Emulator  # noqa: E402 (found by the line above)


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
    server = Emulator(seed="15")
    yield server
    server.stop()


@pytest.fixture
def server(running_server):
    """The server, reset to the example world before each test."""
    running_server.reset()
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
