#!/usr/bin/env python3
"""A repeatable mutation check over the rule modules: does a test notice each deliberate bug?

Each mutation below changes one line of a rule module (the authorization rules, the validators,
money in capitals, sign-up capacity and promotion, the charity's masking). For each, the script
writes the changed line, runs the test files given beside it (``pytest -x -q``), records
"killed" (a test failed) or "survived" (every test passed), and puts the file back, always,
also on Ctrl-C or a timeout. It prints a table and the score (killed / counted).

Before the mutations it runs each set of test files once unchanged: a mutation whose tests
already fail is "not counted" rather than a false kill.

    make mutate                               # all of them
    python scripts/mutate.py -k money -k validators   # only those whose id contains a word
    python scripts/mutate.py --list

Run it on a database of your own (DATABASE_URL); the PostgreSQL-only concurrency tests are
skipped on SQLite, so the row-lock mutation survives there. Not part of CI: it takes minutes.
Standard library only.
"""

import argparse
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RULES_TESTS = ("tests/core/test_rules.py", "tests/test_permissions.py")
VALIDATOR_TESTS = ("tests/members/test_validators.py", "tests/members/test_import_export.py")
# test_money.py uses no database; run alone, the session's database snapshot (tests/conftest.py)
# finds no tables: a file that does use it comes along.
MONEY_TESTS = ("tests/charity/test_money.py", "tests/charity/test_totals.py")
SIGN_UP_TESTS = (
    "tests/activities/events/test_services.py",
    "tests/activities/events/test_pages.py",
)
LOCK_TESTS = ("tests/activities/events/transactional/test_concurrency.py",)
PRIVACY_TESTS = (
    "tests/charity/test_privacy.py",
    "tests/charity/test_pages.py",
    "tests/charity/test_models.py",
)


@dataclass(frozen=True)
class Mutation:
    """Replace the line of ``path`` that reads ``original`` (stripped; the ``nth`` such line,
    1-based, when several read the same) with ``mutated``, keeping its indentation."""

    id: str
    path: str
    original: str
    mutated: str
    tests: tuple[str, ...]
    nth: int = 0  # 0: the line must be the only one that reads so


