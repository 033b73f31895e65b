"""Bot seats with a policy each: chosen at creation (CLI, API), stored on the seat, played
by the services as soon as a turn opens."""

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from wargame.models import Game, Move

pytestmark = pytest.mark.django_db(transaction=True)


def run_json(*args) -> dict:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO())
    return json.loads(out.getvalue())


def test_create_game_bots_take_a_policy_per_seat_and_play_it():
    """--bots seoul=doctrine,moscow: Seoul's seat plays doctrine (its rationale says so),
    Moscow's plays random (the old form), the others are people."""
    created = run_json(
        "create_game",
        "--turns",
        "2",
        "--seed",
        "9",
        "--bots",
        "seoul=doctrine,moscow",
        "--start",
        "--json",
    )
    game = Game.objects.get(pk=created["game"])
    seats = {s.role: (s.kind, s.policy) for s in game.seats.all()}
    assert seats["seoul"] == ("bot", "doctrine")
    assert seats["moscow"] == ("bot", "random")
    assert seats["beijing"][0] == "person"
    seoul = list(Move.objects.filter(turn__game=game, role="seoul"))
    assert seoul and all(m.rationale.startswith("Doctrine for Seoul") for m in seoul)
    moscow = Move.objects.filter(turn__game=game, role="moscow")
    assert all(m.rationale == "Chosen by a scripted seat." for m in moscow)


def test_create_game_scripted_bot_plays_its_script(tmp_path):
    """--bots beijing=scripted --script FILE: Beijing plays the script's turn-1 move."""
    script = {
        "format": "lips-and-teeth/log",
        "version": 1,
        "scenario": "lips-and-teeth-2025",
        "seed": 7,
        "turns": [
            {
                "number": 1,
                "moves": [
                    {
                        "role": "beijing",
                        "action": "host_summit_pyongyang",
                        "target": "pyongyang",
                        "rationale": "A Xi-Kim summit first.",
                    }
                ],
            }
        ],
    }
    path = tmp_path / "script.json"
    path.write_text(json.dumps(script))
    created = run_json(
        "create_game",
        "--turns",
        "2",
        "--bots",
        "beijing=scripted",
        "--script",
        str(path),
        "--start",
        "--json",
    )
    game = Game.objects.get(pk=created["game"])
    moves = list(
        Move.objects.filter(turn__game=game, role="beijing").values_list(
            "turn__number", "action", "rationale"
        )
    )
    assert moves == [(1, "host_summit_pyongyang", "A Xi-Kim summit first.")]


@pytest.mark.parametrize(
    "bots, said",
    [("seoul=clever", "'clever'"), ("seoul=scripted", "needs a script")],
)
def test_a_bad_policy_is_refused_before_anything_is_written(bots, said):
    with pytest.raises(CommandError, match=said):
        run_json("create_game", "--bots", bots, "--json")
    assert not Game.objects.exists()


@pytest.fixture
def staff(client):
    user = get_user_model().objects.create_user("facilitator", password="pw", is_staff=True)
    client.force_login(user)
    return client


def test_api_create_game_takes_a_policy_per_bot(staff):
    """POST /api/games {"bots": {"seoul": "doctrine", "moscow": "random"}}; the old list
    form still means random; an unknown policy is a 400 naming it, and no game."""
    response = staff.post(
        "/api/games",
        {"turns": 2, "bots": {"seoul": "doctrine", "moscow": "random"}},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    game = Game.objects.get(pk=response.json()["game"])
    assert dict(game.seats.filter(kind="bot").values_list("role", "policy")) == {
        "seoul": "doctrine",
        "moscow": "random",
    }
    listed = staff.post(
        "/api/games", {"turns": 2, "bots": ["moscow"]}, content_type="application/json"
    )
    assert listed.status_code == 200
    assert Game.objects.get(pk=listed.json()["game"]).seats.get(role="moscow").policy == "random"
    bad = staff.post(
        "/api/games", {"turns": 2, "bots": {"seoul": "clever"}}, content_type="application/json"
    )
    assert bad.status_code == 400
    assert "clever" in bad.json()["error"]
    assert Game.objects.count() == 2
