"""Money in 元 as Decimal: stored to the fen (``money_field``), written with thousands
separators, in 万元, and in capitals (大写) as on a receipt. No float anywhere.
"""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import models
from django.utils.translation import gettext

FEN = Decimal("0.01")
TEN_THOUSAND = Decimal(10000)
# Amounts from this much on are also shown in 万元.
WAN_FROM = Decimal(10000)

DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = ("", "拾", "佰", "仟")
GROUPS = ("", "万", "亿")
LARGEST = Decimal("999999999999.99")  # what a DecimalField(max_digits=14, decimal_places=2) holds


def money_field(verbose_name, **kwargs):
    """A column of money in 元: up to LARGEST, to the fen."""
    return models.DecimalField(verbose_name, max_digits=14, decimal_places=2, **kwargs)


def yuan(value) -> Decimal:
    """A sum as Decimal to the fen; None (an empty Sum) is zero.

    Databases give back sums of decimals exactly (PostgreSQL) or nearly so (SQLite adds them as
    binary floating point, far below a fen for any sum a chamber sees): quantizing makes both
    the same exact amount.
    """
    if value is None:
        return Decimal("0.00")
    if not isinstance(value, Decimal):
        if isinstance(value, float):
            raise TypeError("money must not be a float")
        value = Decimal(value)
    return value.quantize(FEN, rounding=ROUND_HALF_UP)


def format_yuan(value) -> str:
    """4250000 → 4,250,000.00"""
    return f"{yuan(value):,.2f}"


def to_wan(value) -> Decimal:
    """The amount in 万元, to two decimal places: 4250000 → 425.00; 12345678.90 → 1234.57."""
    return (yuan(value) / TEN_THOUSAND).quantize(FEN, rounding=ROUND_HALF_UP)


def format_wan_number(value) -> str:
    """The number of 万元, without trailing zeros: 4250000 → 425; 2036500 → 203.65."""
    return f"{to_wan(value):,.2f}".rstrip("0").rstrip(".")


def format_wan(value) -> str:
    """4250000 → 425万元; 2036500 → 203.65万元; 12345678.90 → 约1,234.57万元."""
    amount = yuan(value)
    text = format_wan_number(amount)
    if to_wan(amount) * TEN_THOUSAND != amount:
        return gettext("about %(amount)s wan yuan") % {"amount": text}
    return gettext("%(amount)s wan yuan") % {"amount": text}


def _four_digits(number: int) -> str:
    """0 < number < 10000 in capitals, with zeros inside the group: 1001 → 壹仟零壹."""
    text = ""
    zero = False
    for position in range(3, -1, -1):
        digit = number // 10**position % 10
        if digit == 0:
            zero = bool(text)
            continue
        if zero:
            text += "零"
            zero = False
        text += DIGITS[digit] + UNITS[position]
    return text


def rmb_capitals(value) -> str:
    """An amount in Chinese capitals (大写) as written on receipts and cheques.

    0 → 零元整, 0.05 → 伍分, 10.00 → 拾元整, 1000000.01 → 壹佰万元零壹分,
    4250000 → 肆佰贰拾伍万元整. The words 人民币 are the caller's to add.

    Following the usual rules: 整 after 元 when there are no jiao and fen; one 零 for any run
    of zeros inside the number and before the fen when the jiao are zero; nothing before the
    jiao and fen of an amount under one yuan; a leading 壹拾 is read 拾 (拾元整, 拾伍万元整).
    """
    try:
        amount = yuan(value)
    except (InvalidOperation, ValueError) as error:
        raise ValueError(f"not an amount: {value!r}") from error
    if amount < 0:
        raise ValueError("a negative amount has no capitals")
    if amount > LARGEST:
        raise ValueError("the amount is too large")
    fen_total = int(amount * 100)
    whole, cents = divmod(fen_total, 100)
    jiao, fen = divmod(cents, 10)

    integer = ""
    pending_zero = False
    for index in range(len(GROUPS) - 1, -1, -1):
        group = whole // 10000**index % 10000
        if group == 0:
            pending_zero = pending_zero or bool(integer)
            continue
        if integer and (pending_zero or group < 1000):
            integer += "零"
        integer += _four_digits(group) + GROUPS[index]
        pending_zero = False
    if integer.startswith("壹拾"):
        integer = integer[1:]

    if not integer:
        if not cents:
            return "零元整"
        text = ""
    else:
        text = integer + "元"
    if not cents:
        return text + "整"
    if jiao:
        text += DIGITS[jiao] + "角"
    elif integer:
        text += "零"
    if fen:
        text += DIGITS[fen] + "分"
    return text
