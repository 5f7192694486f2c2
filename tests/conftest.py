"""Fixtures shared by the test modules: the two databases a ledger can live in.

``ledger_target`` is a fresh, empty ledger target for each test, once per store: a SQLite file, and a
database on a private PostgreSQL server that this session starts (``initdb`` and ``pg_ctl`` from
Debian's ``postgresql``, in a temporary folder, on a free loopback port) and stops at the end. Where
the server cannot start (no PostgreSQL installed, no user to run it as), the PostgreSQL cases are
skipped with the reason; the SQLite cases run anyway.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path

import pytest
from pg_cluster import Cluster, ClusterUnavailable

STORES = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A private PostgreSQL server for the session, with a migrated ledger to copy databases from."""
    try:
        cluster = Cluster.start()
    except ClusterUnavailable as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    try:
        yield cluster
    finally:
        cluster.stop()


_numbers = itertools.count()


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """The URL of a new, empty database (no ledger in it yet) on the session's server."""
    return pg_cluster.create_database(f"empty_{next(_numbers)}")


@pytest.fixture(params=STORES)
def ledger_target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a test's ledger lives: a SQLite file, or a fresh migrated ledger on PostgreSQL."""
    if request.param == "sqlite":
        return str(tmp_path / "ledger.db")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database(f"ledger_{next(_numbers)}", ledger=True)
