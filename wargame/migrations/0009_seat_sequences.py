"""Each seat's own event numbering (policy.sequences): the `seqs` counters, filled in for
events already logged. The observer's grant is replayed from the game.settings events
(the grant as it was when each event was written; games start without it)."""

from django.db import migrations, models

from wargame.policy import next_seqs


def fill_seqs(apps, schema_editor):
    GameEvent = apps.get_model("wargame", "GameEvent")
    game_ids = GameEvent.objects.values_list("game_id", flat=True).distinct()
    for game_id in game_ids.iterator():
        previous: dict = {}
        grant = False
        changed = []
        for event in GameEvent.objects.filter(game_id=game_id).order_by("seq").iterator():
            if event.type == "game.settings" and "observers_read_channels" in event.data:
                grant = bool(event.data["observers_read_channels"])
            previous = next_seqs(previous, event.audience, event.type, grant)
            event.seqs = previous
            changed.append(event)
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
