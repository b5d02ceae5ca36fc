"""Fixtures of the receipts tests: a copy of the example project and a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import copy_project
from tests.pgcluster import ThrowawayCluster


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the example project (three releases); returns its mkdocs.yml."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[ThrowawayCluster]:
    """A real PostgreSQL server in a temporary folder (installed with apt-get when missing)."""
    with ThrowawayCluster() as cluster:
        yield cluster


@pytest.fixture
def pg_url(pg_cluster: ThrowawayCluster) -> Iterator[str]:
    """An empty database on the throwaway server, dropped after the test."""
    import uuid

    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    admin = pg_cluster.url
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
