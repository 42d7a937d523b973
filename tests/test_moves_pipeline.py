"""A move through the whole desk (store, decision, outbox in one unit of work): waiting for
construction, "take me off the construction list and book me on the food one instead" under
our waiting-list message books food and gives the turn up, or, with food full too, waitlists
food and keeps the construction turn."""

from __future__ import annotations

import email
import email.policy
from pathlib import Path

from test_hostile_pipeline import outbox

from mailflow.app import build_desk
from mailflow.handle import Desk

from support import mail, write_config

MEMBER = "Jo Bloggs <jo.bloggs@camden-council.example>"
SAM = "Sam Reid <sam.reid@camden-council.example>"
MOVE = ("Ah, shame. In that case please take me off the construction list and book me on the "
        "food one instead.\n\nJo")


def desk_with(tmp_path: Path) -> Desk:
    rig = write_config(tmp_path, imap_host="127.0.0.1", imap_port=1, username="u",
                       password="p", smtp_port=1, db_url=f"sqlite:///{tmp_path}/m.db",
                       capacity=1)
    return build_desk(rig.settings())


def book(desk: Desk, who: str, session: str) -> str:
    """The outcome of asking for a place, and the Message-ID of our answer."""
    result = desk.handle(mail(who, f"{session.title()} webinar",
                              f"Please book me on the {session} webinar.\n\nThanks"))
    return result.outcome + " " + outbox(desk)[-1].message_id


def text_of(raw: bytes) -> str:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return msg.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]


def test_a_move_off_the_list_to_a_session_with_room_books_it_and_gives_the_turn_up(
        tmp_path: Path) -> None:
    desk = desk_with(tmp_path)
    assert book(desk, SAM, "construction").startswith("construction=confirmed")
    outcome, waiting = book(desk, MEMBER, "construction").split()
    assert outcome == "construction=waitlisted"
    result = desk.handle(mail(MEMBER, "Re: Waiting list", MOVE, in_reply_to=waiting))
    assert result.outcome == "food=confirmed; construction=cancelled"
    assert result.folder == "processed"
    told = text_of(outbox(desk)[-1].raw)
    assert "You have a place" in told and "no longer on the waiting list" in told


def test_a_move_off_the_list_to_a_full_session_keeps_the_turn(tmp_path: Path) -> None:
    desk = desk_with(tmp_path)
    book(desk, SAM, "construction")
    book(desk, SAM, "food")
    waiting = book(desk, MEMBER, "construction").split()[1]
    result = desk.handle(mail(MEMBER, "Re: Waiting list", MOVE, in_reply_to=waiting))
    assert result.outcome == "food=waitlisted"
    assert "You stay on the waiting list" in text_of(outbox(desk)[-1].raw)
    # Asked again, Jo is still waiting for construction.
    assert book(desk, MEMBER, "construction").startswith("construction=already-waitlisted")
