"""Commands that read the book: status, sessions, roster, export, attention, history, outbox."""

from __future__ import annotations

import csv
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from mailflow.cli.common import (
    WRONG,
    Json,
    app,
    emit_json,
    fail,
    on_terminal,
    print_table,
    settings,
)


class RosterFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class ExportFormat(StrEnum):
    csv = "csv"
    json = "json"


def _read(view: Any, *args: Any) -> Any:
    """Run one read-only view in one transaction, with the settings read once."""
    from mailflow.app import open_store, system_clock
    from mailflow.store import unit_of_work

    s = settings(secrets=False)
    with unit_of_work(open_store(s)) as uow:
        return view(uow, s, system_clock(), *args)


@app.command()
def status(as_json: Json = False) -> None:
    """Fill per session, what needs a human, mail that could not go (and why), last poll."""
    from mailflow.views import status_data

    data = _read(status_data)
    if as_json:
        emit_json(data)
        return
    for e in data["events"]:
        state = "open" if e["registration_open"] else "closed"
        typer.echo(f"{e['id']:<28} {e['confirmed']:>3}/{e['capacity']:<3} offered "
                   f"{e['offered']:<2} waiting {e['waitlisted']:<3} {state}")
    box = data["outbox"]
    typer.echo(f"needs attention: {data['needs_attention']}; outbox pending: "
               f"{box['pending']}, failed: {box['failed']}; "
               f"last poll: {data['worker']['last_poll'] or 'never'}")
    updates = data["calendar_updates"]
    if updates:
        typer.echo(f"calendar updates (session changes): {updates.get('sent', 0)} sent, "
                   f"{sum(n for k, n in updates.items() if k != 'sent')} not yet sent")
    for refused in data["logins_refused"].values():
        typer.echo(f"LOGIN REFUSED: {refused['summary']}")
    if data["sending_paused"]:
        pause = data["sending_paused"]
        typer.echo(f"sending paused since {pause['since'][:16].replace('T', ' ')} "
                   f"({pause['attempts']} attempt(s)): {pause['reason']}")
        typer.echo("  (`mailflow outbox retry --all` lifts the pause and tries the held mail "
                   "now; the worker also retries on its own)")
    for f in data["filing_refused"]:
        typer.echo(f"filing into {f['folder']!r} refused since {f['since'][:16].replace('T', ' ')}"
                   f": {f['reason']} (mail is still handled; it waits in the folder)")
    for p in data["undelivered"]:
        typer.echo(f"  mail #{p['id']} to {p['to']} {p['status']} after {p['attempts']} "
                   f"attempt(s), {p['age']} old: {p['reason'] or 'no reason recorded'}")
    if data["undelivered"]:
        typer.echo("  (`mailflow outbox` lists them; `mailflow outbox retry --all` tries again)")
    for w in data["warnings"]:
        typer.echo(f"warning: {w}")


@app.command()
def sessions(as_json: Json = False) -> None:
    """Every session: id, title, date, fill and whether registration is open."""
    from mailflow.views import sessions_data

    rows = _read(sessions_data)
    if as_json:
        emit_json(rows)
        return
    print_table(["#", "id", "title", "starts", "fill", "offered", "waiting", "registration"],
                [[r["number"], r["id"], r["title"], r["starts"][:16].replace("T", " "),
                  f"{r['confirmed']}/{r['capacity']}", r["offered"], r["waitlisted"],
                  "over" if r["over"] else "open" if r["registration_open"] else "closed"]
                 for r in rows])


def _roster_view(uow: Any, s: Any, _now: Any, event_id: str) -> Any:
    from mailflow.views import roster_data

    return roster_data(uow, s, event_id)


