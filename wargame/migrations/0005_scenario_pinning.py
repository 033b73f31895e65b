"""Pin scenarios: each row gets the sha256 of its document, each game its engine ruleset."""

import hashlib
import json

from django.db import migrations, models


def hash_documents(apps, schema_editor):
    """The same digest as engine.loader.document_hash, frozen here as migrations must be."""
    Scenario = apps.get_model("wargame", "Scenario")
    for row in Scenario.objects.all():
        canonical = json.dumps(
            row.document, sort_keys=True, separators=(",", ":"), ensure_ascii=True
        )
        row.content_hash = hashlib.sha256(canonical.encode("ascii")).hexdigest()
        row.save(update_fields=["content_hash"])


class Migration(migrations.Migration):
    dependencies = [
        ("wargame", "0004_game_notes"),
    ]

    operations = [
        migrations.AddField(
            model_name="scenario",
            name="content_hash",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(hash_documents, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="scenario",
            name="content_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
        migrations.AlterField(
            model_name="scenario",
            name="loaded_at",
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.AddField(
            model_name="game",
            name="ruleset",
            field=models.PositiveSmallIntegerField(default=1),
        ),
    ]
