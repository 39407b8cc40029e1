"""The chamber's authorization vocabulary: every "who may" rule, named once.

A rule is a predicate ``(roles, obj=None) -> bool`` over the request's ``Roles`` (put on
``request.roles`` by ``chamber.middleware.RolesMiddleware``; read duck-typed here so that this
module imports no app). Each app declares its rules in its own ``rules.py`` with ``@rule(name)``
(imported from its ``AppConfig.ready()``), and everything asks by name:

- views: ``RuleRequiredMixin`` (``rule = "activities.log_visits"``) or ``@rule_required(...)``;
- querysets and code: ``allows("charity.see_protected_names", roles, obj)``;
- templates: ``{% load rules %}{% if roles|may:"members.see_contacts" %}``;
- the admin: ``core.admin`` bases call ``allows`` for fields, lookups and columns.

Why not the ``rules`` package: its predicates take the ``User`` and run through
``user.has_perm`` and the authentication backends, which the admin also consults for the
groups' model permissions (supervisors' view-only rights); mixing object rules into that
chain blurs "may read" with "may change". Our rules read the ``Roles`` computed once a
request (no query per check) and stay apart from Django's model permissions.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ImproperlyConfigured, PermissionDenied

Predicate = Callable[..., bool]

RULES: dict[str, Predicate] = {}


def rule(name: str):
    """Register ``predicate(roles, obj=None)`` under ``name`` ("app.verb_noun")."""

    def register(predicate: Predicate) -> Predicate:
        if name in RULES and RULES[name] is not predicate:
            raise ImproperlyConfigured(f"The rule {name!r} is defined twice.")
        RULES[name] = predicate
        predicate.rule_name = name
        return predicate

    return register


def allows(name: str, roles, obj=None) -> bool:
    """Whether ``roles`` pass the rule ``name`` (for ``obj`` when the rule is about one)."""
    try:
        predicate = RULES[name]
    except KeyError:
        raise ImproperlyConfigured(f"No rule is named {name!r}.") from None
    if roles is None:
        return False
    return bool(predicate(roles) if obj is None else predicate(roles, obj))


def require(name: str, roles, obj=None) -> None:
    """Raise PermissionDenied (403) unless ``roles`` pass the rule."""
    if not allows(name, roles, obj):
        raise PermissionDenied


class RuleRequiredMixin:
    """A class-based view for those who pass ``rule`` (403 otherwise). Views whose rule is
    about an object check it themselves with ``require(name, roles, obj)`` once they have it."""

    rule: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not self.rule:
            raise ImproperlyConfigured(f"{type(self).__name__} names no rule.")
        require(self.rule, request.roles)
        return super().dispatch(request, *args, **kwargs)


def rule_required(name: str):
    """The decorator twin of ``RuleRequiredMixin`` for function views."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(name, request.roles)
            return view(request, *args, **kwargs)

        wrapped.rule_name = name
        return wrapped

    return decorator
