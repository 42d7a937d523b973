"""A clear booking that also asks a side question is booked, and the question reaches the desk."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import select

from mailflow.app import build_desk
from mailflow.config import load_settings
from mailflow.store import OutboxRow, unit_of_work

import support


def test_a_booking_with_a_side_question_is_booked_and_flagged_for_the_coordinator(
    tmp_path: Path,
) -> None:
    rig = support.write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                               password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db")
    desk = build_desk(load_settings(rig.path, {support.PASSWORD_ENV: "imap-secret"}))
    result = desk.handle(support.mail(
        "Ngozi Okafor <ngozi@camden-council.example>", "Construction",
        "Please book me onto the construction webinar. Will it be recorded?"))
    assert result.disposition == "attention"
    assert 'also asks: "will it be recorded?"' in result.reason
    with unit_of_work(desk.engine) as uow:
        assert len(uow.session.exec(select(OutboxRow)).all()) == 1  # the confirmation


def test_a_booking_with_no_question_is_handled_without_the_coordinator(tmp_path: Path) -> None:
    rig = support.write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                               password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db")
    desk = build_desk(load_settings(rig.path, {support.PASSWORD_ENV: "imap-secret"}))
    result = desk.handle(support.mail(
        "Ngozi Okafor <ngozi@camden-council.example>", "Construction",
        "Please book me onto the construction webinar."))
    assert result.disposition == "handled" and "also asks" not in result.reason
