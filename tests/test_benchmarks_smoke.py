"""The benchmarks run end to end at small scale and print every figure (no timing assertions:
machines are noisy; the team-scale run is what is read)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURES = (
    "key derivation, Argon2id",
    "unlock excl. KDF: open, key, schema check, caseload query",
    "unlock excl. KDF, worst of 9",
    "the same on plain SQLite",
    "search (",
    "open client with 60 contacts",
    "vault p50",
    "vault p95",
    "plain SQLite p50",
    "plain SQLite p95",
    "encryption overhead, vault / plain",
    "diagnostic: sqlcipher engine, plain file, no key",
    "DIAGNOSTIC: store benchmark, small scale, vault WITH cipher_memory_security",
    "open client, first after unlock",
    "bulk insert of",
    "bulk insert: plain SQLite",
    "figures within target",
    "sweep 1 s: worst",  # lone-working alerts (escalation_bench, quick)
)


@pytest.mark.slow
def test_store_benchmark_prints_every_figure_at_small_scale(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--scale", "small", "--cache-dir", str(tmp_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    missing = [figure for figure in FIGURES if figure not in out]
    assert not missing, out
    figure_lines = [line for line in out.splitlines() if " target " in line]
    assert len(figure_lines) >= 20
    assert all(any(verdict in line for verdict in ("PASS", "FAIL", "info")) for line in figure_lines)
    # a second run reuses the cached data set instead of building it again
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.store",
            "--scale",
            "small",
            "--cache-dir",
            str(tmp_path),
            "--no-diagnostic",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert "building" not in again.stdout
    assert "DIAGNOSTIC" not in again.stdout
    assert "figures within target" in again.stdout


@pytest.mark.slow
@pytest.mark.postgres
def test_live_benchmark_prints_its_figures_with_a_few_changes():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.live_bench",
            "--changes",
            "2",
            "--crowd",
            "4",
            "--crowd-teams",
            "2",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    for figure in (
        "live, p95",
        "push to B told, p95",
        "B syncs at once, p95",
        "one pull request, p95",
        "ratio",
    ):
        assert figure in result.stdout, result.stdout
    assert "errors 0" in result.stdout


@pytest.mark.slow
@pytest.mark.postgres
def test_live_benchmark_measures_to_bs_screen_with_a_few_changes():
    """--screen: laptop B is the app, and each change is timed until its Today lists the note."""
    command = [sys.executable, "-m", "benchmarks.live_bench", "--screen", "--changes", "2", "--crowd", "4"]
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [*command, "--crowd-teams", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    for figure in ("on screen, p50", "on screen, p95", "B's longest GUI-thread stall", "ratio", "errors 0"):
        assert figure in result.stdout, result.stdout
