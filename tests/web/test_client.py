"""The Python client (wargame.client) against the server's OpenAPI document: every call it
makes is a path and method the API serves, and every body field it sends is one the API
reads. Then the client and its bot play seats of a real game through the API."""

import pytest

from wargame.client import CALLS


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/openapi.json").json()


@pytest.mark.parametrize("name", sorted(CALLS))
def test_each_client_call_is_in_the_openapi_document(openapi, name):
    method, path, fields = CALLS[name]
    assert path in openapi["paths"], f"{name}: {path} is not an API path"
    operation = openapi["paths"][path].get(method)
    assert operation is not None, f"{name}: the API has no {method.upper()} {path}"
    if not fields:
        return
    schema = operation["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    assert set(fields) <= set(schema["properties"]), (name, fields, sorted(schema["properties"]))
    required = set(schema.get("required", ()))
    assert required <= set(fields), f"{name} does not send the required {required - set(fields)}"


def test_the_openapi_paths_the_client_uses_take_the_parameters_it_fills(openapi):
    """A path's {placeholders} are the parameters the client formats into it."""
    for name, (method, path, _fields) in CALLS.items():
        declared = {p["name"] for p in openapi["paths"][path][method].get("parameters", ())}
        placeholders = {part[1:-1] for part in path.split("/") if part.startswith("{")}
        assert placeholders <= declared, name
