"""Amounts in 元 read from a spreadsheet: what every import of money (donations, dues
payments) reads the same way."""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext
from import_export import widgets

from core.money import LARGEST, yuan
from core.spreadsheets import cell_value


class AmountWidget(widgets.Widget):
    """An amount in 元: an Excel number or text such as 1,234.50, ¥1234.5 or 1234.50元.

    Excel hands numbers over as floats; their shortest decimal form (repr) is what the
    spreadsheet shows, so that is what is read. More than two decimal places is refused.
    """

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, float):
            value = repr(value)
        text = str(cell_value(value))
        text = re.sub(r"[\s,，¥￥]|元$|^RMB", "", text, flags=re.IGNORECASE)
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise ValueError(
                gettext("“%(value)s” is not an amount in yuan, e.g. 12,500.00.")
                % {"value": cell_value(value)}
            ) from None
        if not amount.is_finite():
            raise ValueError(gettext("“%(value)s” is not an amount in yuan.") % {"value": text})
        if amount <= 0:
            raise ValueError(gettext("The amount must be more than zero."))
        # Checked before quantizing: 1e30 to the fen has more digits than Decimal carries.
        if amount > LARGEST:
            raise ValueError(gettext("The amount is too large."))
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(
                gettext("%(value)s has more than two decimal places; amounts are to the fen.")
                % {"value": text}
            )
        return yuan(amount)

    def render(self, value, obj=None, **kwargs):
        # Written as a number to the fen, so Excel adds it up; Decimal, never float.
        return yuan(value) if value is not None else ""
