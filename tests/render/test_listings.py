"""The other commands' tables (``render.listings``): text in, text out, same input same text."""

from __future__ import annotations

from brandaudit.render.listings import platforms_table, sparkline, suggest_table
from brandaudit.variants import Coverage

NAMES = {"github": "GitHub", "x": "X", "bluesky": "Bluesky"}


def _ranked() -> list[Coverage]:
    return [
        Coverage(
            handle="acmehq",
            free_on=("github", "x"),
            taken_on=(),
            unknown_on=("bluesky",),
            not_allowed_on=(),
        ),
        Coverage(
            handle="acme", free_on=(), taken_on=("github", "x"), unknown_on=(), not_allowed_on=()
        ),
    ]


def test_suggest_table_names_the_best_handle_and_its_undecided_platforms() -> None:
    ranked = _ranked()
    text = suggest_table(ranked, NAMES, ["acme", "acmehq"], ranked[0], width=100)
    assert text.splitlines()[0].rstrip() == "Variants x 3 platforms"
    assert "│ GitHub, X │" in text
    assert text.endswith(
        "Best handle: acmehq, free on 2 of 3 platforms (1 undecided, not counted)\n"
    )
    assert "\x1b[" not in text
    assert text == suggest_table(ranked, NAMES, ["acme", "acmehq"], ranked[0], width=100)


def test_suggest_table_says_when_no_variant_is_free() -> None:
    text = suggest_table(_ranked()[1:], NAMES, ["acme"], None, width=80)
    assert text.endswith(
        "No variant is free anywhere that answered; try --name or more variants.\n"
    )


def test_colour_only_when_asked() -> None:
    ranked = _ranked()
    assert "\x1b[" in suggest_table(ranked, NAMES, ["acmehq"], ranked[0], width=100, color=True)


def test_platforms_table_folds_to_lines_on_a_narrow_terminal() -> None:
    rows = [
        {
            "id": "github",
            "name": "GitHub",
            "methods": ["api"],
            "handle_rule": "1-39 letters, digits or single hyphens",
            "credentials": [{"env": ["GH_TOKEN", "GITHUB_TOKEN"]}],
        }
    ]
    narrow = platforms_table(rows, 60)
    assert narrow.splitlines()[0] == "github (GitHub): api"
    assert "  credentials: GITHUB_TOKEN" in narrow
    wide = platforms_table(rows, 120)
    assert "Handle rule" in wide.splitlines()[1]


def test_sparkline_marks_undecided_runs() -> None:
    assert sparkline([0, 50, None, 100]) == "▁▄·█"
