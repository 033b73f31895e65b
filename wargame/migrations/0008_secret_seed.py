"""The dice seed becomes text: ruleset 2 games keep a 128-bit secret seed (32 hex digits);
the integer seeds of ruleset 1 games are kept as their decimal digits, read back as ints."""

from django.db import migrations

import wargame.models


class Migration(migrations.Migration):
    dependencies = [("wargame", "0007_scenario_document_text")]

    operations = [
        migrations.AlterField(
            model_name="game",
            name="seed",
            field=wargame.models.SeedField(max_length=32),
        ),
    ]
