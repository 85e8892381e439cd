import unicodedata

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def fill_name_keys(apps, schema_editor):
    """Each member's Unicode-folded name. Two names that only LOWER() told apart (ÉLODIE and
    élodie on SQLite) now collide: the later member's name gets its id appended."""
    member_model = apps.get_model("habits", "LeaderboardMember")
    seen = set()
    for member in member_model.objects.order_by("joined_at", "pk"):
        key = unicodedata.normalize("NFKC", member.display_name).casefold()
        if key in seen:
            member.display_name = f"{member.display_name[:30 - len(str(member.pk)) - 1]} {member.pk}"
            key = unicodedata.normalize("NFKC", member.display_name).casefold()
        seen.add(key)
        member.name_key = key
        member.save(update_fields=["display_name", "name_key"])


class Migration(migrations.Migration):

    dependencies = [
        ("habits", "0004_leaderboardmember"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="leaderboardmember",
            name="name_key",
            field=models.CharField(max_length=120, null=True),
        ),
        migrations.RunPython(fill_name_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="leaderboardmember",
            name="name_key",
            field=models.CharField(max_length=120, unique=True),
        ),
        migrations.RemoveConstraint(
            model_name="leaderboardmember",
            name="unique_leaderboard_display_name_ignoring_case",
        ),
        migrations.CreateModel(
            name="LeaderboardRenameClock",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("renamed_at", models.DateTimeField(blank=True, null=True)),
                ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL)),
            ],
        ),
    ]
