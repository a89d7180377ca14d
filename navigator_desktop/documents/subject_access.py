"""A subject-access archive: everything held about one person, as one .zip. The layout and the
writing live in ``navigator_core.subject_access``, shared with the central store's
``navigator-server subject-access`` (the complete answer); this module keeps the laptop's names."""

from __future__ import annotations

from navigator_core.subject_access import (
    LAPTOP_SCOPE,
    SERVER_SCOPE,
    SUBJECT_ACCESS_COMMAND,
    TEXT_FIELDS,
    SubjectAccess,
    build_files,
    manifest,
    summary_text,
    write_zip,
    zip_bytes,
)

__all__ = [
    "LAPTOP_SCOPE", "SERVER_SCOPE", "SUBJECT_ACCESS_COMMAND", "TEXT_FIELDS", "SubjectAccess", "build_files",
    "manifest", "summary_text", "write_zip", "zip_bytes",
]  # fmt: skip
