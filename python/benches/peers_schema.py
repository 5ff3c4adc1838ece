"""The JSON Schema of benches/peers.rs, read from that file, so that the Python benchmark's
peers validate against exactly the schema the Rust benchmark's `jsonschema` uses.

`fn schema()` there is one `json!({...})` literal whose strings are JSON strings, except
`format!("...{no_url}")` calls over the `let no_url = "...";` before it; those are expanded
here, then the literal is read as JSON. A change to that function that this reading cannot
follow is an error, not a silently different schema.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

PEERS = Path(__file__).resolve().parents[2] / "benches" / "peers.rs"

_FUNCTION = re.compile(r"\nfn schema\(\) -> Value \{\n(?P<body>.*?)\n\}\n", re.S)
_LET = re.compile(r'let (?P<name>\w+) = "(?P<value>(?:[^"\\]|\\.)*)";')
_FORMAT = re.compile(r'format!\("(?P<text>(?:[^"\\]|\\.)*)"\)')


def _rust_string(literal: str) -> str:
    """The value of the body of a Rust string literal (the escapes JSON shares)."""
    return json.loads(f'"{literal}"')


def peers_schema(path: Path = PEERS) -> dict:
    source = path.read_text(encoding="utf-8")
    found = _FUNCTION.search(source)
    if found is None:
        raise ValueError(f"{path}: no `fn schema() -> Value` found")
    body = found.group("body")
    variables = {m.group("name"): _rust_string(m.group("value")) for m in _LET.finditer(body)}
    start = body.index("json!(") + len("json!(")
    literal = body[start : body.rindex(")")]

    def expand(match: re.Match) -> str:
        text = _rust_string(match.group("text"))
        for name, value in variables.items():
            text = text.replace("{" + name + "}", value)
        if re.search(r"\{\w*\}", text):
            raise ValueError(f"{path}: format!({match.group(0)}) uses a name this reader does not know")
        return json.dumps(text)

    return json.loads(_FORMAT.sub(expand, literal))


if __name__ == "__main__":
    print(json.dumps(peers_schema(), indent=2))
