"""Who may publish the chamber's rules and comment on drafts (see core.rules)."""

from core.rules import rule


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
