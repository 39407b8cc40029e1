from django.apps import AppConfig, apps


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "core"

    def ready(self):
        from PIL import Image

        from .limits import MAX_IMAGE_PIXELS

        # Pillow warns above this many pixels and refuses at twice it (DecompressionBombError);
        # core.images makes the warning an error for uploads.
        Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS

        from .files import protect_private_fields

        protect_private_fields(apps.get_models())

        from .notifications import rules  # noqa: F401  (registers the service's rule)
