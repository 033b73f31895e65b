"""Names for the few statements written out by hand (the two steps every turn's result
waits on: `locks`, `moves.role_lock`, `resolution`): a model's table and a field's
column, quoted for the database in use, so no name is spelt twice."""

from __future__ import annotations

from django.db import connection


def table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model, name: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(name).column)
