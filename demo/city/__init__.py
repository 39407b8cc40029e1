"""City-scale demo data (``seed_demo --scale city``): a city chamber's load on top of the demo.

The pages must stay fast when a chamber is the size of a city's 工商联, not a town's: 20,000
member companies, 40,000 people, 400 leaders each responsible for about 50 companies, two years
of visits (200,000) and the problems heard on them (300,000), 20,000 events from two years back
to half a year ahead with 500,000 sign-ups, and 100,000 donations to campaigns and pairings.
This package writes that on top of the normal demo, so that the demo logins carry the load: the
``leader`` login is responsible for about 50 of the new companies and has led hundreds of
visits, the ``member`` login's company has many problems and its contact many sign-ups, and the
president sees all of it.

Rows are written in bulk with their primary keys chosen here (PostgreSQL: ``COPY``; other
databases: ``bulk_create``), the sequences reset afterwards, and the tables analysed. The
derived search keys (``Company.name_initials`` and ``name_pinyin``) are computed by the same
functions ``Company.save()`` uses. The bulk rows get no history rows: nobody edited them.

Everything comes from generators seeded by the stage's name, so two loads of the same size
are identical (but for the events' check-in codes, which are secrets). A second load finds the
first company already there and writes nothing. ``factor`` scales every count, so that a test
can load a small city in seconds.

``loader`` runs the stages, one module per area they write: ``companies`` (companies and
people), ``visits`` (leadership, liaison table, visits, problems and proposals), ``events``
(events and sign-ups) and ``charity``; ``base`` is what every stage uses and ``writer`` writes
the rows.
"""

from .loader import WRITTEN, load_city, scaled_sizes

__all__ = ["WRITTEN", "load_city", "scaled_sizes"]
