from django.utils.functional import SimpleLazyObject

from .roles import roles_for


class RolesMiddleware:
    """Put the user's chamber roles on ``request.roles``, computed on first use.

    Apps that must not import ``chamber`` (members) read their permissions from here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.roles = SimpleLazyObject(lambda: roles_for(request.user))
        return self.get_response(request)
