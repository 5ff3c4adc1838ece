"""`ecs-snapshot-rules serve` started for a test session, and its control API: the one
launcher of the SDK tests (tests/sdk_clients) and of the Python package's tests
(python/tests).

The binary is `$ECS_SNAPSHOT_RULES_BIN`, else `target/debug/ecs-snapshot-rules` of this
repository (`cargo build -p ecs-snapshot-rules-cli --features server`). Each server listens
on 127.0.0.1 port 0 and prints the port it got on its first line.
"""

import json
import os
import subprocess
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl

ROOT = Path(__file__).resolve().parents[2]
WORLD = ROOT / "examples" / "world.json"
NOW = "2026-11-27T12:00:00Z"


def binary():
    """The server binary's path; a clear error when it is not built."""
    path = os.environ.get("ECS_SNAPSHOT_RULES_BIN") or str(ROOT / "target" / "debug" / "ecs-snapshot-rules")
    if not Path(path).exists():
        raise RuntimeError(
            f"{path} does not exist: build it with `cargo build -p ecs-snapshot-rules-cli --features server` "
            "or point ECS_SNAPSHOT_RULES_BIN at it"
        )
    return path


class Emulator:
    """A running server on the example world: its endpoint for the SDKs, and its control API."""

    def __init__(self, *extra, seed="7"):
        self.process = subprocess.Popen(
            [binary(), "serve", "--listen", "127.0.0.1:0", "--world", str(WORLD), "--now", NOW, "--seed", seed, *extra],
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
        return dict(parse_qsl(self.state()["facts"]["client_tokens"][token]["request"], keep_blank_values=True))

    def stop(self):
        """Ends the server; what it wrote to standard error is then `banner`."""
        self.process.terminate()
        try:
            _, self.banner = self.process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


def tea_client(endpoint, key="test-key", secret="test-secret", **config):
    """The new SDK's client (`alibabacloud_ecs20140526`) aimed at `endpoint` over plain HTTP;
    `config` adds to its `Config` (timeouts, retry options)."""
    from alibabacloud_ecs20140526.client import Client
    from alibabacloud_tea_openapi import models as openapi

    return Client(
        openapi.Config(
            access_key_id=key,
            access_key_secret=secret,
            endpoint=endpoint,
            protocol="http",
            region_id="cn-hangzhou",
            **config,
        )
    )
