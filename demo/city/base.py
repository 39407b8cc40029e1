"""What every stage of the city load uses: the seed and sizes, the generators seeded by the
stage's name, the writer and its report, fresh primary keys, and the districts."""

import datetime
import random
import time
from contextlib import contextmanager

from django.utils import timezone

from activities.models import month_start
from core.time import SHANGHAI, add_months
from demo import data

from .writer import Report, Writer

VISIT_MONTHS = 24  # visits: this month and the 23 before it

# Shanghai's districts: (administrative division code, name).
DISTRICTS = [
    tuple(pair.split(":"))
    for pair in (
        "310101:黄浦区 310104:徐汇区 310105:长宁区 310106:静安区 310107:普陀区 310109:虹口区 "
        "310110:杨浦区 310112:闵行区 310113:宝山区 310114:嘉定区 310115:浦东新区 310116:金山区 "
        "310117:松江区 310118:青浦区 310120:奉贤区 310151:崇明区"
    ).split()
]
# Pudong, Minhang and the other large districts hold more of the companies.
DISTRICT_WEIGHTS = [4, 5, 4, 5, 4, 3, 4, 8, 6, 6, 14, 3, 7, 6, 4, 2]


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=SHANGHAI)


class LoaderBase:
    """The state the stages share; ``CityLoader`` runs them."""

    def __init__(self, seed, sizes: dict[str, int]):
        self.seed = seed
        self.n = sizes
        self.today = seed.today
        self.now = timezone.now()
        self.writer = Writer()
        self.report = Report()
        self.term = seed.terms["current"]
        self.secretary = seed.users["secretary"]
        self.leader_user = seed.users["leader"]
        self.leader_login = self.leader_user.person
        self.member = seed.users["member"].person
        self.member_company = self.member.company
        self.window_start = add_months(month_start(self.today), -(VISIT_MONTHS - 1))

    def rng(self, *key) -> random.Random:
        return random.Random(":".join([data.SEED, "city", *map(str, key)]))

    @contextmanager
    def timing(self, what):
        label = what if isinstance(what, str) else what._meta.label
        start = time.perf_counter()
        yield
        self.report.seconds[label] += time.perf_counter() - start

    def write(self, model, columns, rows):
        self.writer.write(model, columns, rows)
        self.report.rows[model._meta.label] += len(rows)

    def ids(self, model, count: int) -> range:
        first = self.writer.next_id(model)
        return range(first, first + count)

    def random_day(self, rng, first: datetime.date, last: datetime.date) -> datetime.date:
        return first + datetime.timedelta(days=rng.randint(0, max((last - first).days, 0)))