M = Mutation
MUTATIONS = [
    # core/rules.py: the registry and the checks every view goes through.
    M(
        "core-allows-ignores-object",
        "core/rules.py",
        "return bool(predicate(roles) if obj is None else predicate(roles, obj))",
        "return bool(predicate(roles))",
        RULES_TESTS,
    ),
    M(
        "core-require-never-refuses",
        "core/rules.py",
        "if not allows(name, roles, obj):",
        "if False:",
        RULES_TESTS,
    ),
    M(
        "core-mixin-skips-rule",
        "core/rules.py",
        "require(self.rule, request.roles)",
        "pass",
        RULES_TESTS,
    ),
    M(
        "core-rule-defined-twice-allowed",
        "core/rules.py",
        "if name in RULES and RULES[name] is not predicate:",
        "if False:",
        RULES_TESTS,
    ),
    M("core-no-roles-allowed", "core/rules.py", "if roles is None:", "if False:", RULES_TESTS),
    # activities/rules.py
    M(
        "activities-any-leader-edits-a-visit",
        "activities/rules.py",
        "return roles.is_leader and roles.person is not None"
        " and visit.leader_id == roles.person.pk",
        "return roles.is_leader and roles.person is not None",
        RULES_TESTS + ("tests/activities/visits/test_visits.py",),
    ),
    M(
        "activities-any-visit-leader-acts-on-problem",
        "activities/rules.py",
        "return problem.visit_id is not None and problem.visit.leader_id == person.pk",
        "return problem.visit_id is not None",
        RULES_TESTS + ("tests/activities/visits/test_problems.py",),
    ),
    M(
        "activities-any-leader-carries-proposals",
        "activities/rules.py",
        "return roles.is_leader and roles.person is not None and roles.person.can_carry_proposals",
        "return roles.is_leader and roles.person is not None",
        RULES_TESTS + ("tests/activities/visits/test_problems.py",),
    ),
    M(
        "activities-any-leader-edits-a-proposal",
        "activities/rules.py",
        "return roles.is_leader and roles.person is not None"
        " and proposal.carrier_id == roles.person.pk",
        "return roles.is_leader",
        RULES_TESTS + ("tests/activities/visits/test_problems.py",),
    ),
    M(
        "activities-president-not-editor",
        "activities/rules.py",
        "return roles.is_secretariat or roles.is_president",
        "return roles.is_secretariat",
        RULES_TESTS + ("tests/activities/visits/test_visits.py",),
    ),
    M(
        "activities-leaders-manage-events",
        "activities/rules.py",
        "return roles.is_secretariat",
        "return roles.is_secretariat or roles.is_leader",
        RULES_TESTS + ("tests/activities/events/test_pages.py",),
    ),
    M(
        "activities-secretariat-cannot-log-visits",
        "activities/rules.py",
        "return roles.is_leader or roles.is_secretariat",
        "return roles.is_leader",
        RULES_TESTS,
        nth=1,
    ),
    # chamber/rules.py: who manages which account.
    M(
        "chamber-non-staff-manages-staff",
        "chamber/rules.py",
        "if not actor.is_staff:",
        "if False:",
        RULES_TESTS + ("tests/chamber/test_admin.py", "tests/chamber/test_invitations.py"),
    ),
    M(
        "chamber-group-permissions-ignored",
        "chamber/rules.py",
        ".exclude(groups__permissions__in=beyond)",
        ".exclude(groups__permissions__in=[])",
        RULES_TESTS + ("tests/chamber/test_admin.py", "tests/chamber/test_invitations.py"),
    ),
    M(
        "chamber-secretariat-comments-on-drafts",
        "chamber/rules.py",
        "return roles.sees_directory and roles.person is not None and not roles.is_secretariat",
        "return roles.sees_directory and roles.person is not None",
        RULES_TESTS + ("tests/chamber/test_rule_comments.py",),
    ),
    # charity/rules.py and the masking.
    M(
        "charity-sensitive-photos-for-all",
        "charity/rules.py",
        "if pairing is not None and not pairing.beneficiary.is_sensitive:",
        "if pairing is not None:",
        RULES_TESTS + PRIVACY_TESTS + ("tests/core/test_files.py",),
    ),
    M(
        "charity-supervisors-see-protected-names",
        "charity/rules.py",
        "return roles.is_secretariat",
        "return roles.sees_everything",
        RULES_TESTS + PRIVACY_TESTS,
        nth=1,
    ),
    M(
        "charity-mask-keeps-length-hidden",
        "charity/models/beneficiaries.py",
        'return name[0] + "*" * max(1, len(name) - 1)',
        'return name[0] + "*"',
        PRIVACY_TESTS,
    ),
    M(
        "charity-masked-name-unmasked",
        "charity/models/beneficiaries.py",
        "return mask_name(self.name) if self.is_sensitive else self.name",
        "return self.name",
        PRIVACY_TESTS,
    ),
    M(
        "charity-sensitive-pairings-listed",
        "charity/models/pairings.py",
        "visible = Q(beneficiary__is_sensitive=False)",
        "visible = Q()",
        PRIVACY_TESTS,
    ),
    M(
        "charity-supervisors-open-every-pairing",
        "charity/models/pairings.py",
        'if allows("charity.see_protected_names", roles):',
        'if allows("charity.see_all_givers", roles):',
        PRIVACY_TESTS,
    ),
    # members/rules.py, notices/rules.py, reports/rules.py
    M(
        "members-contacts-for-the-directory",
        "members/rules.py",
        "return roles.sees_contacts",
        "return roles.sees_directory",
        RULES_TESTS + ("tests/members/test_directory.py",),
    ),
    M(
        "notices-reading-for-secretariat-only",
        "notices/rules.py",
        "return roles.sees_everything",
        "return roles.is_secretariat",
        RULES_TESTS + ("tests/notices/test_reading.py",),
    ),
    M(
        "reports-supervisors-score",
        "reports/rules.py",
        "return roles.is_secretariat",
        "return roles.sees_everything",
        RULES_TESTS + ("tests/reports/test_pages.py",),
    ),
    # members/validators.py
    M(
        "validators-credit-code-check-character-only",
        "members/validators.py",
        "uscc.validate(code)",
        "if uscc.calc_check_digit(code[:17]) != code[-1]:"
        " raise stdnum_exceptions.InvalidChecksum()",
        VALIDATOR_TESTS,
    ),
    M(
        "validators-credit-code-any-length",
        "members/validators.py",
        "if len(code) != 18:",
        "if len(code) > 18:",
        VALIDATOR_TESTS,
    ),
    M(
        "validators-credit-code-any-letter",
        "members/validators.py",
        "bad = sorted({ch for ch in code if ch not in CREDIT_CODE_ALPHABET})",
        "bad = []",
        VALIDATOR_TESTS,
    ),
    M(
        "validators-mobile-prefix-kept",
        "members/validators.py",
        'if mobile.startswith("+86"):',
        'if mobile.startswith("+860"):',
        VALIDATOR_TESTS,
    ),
    M(
        "validators-mobile-any-second-digit",
        "members/validators.py",
        'MOBILE_RE = re.compile(r"^1[3-9][0-9]{9}$")  # ASCII digits only: \\d admits ٣ and ８',
        'MOBILE_RE = re.compile(r"^1[0-9][0-9]{9}$")',
        VALIDATOR_TESTS,
    ),
    # charity/money.py
    M(
        "money-no-zero-before-small-group",
        "charity/money.py",
        "if integer and (pending_zero or group < 1000):",
        "if integer and pending_zero:",
        MONEY_TESTS,
    ),
    M(
        "money-leading-yi-shi-kept",
        "charity/money.py",
        'if integer.startswith("壹拾"):',
        "if False:",
        MONEY_TESTS,
    ),
    M("money-no-zero-before-fen", "charity/money.py", "elif integer:", "elif False:", MONEY_TESTS),
    M(
        "money-bankers-rounding",
        "charity/money.py",
        "return value.quantize(FEN, rounding=ROUND_HALF_UP)",
        "return value.quantize(FEN)",
        MONEY_TESTS,
    ),
    M(
        "money-floats-accepted",
        "charity/money.py",
        "if isinstance(value, float):",
        "if False:",
        MONEY_TESTS,
    ),
    M(
        "money-zero-at-group-start",
        "charity/money.py",
        "zero = bool(text)",
        "zero = True",
        MONEY_TESTS,
    ),
    M(
        "money-about-never-said",
        "charity/money.py",
        "if to_wan(amount) * TEN_THOUSAND != amount:",
        "if False:",
        MONEY_TESTS,
    ),
    # activities/events/services.py: capacity, the waiting list, promotion, the row lock.
    M(
        "events-sign-up-after-start",
        "activities/events/services.py",
        "if event.has_started(now):",
        "if False:",
        SIGN_UP_TESTS,
    ),
    M(
        "events-promotion-after-start",
        "activities/events/services.py",
        "if event.is_cancelled or event.has_started(now):",
        "if event.is_cancelled:",
        SIGN_UP_TESTS,
    ),
    M(
        "events-one-place-too-many",
        "activities/events/services.py",
        "places_taken(event) >= event.capacity",
        "places_taken(event) > event.capacity",
        SIGN_UP_TESTS,
    ),
    M(
        "events-newcomer-jumps-the-queue",
        "activities/events/services.py",
        "or Registration.objects.waitlisted().filter(event=event).exists()",
        "or False",
        SIGN_UP_TESTS,
    ),
    M(
        "events-promotes-one-too-many",
        "activities/events/services.py",
        "waiting = waiting[:free]",
        "waiting = waiting[: free + 1]",
        SIGN_UP_TESTS,
    ),
    M(
        "events-cancel-after-check-in",
        "activities/events/services.py",
        "if registration.checked_in_at:",
        "if False:",
        SIGN_UP_TESTS,
        nth=1,
    ),
    M(
        "events-cancel-after-start",
        "activities/events/services.py",
        "if event.has_started(now) and not event.is_cancelled:",
        "if False:",
        SIGN_UP_TESTS,
    ),
    M(
        "events-no-row-lock",
        "activities/events/services.py",
        "return Event.objects.select_for_update().get(pk=event.pk)",
        "return Event.objects.get(pk=event.pk)",
        LOCK_TESTS,
    ),
]


