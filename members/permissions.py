"""Role checks for views. The roles themselves are put on ``request.roles`` by the project's
middleware (``chamber.middleware.RolesMiddleware``), so this app need not import it."""

from django.core.exceptions import PermissionDenied


class RoleRequiredMixin:
    """Refuse (403) a logged-in user whose roles do not pass ``roles_allow``."""

    def roles_allow(self, roles) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not self.roles_allow(request.roles):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
