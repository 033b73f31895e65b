"""Simulation chunks keep their records packed (MessagePack + zlib) instead of jsonb."""

import zlib

import msgpack
from django.db import migrations, models


def pack(apps, schema_editor):
    chunks = apps.get_model("wargame", "SimulationChunk")
    for chunk in chunks.objects.all().iterator():
        chunk.packed = zlib.compress(msgpack.packb(chunk.records), 1)
        chunk.save(update_fields=["packed"])


def unpack(apps, schema_editor):
    chunks = apps.get_model("wargame", "SimulationChunk")
    for chunk in chunks.objects.all().iterator():
        chunk.records = msgpack.unpackb(zlib.decompress(bytes(chunk.packed)))
        chunk.save(update_fields=["records"])


class Migration(migrations.Migration):
    dependencies = [("wargame", "0013_account_language")]

    operations = [
        migrations.AddField(
            model_name="simulationchunk", name="packed", field=models.BinaryField(default=b"")
        ),
        migrations.AlterField(
            model_name="simulationchunk", name="records", field=models.JSONField(null=True)
        ),
        migrations.RunPython(pack, unpack),
        migrations.RemoveField(model_name="simulationchunk", name="records"),
        migrations.AlterField(
            model_name="simulationchunk", name="packed", field=models.BinaryField()
        ),
    ]
