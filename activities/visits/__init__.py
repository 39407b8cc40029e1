"""The leadership's enterprise visits (走访), the problems heard on them (诉求) until solved, and
the proposals (建议) made of them: the compliance board, the problem ledger and their imports.

Models live in ``activities.models.visits`` and ``activities.models.problems``; this package
holds the rest of that half. It never imports ``activities.events``.
"""
