"""The README's two set-up commands stay true: CI runs the test command verbatim."""

from .conftest import ROOT


def _commands() -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.startswith("    python3.11 -m venv")]


def test_readme_has_exactly_two_setup_commands():
    commands = _commands()
    assert len(commands) == 2
    assert "pressdeals tag ../shared/seeds" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _commands()[1] in ci.splitlines()


def test_readme_quotes_the_current_corpus_stats():
    from pressdeals.training.corpus import corpus_stats, format_stats

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert format_stats(corpus_stats()) in readme
