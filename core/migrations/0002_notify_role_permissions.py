"""Let the secretariat view the record of messages and deliveries (read only: the service
writes it). Supervisors get nothing: it shows people's addresses and what each was told."""

from django.db import migrations

SECRETARIAT = "secretariat"
MODELS = ["message", "delivery"]


def grant(apps, schema_editor):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    create_permissions(global_apps.get_app_config("core"), verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="core", codename__in=[f"view_{model}" for model in MODELS]
    )
    for group in Group.objects.filter(name=SECRETARIAT):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="core")
    for group in Group.objects.filter(name=SECRETARIAT):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_notify_messages"),
        ("chamber", "0003_role_groups"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
