"""API reads make a bounded number of queries whatever the game's length."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wargame.models import Game, GameEvent, Message
from wargame.services.games import game_create, game_start

ALL_BOTS = ["seoul", "beijing", "pyongyang", "washington", "moscow"]


def queries(client, path, token):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries)


def game_after(turns: int, messages: int):
    """A finished game of `turns` turns played by bots, with `messages` messages."""
    game, codes = game_create(seed=3, turns=turns, bots=ALL_BOTS)
    game_start(game_id=game.pk)
    game = Game.objects.get(pk=game.pk)
    add_messages(game, messages, turns)
    return Game.objects.get(pk=game.pk), codes


def facilitator_token(client, codes):
    response = client.post(
        "/api/join",
        data=json.dumps({"code": codes["facilitator"], "name": "Umpire"}),
        content_type="application/json",
    )
    return response.json()["token"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "path", ["/api/games/{id}", "/api/games/{id}/log", "/api/games/{id}/events?after=0"]
)
def test_reads_cost_the_same_at_turn_1_and_turn_10_with_1000_messages(client, path):
    """The game view, the log and the event page: same query count for a 1-turn game and a
    10-turn game with 1,000 messages."""
    short, short_codes = game_after(1, 0)
    long, long_codes = game_after(10, 1000)
    assert long.current_turn == 10 and long.status == "finished"
    small = queries(client, path.format(id=short.pk), facilitator_token(client, short_codes))
    large = queries(client, path.format(id=long.pk), facilitator_token(client, long_codes))
    assert large == small
    assert large <= 15


def add_messages(game, messages: int, turns: int) -> None:
    """Bulk rows (as message_post would write them, with their events), to keep setup fast."""
    game = Game.objects.get(pk=game.pk)
    Message.objects.bulk_create(
        Message(
            game=game,
            turn_number=1 + i % turns,
            sender="seoul",
            recipients=["all"],
            text=f"note {i}",
        )
        for i in range(messages)
    )
    counters = GameEvent.objects.get(game=game, seq=game.last_seq).seqs
    GameEvent.objects.bulk_create(
        GameEvent(
            game=game,
            seq=game.last_seq + 1 + i,
            type="message.posted",
            turn=1,
            audience=["all"],
            data={"text": f"note {i}"},
            seqs={viewer: count + 1 + i for viewer, count in counters.items()},  # all see it
        )
        for i in range(messages)
    )
    Game.objects.filter(pk=game.pk).update(last_seq=game.last_seq + messages)
