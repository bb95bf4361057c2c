"""YAML files -> model, safely.

Entry files are data written by hand and shared by many people, so reading
them is defensive: size and nesting limits, UTF-8 only, no anchors/aliases
(alias bombs), no tags beyond plain YAML types (``!!python/object``),
duplicate keys reported (PyYAML silently keeps the last one: data loss),
unknown fields reported with a suggestion, every type checked. Every problem
is collected with its file, line and field; nothing stops at the first one.

The public API, for the other modules (nothing else here is theirs to use):

- **whole databases**: :func:`load_database` (DataError on any problem),
  :func:`read_database` (the database and its problems, for the validator),
  :func:`lookup_database` (broken files left out, for lookups);
- **one file**: :func:`load_entry`, :func:`load_edition`, :func:`entry_files`,
  :func:`edition_rank` (the edition's order);
- **safe YAML reading**: :func:`read_yaml` (a file, or the new text of one,
  within every limit above) gives a :class:`Document`: plain data and the
  line of each field; :func:`control_problem` for a single string;
- **conversion**: :class:`Converter` turns plain data (YAML or a snapshot's
  JSON) into model objects, recording problems and returning
  :data:`INVALID` for what fails; :func:`type_name` names a model type as
  messages do. Field names come from :func:`calais_guide.model.yaml_fields`;
- limits and names: :data:`MAX_FILE_BYTES`, :data:`MIN_DATE`,
  :data:`MAX_DATE`, :data:`RESERVED_IDS`, :data:`EDITION_FILE`.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import functools
import re
import types
import typing
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from .cli_text import tr, tr_ctx
from .errors import DataError, Problem
from .model import Database, Edition, Entry, Text, line_of, yaml_fields
from .paths import EDITION_FILE, is_entry_file

MAX_FILE_BYTES = 256 * 1024
"""Largest entry or edition file read (a long entry is about 15 KB)."""
MAX_DEPTH = 12
"""Deepest nesting of mappings and lists accepted (the schema needs 6)."""
MAX_EVENTS = 50_000
"""Most YAML nodes accepted in one file."""

MIN_DATE = dt.date(1900, 1, 1)
MAX_DATE = dt.date(2199, 12, 31)
"""Dates outside this range are refused where they are read: nothing in a
guide needs them, and date arithmetic on them overflows (``9999-12-31``)."""
MAX_NUMBER = 1_000_000
"""Largest whole number (in absolute value) a field may hold."""
CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""Characters no text field may hold: C0 controls but tab and newline, DEL,
C1 controls (NEL U+0085 among them), line and paragraph separators. They
are invisible in print and dangerous in a terminal (ESC sequences)."""


_find_control = CONTROL_CHARS.search


def control_problem(value: str) -> str | None:
    """A message naming the first control character of ``value``, or None."""
    import unicodedata

    match = CONTROL_CHARS.search(value)
    if match is None:
        return None
    char = match.group()
    name = unicodedata.name(char, "") or {
        "\x1b": "ESC",
        "\x85": "NEXT LINE",
        "\x7f": "DELETE",
        "\x00": "NUL",
        "\r": "CARRIAGE RETURN",
    }.get(char, "a control character")
    return f"U+{ord(char):04X} ({name}) at character {match.start() + 1}"


RESERVED_IDS = frozenset({"edition", "assets", "editions"})
"""Names used by the database layout, so not usable as entry ids."""

_SAFE_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
}

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Invalid:
    """Marker for a value that failed conversion (its problem is recorded)."""


INVALID = _Invalid()
"""What :class:`Converter` returns for a value it could not convert (the
problem is recorded)."""


@dataclasses.dataclass
class Document:
    """A parsed YAML file: plain Python data plus the line of every field path."""

    path: Path
    """The file (or the file whose new text was read)."""
    data: Any
    """Its content as plain data: dicts, lists, strings, numbers, dates."""
    lines: dict[str, int]
    """Line of each field path (``phones[0].number``)."""


