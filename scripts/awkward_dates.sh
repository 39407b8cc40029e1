#!/usr/bin/env bash
# Run the date-sensitive tests (marked `dates`) with the clock set to each awkward moment,
# Asia/Shanghai time: 1 January 00:10 (a year's and a term's first minutes: the demo's terms
# run 2024-2028, 2029-2033), 31 January (a month's last day, a Sunday, in the month when this
# year's board has no month past), 28 February on a Sunday, 29 February, 31 December 23:50
# (a Sunday, a term's last minutes).
# tests/conftest.py reads CHAMBER_FAKE_NOW and starts every test at that moment (time-machine,
# the clock ticking). Only Python's clock is faked: PostgreSQL's now() is not.
#
#   scripts/awkward_dates.sh                        # every date, the tests marked `dates`
#   scripts/awkward_dates.sh tests/demo -k city     # every date, other tests (pytest args)
#   AWKWARD_DATES="2027-07-19T23:50 2027-07-20T00:10" scripts/awkward_dates.sh
#
# Uses DATABASE_URL as `make test` does; PY picks the interpreter (default .venv/bin/python).
set -uo pipefail
cd "$(dirname "$0")/.."

PY=${PY:-.venv/bin/python}
DATES=${AWKWARD_DATES:-"
2029-01-01T00:10+08:00
2027-01-31T09:00+08:00
2027-02-28T09:00+08:00
2028-02-29T09:00+08:00
2028-12-31T23:50+08:00
"}
if [ $# -eq 0 ]; then
  # Only the files that hold marked tests: collecting the whole suite each time costs more.
  set -- -m dates $(grep -rl --include='test_*.py' 'pytest.mark.dates' tests | sort)
fi

failed=()
for moment in $DATES; do
  printf '\n==> %s\n' "$moment"
  if ! CHAMBER_FAKE_NOW=$moment "$PY" -m pytest -q "$@"; then
    failed+=("$moment")
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  printf '\nfailed on: %s\n' "${failed[*]}"
  exit 1
fi
printf '\nthe date-sensitive tests pass on every awkward date\n'
