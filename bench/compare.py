"""Print two bench runs side by side: the table issue 18's closing note needs.

    .venv/bin/python bench/compare.py OLD NEW [--names before,after]

OLD and NEW are saved outputs of bench/run.py (or any text holding a Markdown table whose
header has the columns `page`, `as`, `ceiling ÷ page`, `p50 ms`, `p99 ms` and optionally
`queries`: the table of ISSUE18.md reads too). Pages are matched by label and persona; a label's
parenthesis is ignored when nothing matches exactly ("dashboard (home)" is "dashboard (home,
president)"). For each page of NEW it prints both ratios (the trivial view's req/s ÷ the page's,
lower is better), the change, p50 and p99, the p99 over the trivial view's p99 of the same run,
the queries (taking the run's own `p99 ÷ trivial` column when it has one: the median of the
rounds of `bench/run.py --rounds`), and whether NEW meets the goal of issue 18: 1/25 of the
trivial view for the app's pages, 1/40 for the dashboard and the 四好 report, 1/120 for admin
lists, p99 at most 10× the trivial view's. Comparing a city run with a 2× city run, the change
column is the growth with the data (the goal: within 20 %).
"""

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

CEILING = "trivial view (ceiling)"
NUMBER = re.compile(r"-?[\d,]+(?:\.\d+)?")
PARENTHESIS = re.compile(r"\s*\(.*\)\s*$")


@dataclass
class Row:
    label: str
    persona: str
    ratio: float | None
    p50: float | None
    p99: float | None
    queries: int | None
    p99_times: float | None = None  # p99 ÷ the trivial view's p99, as the run measured it


def number(cell: str) -> float | None:
    """The cell's number; None for an empty cell, nan or a range such as 15–22."""
    cell = cell.strip()
    match = NUMBER.fullmatch(cell)
    return float(match.group().replace(",", "")) if match else None


def read_table(path: Path) -> list[Row]:
    """The rows of the first Markdown table in the file with the bench's columns."""
    rows, columns = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip().removeprefix(">").strip()
        if not line.startswith("|"):
            if columns and rows:
                break
            columns = None
            continue
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        if columns is None:
            names = [cell.lower() for cell in cells]
            if "page" in names and "ceiling ÷ page" in names:
                columns = {name: i for i, name in enumerate(names)}
            continue
        if set(line) <= set("|-: "):
            continue

        def cell(name, cells=cells, columns=columns):
            i = columns.get(name)
            return cells[i] if i is not None and i < len(cells) else ""

        queries = number(cell("queries"))
        rows.append(
            Row(
                label=cell("page"),
                persona=cell("as") or "",
                ratio=number(cell("ceiling ÷ page")),
                p50=number(cell("p50 ms")),
                p99=number(cell("p99 ms")),
                queries=int(queries) if queries is not None else None,
                p99_times=number(cell("p99 ÷ trivial")),
            )
        )
    if not rows:
        raise SystemExit(f"{path}: no table with the columns page, ceiling ÷ page, p50 ms, p99 ms")
    return rows


def find(rows: list[Row], row: Row) -> Row | None:
    for other in rows:
        if other.label == row.label and other.persona in (row.persona, ""):
            return other
    bare = PARENTHESIS.sub("", row.label)
    for other in rows:
        if PARENTHESIS.sub("", other.label) == bare and other.persona == row.persona:
            return other
    return None


def target(row: Row) -> int:
    """The goal of issue 18: how many times slower than the trivial view a page may be."""
    if row.label.startswith("admin"):
        return 120
    if "dashboard" in row.label or "四好" in row.label:
        return 40
    return 25


def fmt(value, spec=".0f") -> str:
    return "–" if value is None else format(value, spec)


def compare(old: list[Row], new: list[Row], names=("old", "new")) -> list[str]:
    a, b = names
    ceiling = next((r for r in new if r.label == CEILING), None)
    trivial_p99 = ceiling.p99 if ceiling else None
    lines = [
        f"| page | as | ratio {a} | ratio {b} | change | goal | p50 {a} | p50 {b} "
        f"| p99 {a} | p99 {b} | p99 ÷ trivial | queries {a} → {b} | meets goal |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in new:
        if row.label == CEILING:
            continue
        before = find(old, row) or Row(row.label, row.persona, None, None, None, None)
        change = (
            f"{(row.ratio / before.ratio - 1) * 100:+.0f} %" if row.ratio and before.ratio else "–"
        )
        # A run of several rounds gives each page's p99 over its own round's trivial p99.
        p99_times = row.p99_times
        if p99_times is None and row.p99 and trivial_p99:
            p99_times = row.p99 / trivial_p99
        goal = target(row)
        verdicts = []
        if row.ratio is not None:
            verdicts.append("yes" if row.ratio <= goal else f"no ({row.ratio:.0f} > {goal})")
        if p99_times is not None and p99_times > 10:
            verdicts.append(f"p99 {p99_times:.0f}×")
        lines.append(
            f"| {row.label} | {row.persona} | {fmt(before.ratio, '.1f')} | {fmt(row.ratio, '.1f')} "
            f"| {change} | {goal} | {fmt(before.p50)} | {fmt(row.p50)} | {fmt(before.p99)} "
            f"| {fmt(row.p99)} | {fmt(p99_times, '.1f')} | {fmt(before.queries, 'd')} → "
            f"{fmt(row.queries, 'd')} | {', '.join(verdicts) or '–'} |"
        )
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--names", default="old,new", help="the two columns' names, a,b")
    options = parser.parse_args(argv)
    names = tuple(options.names.split(",", 1)) if "," in options.names else ("old", "new")
    print("\n".join(compare(read_table(options.old), read_table(options.new), names)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