def _join(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _line_of_offset(raw: bytes, offset: int) -> int:
    return raw.count(b"\n", 0, offset) + 1


def read_raw(path: Path, problems: list[Problem]) -> bytes | None:
    """The bytes of a database file, or None (and a problem): never blocks on a
    FIFO, never reads more than :data:`MAX_FILE_BYTES` whatever ``stat()`` says."""
    import errno
    import os
    import stat

    def fail(message: str, hint: str) -> None:
        code = "file-too-large" if "limit" in message else "unreadable-file"
        problems.append(Problem(path, None, None, message, hint, code=code))

    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.islink(path):
            fail(
                tr("a symbolic link to a file that does not exist"), tr("fix the link or remove it")
            )
        else:
            fail(
                tr("cannot read the file: {strerror}", strerror=exc.strerror),
                tr("check that it exists and is readable"),
            )
        return None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a FIFO or device)"
            fail(
                tr("'{name}' is {kind}, not an entry file", name=path.name, kind=kind),
                tr("remove it or rename it: every *.yaml in the database must be an entry file"),
            )
            return None
        chunks: list[bytes] = []
        total = 0
        while total <= MAX_FILE_BYTES:
            chunk = os.read(fd, MAX_FILE_BYTES + 1 - total)
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        fail(
            tr("cannot read the file: {strerror}", strerror=exc.strerror),
            tr("check its permissions and the disk"),
        )
        return None
    finally:
        os.close(fd)
    if total > MAX_FILE_BYTES:
        fail(
            tr("file is over the {value} KB limit", value=MAX_FILE_BYTES // 1024),
            tr("an entry file holds one association's text; check it is the right file"),
        )
        return None
    return b"".join(chunks)


def read_yaml(
    path: Path, problems: list[Problem], text: str | None = None, raw: bytes | None = None
) -> Document | None:
    """Parse one YAML file (or ``text`` as its new content, or ``raw``, its
    bytes already read); append problems; None if it cannot be read at all."""

    def fail(code: str, message: str, hint: str, line: int | None = None) -> None:
        problems.append(Problem(path, line, None, message, hint, code=code))

    if text is not None:
        encoded = text.encode("utf-8", "surrogatepass")
        raw = encoded
        if len(encoded) > MAX_FILE_BYTES:
            fail(
                "file-too-large",
                tr("file is over the {value} KB limit", value=MAX_FILE_BYTES // 1024),
                tr("an entry file holds one association's text; shorten it"),
            )
            return None
    elif raw is None:
        raw = read_raw(path, problems)
    if raw is None:
        return None
    if b"\x00" in raw:
        fail(
            "not-text",
            tr("this is a binary file, not YAML text"),
            tr("entry files are plain UTF-8 text; restore the file from git"),
            _line_of_offset(raw, raw.index(b"\x00")),
        )
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        fail(
            "not-text",
            tr(
                "not UTF-8 text (byte 0x{raw} at offset {start})",
                raw=format(raw[exc.start], "02x"),
                start=exc.start,
            ),
            tr("save the file as UTF-8 in your editor"),
            _line_of_offset(raw, exc.start),
        )
        return None
    lines: dict[str, int] = {}
    try:
        data = _build(text, path, lines, problems)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        detail = exc.problem or str(exc)
        fail(
            "yaml-syntax",
            tr("YAML syntax error: {detail}", detail=detail),
            tr(
                "check indentation and quoting around this line (text containing ': ' or "
                "starting with a quote must be quoted)"
            ),
            line,
        )
        return None
    except yaml.YAMLError as exc:
        fail("yaml-syntax", tr("YAML error: {exc}", exc=exc), tr("check the file's syntax"))
        return None
    except _Refused:
        return None
    if data is None:
        fail(
            "not-a-mapping",
            tr("the file is empty"),
            tr("write the fields of the entry, or delete the file"),
        )
        return None
    if not isinstance(data, dict):
        fail(
            "not-a-mapping",
            tr("the file holds a {kind}, not a mapping of fields", kind=_kind(data)),
            tr("start the file with 'id: ...' lines, one field per line"),
            1,
        )
        return None
    return Document(path, data, lines)


class _Refused(Exception):
    """The file was refused while parsing (its problem is already recorded)."""


@functools.cache
def _resolver() -> yaml.resolver.Resolver:
    return yaml.resolver.Resolver()


def _event_line(event: yaml.Event) -> int:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 1


_STR = "tag:yaml.org,2002:str"


@functools.cache
def _implicit_starts() -> frozenset[str]:
    """First characters of plain scalars YAML may read as something else than text."""
    return frozenset(k for k in _resolver().yaml_implicit_resolvers if k)


@functools.lru_cache(maxsize=4096)
def _plain_tag(value: str) -> str:
    """The tag YAML gives a plain scalar (keys such as ``text`` or ``from``
    repeat thousands of times: resolved once each)."""
    return _resolver().resolve(yaml.ScalarNode, value, (True, False))


@functools.cache
def _constructor() -> yaml.constructor.SafeConstructor:
    return yaml.constructor.SafeConstructor()


def _scalar(event: yaml.ScalarEvent, path: Path, problems: list[Problem]) -> Any:
    tag = event.tag
    value = event.value
    if tag is None or tag == "!":
        # Most scalars are text: quoted, or plain and starting with a letter no
        # other type starts with. Only the others go through the resolver.
        if not event.implicit[0]:
            return value
        if value and value[0] not in _implicit_starts():
            return value
        tag = _plain_tag(value)
    if tag == _STR:
        return value
    if tag not in _SAFE_TAGS:
        problems.append(
            Problem(
                path,
                _event_line(event),
                None,
                tr("YAML tag '{tag}' is not allowed", tag=event.tag),
                tr(
                    "entry files hold plain text, numbers, dates, lists and mappings only; "
                    "remove the tag"
                ),
                code="yaml-refused",
            )
        )
        raise _Refused
    # YAML 1.1 reads 14:00 as the number 840 (base 60): keep times as text.
    if tag in ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float") and ":" in value:
        return value
    node = yaml.ScalarNode(tag, value, style=event.style)
    constructor = _constructor()
    try:
        # The scalar constructor itself (construct_object would remember every node).
        data = constructor.yaml_constructors[tag](constructor, node)
    except (ValueError, yaml.constructor.ConstructorError, OverflowError):
        # An impossible date such as 2023-02-30: keep the text, the field check
        # reports it with the field's name.
        return value
    if isinstance(data, types.GeneratorType):  # a collection tag on a scalar ('!!map x')
        return next(data)
    return data


def _build(text: str, path: Path, lines: dict[str, int], problems: list[Problem]) -> Any:
    """Build Python data from the YAML event stream, iteratively.

    Working on events (not on a composed node tree) lets us refuse aliases,
    deep nesting and huge documents before anything large is built.
    """
    # Stack of [container, field path, pending mapping key or None, seen keys].
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    count = 0

    def refuse(event: yaml.Event, message: str, hint: str) -> None:
        problems.append(Problem(path, _event_line(event), None, message, hint, code="yaml-refused"))
        raise _Refused

    def place(value: Any, event: yaml.Event) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        container, cpath = top[0], top[1]
        if isinstance(container, list):
            item_path = _join(cpath, len(container))
            lines.setdefault(item_path, _event_line(event))
            container.append(value)
            return
        if top[2] is None:
            # This value is a key.
            key = value if isinstance(value, str) else str(value)
            if key in container:
                first = lines.get(_join(cpath, key))
                problems.append(
                    Problem(
                        path,
                        _event_line(event),
                        _join(cpath, key),
                        tr(
                            "duplicate key '{key}' (first written on line {first}); YAML would "
                            "silently keep only the last one",
                            key=key,
                            first=first,
                        ),
                        tr("merge the two into one key"),
                        code="duplicate-key",
                    )
                )
            top[2] = key
            lines.setdefault(_join(cpath, key), _event_line(event))
            return
        container[top[2]] = value
        top[2] = None

    # Dispatch on the exact event class, most frequent first: this loop runs
    # for every value of every file (a guide of 2,000 entries: 440,000 events).
    scalar_event = yaml.ScalarEvent
    events: Iterator[Any] = yaml.parse(text, Loader=_Loader)  # narrowed by class below
    for event in events:
        count += 1
        if count > MAX_EVENTS:
            refuse(event, "the file has too many values", "split or shorten it")
        kind = event.__class__
        if kind is scalar_event:
            if event.anchor is not None:
                refuse(
                    event,
                    "YAML anchors and aliases (& and *) are not allowed",
                    "write each value out in full",
                )
            value = _scalar(event, path, problems)
            top = stack[-1] if stack else None
            if top is None or top[2] is not None or top[0].__class__ is list:
                place(value, event)
                continue
            # A mapping key (inlined: half the events of an entry file).
            key = value if value.__class__ is str else str(value)
            key_path = f"{top[1]}.{key}" if top[1] else key
            if key in top[0]:
                problems.append(
                    Problem(
                        path,
                        _event_line(event),
                        key_path,
                        tr(
                            "duplicate key '{key}' (first written on line {get}); YAML would "
                            "silently keep only the last one",
                            key=key,
                            get=lines.get(key_path),
                        ),
                        tr("merge the two into one key"),
                        code="duplicate-key",
                    )
                )
            top[2] = key
            lines.setdefault(key_path, _event_line(event))
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor is not None:
                refuse(
                    event,
                    "YAML anchors and aliases (& and *) are not allowed",
                    "write each value out in full",
                )
            if event.tag not in (None, "!") and event.tag not in _SAFE_TAGS:
                refuse(
                    event,
                    f"YAML tag '{event.tag}' is not allowed",
                    "entry files hold plain text, numbers, dates, lists and mappings only",
                )
            if len(stack) >= MAX_DEPTH:
                refuse(event, "values are nested too deeply", "check the indentation")
            container: Any = {} if kind is yaml.MappingStartEvent else []
            if stack and isinstance(stack[-1][0], dict) and stack[-1][2] is None:
                refuse(event, "a mapping key must be plain text", "write the field name as text")
            if not stack:
                cpath = ""
            elif isinstance(stack[-1][0], list):
                cpath = _join(stack[-1][1], len(stack[-1][0]))
            else:
                cpath = _join(stack[-1][1], stack[-1][2])
            if cpath:
                lines.setdefault(cpath, _event_line(event))
            stack.append([container, cpath, None])
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            container = stack.pop()[0]
            place(container, event)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                refuse(
                    event,
                    "the file holds more than one YAML document ('---')",
                    "keep one entry per file",
                )
        elif kind is yaml.AliasEvent or getattr(event, "anchor", None):
            refuse(
                event,
                "YAML anchors and aliases (& and *) are not allowed",
                "write each value out in full",
            )
    return root


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return tr_ctx("kind of value", "yes/no value")
    if isinstance(value, int | float):
        return tr_ctx("kind of value", "number")
    if isinstance(value, dt.datetime):
        return tr_ctx("kind of value", "date and time")
    if isinstance(value, dt.date):
        return tr_ctx("kind of value", "date")
    if isinstance(value, str):
        return tr_ctx("kind of value", "text")
    if isinstance(value, list):
        return tr_ctx("kind of value", "list")
    if isinstance(value, dict):
        return tr_ctx("kind of value", "mapping")
    if value is None:
        return tr_ctx("kind of value", "empty value")
    return type(value).__name__


@functools.cache
def _shape(tp: Any) -> tuple[Any, tuple[Any, ...]]:
    """``typing.get_origin`` and ``get_args`` of a model type, worked out once."""
    return typing.get_origin(tp), typing.get_args(tp)


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def type_name(tp: Any) -> str:
    """A model type as the messages and the schema reference name it
    ("date (YYYY-MM-DD)", "one of voice, cell...")."""
    origin = typing.get_origin(tp)
    if tp is str:
        return tr_ctx("kind of value", "text")
    if tp is int:
        return tr_ctx("kind of value", "whole number")
    if tp is float:
        return tr_ctx("kind of value", "number")
    if tp is bool:
        return tr_ctx("kind of value", "true or false")
    if tp is dt.date:
        return tr_ctx("kind of value", "date (YYYY-MM-DD)")
    if tp is dt.time:
        return tr_ctx("kind of value", "time (HH:MM)")
    if origin is typing.Literal:
        return tr("one of {values}", values=", ".join(str(a) for a in typing.get_args(tp)))
    if origin is list:
        return tr_ctx("kind of value", "list")
    if origin is dict:
        return tr_ctx("kind of value", "mapping")
    if dataclasses.is_dataclass(tp):
        return tr_ctx("kind of value", "mapping of fields")
    return str(tp)


class Converter:
    """Turns parsed YAML data into model objects, recording every problem."""

    def __init__(self, doc: Document, problems: list[Problem]):
        self.doc = doc
        self.problems = problems

    def problem(self, code: str, field: str, message: str, hint: str | None = None) -> _Invalid:
        """Record problem ``code`` (see :data:`~calais_guide.errors.PROBLEM_CODES`) at ``field``."""
        self.problems.append(
            Problem(self.doc.path, self._line(field), field or None, message, hint, code=code)
        )
        return INVALID

    def _line(self, field: str) -> int | None:
        return line_of(self.doc.lines, field) or 1

    def convert(self, value: Any, tp: Any, field: str) -> Any:
        """Convert ``value`` to type ``tp``; INVALID (and a problem) if impossible."""
        if tp is str and value.__class__ is str and value and not value.isspace():
            # the most frequent case, first (a control character: the slow path says so)
            if _find_control(value) is None:
                return value
        origin, args = _shape(tp)
        if origin in (typing.Union, types.UnionType):
            if value is None and type(None) in args:
                return None
            (inner,) = [a for a in args if a is not type(None)]
            return self.convert(value, inner, field)
        if value is None:
            return self.problem(
                "empty-value",
                field,
                tr("'{field}' is empty", field=field),
                tr("write a {type_name} or remove the line", type_name=type_name(tp)),
            )
        if tp is Text:
            return self._text(value, field)
        if dataclasses.is_dataclass(tp):
            return self.dataclass(value, typing.cast(type, tp), field)
        if origin is list:
            if not isinstance(value, list):
                return self._wrong(value, tp, field)
            items = [self.convert(v, args[0], _join(field, i)) for i, v in enumerate(value)]
            return [v for v in items if v is not INVALID]
        if origin is dict:
            if not isinstance(value, dict):
                return self._wrong(value, tp, field)
            out = {}
            for key, v in value.items():
                converted = self.convert(v, args[1], _join(field, key))
                if converted is not INVALID:
                    out[key] = converted
            return out
        if origin is typing.Literal:
            if isinstance(value, str) and value in args:
                return value
            choices = ", ".join(str(a) for a in args)
            suggestion = difflib.get_close_matches(str(value), [str(a) for a in args], 1)
            extra = tr(" (did you mean '{close}'?)", close=suggestion[0]) if suggestion else ""
            return self.problem(
                "invalid-choice",
                field,
                tr("'{value}' is not allowed here{extra}", value=value, extra=extra),
                tr("use one of: {choices}", choices=choices),
            )
        if tp is dt.date:
            return self._date(value, field)
        if tp is dt.time:
            return self._time(value, field)
        if tp is bool:
            return value if isinstance(value, bool) else self._wrong(value, tp, field)
        if tp is int:
            if isinstance(value, int) and not isinstance(value, bool):
                if abs(value) > MAX_NUMBER:
                    return self._too_large(value, field)
                return value
            return self._wrong(value, tp, field)
        if tp is float:
            if isinstance(value, int | float) and not isinstance(value, bool):
                if not abs(value) <= MAX_NUMBER:  # also NaN and infinity
                    return self._too_large(value, field)
                return float(value)
            return self._wrong(value, tp, field)
        if tp is str:
            if isinstance(value, str):
                if not value.strip():
                    return self.problem(
                        "empty-value",
                        field,
                        tr("'{field}' is blank", field=field),
                        tr("write a value or remove it"),
                    )
                return self._controls(value, field)
            return self._wrong(value, tp, field)
        raise TypeError(f"no converter for {tp!r}")  # a bug in the model, not in the data

    def _too_large(self, value: Any, field: str) -> _Invalid:
        shown = (
            str(value)
            if len(str(value)) <= 20
            else f"{str(value)[:12]}... ({len(str(value))} digits)"
        )
        return self.problem(
            "out-of-range",
            field,
            tr("{shown} is out of range", shown=shown),
            f"write a number between -{MAX_NUMBER:,} and {MAX_NUMBER:,}".replace(",", " "),
        )

    def _controls(self, value: str, field: str) -> Any:
        found = control_problem(value)
        if found is None:
            return value
        return self.problem(
            "control-character",
            field,
            tr("'{field}' holds the control character {found}", field=field, found=found),
            tr("remove it (retype the text; copying from some programs adds invisible characters)"),
        )

    def _wrong(self, value: Any, tp: Any, field: str) -> _Invalid:
        hint = tr("write a {type_name}", type_name=type_name(tp))
        if tp is str and isinstance(value, int | float | bool | dt.date):
            hint += " (put it in quotes: YAML reads unquoted numbers, dates and yes/no as such)"
        return self.problem(
            "wrong-type",
            field,
            tr(
                "expected a {type_name}, found a {kind}",
                type_name=type_name(tp),
                kind=_kind(value),
            ),
            hint,
        )

    def _date(self, value: Any, field: str) -> Any:
        day: dt.date | None = None
        if isinstance(value, dt.datetime):
            day = value.date()
        elif isinstance(value, dt.date):
            day = value
        elif isinstance(value, str):
            try:
                day = dt.date.fromisoformat(value.strip())
            except ValueError:
                pass
        if day is not None:
            if not MIN_DATE <= day <= MAX_DATE:
                return self.problem(
                    "out-of-range",
                    field,
                    tr("{day} is out of range", day=day.isoformat()),
                    tr(
                        "write a date between {min_date} and {max_date} (a closure with no end: "
                        "leave valid_to out)",
                        min_date=MIN_DATE.isoformat(),
                        max_date=MAX_DATE.isoformat(),
                    ),
                )
            return day
        return self.problem(
            "invalid-date",
            field,
            tr("'{value}' is not a valid date", value=value),
            tr("write it as YYYY-MM-DD, e.g. 2023-03-15"),
        )

    _TIME = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")

    def _time(self, value: Any, field: str) -> Any:
        if isinstance(value, str):
            match = self._TIME.match(value.strip())
            if match:
                hours, minutes = int(match[1]), int(match[2])
                if hours == 24 and minutes == 0:
                    return dt.time(23, 59)
                if hours < 24:
                    return dt.time(hours, minutes)
        return self.problem(
            "invalid-time",
            field,
            tr("'{value}' is not a valid time", value=value),
            tr('write it as HH:MM (24 h), e.g. "14:30"'),
        )

    def _text(self, value: Any, field: str) -> Any:
        if isinstance(value, str):
            if not value.strip():
                return self.problem(
                    "empty-value",
                    field,
                    tr("'{field}' is blank", field=field),
                    tr("write the text or remove it"),
                )
            if self._controls(value, field) is INVALID:
                return INVALID
            return Text(text=value.strip())
        if isinstance(value, dict):
            text = self.dataclass(value, Text, field)
            if text is not INVALID and not text.text.strip():
                return self.problem(
                    "empty-value",
                    field,
                    tr("'{field}.text' is blank", field=field),
                    tr("write the text"),
                )
            if text is not INVALID and text.text != text.text.strip():
                text = dataclasses.replace(text, text=text.text.strip())
            return text
        return self._wrong(value, str, field)

    def dataclass(self, value: Any, cls: type, field: str) -> Any:
        """Build dataclass ``cls`` from a mapping, reporting unknown and missing fields."""
        if not isinstance(value, dict):
            return self._wrong(value, cls, field)
        fields = yaml_fields(cls)
        hints = _hints(cls)
        kwargs: dict[str, Any] = {}
        failed = False
        for key, raw in value.items():
            sub = _join(field, key)
            spec = fields.get(key)
            if spec is None:
                close = difflib.get_close_matches(str(key), list(fields), 1, 0.6)
                if close:
                    hint = tr("did you mean '{close}'?", close=close[0])
                else:
                    hint = tr("known fields: {values}", values=", ".join(fields))
                self.problem("unknown-field", sub, tr("unknown field '{key}'", key=key), hint)
                continue
            converted = self.convert(raw, hints[spec.name], sub)
            bounds = spec.metadata.get("range")
            if bounds and isinstance(converted, int | float) and converted is not INVALID:
                low, high = bounds
                if not low <= converted <= high:
                    converted = self.problem(
                        spec.metadata.get("code", "out-of-range"),
                        sub,
                        tr("{converted} is out of range", converted=format(converted, "g")),
                        tr("write a number from {low} to {high}", low=low, high=high),
                    )
            if converted is INVALID:
                failed = True
            else:
                kwargs[spec.name] = converted
        for key, spec in fields.items():
            required = (
                spec.default is dataclasses.MISSING and spec.default_factory is dataclasses.MISSING
            )
            if required and spec.name not in kwargs and key not in value:
                self.problem(
                    "missing-field",
                    _join(field, key) if field else key,
                    tr("required field '{key}' is missing", key=key),
                    tr("add '{key}: ...'", key=key),
                )
                failed = True
        if failed:
            return INVALID
        return cls(**kwargs)


def load_entry(
    path: Path,
    problems: list[Problem],
    text: str | None = None,
    cache: EntryCache | None = None,
) -> Entry | None:
    """Read one entry file (``text``: its new content); None (with problems) if
    it cannot be built. With ``cache``, a file whose bytes were read before
    is not parsed again."""
    if cache is not None and text is None:
        raw = read_raw(path, problems)
        if raw is None:
            return None
        return cache.entry(path, raw, problems)
    return _build_entry(path, problems, text)


def _build_entry(
    path: Path, problems: list[Problem], text: str | None, raw: bytes | None = None
) -> Entry | None:
    doc = read_yaml(path, problems, text, raw)
    if doc is None:
        return None
    entry = Converter(doc, problems).dataclass(doc.data, Entry, "")
    if entry is INVALID:
        return None
    return dataclasses.replace(entry, path=path, lines=doc.lines)


def load_edition(path: Path, problems: list[Problem], text: str | None = None) -> Edition | None:
    """Read the edition file (``text``: its new content); None (with problems)
    if it cannot be built."""
    doc = read_yaml(path, problems, text)
    if doc is None:
        return None
    edition = Converter(doc, problems).dataclass(doc.data, Edition, "")
    if edition is INVALID:
        return None
    if not edition.valid_month:
        # Reported here, not in validate: every printed date derives from it.
        problems.append(
            Problem(
                path,
                doc.lines.get("edition"),
                "edition",
                tr("edition '{edition}' is not a month", edition=edition.edition),
                tr('write it as "YYYY-MM", e.g. "2023-06"'),
                code="invalid-edition-month",
            )
        )
    return dataclasses.replace(edition, path=path, lines=doc.lines)


class EntryCache:
    """Entry files already read, by their bytes: a guide of thousands of
    entries is parsed once, then only the files that changed are read again
    (``validate``, ``build`` and every command that loads the whole guide).

    One file per database folder in :func:`~calais_guide.paths.cache_dir`
    (a pickle of name -> (SHA-256 of the bytes, entry, problems)), valid for
    one version of the program (:func:`~calais_guide.paths.program_key`).
    A cache that cannot be read or written is ignored: it only saves time.
    ``CALAIS_GUIDE_NO_CACHE=1`` turns it off.
    """

    FORMAT = 1

    def __init__(self, path: Path | None, key: tuple[Any, ...], old: dict[str, Any]) -> None:
        self.path = path
        self.key = key
        self.old = old
        self.new: dict[str, Any] = {}

    @classmethod
    def open(cls, root: Path) -> EntryCache:
        """The cache of the database folder ``root`` (empty if there is none)."""
        import pickle
        import zlib

        from .paths import cache_dir, program_key, use_cache

        if not use_cache():
            return cls(None, (), {})
        try:
            folder = str(root.resolve())
        except (OSError, RuntimeError):
            return cls(None, (), {})
        key = (cls.FORMAT, program_key(), folder, str(root))  # root: the paths printed
        crc = zlib.crc32(folder.encode("utf-8", "surrogateescape"))
        path = cache_dir() / f"entries-{crc:08x}.pickle"
        try:
            with open(path, "rb") as file:
                stored = pickle.load(file)
            if stored["key"] == key:
                return cls(path, key, stored["files"])
        except Exception:  # noqa: BLE001 - missing or broken: rebuilt, never an error
            pass
        return cls(path, key, {})

    def entry(self, path: Path, raw: bytes, problems: list[Problem]) -> Entry | None:
        """The entry whose file ``path`` holds ``raw``, built only when the
        bytes changed; its problems are appended to ``problems``."""
        import hashlib

        digest = hashlib.sha256(raw).digest()
        found = self.old.get(path.name)
        if found is None or found[0] != digest:
            built: list[Problem] = []
            found = (digest, _build_entry(path, built, None, raw), built)
        self.new[path.name] = found
        problems.extend(found[2])
        return typing.cast("Entry | None", found[1])

    def save(self) -> None:
        """Write what was read (atomically; not when nothing changed)."""
        if (
            self.path is None
            or self.new.keys() == self.old.keys()
            and all(self.new[name][0] == self.old[name][0] for name in self.new)
        ):
            return
        import pickle

        from .fileio import write_bytes

        data = {"key": self.key, "files": self.new}
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_bytes(self.path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
        except Exception:  # noqa: BLE001 - a cache that cannot be written only costs time
            pass


def entry_files(root: Path) -> Iterator[Path]:
    """Entry files of a database directory, sorted by name (regular files only;
    :func:`odd_files` names the others)."""
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix == ".yaml" and is_entry_file(path.name):
            yield path


def edition_rank(edition: Edition) -> Callable[[str], int]:
    """Where an entry id goes in the edition's order (ids it does not list go
    after the others; entries are then sorted by id)."""
    rank = {entry_id: i for i, entry_id in enumerate(edition.order)}
    return lambda entry_id: rank.get(entry_id, len(rank))


def odd_files(root: Path) -> list[Problem]:
    """Problems for what looks like an entry file but is not one (a folder, FIFO,
    device or dangling symbolic link named ``*.yaml``), and for an ``assets`` or
    ``editions`` that is not a folder: reported, never silently ignored."""
    from .fileio import file_kind

    problems: list[Problem] = []
    try:
        names = sorted(root.iterdir())
    except OSError:
        return problems
    for path in names:
        if path.name.startswith("."):
            continue
        if path.suffix == ".yaml" and not path.is_file():
            kind = file_kind(path) or "not a regular file"
            problems.append(
                Problem(
                    path,
                    None,
                    None,
                    tr("'{name}' is {kind}, not an entry file", name=path.name, kind=kind),
                    tr(
                        "remove it or rename it: every *.yaml in the database must be an entry file"
                    ),
                    code="unreadable-file",
                )
            )
        elif path.name in ("assets", "editions") and not path.is_dir():
            kind = file_kind(path) or "a file"
            problems.append(
                Problem(
                    path,
                    None,
                    None,
                    tr(
                        "'{name}' is {kind}, but the database keeps a folder of that name",
                        name=path.name,
                        kind=kind,
                    ),
                    tr("move it away; '{name}' must be a folder (or not exist)", name=path.name),
                    code="unreadable-file",
                )
            )
    return problems


def read_database(
    root: Path, overrides: dict[str, str] | None = None
) -> tuple[Database | None, list[Problem]]:
    """Load a database, collecting every loading problem.

    Returns the database built from every file that could be read (None if
    there is no usable edition file) and the problems found on the way.
    ``overrides`` maps file names (``salam.yaml``, ``edition.yaml``) to new
    contents read instead of the files (or as new files): how a change is
    checked against the real database before it is written.
    """
    overrides = overrides or {}
    problems: list[Problem] = []
    if not root.is_dir():
        problems.append(
            Problem(
                root,
                None,
                None,
                tr("no such directory"),
                tr(
                    "give --entries the folder holding edition.yaml and the entry files, or "
                    "start one with 'calais-guide init DIR'"
                ),
                code="no-database",
            )
        )
        return None, problems
    edition_path = root / EDITION_FILE
    if not edition_path.is_file() and EDITION_FILE not in overrides:
        problems.append(
            Problem(
                edition_path,
                None,
                None,
                tr("missing edition file: this folder is not a calais-guide database"),
                tr("start one with 'calais-guide init DIR', which copies the built-in edition"),
                code="no-edition-file",
            )
        )
        return None, problems
    edition = load_edition(edition_path, problems, overrides.get(EDITION_FILE))
    problems.extend(odd_files(root))
    for path in sorted(root.iterdir()):
        if path.is_file() and path.suffix.lower() in (".yml", ".json"):
            problems.append(
                Problem(
                    path,
                    None,
                    None,
                    tr("'{name}' is ignored: entry files end in .yaml", name=path.name),
                    tr("rename it to {stem}.yaml", stem=path.stem),
                    "warning",
                    code="ignored-file",
                )
            )
    files = {p.name: p for p in entry_files(root)}
    for name in overrides:
        if name != EDITION_FILE:
            files.setdefault(name, root / name)
    cache = EntryCache.open(root)
    entries = [
        e
        for name in sorted(files)
        if (e := load_entry(files[name], problems, overrides.get(name), cache)) is not None
    ]
    cache.save()
    if edition is None:
        return None, problems
    rank = edition_rank(edition)
    entries.sort(key=lambda e: (rank(e.id), e.id))
    return Database(root=root, edition=edition, entries=entries), problems


def lookup_database(root: Path) -> tuple[Database, list[Problem]]:
    """The database for lookups (find, show, list): every entry file that
    loads; the entry files with loading errors are left out, and their
    problems returned so that the lookup can say which file was skipped and
    why. :class:`DataError` when the edition file itself (or the folder)
    cannot be read. Printing never uses this: it refuses invalid data."""
    database, problems = read_database(root)
    errors = [p for p in problems if p.severity == "error"]
    files = set(entry_files(root)) if database is not None else set()
    if database is None or any(p.file not in files for p in errors):
        raise DataError(errors or problems, root)
    broken = {p.file for p in errors}
    entries = [e for e in database.entries if e.path not in broken]
    return dataclasses.replace(database, entries=entries), errors


def load_database(root: Path) -> Database:
    """Load a database for use (lookups, print): DataError if it has loading errors."""
    database, problems = read_database(root)
    errors = [p for p in problems if p.severity == "error"]
    if database is None or errors:
        raise DataError(errors or problems, root)
    return database
