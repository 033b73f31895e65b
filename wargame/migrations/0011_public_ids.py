"""Opaque ids for moves and messages (issue 9): a random `public_id` on every row, the
only id a seat is shown. The auto-increment key is server-wide, so a seat reading its
own ids could count other roles' moves and private messages, and other games'.

Existing rows get a fresh random id, and the events already logged that carry a move or
message id (`move.recorded`, `move.withdrawn`, `message.posted`) are rewritten to carry
it instead, so catch-up and the game view agree and old events count nothing either. A
withdrawn move has no row any more; its two events share one new id. Logs never carried
these ids (tests/gamelog/golden verify unchanged).
"""

import uuid

from django.db import migrations, models

EVENT_TYPES = ("move.recorded", "move.withdrawn", "message.posted")


def fill_public_ids(apps, schema_editor):
    Move = apps.get_model("wargame", "Move")
    Message = apps.get_model("wargame", "Message")
    GameEvent = apps.get_model("wargame", "GameEvent")
    moves: dict[int, str] = {}
    messages: dict[int, str] = {}
    for model, ids in ((Move, moves), (Message, messages)):
        rows = []
        for pk in model.objects.filter(public_id=None).values_list("pk", flat=True).iterator():
            public = uuid.uuid4()
            ids[pk] = str(public)
            rows.append(model(pk=pk, public_id=public))
        model.objects.bulk_update(rows, ["public_id"], batch_size=500)
    rewrite_events(GameEvent, moves, messages)


def rewrite_events(GameEvent, moves: dict[int, str], messages: dict[int, str]) -> None:
    """Logged events carry `moves`' and `messages`' public ids ({old pk: public id})
    instead of their numbers; a number with no row (a withdrawn move) gets a new id."""

    def public(ids: dict[int, str], old):
        if not isinstance(old, int):
            return old  # already opaque (a rerun)
        return ids.setdefault(old, str(uuid.uuid4()))

    changed = []
    events = GameEvent.objects.filter(type__in=EVENT_TYPES).order_by("pk")
    for event in events.only("pk", "type", "data").iterator():
        data = dict(event.data)
        if event.type == "message.posted":
            data["id"] = public(messages, data.get("id"))
        elif event.type == "move.recorded":
            data["move"] = {**data["move"], "id": public(moves, data["move"].get("id"))}
        else:
            data["move"] = public(moves, data.get("move"))
        if data != event.data:
            event.data = data
            changed.append(event)
    GameEvent.objects.bulk_update(changed, ["data"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("wargame", "0010_classes")]

    operations = [
        migrations.AddField(
            model_name="move",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.AddField(
            model_name="message",
            name="public_id",
            field=models.UUIDField(null=True, editable=False),
        ),
        migrations.RunPython(fill_public_ids, migrations.RunPython.noop, elidable=False),
        migrations.AlterField(
            model_name="move",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
        migrations.AlterField(
            model_name="message",
            name="public_id",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