class Interrupted(Exception):
    pass


def _on_term(signum, frame):
    raise Interrupted


def locate(mutation: Mutation) -> tuple[Path, str, list[str], int]:
    """The file, its text, its lines and the index of the line to change."""
    path = ROOT / mutation.path
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    found = [i for i, line in enumerate(lines) if line.strip() == mutation.original]
    if not found:
        raise LookupError(f"{mutation.id}: no line of {mutation.path} reads {mutation.original!r}")
    if mutation.nth:
        if len(found) < mutation.nth:
            raise LookupError(f"{mutation.id}: fewer than {mutation.nth} such lines")
        index = found[mutation.nth - 1]
    elif len(found) > 1:
        raise LookupError(f"{mutation.id}: {len(found)} lines read so; say which (nth)")
    else:
        index = found[0]
    return path, text, lines, index


def apply(mutation: Mutation) -> tuple[Path, str, int]:
    """Write the mutated line; return the file, its original text and the line number."""
    path, text, lines, index = locate(mutation)
    line = lines[index]
    indent = line[: len(line) - len(line.lstrip())]
    ending = line[len(line.rstrip("\r\n")) :]
    lines[index] = indent + mutation.mutated + ending
    path.write_text("".join(lines), encoding="utf-8")
    return path, text, index + 1


