"""Who is signed in on this laptop (and their team and the directory's names), read after each unlock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject, Signal

from navigator_desktop.session import Session
from navigator_desktop.store.db import Database
from navigator_desktop.store.views import Who, who
from navigator_desktop.tasks import TaskRunner

T = TypeVar("T")


class NotSignedInError(RuntimeError):
    """Writing needs a signed-in worker; a laptop gets one when it is enrolled."""

    def __init__(self) -> None:
        super().__init__(
            "Nobody is signed in on this laptop yet, so records cannot be written. "
            "Connect it to your organisation first: Navigator ▸ Connect to your organisation…"
        )


class SignedIn(QObject):
    loaded = Signal(object)  # Who, or None when nobody is signed in

    def __init__(self, runner: TaskRunner[Session]):
        super().__init__()
        self.runner = runner
        self.who: Who | None = None

    def load(self) -> None:
        self.runner.submit(_whoami, self._loaded, name="who am I")

    def _loaded(self, found: Who | None) -> None:
        self.who = found
        self.loaded.emit(found)

    def clear(self) -> None:
        self.who = None

    @property
    def names(self) -> dict[str, str]:
        return self.who.names if self.who else {}


class _Clearable(Protocol):
    def clear(self) -> None: ...


class SignedInFlow(QObject):
    """A flow working for whoever is signed in: the task runner it reads and writes with, and who
    that is."""

    def __init__(self, runner: TaskRunner[Session], signed_in: SignedIn):
        super().__init__()
        self.runner = runner
        self.signed_in = signed_in

    def show_mine(
        self, view: _Clearable, read: Callable[[Database, Who], T], show: Callable[[T], None], name: str
    ) -> None:
        """Read what the signed-in worker sees, off the GUI thread, and `show` it; with nobody
        signed in, clear the view."""
        me = self.signed_in.who
        if me is None:
            view.clear()
            return
        self.runner.submit(lambda s: read(s.db, me), show, name=name)


def _whoami(session: Session) -> Who | None:
    return who(session.db, session.actor.user_id) if session.actor else None


def actor_of(session: Session):  # type: ignore[no-untyped-def]
    """The signed-in actor, for a write job; a clear error when nobody is."""
    if session.actor is None:
        raise NotSignedInError()
    return session.actor
