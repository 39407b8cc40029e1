"""Writes that span models or record who did them: inviting a person to log in; comments on
draft rules and publishing a rule's new version."""

import re

from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.mail import absolute_url
from core.notifications import notify
from core.rules import allows
from members.models import Person

from .models import DocumentComment, DocumentVersion, User
from .roles import roles_for

USERNAME_MAX_LENGTH = User._meta.get_field("username").max_length


def username_for_email(email: str) -> str:
    """A free username made from the email's local part: wang.li, then wang.li2, wang.li3 …"""
    base = re.sub(r"[^\w.+-]", "", email.split("@")[0].lower()) or "user"
    base = base[: USERNAME_MAX_LENGTH - 4]
    taken = {
        name.lower()
        for name in User.objects.filter(username__istartswith=base).values_list(
            "username", flat=True
        )
    }
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def password_set_url(user: User, request=None) -> str:
    """The link to allauth's password-reset-from-key page, as allauth's own reset email builds it.

    allauth's token generator also hashes the user's email addresses, so the link dies once the
    password is set or the addresses change.
    """
    path = reverse(
        "account_reset_password_from_key",
        kwargs={
            "uidb36": user_pk_to_url_str(user),
            "key": default_token_generator.make_token(user),
        },
    )
    return absolute_url(path, request)


def _check_email_is_free(email: str, user: User | None) -> None:
    others = User.objects.filter(email__iexact=email)
    addresses = EmailAddress.objects.filter(email__iexact=email)
    if user is not None:
        others = others.exclude(pk=user.pk)
        addresses = addresses.exclude(user=user)
    other = others.first() or getattr(addresses.select_related("user").first(), "user", None)
    if other is not None:
        raise ValidationError(
            _("Another account (%(username)s) already uses the email address %(email)s."),
            code="email_taken",
            params={"username": other.username, "email": email},
        )


# Invitations deliberately do not use ``core.mail.address_of`` (the roster's address, else the
# account's): the link sets the account's password, so it goes to the roster's address only,
# and to an existing account only when that address is one the account has verified. Any other
# address would hand the account to whoever reads that mailbox.
def _recipient_of(user: User, person: Person, roster_email: str) -> str:
    """The address an existing account's link goes to: one of its own verified addresses, the
    roster's if it is one of them. An invitation never changes an account's address (that is
    how an account would be taken over); the person changes it themselves after logging in.

    An account made in the admin that was never used has no verified address yet: the address
    it was made with counts, when it is the roster's."""
    verified = list(
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "pk")
        .values_list("email", flat=True)
    )
    for address in verified:
        if address.lower() == roster_email:
            return address
    if (
        not verified
        and user.last_login is None
        and not EmailAddress.objects.filter(user=user).exists()
        and (user.email or "").lower() == roster_email
    ):
        return roster_email
    raise ValidationError(
        _(
            "The account %(username)s logs in with another email address (%(address)s). "
            "An invitation never changes an account's address: ask %(name)s to change it "
            "themselves after logging in (Account → Email), then invite again."
        ),
        code="other_address",
        params={
            "username": user.username,
            "address": verified[0] if verified else (user.email or "—"),
            "name": person.name,
        },
    )


def invite_person(*, person: Person, acting_user: User, request=None) -> User:
    """Give a person a login and email them a link to choose their password.

    Creates the account if the person has none (username from the email address, no usable
    password; the person's email becomes its primary, verified address). An existing account
    keeps its address: the link goes to it, and only someone who may manage the account
    (``chamber.manage_account``) may send it.
    """
    email = (person.email or "").strip().lower()
    if not email:
        raise ValidationError(
            _("%(name)s has no email address, so they cannot be invited."),
            code="no_email",
            params={"name": person.name},
        )
    with transaction.atomic():
        user = User.objects.select_for_update().filter(person=person).first()
        created = user is None
        if created:
            if not acting_user.has_perm("chamber.add_user"):
                raise ValidationError(_("You may not give people a login."), code="not_allowed")
            _check_email_is_free(email, None)
            user = User(
                username=username_for_email(email), email=email, person=person, is_active=True
            )
            user.set_unusable_password()
            user.save()
        else:
            if not allows("chamber.manage_account", roles_for(acting_user), user):
                raise ValidationError(
                    _(
                        "The account %(username)s has more rights than yours: only a "
                        "superuser may send it a link."
                    ),
                    code="not_allowed",
                    params={"username": user.username},
                )
            if not user.is_active:
                raise ValidationError(
                    _("The account %(username)s is deactivated; activate it before inviting."),
                    code="inactive",
                    params={"username": user.username},
                )
            email = _recipient_of(user, person, email)

        address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
        if address is None:
            # A new account, or one made in the admin and never used: its own address.
            address = EmailAddress(user=user, email=email, primary=True, verified=True)
            EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
            address.save()

        LogEntry.objects.log_actions(
            user_id=acting_user.pk,
            queryset=[user],
            action_flag=ADDITION if created else CHANGE,
            change_message=gettext("Invitation emailed to %(email)s.") % {"email": email},
            single_object=True,
        )
        # By email only, to this address only (the link sets the password), whatever channels
        # the person chose; written with the account, sent by the task queue (and tried
        # again if the mail server fails: the secretariat sees it among the deliveries).
        context = {
            "person": person,
            "username": user.username,
            "email": email,
            "email_to": email,
            "inviter_name": acting_user.display_name,
            "password_set_url": password_set_url(user, request),
            "login_url": absolute_url(reverse("account_login"), request),
            "expires_days": max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400)),
        }
        notify([user], "invitation", context)
    return user


# --- Rules put out for comment (征求意见) -----------------------------------------------------


def comment_on_draft(
    *, version: DocumentVersion, person: Person, author: User, body: str, now=None
) -> DocumentComment:
    """Record a person's comment on a draft rule; refused outside its comment period."""
    now = now or timezone.now()
    body = (body or "").strip()
    if not body:
        raise ValidationError(_("Write your comment first."), code="empty")
    with transaction.atomic():
        version = DocumentVersion.objects.select_for_update().get(pk=version.pk)
        state = version.comment_state(timezone.localdate(now))
        if state == "upcoming":
            raise ValidationError(
                _("Comments on this draft open on %(date)s."),
                code="not_open_yet",
                params={"date": date_format(version.comment_starts_on, "DATE_FORMAT")},
            )
        if state != "open":
            raise ValidationError(_("The comment period for this draft has closed."), code="closed")
        return DocumentComment.objects.create(
            version=version, person=person, author=author, body=body, created_at=now
        )


def publish_version(
    *, version: DocumentVersion, acting_user: User, effective_on=None, now=None
) -> DocumentVersion:
    """Make a version the rule in force: its text (and file) become the rule's, the rule is
    published, and the version keeps the date it was published and came into force."""
    now = now or timezone.now()
    with transaction.atomic():
        version = (
            DocumentVersion.objects.select_for_update()
            .select_related("document")
            .get(pk=version.pk)
        )
        if not version.is_draft:
            raise ValidationError(_("This version is already published."), code="published")
        if not version.body and not version.file:
            raise ValidationError(
                _("A published version needs its text or a file."), code="no_content"
            )
        effective_on = effective_on or version.effective_on or timezone.localdate(now)
        version.published_at = now
        version.published_by = acting_user
        version.effective_on = effective_on
        version.save(update_fields=["published_at", "published_by", "effective_on"])
        document = version.document
        document.body = version.body
        if version.file:
            document.file = version.file.name
        document.is_published = True
        document.effective_on = effective_on
        document._history_user = acting_user
        document.save()
    return version
