"""The kinds of message the apps send, registered by each app from its ``AppConfig.ready()``.

A kind names its text (``<template>_subject.txt`` and ``<template>_message.txt``, the same
templates the emails always used), the channels it may go by besides the inbox, and whether it
is short and urgent enough for an SMS (event tomorrow, event cancelled, your problem was
answered). ``sms_params(context)`` gives the few words an SMS template takes; the SMS text itself
is the provider's approved template named ``sms_template``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

INAPP, EMAIL, SMS, WECHAT = "inapp", "email", "sms", "wechat"
CHANNELS = (INAPP, EMAIL, SMS, WECHAT)
# The channels a person may turn off on /me/ (the inbox always gets the message).
CHOOSABLE = (EMAIL, SMS, WECHAT)


@dataclass(frozen=True)
class Kind:
    name: str
    template: str
    label: str
    channels: tuple[str, ...] = (INAPP, EMAIL, WECHAT)
    urgent: bool = False
    sms_template: str = ""
    sms_params: Callable[[dict], dict[str, str]] | None = None
    # A kind that must reach a mailbox whatever the person chose (an invitation's
    # password link): the email goes even when the person turned email off.
    email_always: bool = False
    # A message that carries a secret (a password-set link): the secretariat's admin shows who
    # got it and how, never its text.
    private: bool = False
    extra: dict = field(default_factory=dict)

    def __post_init__(self):
        unknown = set(self.channels) - set(CHANNELS)
        if unknown:
            raise ValueError(f"unknown channels {sorted(unknown)} for kind {self.name!r}")
        if SMS in self.channels and not (self.urgent and self.sms_template and self.sms_params):
            raise ValueError(f"kind {self.name!r}: only urgent kinds with a template go by SMS")


_kinds: dict[str, Kind] = {}


def register(kind: Kind) -> Kind:
    """Add a kind; registering the same name again replaces it (``ready()`` may run twice)."""
    _kinds[kind.name] = kind
    return kind


def get(name: str) -> Kind:
    try:
        return _kinds[name]
    except KeyError:
        raise LookupError(f"no message kind {name!r} is registered") from None


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda kind: kind.name)


# Who answers for something, by name ("secretariat"), for apps below the one that knows them:
# members cannot import chamber, which registers its secretariat's accounts here.
_audiences: dict[str, Callable[[], list]] = {}


def register_audience(name: str, people: Callable[[], list]) -> None:
    """Name a set of recipients; ``people()`` returns them (accounts or people) when asked."""
    _audiences[name] = people


def audience(name: str) -> list:
    """The recipients registered under ``name``, read now."""
    try:
        people = _audiences[name]
    except KeyError:
        raise LookupError(f"no audience {name!r} is registered") from None
    return list(people())
