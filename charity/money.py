"""Money in 元 moved to ``core.money`` (dues needs it too); kept here for the imports that
name it."""

from core.money import (  # noqa: F401
    DIGITS,
    FEN,
    GROUPS,
    LARGEST,
    TEN_THOUSAND,
    UNITS,
    WAN_FROM,
    format_wan,
    format_wan_number,
    format_yuan,
    money_field,
    rmb_capitals,
    to_wan,
    yuan,
)
