"""``render.github``'s pure outputs: the text the CLI only writes."""

from __future__ import annotations

from brandaudit.render.github import (
    annotation_commands,
    github_output,
    input_annotation,
    step_summary,
)
from tests.render.reports import full_report


def test_github_output_is_the_annotations_and_the_summary() -> None:
    report = full_report()
    out = github_output(report)
    lines = annotation_commands(report)
    assert lines
    assert out.annotations == "\n".join(lines) + "\n"
    assert out.summary == step_summary(report)


def test_an_input_warning_names_its_file_and_line() -> None:
    annotation = input_annotation("brands.txt:12: 'acme..com' is not a domain")
    assert annotation is not None
    assert annotation.command() == (
        "::warning file=brands.txt,line=12,title=brandaudit%3A input::'acme..com' is not a domain"
    )
    assert input_annotation("no line here") is None
