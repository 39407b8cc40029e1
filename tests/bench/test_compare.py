"""bench/compare.py: the side-by-side table of two bench runs."""

from bench.compare import compare, main, read_table

OLD = """\
database: postgresql chamber_city

16 connections, 8 s a page, 4 gunicorn sync workers
| page | as | status | req/s | ceiling ÷ page | p50 ms | p99 ms | queries | KB | errors |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|
| trivial view (ceiling) | anonymous | 200 | 1000 | 1.0 | 10.0 | 40.0 | 0 | 0.0 | 0 |
| /visits/ | leader | 200 | 10 | 100.0 | 860.0 | 1650.0 | 9 | 80.0 | 0 |
| admin visit list | secretary | 200 | 5 | 200.0 | 900.0 | 2000.0 | 14 | 90.0 | 0 |
"""

NEW = OLD.replace("| 10 | 100.0 | 860.0 | 1650.0 | 9 |", "| 50 | 20.0 | 150.0 | 300.0 | 8 |")

ISSUE = """\
> | page | as | ceiling ÷ page | p50 ms | p99 ms |
> |---|---|---:|---:|---:|
> | /visits/ | leader | 96 | 860 | 1,650 |
> | /companies/, company page | | 15–22 | 120–190 | 250–320 |
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reads_the_bench_output_and_the_issue_table(tmp_path):
    rows = read_table(write(tmp_path, "old.txt", OLD))
    assert [(r.label, r.persona, r.ratio, r.p99, r.queries) for r in rows] == [
        ("trivial view (ceiling)", "anonymous", 1.0, 40.0, 0),
        ("/visits/", "leader", 100.0, 1650.0, 9),
        ("admin visit list", "secretary", 200.0, 2000.0, 14),
    ]
    issue = read_table(write(tmp_path, "issue.md", ISSUE))
    assert (issue[0].ratio, issue[0].p99) == (96.0, 1650.0)  # "1,650"
    assert issue[1].ratio is None  # a range is no figure


def test_side_by_side_with_the_goal(tmp_path):
    lines = compare(
        read_table(write(tmp_path, "old.txt", OLD)),
        read_table(write(tmp_path, "new.txt", NEW)),
        ("before", "after"),
    )
    assert "ratio before | ratio after" in lines[0]
    visits = next(line for line in lines if line.startswith("| /visits/ "))
    # 100 → 20 times the trivial view: −80 %, within 1/25; p99 300 ms is 7.5× trivial's 40 ms.
    assert "| 100.0 | 20.0 | -80 % | 25 |" in visits
    assert "| 7.5 | 9 → 8 | yes |" in visits
    admin = next(line for line in lines if line.startswith("| admin visit list "))
    assert "| 120 |" in admin
    assert "no (200 > 120), p99 50×" in admin
    assert not any("trivial view" in line for line in lines[2:])


def test_matches_labels_without_their_parenthesis(tmp_path, capsys):
    old = write(tmp_path, "issue.md", ISSUE.replace("/visits/ |", "/visits/ (mine) |"))
    assert main([str(old), str(write(tmp_path, "new.txt", NEW))]) == 0
    visits = next(line for line in capsys.readouterr().out.splitlines() if "| /visits/ " in line)
    assert "| 96.0 | 20.0 | -79 % |" in visits


ROUNDS = """\
16 connections, 8 s a page, 4 gunicorn sync workers, median of 3 rounds
| page | as | status | req/s | ceiling ÷ page | p50 ms | p99 ms | p99 ÷ trivial | queries | KB \
| errors |
|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|
| trivial view (ceiling) | anonymous | 200 | 1000 | 1.0 | 10.0 | 40.0 | 1.0 | 0 | 0.0 | 0 |
| /visits/ | leader | 200 | 50 | 20.0 | 150.0 | 300.0 | 12.5 | 8 | 80.0 | 0 |
"""


def test_a_run_of_rounds_gives_the_p99_ratio_of_each_round(tmp_path):
    """The median of the rounds' own ratios wins over the medians' ratio (300 / 40 = 7.5):
    the trivial view was faster in the round where the page was slow."""
    (row,) = [r for r in read_table(write(tmp_path, "r.txt", ROUNDS)) if r.label == "/visits/"]
    assert row.p99_times == 12.5
    lines = compare(read_table(write(tmp_path, "old.txt", OLD)), [row], ("before", "after"))
    visits = next(line for line in lines if line.startswith("| /visits/ "))
    assert "| 12.5 | 9 → 8 | yes, p99 12× |" in visits
