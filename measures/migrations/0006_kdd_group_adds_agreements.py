"""The group "KDD": its members (the ministry's users) may set up new agreements in the browser
(the permission measures.add_agreement, which operators have as superusers)."""

from django.db import migrations

GROUP = "KDD"


def forward(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType")
    permissions = apps.get_model("auth", "Permission")
    groups = apps.get_model("auth", "Group")
    # Permissions are made after all migrations have run; this one is needed now.
    agreement_type, _ = content_types.objects.get_or_create(app_label="measures", model="agreement")
    add_agreement, _ = permissions.objects.get_or_create(
        content_type=agreement_type,
        codename="add_agreement",
        defaults={"name": "Can add bygdevekstavtale"},
    )
    group, _ = groups.objects.get_or_create(name=GROUP)
    group.permissions.add(add_agreement)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("measures", "0005_organisation_memberships"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
