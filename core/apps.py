from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "core"

    def ready(self):
        from .files import protect_private_fields

        protect_private_fields(apps.get_models())
