"""Errors a service raises for a person to act on; the shells map them to HTTP/CLI/socket."""

from __future__ import annotations


class GameError(Exception):
    """Base: `status` is the HTTP status the API answers with, `code` a stable name."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if code:
            self.code = code


class BadInput(GameError):
    status = 400
    code = "bad_input"


class NotAllowed(GameError):
    status = 403
    code = "forbidden"


class NotFound(GameError):
    status = 404
    code = "not_found"


class WrongPhase(GameError):
    status = 409
    code = "wrong_phase"


class TooLarge(GameError):
    status = 413
    code = "too_large"
