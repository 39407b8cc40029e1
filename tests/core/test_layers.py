"""The apps are layers, and imports run one way: down.

    demo
    reports
    activities   charity   notices      (notices reads activities' models)
    chamber
    members
    core

An app imports only apps on a lower floor, and the one sibling edge that exists; inside
activities, ``visits`` and ``events`` never import each other and share only
``activities.models``. The imports are read with ``ast`` (every ``import`` and ``from … import``,
relative ones resolved, inside functions too); migrations are exempt, as they must keep naming
the paths they were written with.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FLOORS = {
    "core": 0,
    "members": 1,
    "chamber": 2,
    "activities": 3,
    "charity": 3,
    "notices": 3,
    "dues": 3,
    "development": 3,
    "reports": 4,
    "demo": 5,
}

# Imports between apps on one floor that are allowed: (importing app, imported module). The
# share posters and the search of notices show events; nothing else crosses.
SIBLING_IMPORTS = {("notices", "activities.models")}

# Modules that must not import a package: (importing package, imported package).
APART = [
    ("activities.visits", "activities.events"),
    ("activities.events", "activities.visits"),
    # What visits and events share sits below both of them.
    ("activities.models", "activities.visits"),
    ("activities.models", "activities.events"),
]


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def module_of(path: str) -> tuple[str, str]:
    """The dotted name of the module at ``path`` (relative to the root) and its package."""
    parts = list(Path(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
        return ".".join(parts), ".".join(parts)
    return ".".join(parts), ".".join(parts[:-1])


def imports(path: str, source: str) -> list[tuple[int, str]]:
    """(line, absolute module) for every import in the source. ``from a import b`` gives
    ``a.b``: b may be a module, and a prefix test then sees both."""
    _, package = module_of(path)
    found = []
    for node in ast.walk(ast.parse(source, path)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            found += [
                (node.lineno, base if alias.name == "*" else f"{base}.{alias.name}")
                for alias in node.names
            ]
    return found


def violations(sources: dict[str, str]) -> list[str]:
    """Every import in ``sources`` (path relative to the root → source) that breaks the layers,
    as ``path:line: …``."""
    found = []
    for path, source in sorted(sources.items()):
        if "migrations" in Path(path).parts:
            continue
        module, _ = module_of(path)
        app = module.split(".")[0]
        for line, name in imports(path, source):
            other = name.split(".")[0]
            if other in FLOORS and other != app and FLOORS[other] >= FLOORS[app]:
                if not any(
                    app == importer and within(name, allowed)
                    for importer, allowed in SIBLING_IMPORTS
                ):
                    found.append(f"{path}:{line}: {app} imports {name}, not below it")
            for importer, forbidden in APART:
                if within(module, importer) and within(name, forbidden):
                    found.append(f"{path}:{line}: {importer} imports {name}")
    return found


def app_sources() -> dict[str, str]:
    return {
        str(path.relative_to(ROOT)): path.read_text(encoding="utf-8")
        for app in FLOORS
        for path in (ROOT / app).rglob("*.py")
    }


def test_every_app_is_read():
    sources = app_sources()
    for path in ["core/rules.py", "members/models.py", "activities/visits/views.py"]:
        assert path in sources
    assert {path.split("/")[0] for path in sources} == set(FLOORS)


def test_no_app_imports_an_app_above_it():
    assert violations(app_sources()) == []


def test_an_import_from_above_is_named_with_its_file_and_line():
    sources = {"members/models.py": "from django.db import models\n\nfrom reports import x\n"}
    assert violations(sources) == ["members/models.py:3: members imports reports.x, not below it"]


@pytest.mark.parametrize(
    "path, source",
    [
        ("members/models.py", "import reports.metrics"),
        ("members/views.py", "def view():\n    from chamber.models import User\n"),
        ("core/admin.py", "from members.models import Company"),
        ("chamber/roles.py", "from activities.models import Visit"),
        ("charity/views.py", "from notices.models import Notice"),
        ("activities/models/events.py", "from charity.models import Donation"),
        ("notices/views.py", "from activities.visits import services"),
        ("notices/views.py", "from activities import urls"),
        ("reports/views.py", "from demo import data"),
        ("activities/visits/views.py", "from ..events import services"),
        ("activities/visits/views.py", "from activities.events.services import sign_up"),
        ("activities/events/views.py", "from activities import visits"),
        ("activities/models/events.py", "from ..visits.services import record_visit"),
        ("activities/models/__init__.py", "from ..events import feeds"),
    ],
)
def test_each_upward_or_sideways_import_is_refused(path, source):
    assert len(violations({path: source})) == 1


@pytest.mark.parametrize(
    "path, source",
    [
        ("chamber/models.py", "from members.models import Person"),
        ("charity/models.py", "from core.files import UploadTo"),
        ("notices/views.py", "from activities.models import Event"),
        ("notices/share.py", "def events():\n    from activities.models.events import Event\n"),
        ("reports/metrics.py", "from charity.services import money_sum"),
        ("demo/data.py", "from reports.models import Framework"),
        ("activities/visits/views.py", "from ..models import Visit"),
        ("activities/urls.py", "from .events import urls\nfrom .visits import urls"),
        ("activities/events/views.py", "from . import services"),
        ("members/migrations/0009_x.py", "import reports.models"),
        ("core/admin.py", "from django.contrib import admin"),
    ],
)
def test_imports_down_and_within_an_app_pass(path, source):
    assert violations({path: source}) == []


def test_relative_imports_are_read_as_absolute():
    assert imports("activities/visits/views.py", "from ..events import services") == [
        (1, "activities.events.services")
    ]
    assert imports("activities/models/__init__.py", "from .events import Event") == [
        (1, "activities.models.events.Event")
    ]
    assert imports("charity/views.py", "from . import services") == [(1, "charity.services")]
