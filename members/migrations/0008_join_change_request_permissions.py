"""Give the secretariat every permission on members' change requests, and supervisors the
view permission."""

from django.db import migrations

SECRETARIAT = "secretariat"
SUPERVISORS = "supervisors"
MODELS = ["companychangerequest"]


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations run; make them exist now.
    create_permissions(global_apps.get_app_config("members"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="members", content_type__model__in=MODELS
    )
    for group in Group.objects.filter(name=SECRETARIAT):
        group.permissions.add(*permissions)
    for group in Group.objects.filter(name=SUPERVISORS):
        group.permissions.add(*permissions.filter(codename__startswith="view_"))


def revoke(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    permissions = Permission.objects.filter(
        content_type__app_label="members", content_type__model__in=MODELS
    )
    for group in Group.objects.filter(name__in=[SECRETARIAT, SUPERVISORS]):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_join_company_self_service"),
        ("chamber", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
