"""The parsed plan of a session, parsed once per process rather than on every vote."""

from __future__ import annotations

from functools import lru_cache

from ..models import WorkshopSession
from ..plans import Plan, parse_plan


@lru_cache(maxsize=256)
def _parse(slug: str, source: str) -> Plan:
    return parse_plan(source, slug)


def plan_of(session: WorkshopSession) -> Plan:
    return _parse(session.plan_slug, session.plan_source)
