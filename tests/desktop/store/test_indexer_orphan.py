"""An indexer whose sync was killed (SIGKILL) under it: it writes nothing it was handed after its
parent died, leaves that batch unmarked for the next flush, and exits without a traceback."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from navigator_desktop.store.plain import open_plain
from navigator_desktop.store.search.index import index_of

PARENT = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    from navigator_desktop.store.plain import open_plain
    from navigator_desktop.store.search.index import INLINE_MAX, index_of

    if __name__ == "__main__":
        db = open_plain(Path(sys.argv[1]))
        entries = [("contact", f"id-{i}", "search_text", f"leeks number {i}", "c") for i in range(INLINE_MAX)]
        index_of(db).submit(1, entries)
        index_of(db).submit(2, entries[:10])  # the indexer has work in hand: this goes to it as well
        time.sleep(0.05)
        os.kill(os.getpid(), 9)
    """
)


def test_an_orphaned_indexer_exits_quietly_and_marks_nothing_it_did_not_write(tmp_path: Path) -> None:
    path = tmp_path / "records.db"
    open_plain(path).close()
    script = tmp_path / "parent.py"
    script.write_text(PARENT)
    done = subprocess.run(
        [sys.executable, str(script), str(path)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == -9
    assert "Traceback" not in done.stderr, done.stderr  # the orphan shares the parent's stderr
    db = open_plain(path)
    try:
        conn = index_of(db).conn
        marked = {row[0] for row in conn.execute("SELECT seq FROM search_batches")}
        indexed = conn.execute("SELECT count(*) FROM search_docs").fetchone()[0]
        # Whatever it wrote is marked with it, and nothing is marked that it did not write.
        assert marked <= {1, 2}
        assert (indexed > 0) == (1 in marked)
    finally:
        db.close()
