from django.db import migrations, models


class Migration(migrations.Migration):
    """A bot seat's policy (existing bot seats played `random`) and a scripted seat's moves."""

    dependencies = [("players", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="seat",
            name="policy",
            field=models.CharField(blank=True, default="random", max_length=16),
        ),
        migrations.AddField(
            model_name="seat",
            name="script",
            field=models.JSONField(blank=True, null=True),
        ),
    ]