@app.command()
def roster(event_id: str,
           fmt: Annotated[RosterFormat | None, typer.Option(
               "--format", help="table (default on a terminal), csv, or json (default "
                                "through a pipe)")] = None,
           as_json: Json = False) -> None:
    """Who is confirmed, offered and waiting for one session."""
    from mailflow.views import ROSTER_FIELDS, roster_rows

    data = _read(_roster_view, event_id)
    if data is None:
        fail(f"no session with id {event_id!r} (`mailflow sessions` lists them)", WRONG)
    chosen = RosterFormat.json if as_json else fmt or (
        RosterFormat.table if on_terminal() else RosterFormat.json)
    if chosen is RosterFormat.json:
        emit_json(data)
    elif chosen is RosterFormat.csv:
        writer = csv.DictWriter(sys.stdout, fieldnames=ROSTER_FIELDS)
        writer.writeheader()
        writer.writerows(roster_rows(data))
    else:
        rows = roster_rows(data)
        print_table(["status", "#", "name", "email", "organisation", "since / until",
                     "calendar"],
                    [[r["status"], r["position"], r["name"], r["email"], r["organisation"],
                      (r["registered_at"] or r["expires_at"] or "")[:16].replace("T", " "),
                      r["calendar"]]
                     for r in rows], title=f"{data['title']} ({event_id})",
                    caption=f"{len(data['confirmed'])} confirmed, {len(data['offered'])} "
                            f"offered, {len(data['waitlist'])} waiting")


def _export_view(uow: Any, s: Any, _now: Any) -> Any:
    from mailflow.views import export_rows

    return export_rows(uow, s)


@app.command()
def export(fmt: Annotated[ExportFormat, typer.Option("--format")] = ExportFormat.csv,
           output: Annotated[Path | None, typer.Option(
               "--output", "-o", help="write to this file instead of stdout")] = None,
           as_json: Json = False) -> None:
    """The whole series in one table: every session's confirmed, offered and waiting people."""
    import json

    from mailflow.views import EXPORT_FIELDS

    rows = _read(_export_view)
    if as_json:
        fmt = ExportFormat.json
    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt is ExportFormat.json:
            out.write(json.dumps(rows, indent=2, ensure_ascii=False) + "\n")
        else:
            writer = csv.DictWriter(out, fieldnames=EXPORT_FIELDS)
            writer.writeheader()
            writer.writerows(rows)
    finally:
        if output:
            out.close()
    if output:
        typer.echo(f"Wrote {len(rows)} row(s) to {output}.")


def _attention_view(uow: Any, _s: Any, _now: Any) -> Any:
    from mailflow.views import attention_data

    return attention_data(uow)


@app.command()
def attention(as_json: Json = False) -> None:
    """Messages mailflow could not handle alone, with why and what to do."""
    items = _read(_attention_view)
    if as_json:
        emit_json(items)
        return
    if not items:
        typer.echo("Nothing needs your attention.")
        return
    for item in items:
        typer.echo(f"[{item['id']}] {item['received_at'][:16].replace('T', ' ')}  "
                   f"{item['from']}  “{item['subject']}”")
        typer.echo(f"    why: {item['why']}")
        ev = item["read_as"]
        if ev:
            typer.echo(f"    read as: {ev.get('intent')} {', '.join(ev.get('events', []))} "
                       f"(confidence {ev.get('confidence')}); evidence: "
                       f"{'; '.join(ev.get('evidence', []))[:200]}")
        if item["said"]:
            typer.echo(f"    said: {item['said']}")
        typer.echo(f"    then: mailflow add|remove {item['sender'] or 'EMAIL'} EVENT_ID, and "
                   f"mailflow resolve {item['id']} --note \"…\"")


def _history_view(uow: Any, _s: Any, _now: Any, email: str) -> Any:
    from mailflow.views import history_data

    return history_data(uow, email)


@app.command()
def history(email: str, as_json: Json = False) -> None:
    """Every change for one person, and what caused it."""
    from datetime import datetime

    data = _read(_history_view, email.strip().lower())
    if as_json:
        emit_json(data)
        return
    if not data["entries"]:
        typer.echo(f"No history for {email}.")
        return
    if data["name"]:
        typer.echo(f"{data['name']} <{data['email']}>")
    tz = settings(secrets=False).coordinator.timezone
    for e in data["entries"]:
        at = datetime.fromisoformat(e["at"]).astimezone(tz)
        typer.echo(f"{at:%Y-%m-%d %H:%M}  {e['event'] or '-':<26} "
                   f"{e['action']:<15} by {e['actor']}  ({e['cause']})"
                   f"{'  ' + e['detail'] if e['detail'] else ''}")
