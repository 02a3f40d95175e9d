"""Fixtures for tests of several workers behind nginx: one ``Cluster`` per test module, on
a PostgreSQL schema and a Redis channel of its own. Outside CI a missing nginx, PostgreSQL
or Redis skips with one line; in CI it fails (tests/services.py)."""

from __future__ import annotations

import re
import secrets

import pytest

from tests import services
from tests.support.cluster import Cluster, ClusterError, nginx_binary, postgres_schema


@pytest.fixture(scope="module")
def cluster(request, tmp_path_factory):
    """Two workers on PostgreSQL and Redis behind nginx, shared by the module's tests
    (starting one costs seconds); each test opens its own session."""
    try:
        nginx_binary()
    except ClusterError as error:
        services.unavailable(str(error))
    postgres_url, redis_url = services.postgres_url(), services.redis_url()
    # Random at the end: two runs of the suite at once (a developer's and CI's) must not
    # drop each other's schema.
    module = re.sub(r"[^a-z0-9_]", "_", request.module.__name__.lower())[-24:]
    schema = f"cluster_{module}_{secrets.token_hex(3)}"
    with postgres_schema(postgres_url, schema) as database_url:
        folder = tmp_path_factory.mktemp("cluster")
        with Cluster(folder, database_url, redis_url, workers=2) as running:
            yield running


@pytest.fixture
def workers_up(cluster):
    """The cluster with every worker running (a test before may have killed one)."""
    for number, worker in enumerate(cluster.workers):
        if worker.process is None or worker.process.poll() is not None:
            cluster.start_worker(number)
    return cluster


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test's report ends with what the workers and nginx said."""
    outcome = yield
    report = outcome.get_result()
    running = getattr(item, "funcargs", {}).get("cluster")
    if report.failed and isinstance(running, Cluster):
        report.sections.append(("cluster output", running.output()))
