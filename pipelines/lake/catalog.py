"""Open the lake's Iceberg catalog, and retry a commit that lost a race, bounded.

A lake is either a local folder (pyiceberg's SQL catalog in `LAKE/catalog.db`, data under
`file://LAKE/`) or a SQLAlchemy catalog URI (`postgresql+psycopg2://...`) with a separate data
location, for plants publishing from many machines. Every table lives in one namespace so
Spark or Trino see `<catalog>.aftersales.<table>`.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pyiceberg.catalog.sql import SqlCatalog
from pyiceberg.exceptions import CommitFailedException
from sqlalchemy.exc import DBAPIError

from pipelines.errors import AftersalesError

NAMESPACE = "aftersales"
CATALOG_NAME = "lake"
CATALOG_FILE = "catalog.db"
PLANT_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$")

# A commit that loses a race is retried this many times in all, waiting twice as long each
# time (with jitter, so two plants that collided do not collide again in step).
COMMIT_ATTEMPTS = 8
FIRST_WAIT_SECONDS = 0.1
LONGEST_WAIT_SECONDS = 5.0

# What the catalog's database says when another writer got there first.
RACE_WORDS = ("locked", "busy", "already exists", "unique", "duplicate key", "serializ",
              "deadlock")

T = TypeVar("T")


class LakeError(AftersalesError):
    """The lake cannot be opened, read or written; the message says which and what to do."""


class LakeBusy(LakeError):
    """A commit kept losing races with other publishes for every attempt."""


@dataclass(frozen=True)
class LakeLocation:
    """Where the catalog is (`uri`) and where new tables' files go (`warehouse`)."""

    uri: str
    warehouse: str | None
    shown: str  # the lake as the user named it, for messages

    @property
    def is_folder(self) -> bool:
        return self.uri.startswith("sqlite:")


def check_plant(code: str) -> str:
    """A plant code: letters, digits, `_` or `-`, at most 32, a letter or digit first."""
    if not PLANT_PATTERN.match(code):
        raise LakeError(
            f"The plant code {code!r} is not accepted: use 1 to 32 letters, digits, '_' or "
            "'-', starting with a letter or digit (e.g. SH01)."
        )
    return code


def locate(lake: str, data_location: str | None = None) -> LakeLocation:
    """The lake named on the command line: a catalog URI (`scheme://...`), else a folder."""
    if "://" in lake:
        if data_location is None:
            raise LakeError(
                f"The lake {_hide_password(lake)} is a catalog URI: name where its data files "
                "go with --lake-warehouse (a shared folder or an object store URI, e.g. "
                "file:///mnt/lake)."
            )
        return LakeLocation(uri=lake, warehouse=_as_uri(data_location), shown=_hide_password(lake))
    folder = Path(lake).expanduser().resolve()
    return LakeLocation(
        uri=f"sqlite:///{folder / CATALOG_FILE}",
        warehouse=_as_uri(data_location) if data_location else folder.as_uri(),
        shown=str(folder),
    )


def _as_uri(location: str) -> str:
    return location if "://" in location else Path(location).expanduser().resolve().as_uri()


def _hide_password(uri: str) -> str:
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", uri)


def open_catalog(location: LakeLocation, *, create: bool) -> SqlCatalog:
    """The lake's catalog; `create` makes the folder, the catalog tables and the namespace.

    Two plants opening a new lake at the same moment both try to create the catalog's tables;
    the one that loses is retried like a commit.
    """
    if location.is_folder:
        folder = Path(location.uri.removeprefix("sqlite:///")).parent
        if not create and not (folder / CATALOG_FILE).is_file():
            raise LakeError(
                f"No lake at {location.shown} (no {CATALOG_FILE} in it); publish a plant "
                "first with `aftersales publish --lake LAKE --plant CODE`."
            )
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LakeError(
                f"The lake folder {folder} cannot be created ({exc.strerror}); choose a folder "
                "you can write to."
            ) from None
    properties = {"uri": location.uri, "init_catalog_tables": "true" if create else "false"}
    if location.warehouse:
        properties["warehouse"] = location.warehouse

    def attempt() -> SqlCatalog:
        catalog = SqlCatalog(CATALOG_NAME, **properties)
        if create:
            catalog.create_namespace_if_not_exists(NAMESPACE)
        return catalog

    try:
        return with_retries(attempt, f"opening the lake {location.shown}")
    except DBAPIError as exc:
        raise LakeError(
            f"The lake catalog {location.shown} cannot be opened ({exc.orig}); check the "
            "address, the user and that the database server is running."
        ) from None


def identifier(table: str) -> str:
    return f"{NAMESPACE}.{table}"


def _lost_race(exc: Exception) -> bool:
    """A commit another writer beat (Iceberg's optimistic check), a catalog database busy with
    another writer's transaction (SQLite's lock, PostgreSQL's serialisation), or a row another
    process inserted first (two plants creating the same namespace or table)."""
    if isinstance(exc, CommitFailedException):
        return True
    if isinstance(exc, DBAPIError):
        text = str(exc.orig).lower()
        return any(word in text for word in RACE_WORDS)
    return False


def with_retries(
    attempt: Callable[[], T],
    what: str,
    *,
    attempts: int = COMMIT_ATTEMPTS,
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    """Run `attempt` until it does not lose a race, at most `attempts` times, backing off.

    `attempt` must start from a fresh read of the catalog each time (reload the table), so a
    retry rebuilds its commit on what the winner wrote. After the last loss: one sentence.
    """
    wait = FIRST_WAIT_SECONDS
    for number in range(1, attempts + 1):
        try:
            return attempt()
        except Exception as exc:
            if not _lost_race(exc):
                raise
            if number == attempts:
                raise LakeBusy(
                    f"{what[0].upper()}{what[1:]} lost {attempts} commits in a row to other "
                    "publishes writing the same tables; run the command again when they are done."
                ) from exc
            sleep(wait * random.uniform(0.5, 1.5))
            wait = min(wait * 2, LONGEST_WAIT_SECONDS)
    raise AssertionError("unreachable")
