"""Who may see and do what with dues (see core.rules)."""

from core.rules import rule


@rule("dues.keep_dues")
def keep_dues(roles) -> bool:
    """Set standards, generate bills, record payments and send reminders: the secretariat."""
    return roles.is_secretariat


@rule("dues.see_all_dues")
def see_all_dues(roles) -> bool:
    """Every company's bills, payments and arrears, and the totals: the secretariat, the
    president and supervisors (who read, and change nothing)."""
    return roles.sees_everything


@rule("dues.see_own_dues")
def see_own_dues(roles) -> bool:
    """Their own company's bills and receipts: people of an active member company."""
    return roles.is_member and roles.company is not None


@rule("dues.see_receipt")
def see_receipt(roles, payment=None) -> bool:
    """A payment's receipt: whoever sees all dues, and the people of the company that paid.
    Without a payment: whether the person may see any receipt at all."""
    if see_all_dues(roles):
        return True
    if not see_own_dues(roles):
        return False
    return payment is None or payment.bill.company_id == roles.company.pk
