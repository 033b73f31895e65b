"""A turn can fail for good: status `failed`, its error and when."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("wargame", "0005_scenario_pinning"),
    ]

    operations = [
        migrations.AddField(
            model_name="turn",
            name="error",
            field=models.TextField(blank=True, default=""),
        ),
        migrations.AddField(
            model_name="turn",
            name="failed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="turn",
            name="status",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("locked", "Locked"),
                    ("resolving", "Resolving"),
                    ("review", "Review"),
                    ("resolved", "Resolved"),
                    ("failed", "Failed"),
                ],
                default="open",
                max_length=16,
            ),
        ),
    ]
