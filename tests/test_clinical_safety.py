"""The hazard log (docs/clinical-safety.md) cannot drift from the code: every test id it names
exists, every hazard has its causes, effects, ratings and controls, and every rating is the one
the risk matrix gives."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LOG = ROOT / "docs" / "clinical-safety.md"
SEVERITIES = ("Minor", "Significant", "Considerable", "Major", "Catastrophic")
LIKELIHOODS = ("Very low", "Low", "Medium", "High", "Very high")
# The DCB0129 practice matrix: MATRIX[likelihood][severity].
MATRIX = {
    "Very high": (3, 4, 4, 5, 5),
    "High": (2, 3, 3, 4, 5),
    "Medium": (2, 2, 3, 3, 4),
    "Low": (1, 2, 2, 3, 4),
    "Very low": (1, 1, 2, 2, 3),
}
PARTS = ("Causes", "Effects", "Initial risk", "Controls", "Residual risk")
TEST_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")
RATING = re.compile(r"(\w+) \u00d7 (Very low|Low|Medium|High|Very high) = (\d)")


def _hazards() -> dict[str, str]:
    text = LOG.read_text(encoding="utf-8")
    sections = re.split(r"^### ", text, flags=re.MULTILINE)[1:]
    return {s.splitlines()[0]: s for s in sections if re.match(r"H\d+\.", s)}


@cache
def _tests_in(path: str) -> frozenset[str]:
    tree = ast.parse((ROOT / path).read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
            names.add(node.name)
    return frozenset(names)


def _rating(section: str, part: str) -> int:
    line = next(line for line in section.splitlines() if line.startswith(f"- **{part}:**"))
    found = RATING.search(line)
    assert found, f"no 'severity x likelihood = rating' in: {line}"
    severity, likelihood, rating = found.groups()
    assert severity in SEVERITIES, f"unknown severity {severity!r}"
    assert int(rating) == MATRIX[likelihood][SEVERITIES.index(severity)], f"matrix disagrees: {line}"
    return int(rating)


def test_the_log_names_the_hazards_the_safety_case_must_cover():
    titles = " ".join(_hazards()).lower()
    for words in ("overdue lone worker", "risk flag", "note is lost", "wrong client", "stale record",
                  "conflicting edit", "laptop's data is read"):  # fmt: skip
        assert words in titles, words


def test_the_matrix_in_the_log_is_the_one_the_ratings_are_checked_against():
    text = LOG.read_text(encoding="utf-8")
    for likelihood, row in MATRIX.items():
        assert f"| {likelihood} | {' | '.join(map(str, row))} |" in text


@pytest.mark.parametrize("title", sorted(_hazards()))
def test_each_hazard_is_complete_and_rated_by_the_matrix(title):
    section = _hazards()[title]
    for part in PARTS:
        assert f"- **{part}:**" in section, f"{title}: no {part}"
    initial, residual = _rating(section, "Initial risk"), _rating(section, "Residual risk")
    assert residual <= initial, f"{title}: the controls raise the risk"
    controls = section.split("- **Controls:**", 1)[1].split("- **Residual risk:**", 1)[0]
    assert TEST_ID.search(controls), f"{title}: no control is verified by a named test"


def test_every_named_test_exists():
    named = TEST_ID.findall(LOG.read_text(encoding="utf-8"))
    assert len(named) > 40
    missing = [f"{path}::{name}" for path, name in named
               if not (ROOT / path).is_file() or name not in _tests_in(path)]  # fmt: skip
    assert not missing, f"the hazard log names tests that do not exist: {missing}"
