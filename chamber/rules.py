"""Who may manage accounts, publish the chamber's rules and comment on drafts (see core.rules)."""

from django.contrib.auth.models import Permission
from django.db.models import Q, QuerySet

from core.rules import rule

from .models import User


def manageable_accounts(actor) -> QuerySet:
    """The accounts ``actor`` may invite, re-email or reset the password of.

    A superuser manages every account. Anyone else who may change accounts manages those
    with no more rights than their own: never a superuser, a staff account only if they are
    staff themselves, and no account holding a permission (its own or through a group) that
    they lack. So the secretariat handles members, leaders and one another, but cannot take
    over an account above it by giving it a new address or password.
    """
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return User.objects.none()
    if actor.is_superuser:
        return User.objects.all()
    if not actor.has_perm("chamber.change_user"):
        return User.objects.none()
    own = Permission.objects.filter(Q(user=actor) | Q(group__user=actor)).values("pk")
    beyond = Permission.objects.exclude(pk__in=own)
    accounts = (
        User.objects.filter(is_superuser=False)
        .exclude(user_permissions__in=beyond)
        .exclude(groups__permissions__in=beyond)
    )
    if not actor.is_staff:
        accounts = accounts.filter(is_staff=False)
    return accounts


@rule("chamber.manage_account")
def manage_account(roles, account=None) -> bool:
    """Invite, re-email or reset ``account`` (see ``manageable_accounts``); without an
    account, whether one may manage accounts at all: the secretariat."""
    actor = getattr(roles, "user", None)
    if account is None:
        return manageable_accounts(actor).exists()
    return manageable_accounts(actor).filter(pk=account.pk).exists()


@rule("chamber.publish_rules")
def publish_rules(roles) -> bool:
    """Draft the chamber's rules, put them out for comment and publish a version; see every
    rule and draft, published or not: the secretariat."""
    return roles.is_secretariat


@rule("chamber.comment_on_drafts")
def comment_on_drafts(roles) -> bool:
    """Comment on a draft rule during its comment period: members and the leadership (the
    secretariat, who draft them, do not)."""
    return roles.sees_directory and roles.person is not None and not roles.is_secretariat


@rule("chamber.read_comments")
def read_comments(roles) -> bool:
    """Read everyone's comments on a draft rule: the president, the secretariat and
    supervisors (others see their own)."""
    return roles.sees_everything
