"""The API documents itself: OpenAPI at /api/docs, with every fixed path of docs/api.md."""

FIXED_PATHS = [
    "/api/join",
    "/api/games/{game_id}",
    "/api/games/{game_id}/moves",
    "/api/games/{game_id}/moves/{move_id}",
    "/api/games/{game_id}/lock",
    "/api/games/{game_id}/messages",
    "/api/games/{game_id}/start",
    "/api/games/{game_id}/pause",
    "/api/games/{game_id}/resume",
    "/api/games/{game_id}/resolve",
    "/api/games/{game_id}/finish",
    "/api/games/{game_id}/events",
    "/api/games/{game_id}/log",
    "/api/classes",
    "/api/classes/{class_id}",
    "/api/classes/{class_id}/start",
    "/api/classes/{class_id}/injects",
]


def test_openapi_schema_lists_every_contract_path(client):
    """/api/openapi.json is served and names each path the design fixes, with bearer auth."""
    schema = client.get("/api/openapi.json").json()
    for path in FIXED_PATHS:
        assert path in schema["paths"], path
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_interactive_docs_page_is_served(client):
    """A person can open /api/docs in a browser."""
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert b"openapi.json" in response.content
