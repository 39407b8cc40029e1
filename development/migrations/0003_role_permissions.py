"""Give the secretariat every permission on the applications to join and the pipeline's
notes, and the supervisors the view permissions (development.see_applications decides what
they see of them), as chamber/0003_role_groups does for the chamber and members apps."""

from django.db import migrations

SECRETARIAT = "secretariat"
SUPERVISORS = "supervisors"


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations run; make them exist now.
    create_permissions(global_apps.get_app_config("development"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="development")
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    supervisors, _ = Group.objects.get_or_create(name=SUPERVISORS)
    secretariat.permissions.add(*perms)
    supervisors.permissions.add(*perms.filter(codename__startswith="view_"))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="development")
    for group in Group.objects.filter(name__in=[SECRETARIAT, SUPERVISORS]):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):
    dependencies = [
        ("development", "0002_application_history"),
        ("chamber", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
