"""Errors a service raises for a person to act on; the shells map them to HTTP/CLI/socket.

The message is a `Reason`: English as it is raised (the CLI and the log read it so), said
in the reader's language by the shell that answers (`wargame.selectors.reasons`). Give
the sentence as a literal template with its parameters, `BadInput("Turn %(n)s ...", n=3)`,
so the catalogs collect it; a sentence from a pure layer arrives as a Reason already.
"""

from __future__ import annotations

from typing import Any

from wargame.engine.reasons import Reason, as_reason


class GameError(Exception):
    """Base: `status` is the HTTP status the API answers with, `code` a stable name."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, *, code: str | None = None, **params: Any) -> None:
        reason = Reason(message, **params) if params else as_reason(message)
        super().__init__(reason)
        self.message = reason
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


def state_word(status: str) -> Reason:
    """A game's or turn's state as a refusal names it ("The game is paused; ..."), said in
    the reader's language like the sentence around it."""
    return Reason(status)


# The states refusals name, written out so that the catalogs hold each one.
STATE_WORDS = (
    Reason("lobby"),
    Reason("running"),
    Reason("paused"),
    Reason("finished"),
    Reason("open"),
    Reason("locked"),
    Reason("resolving"),
    Reason("review"),
    Reason("resolved"),
    Reason("failed"),
)
