"""Shared bits of the CLI: JSON output and error exits that say what is wrong."""

from __future__ import annotations

import argparse
import json
import sys

from django.core.management.base import CommandError

from wargame.engine import seed_from_text
from wargame.errors import GameError


def seed_arg(text: str):
    """--seed: 32 hex digits (a ruleset 2 secret seed) or a whole number (ruleset 1)."""
    try:
        return seed_from_text(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def print_json(command, data) -> None:
    command.stdout.write(json.dumps(data, indent=None, sort_keys=False))


def fail(message: str, code: int = 2) -> None:
    """Exit with `code` and one line on stderr (CommandError prints 'CommandError: ...')."""
    raise CommandError(message, returncode=code)


def run_service(call):
    try:
        return call()
    except GameError as exc:
        fail(exc.message)


def read_file(path: str, limit: int | None = None) -> bytes:
    """The file's bytes; with `limit`, at most limit + 1 of them (enough to know it is too
    big without reading a huge file into memory)."""
    size = -1 if limit is None else limit + 1
    if path == "-":
        return sys.stdin.buffer.read(size)
    try:
        with open(path, "rb") as handle:
            return handle.read(size)
    except OSError as exc:
        fail(f"cannot read {path}: {exc.strerror}")
