"""What the membership development pipeline gives the reports (reports import this; nothing
here imports reports)."""

from members.models import Prospect


def joined_through_group(companies):
    """Of ``companies``, those that came through the 会员发展工作小组: a prospect of the
    pipeline that joined, courted by the group or sent from /join/ and approved."""
    return companies.filter(prospect__stage=Prospect.Stage.JOINED)
