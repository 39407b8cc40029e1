"""Create the secretariat and supervisors groups with their permissions."""

from django.db import migrations

SECRETARIAT = "secretariat"
SUPERVISORS = "supervisors"
APPS = ["chamber", "members"]


def ensure_permissions(apps):
    # Permissions are normally created after all migrations run; make them exist now.
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for label in [*APPS, "account"]:
        config = global_apps.get_app_config(label)
        create_permissions(config, verbosity=0, apps=apps)


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ensure_permissions(apps)
    secretariat, _ = Group.objects.get_or_create(name=SECRETARIAT)
    supervisors, _ = Group.objects.get_or_create(name=SUPERVISORS)
    app_perms = Permission.objects.filter(content_type__app_label__in=APPS)
    secretariat.permissions.add(*app_perms)
    secretariat.permissions.add(
        *Permission.objects.filter(content_type__app_label="account")
    )
    supervisors.permissions.add(*app_perms.filter(codename__startswith="view_"))


def remove_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=[SECRETARIAT, SUPERVISORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("chamber", "0002_organisation"),
        ("members", "0001_initial"),
        ("account", "0009_emailaddress_unique_primary_email"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
