"""The exception `validate` raises: one refusal of the API."""

from __future__ import annotations

from typing import Optional


class ApiError(Exception):
    """A refusal, exactly as the CreateSnapshot API would answer it.

    Attributes:
        status: the HTTP status (400, 403, 404, 500 or 503).
        code: the error code as the API spells it, e.g. ``InvalidSnapshotName.Malformed``.
        message: the message as the API writes it, placeholders filled in.
        parameter: the parameter the refusal is about, as named on the wire (``Tag.3.Key``),
            or None.

    ``str(error)`` is ``"<code> (HTTP <status>): <message>"``. ``explain(error)`` gives the
    catalogue's description of the code and how to fix it.
    """

    status: int
    code: str
    message: str
    parameter: Optional[str]

    def __init__(self, status: int, code: str, message: str, parameter: Optional[str] = None) -> None:
        super().__init__(status, code, message, parameter)
        self.status = status
        self.code = code
        self.message = message
        self.parameter = parameter

    def __str__(self) -> str:
        return f"{self.code} (HTTP {self.status}): {self.message}"

    def __repr__(self) -> str:
        return (
            f"ApiError(status={self.status!r}, code={self.code!r}, "
            f"message={self.message!r}, parameter={self.parameter!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ApiError):
            return NotImplemented
        return self.args == other.args

    def __hash__(self) -> int:
        return hash(self.args)
