"""Server settings, read from the environment (prefix ``NAVIGATOR_``) by pydantic-settings."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

import platformdirs
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

APP_NAME = "navigator-server"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NAVIGATOR_", extra="ignore")

    # postgresql://user@host:port/db or sqlite:///path; empty means an SQLite file in data_dir.
    database_url: str = ""
    data_dir: Path | None = None
    # Plain HTTP is served only on loopback unless this is set (e.g. behind a TLS proxy on another host).
    allow_insecure_http: bool = False
    max_body_bytes: int = Field(default=4 * 1024 * 1024, ge=1024)
    max_batch_ops: int = Field(default=500, ge=1)
    # A page of changes holds at most this many feed entries, and stops early once it holds about
    # this many bytes of records (one client record is several times a contact's size), so a
    # laptop's memory stays flat whatever it is pulling.
    max_page: int = Field(default=5000, ge=1)
    max_page_bytes: int = Field(default=2 * 1024 * 1024, ge=64 * 1024)
    enrolment_code_hours: float = Field(default=24.0, gt=0)
    # Failed enrolment (code or password) attempts allowed per username, and per address, per window.
    auth_max_failures: int = Field(default=5, ge=1)
    auth_max_failures_per_address: int = Field(default=20, ge=1)
    auth_window_minutes: float = Field(default=15.0, gt=0)
    min_password_length: int = Field(default=10, ge=1)
    # Argon2id cost; OWASP's second recommended setting by default. Tests lower it.
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_kib: int = Field(default=64 * 1024, ge=8)
    argon2_parallelism: int = Field(default=1, ge=1)
    # Stamps further ahead of the server clock than this are refused (a laptop with a wrong clock).
    max_clock_drift_hours: float = Field(default=24.0, gt=0)
    # Days a discharged client's records stay on laptops after their service discharge date; the
    # central store keeps them. Handed to laptops at enrolment and in /me.
    retention_days: int = Field(default=30, ge=0)
    # Laptop protection the organisation imposes, handed out with retention_days: wipe a laptop's
    # vault after this many wrong passphrases in a row (None: never), and lock it after at most
    # this many idle minutes (None: the laptop's own setting).
    wipe_after_failures: int | None = Field(default=None, ge=1)
    idle_lock_minutes: int | None = Field(default=None, ge=1)
    # Lone working (overdue.py): a visit is overdue this long after its expected end with no
    # check-out; each process sweeps every `overdue_sweep_seconds` (0: only before pulls and from
    # the CLI), and before a pull at most every `overdue_pull_throttle_seconds`.
    overdue_grace_minutes: float = Field(default=15.0, ge=0)
    overdue_sweep_seconds: float = Field(default=60.0, ge=0)
    overdue_pull_throttle_seconds: float = Field(default=15.0, ge=0)
    log_level: str = "INFO"

    @cached_property
    def resolved_data_dir(self) -> Path:
        return self.data_dir or Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))

    @property
    def sqlalchemy_url(self) -> str:
        """The URL SQLAlchemy understands: psycopg 3 for PostgreSQL, the data dir's file by default."""
        url = self.database_url.strip()
        if not url:
            return f"sqlite:///{self.resolved_data_dir / 'navigator.db'}"
        for prefix in ("postgresql://", "postgres://"):
            if url.startswith(prefix):
                return "postgresql+psycopg://" + url[len(prefix) :]
        if url.startswith(("postgresql+psycopg://", "sqlite:///")):
            return url
        raise ValueError("NAVIGATOR_DATABASE_URL must start with postgresql:// or sqlite:///")

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")
