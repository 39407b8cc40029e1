"""Give the secretariat every permission on notices, the journal and spotlights, and the
supervisors the view permissions, as chamber/0003_role_groups does for the chamber."""

from django.db import migrations

SECRETARIAT = "secretariat"
SUPERVISORS = "supervisors"


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations run; make them exist now.
    create_permissions(global_apps.get_app_config("notices"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="notices")
    for group in Group.objects.filter(name=SECRETARIAT):
        group.permissions.add(*permissions)
    for group in Group.objects.filter(name=SUPERVISORS):
        group.permissions.add(*permissions.filter(codename__startswith="view_"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="notices")
    for group in Group.objects.filter(name__in=[SECRETARIAT, SUPERVISORS]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0001_notices_journal"),
        ("chamber", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
