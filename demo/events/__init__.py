"""Demo events (活动) for ``seed_demo``: a year of the chamber's calendar, drawn from the article.

The yearly plan holds what the article tells of: 红星课堂 and other party-building
classes, a bankers' policy briefing, legal consultations, environmental volunteering, sports
and mixers for young staff, talks on 居住证积分 and schooling, health talks and check-ups, the
yearly 送清凉 and 重阳节 visits, the 进博会 activities, and the quarterly 例会暨经验分享会
with talks by member entrepreneurs. The events from ten months ago to two and a half months
ahead are written; of the last five quarters' sharing meetings, the one two quarters back was
never held, so /meetings/ flags it. Past events have sign-ups and check-ins and some minutes;
coming ones have sign-ups, and one, a young staff's walk a fortnight ahead, is full with a
waiting list (the ``member`` login second on it, and signed up for two more).

``plan`` holds the yearly plan, the sharing meetings' talks and the full event; ``seed`` writes
them with their sign-ups, check-ins and minutes, so that a second run creates nothing.
"""

from .plan import FULL_EVENT, PLAN, TALKS, WAITING, Plan
from .seed import at, seed_events

__all__ = ["FULL_EVENT", "PLAN", "TALKS", "WAITING", "Plan", "at", "seed_events"]
