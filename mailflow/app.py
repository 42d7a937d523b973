"""Wiring: build the store, templates and desk from settings once, for the CLI, worker and demo."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from mailflow.config import Settings
from mailflow.handle import Desk
from mailflow.invites import make_invites
from mailflow.reply import Composer, Letterhead, Templates, default_templates_dir
from mailflow.store import create_schema, make_engine, sync_config


def system_clock() -> datetime:
    return datetime.now(UTC)


def new_token() -> str:
    return uuid.uuid4().hex


def open_store(settings: Settings) -> Engine:
    engine = make_engine(settings.database_url)
    create_schema(engine)
    sync_config(engine, settings.events, settings.members)
    return engine


def build_composer(settings: Settings, templates_dir: Path | None = None) -> Composer:
    head = Letterhead(
        from_address=settings.smtp.from_address,
        coordinator_name=settings.coordinator.name,
        coordinator_email=settings.coordinator.email,
        timezone=settings.coordinator.timezone,
        hold_hours=settings.policy.offer_hold_hours,
        events={e.id: e for e in settings.events},
        series_name=settings.series.name,
        signature=settings.series.signature,
        reply_to=settings.series.reply_to,
        website=settings.series.website,
    )
    templates = Templates(templates_dir or default_templates_dir(), settings.coordinator.timezone)
    # Confirmations carry a calendar entry; cancellations withdraw it (same UID, CANCEL).
    ics = make_invites(head.events, settings.smtp.from_address, settings.coordinator.name,
                       settings.coordinator.timezone, settings.series.name)
    return Composer(templates=templates, head=head, new_token=new_token, ics=ics)


def build_desk(settings: Settings, engine: Engine | None = None,
               clock: Callable[[], datetime] = system_clock,
               templates_dir: Path | None = None) -> Desk:
    return Desk(settings=settings, engine=engine or open_store(settings),
                composer=build_composer(settings, templates_dir), clock=clock)
