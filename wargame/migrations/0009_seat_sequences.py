"""Each seat's own event numbering (policy.sequences): the `seqs` counters, filled in for
events already logged. The observer's grant is replayed from the game.settings events
(the grant as it was when each event was written; games start without it)."""

from django.db import migrations, models

from wargame.policy import next_seqs


def fill_seqs(apps, schema_editor):
    """Per game, in seq order. Reads only the columns the counting needs: an event's
    `data` (a turn.resolved carries the whole state) is read for the observer-grant
    switches alone."""
    GameEvent = apps.get_model("wargame", "GameEvent")
    # order_by(): the model's ordering (seq) would make DISTINCT run over (game, seq),
    # one "game" per event, and the loop below quadratic in the log.
    game_ids = list(GameEvent.objects.order_by().values_list("game_id", flat=True).distinct())
    for game_id in game_ids:
        events = GameEvent.objects.filter(game_id=game_id).order_by("seq")
        grants = dict(events.filter(type="game.settings").values_list("pk", "data"))
        previous: dict = {}
        grant = False
        changed = []
        for pk, event_type, audience in events.values_list("pk", "type", "audience"):
            data = grants.get(pk) or {}
            if "observers_read_channels" in data:
                grant = bool(data["observers_read_channels"])
            previous = next_seqs(previous, audience, event_type, grant)
            changed.append(GameEvent(pk=pk, seqs=previous))
        GameEvent.objects.bulk_update(changed, ["seqs"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("wargame", "0008_secret_seed"),
    ]

    operations = [
        migrations.AddField(
            model_name="gameevent",
            name="seqs",
            field=models.JSONField(default=dict),
        ),
        migrations.RunPython(fill_seqs, migrations.RunPython.noop),
    ]
