"""Full-text search over client names and the text of records, in an index file of its own.

index_file.py  the file's writes: entries replaced, pulled batches marked, in one transaction
indexer.py     the process that writes a large pull while the records are applied
index.py       the index's connection and indexer, held beside the records' Database
queue.py       what each kind puts in the index, and what is still to be written
writer.py      flush: the index brought up to date with the queues (rebuilt when a batch was lost)
check.py       the index compared with the records, and repaired
query.py       search as you type (what screens use; re-exported here)
"""

from navigator_desktop.store.search.query import HIGHLIGHT_END, HIGHLIGHT_START, Hit, build_query, search

__all__ = ["HIGHLIGHT_END", "HIGHLIGHT_START", "Hit", "build_query", "search"]
