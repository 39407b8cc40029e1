"""Who may publish and follow up notices, the journal and spotlights (see core.rules)."""

from core.rules import rule


@rule("notices.publish")
def publish(roles) -> bool:
    """Publish and edit notices, the journal 《缘聚》 and spotlights, and see them before they
    are out (drafts, scheduled and expired notices, and how many have read each): the
    secretariat."""
    return roles.is_secretariat


@rule("notices.see_reading")
def see_reading(roles) -> bool:
    """Who has read a notice: the president, the secretariat and supervisors."""
    return roles.sees_everything


@rule("notices.remind_readers")
def remind_readers(roles) -> bool:
    """Email the people who have not read a notice: the secretariat."""
    return roles.is_secretariat
