"""POST /api/games takes an optional scenario_version."""

import pytest
from django.contrib.auth import get_user_model

from wargame.models import Game

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("facilitator", password="pw", is_staff=True)
    client.force_login(user)
    return client


def create(client, body):
    return client.post("/api/games", body, content_type="application/json")


def test_api_creates_a_game_of_the_version_asked_for(staff):
    """{"scenario_version": 1}: the new game is pinned to version 1."""
    response = create(staff, {"scenario_version": 1, "turns": 2})
    assert response.status_code == 200, response.content
    assert Game.objects.get(pk=response.json()["game"]).scenario.version == 1


def test_api_creates_a_game_of_the_latest_version_by_default(staff):
    response = create(staff, {"turns": 2})
    assert Game.objects.get(pk=response.json()["game"]).scenario.version == 2


def test_api_refuses_an_unknown_version_with_400_listing_the_versions(staff):
    """{"scenario_version": 9}: 400 with an error a facilitator can act on; no game."""
    response = create(staff, {"scenario_version": 9})
    assert response.status_code == 400
    assert "has no version 9; it has 1, 2." in response.json()["error"]
    assert not Game.objects.exists()
