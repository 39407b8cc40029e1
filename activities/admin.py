"""The app's admin, one module per half (Django's autodiscovery imports this module)."""

from .events import admin as events_admin  # noqa: F401
from .visits import admin as visits_admin  # noqa: F401