def after(tests) -> list[str]:
    """The test database for the next run: a transactional test flushes the tables (and the
    groups the data migrations made), so the run after it builds the database afresh."""
    return ["--create-db"] if any(path in LOCK_TESTS for path in tests) else ["--reuse-db"]


def run_tests(tests, timeout: int, extra: list[str]) -> tuple[bool, float]:
    """True when every test passed."""
    command = [sys.executable, "-m", "pytest", "-x", "-q", *extra, *tests]
    started = time.monotonic()
    try:
        result = subprocess.run(
            command,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired:
        return False, time.monotonic() - started
    return result.returncode == 0, time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-k", action="append", default=[], help="only ids containing this")
    parser.add_argument("--list", action="store_true", help="list the mutations and stop")
    parser.add_argument("--no-baseline", action="store_true", help="skip the unchanged runs")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per test run")
    parser.add_argument(
        "--reuse-db",
        action="store_true",
        help="start from the test database as it is (default: build it afresh once; a run of"
        " the transactional tests leaves it without the groups the migrations create)",
    )
    args = parser.parse_args()

    chosen = [m for m in MUTATIONS if not args.k or any(word in m.id for word in args.k)]
    if args.list:
        for m in chosen:
            print(f"{m.id:48} {m.path}: {m.original!r} -> {m.mutated!r}")
        return 0
    problems = []
    for m in chosen:
        try:
            locate(m)
        except LookupError as error:
            problems.append(str(error))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    extra = ["--reuse-db"] if args.reuse_db else ["--create-db"]
    signal.signal(signal.SIGTERM, _on_term)
    print(f"{len(chosen)} mutations; DATABASE_URL={os.environ.get('DATABASE_URL', '(SQLite)')}")

    broken = set()
    rows = []
    try:
        if not args.no_baseline:
            for tests in sorted({m.tests for m in chosen}):
                passed, seconds = run_tests(tests, args.timeout, extra)
                state = "ok    " if passed else "FAILS "
                print(f"  baseline {state} {seconds:5.0f}s  {' '.join(tests)}", flush=True)
                if not passed:
                    broken.add(tests)
                extra = after(tests)

        for m in chosen:
            if m.tests in broken:
                rows.append((m, "-", "not counted (tests fail unchanged)", 0.0))
                continue
            path, original, line = apply(m)
            try:
                passed, seconds = run_tests(m.tests, args.timeout, extra)
            finally:
                path.write_text(original, encoding="utf-8")
            extra = after(m.tests)
            result = "SURVIVED" if passed else "killed"
            rows.append((m, f"{m.path}:{line}", result, seconds))
            print(f"  {result:8} {seconds:5.0f}s  {m.id}", flush=True)
    except (KeyboardInterrupt, Interrupted):
        print("\ninterrupted: every file is restored; the table shows what ran.")

    print()
    print(f"{'mutation':48} {'where':36} {'result':9} seconds")
    for m, where, result, seconds in rows:
        print(f"{m.id:48} {where:36} {result:9} {seconds:5.0f}")
    killed = sum(1 for row in rows if row[2] == "killed")
    survived = [row[0].id for row in rows if row[2] == "SURVIVED"]
    counted = killed + len(survived)
    if counted:
        print(f"\nscore: {killed}/{counted} killed ({100 * killed / counted:.0f} %)")
    if survived:
        print("survived: " + ", ".join(survived))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main())
