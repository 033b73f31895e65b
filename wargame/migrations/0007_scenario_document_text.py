"""Keep each pinned scenario's JSON text in its authored key order (jsonb reorders keys,
and the order of a scenario's variables is the order its narrative walks them)."""

import hashlib
import json
from pathlib import Path

from django.db import migrations, models

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def _digest(document) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def fill_text(apps, schema_editor):
    """The released file when it is the same document (its order is the authored one);
    otherwise the column as it is (on SQLite, which keeps the order)."""
    Scenario = apps.get_model("wargame", "Scenario")
    for row in Scenario.objects.all():
        document = row.document
        path = SCENARIOS / row.slug / f"v{row.version}.json"
        if path.is_file():
            released = json.loads(path.read_text(encoding="utf-8"))
            if _digest(released) == row.content_hash:
                document = released
        row.document_text = json.dumps(document, ensure_ascii=False)
        row.save(update_fields=["document_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("wargame", "0006_turn_failure"),
    ]

    operations = [
        migrations.AddField(
            model_name="scenario",
            name="document_text",
            field=models.TextField(default=""),
            preserve_default=False,
        ),
        migrations.RunPython(fill_text, migrations.RunPython.noop),
    ]
