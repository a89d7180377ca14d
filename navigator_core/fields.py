"""How a record kind is described: its fields, their types, and the checks on them.

Every part of the system works from these descriptions: the local store builds its rows from
them, the sync wire format checks operations against them, the server validates pushes with them
and the forms label their inputs with them. One description per kind lives in ``kinds.py``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from navigator_core import nhs, timeutil


class FieldType(StrEnum):
    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    DATE = "date"  # a calendar day, YYYY-MM-DD
    DATETIME = "datetime"  # an instant in UTC, see timeutil
    UUID = "uuid"
    ENUM = "enum"  # one of `choices`
    TAGS = "tags"  # a list drawn from `choices`
    LIST = "list"  # a list of short texts (or ids)
    JSON = "json"  # a structured value: list or object
    NHS_NUMBER = "nhs_number"


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: FieldType
    label: str = ""
    required: bool = False
    choices: tuple[str, ...] = ()
    max_length: int = 20_000
    searchable: bool = False  # its text goes into the full-text index

    @property
    def title(self) -> str:
        return self.label or self.name.replace("_", " ").capitalize()

    @property
    def sql_type(self) -> str:
        return {FieldType.INT: "INTEGER", FieldType.BOOL: "INTEGER"}.get(self.type, "TEXT")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class ValidationError(ValueError):
    """A record failed its checks; `errors` says which field and what to do about it."""

    def __init__(self, kind: str, errors: list[FieldError]):
        self.kind = kind
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


RecordCheck = Callable[[Mapping[str, Any]], list[FieldError]]


@dataclass(frozen=True)
class KindSpec:
    """One kind of record.

    Mutable kinds (a client profile, a risk flag) change field by field and merge by clock stamp.
    Append-only kinds (a contact, a handover note) are never edited in place: a correction is a
    new entry whose ``amends_id`` points at the one it corrects.
    """

    name: str
    label: str
    mutable: bool
    fields: tuple[FieldSpec, ...]
    # The field naming the client a record belongs to ("id" for the client itself); None for
    # team-level records such as agencies. The access policy scopes records through it.
    client_field: str | None = "client_id"
    checks: tuple[RecordCheck, ...] = ()
    by_name: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    @property
    def table(self) -> str:
        return self.name + "s"

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def searchable(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.searchable)

    def errors(self, values: Mapping[str, Any], *, partial: bool = False) -> list[FieldError]:
        """Every problem with `values`. With `partial`, only the fields present are checked
        (an update), and record-level checks run only when given the whole merged record."""
        problems: list[FieldError] = []
        for name in values:
            if name not in self.by_name:
                problems.append(FieldError(name, f"{self.label} records have no field called {name!r}."))
        for spec in self.fields:
            if spec.name in values:
                message = check_value(spec, values[spec.name])
                if message:
                    problems.append(FieldError(spec.name, message))
            elif spec.required and not partial:
                problems.append(FieldError(spec.name, f"{spec.title} is required."))
        if not problems and not partial:
            for check in self.checks:
                problems.extend(check(values))
        return problems

    def validate(self, values: Mapping[str, Any], *, partial: bool = False) -> None:
        problems = self.errors(values, partial=partial)
        if problems:
            raise ValidationError(self.name, problems)


_UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and bool(_UUID_RE.match(value))


def new_id() -> str:
    return str(uuid.uuid4())


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def check_value(spec: FieldSpec, value: object) -> str | None:
    """Why `value` does not fit `spec`, in words for the person filling the form; None if it fits."""
    if _is_blank(value):
        return f"{spec.title} is required." if spec.required else None
    kind = spec.type
    if kind in (FieldType.TEXT, FieldType.NHS_NUMBER):
        if not isinstance(value, str):
            return f"{spec.title} must be text."
        if len(value) > spec.max_length:
            return f"{spec.title} is too long ({len(value)} characters; the most is {spec.max_length})."
        if kind is FieldType.NHS_NUMBER:
            return nhs.problem(value)
        return None
    if kind is FieldType.INT:
        if isinstance(value, bool) or not isinstance(value, int):
            return f"{spec.title} must be a whole number."
        return None if value >= 0 else f"{spec.title} cannot be negative."
    if kind is FieldType.BOOL:
        return None if isinstance(value, bool) else f"{spec.title} must be yes or no."
    if kind is FieldType.DATE:
        try:
            timeutil.parse_date(value)  # type: ignore[arg-type]
        except ValueError:
            return f"{spec.title} must be a date like 2026-11-23."
        return None
    if kind is FieldType.DATETIME:
        try:
            timeutil.parse(value)  # type: ignore[arg-type]
        except (ValueError, TypeError):
            return f"{spec.title} must be a date and time."
        return None
    if kind is FieldType.UUID:
        return None if is_uuid(value) else f"{spec.title} must be a record id."
    if kind is FieldType.ENUM:
        if value in spec.choices:
            return None
        return f"{spec.title} must be one of: {', '.join(spec.choices)}."
    if kind is FieldType.TAGS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"{spec.title} must be a list."
        unknown = [v for v in value if v not in spec.choices]
        if unknown:
            return f"{spec.title}: {', '.join(unknown)} not known; choose from {', '.join(spec.choices)}."
        return None
    if kind is FieldType.LIST:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return f"{spec.title} must be a list of texts."
        return None
    if kind is FieldType.JSON:
        return None if isinstance(value, list | dict) else f"{spec.title} must be a list or a set of values."
    raise AssertionError(f"unhandled field type {kind}")
