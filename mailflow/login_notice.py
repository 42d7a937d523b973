"""The coordinator's one notice that a login keeps being refused, composed from templates/."""

from __future__ import annotations

import email.utils
import logging
from datetime import datetime
from email.message import EmailMessage

from mailflow import outbox
from mailflow.digest import DIGEST_POLICY
from mailflow.handle import Desk
from mailflow.hygiene import make_message_id
from mailflow.login_watch import Refusal
from mailflow.names import given_name
from mailflow.reply import Outgoing
from mailflow.store import unit_of_work

log = logging.getLogger("mailflow.login")


def compose_login_notice(desk: Desk, refusal: Refusal, now: datetime) -> Outgoing:
    settings = desk.settings
    templates = desk.composer.templates
    coordinator = settings.coordinator
    values = {"refusal": refusal, "coordinator": coordinator,
              "first_name": given_name(coordinator.name, "there"),
              "series": desk.composer.head.series, "config_path": str(settings.path),
              "tz": coordinator.timezone}
    subject = templates.subject("login-refused", **values)
    message_id = make_message_id(settings.smtp.from_address, desk.composer.new_token())
    msg = EmailMessage(policy=DIGEST_POLICY)
    desk_name = f"{settings.series.name} registrations" if settings.series.name else \
        "Registrations"
    msg["From"] = email.utils.formataddr((desk_name, settings.smtp.from_address))
    msg["To"] = email.utils.formataddr((coordinator.name, coordinator.email))
    msg["Subject"] = subject
    msg["Date"] = email.utils.format_datetime(now)
    msg["Message-ID"] = message_id
    msg["Auto-Submitted"] = "auto-generated"
    msg["X-Mailflow-Outcome"] = "login-refused"
    msg.set_content(templates.render("login-refused.txt.j2", False, **values) + "\n",
                    cte="quoted-printable")
    return Outgoing(kind="notice", recipient=coordinator.email, subject=subject,
                    outcome="login-refused", event_ids=(), in_reply_to="",
                    message_id=message_id, raw=msg.as_bytes(policy=DIGEST_POLICY))


def queue_login_notice(desk: Desk, refusal: Refusal) -> Outgoing:
    """Queue the notice in the outbox (sent by the caller's next delivery)."""
    now = desk.clock()
    mail = compose_login_notice(desk, refusal, now)
    with unit_of_work(desk.engine) as uow:
        outbox.queue(uow.queue, mail, f"{refusal.what} login refused", now)
        uow.commit()
    log.info("told the coordinator (%s) that the %s login is refused",
             desk.settings.coordinator.email, refusal.what)
    return mail
