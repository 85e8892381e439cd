from django.db import migrations

FIELDS = ("digest_hour", "digest_hour_overridden", "digest_enabled", "drip_enabled", "next_digest_at")
BATCH = 2000


def copy_from_profiles(apps, schema_editor):
    """Every profile's email settings and next send time, as they were, into its own schedule row."""
    CoachingProfile = apps.get_model("onboarding", "CoachingProfile")
    EmailSchedule = apps.get_model("digests", "EmailSchedule")
    rows = CoachingProfile.objects.order_by("pk").values_list("user_id", *FIELDS)
    EmailSchedule.objects.bulk_create(
        (EmailSchedule(user_id=user_id, **dict(zip(FIELDS, values))) for user_id, *values in rows.iterator()),
        batch_size=BATCH,
    )


def copy_back_to_profiles(apps, schema_editor):
    CoachingProfile = apps.get_model("onboarding", "CoachingProfile")
    EmailSchedule = apps.get_model("digests", "EmailSchedule")
    for user_id, *values in EmailSchedule.objects.values_list("user_id", *FIELDS).iterator():
        CoachingProfile.objects.filter(user_id=user_id).update(**dict(zip(FIELDS, values)))
    EmailSchedule.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("digests", "0003_email_schedule"),
        ("onboarding", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_from_profiles, copy_back_to_profiles),
    ]
