"""Events (活动): the calendar and its feeds, sign-ups and the waiting list, check-in at the
door, reminders, photos, and the quarterly sharing meetings' talks.

Models live in ``activities.models.events``; this package holds the rest of that half. It never
imports ``activities.visits``.
"""
