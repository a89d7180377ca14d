"""Server settings, read from the environment (prefix ``NAVIGATOR_``) by pydantic-settings."""

from __future__ import annotations

from datetime import timedelta
from functools import cached_property
from pathlib import Path

import platformdirs
from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from navigator_core import timerules

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
    # The same limit holds for an operation's recording time (recorded_at), see navigator_core/timerules.
    max_clock_drift_hours: float = Field(default=24.0, gt=0)
    # A past event (a contact, a check-in) may be stated this far after the time it was recorded; a
    # planned one (a visit, a review date, a note's validity) at most this many days after it.
    event_tolerance_minutes: float = Field(default=5.0, ge=0)
    plan_ahead_days: int = Field(default=1096, ge=1)
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
    overdue_sweep_seconds: float = Field(default=30.0, ge=0)
    overdue_pull_throttle_seconds: float = Field(default=15.0, ge=0)
    # Escalation of an overdue visit (navigator_server/escalation): the steps in order, the wait
    # between them, and how often each process looks for a step that is due.
    escalation_steps: str = "worker,buddy,on_call,manager,last_resort"
    escalation_step_wait_seconds: float = Field(default=300.0, ge=0)
    escalation_poll_seconds: float = Field(default=5.0, ge=0)
    # A failed step is tried again this many times in all, the wait doubling from the first.
    escalation_attempts: int = Field(default=3, ge=1)
    escalation_retry_seconds: float = Field(default=30.0, ge=0)
    # A process claims a step for this long; a process that died holding one is replaced after it.
    escalation_claim_seconds: float = Field(default=120.0, gt=0)
    # A step sent more than this late (after an outage) says so; earlier steps overtaken are not sent.
    escalation_late_seconds: float = Field(default=300.0, ge=0)
    escalation_last_resort_email: str = ""
    # Until someone answers: after the last step, these steps are sent again every
    # `escalation_repeat_minutes`, at most `escalation_max_repeats` times, until someone
    # acknowledges, records the worker safe, or the visit is closed.
    escalation_repeat_steps: str = "on_call,last_resort"
    escalation_repeat_minutes: float = Field(default=10.0, gt=0)
    escalation_max_repeats: int = Field(default=12, ge=0)
    # Acknowledgement links: the server's public address, and how long a link stays good.
    public_url: str = "http://127.0.0.1:8443"
    ack_link_hours: float = Field(default=12.0, gt=0)
    # E-mail over SMTP: security is "starttls", "tls" (implicit, port 465) or "none" (loopback only).
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: str = "starttls"
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = ""
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    # A CA bundle to trust for the relay's certificate (an internal CA); empty: the system's.
    smtp_ca_file: str = ""
    # GOV.UK Notify: the API key, its address (changed only for tests), and the two templates,
    # each holding the placeholders ((subject)) and ((body)).
    notify_api_key: SecretStr = SecretStr("")
    notify_base_url: str = "https://api.notifications.service.gov.uk"
    notify_sms_template_id: str = ""
    notify_email_template_id: str = ""
    notify_timeout_seconds: float = Field(default=10.0, gt=0)
    # A signed webhook (a pager, Teams, a monitoring centre): the URL and the HMAC-SHA256 key.
    webhook_url: str = ""
    webhook_secret: SecretStr = SecretStr("")
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    # Live sync (navigator_server/live): how long a laptop's long-poll waits when it names no
    # time, the most it may ask for, and how often SQLite's embedded store looks at its feed.
    live_wait_seconds: float = Field(default=25.0, gt=0)
    live_wait_max_seconds: float = Field(default=55.0, gt=0)
    live_poll_seconds: float = Field(default=0.25, gt=0)
    # A locked on-call laptop's watch token (counts only) lives at most this long.
    watch_token_hours: float = Field(default=12.0, gt=0)
    log_level: str = "INFO"
    # Log lines as JSON objects (one a line, with the request id), for a log collector; else text.
    log_json: bool = False
    # Requests each server process works on at once on its thread pool (each holds at most one
    # connection); more only queue for the interpreter lock and a connection (fleet benchmark).
    request_threads: int = Field(default=8, ge=1)
    # PostgreSQL connections each server process keeps open, the extra ones it may open under load,
    # and how long a request waits for one. Keep the pool above request_threads: the overdue sweep
    # and the escalation sender have their own threads, and a connection opened beyond the pool is
    # closed again when returned (a new PostgreSQL process each time). Workers x (pool + overflow)
    # must stay under the server's max_connections (or PgBouncer's pool): see deploy/README.md.
    db_pool_size: int = Field(default=12, ge=1)
    db_max_overflow: int = Field(default=4, ge=0)
    db_pool_timeout_seconds: float = Field(default=30.0, gt=0)

    @property
    def time_limits(self) -> timerules.Limits:
        return timerules.Limits(
            drift=timedelta(hours=self.max_clock_drift_hours),
            tolerance=timedelta(minutes=self.event_tolerance_minutes),
            horizon=timedelta(days=self.plan_ahead_days),
        )

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
