"""Mailbox trouble worded by what happened: refused login, TLS failure, unreachable, no folder."""

from __future__ import annotations

import ast
import imaplib
import re
import socket
import ssl

_BYTES_REPR = re.compile(r"""^b(['"]).*\1$""", re.DOTALL)
_REFUSED_PREFIX = re.compile(r"^(IMAP|SMTP)( \S+)? login refused for \S+: ")


def server_words(exc: BaseException | str) -> str:
    """What the server said, as text: imaplib hands over its reply as a bytes repr."""
    said = str(exc).strip()
    if _BYTES_REPR.match(said):
        try:
            value = ast.literal_eval(said)
        except (ValueError, SyntaxError):
            return said
        if isinstance(value, bytes):
            return value.decode("utf-8", errors="replace")
    return said


def is_temporary_refusal(words: str) -> bool:
    """RFC 5530's UNAVAILABLE (and Dovecot's "Temporary authentication failure") say try again."""
    return "[UNAVAILABLE]" in words.upper() or "temporary authentication failure" in words.lower()


def is_unanswered_login(exc: BaseException) -> bool:
    """A login the server never answered: the connection dropped mid-command (a restart).

    imapclient turns imaplib's abort ("command: LOGIN => socket error: EOF") into a LoginError,
    which would otherwise read as a refused password: backing off and mailing the coordinator.
    """
    cause = exc.__cause__ or exc.__context__
    return isinstance(cause, imaplib.IMAP4.abort) or "=> socket error" in str(exc)


def refusal_words(exc: BaseException | str) -> str:
    """A refused login's reason, once: without the "IMAP login refused for u:" it starts with."""
    return server_words(_REFUSED_PREFIX.sub("", server_words(exc)))


def _network(exc: BaseException, what: str, where: str) -> str | None:
    """Why a connection never got as far as a login."""
    if isinstance(exc, ssl.SSLCertVerificationError):
        return (f"TLS with the {what} {where} failed: its certificate was not accepted "
                f"({exc.verify_message or exc.reason})")
    if isinstance(exc, ssl.SSLError):
        return (f"TLS with the {what} {where} failed ({exc.reason or exc}); check the port "
                "and whether it expects ssl or starttls")
    if isinstance(exc, socket.gaierror):
        return f"cannot reach the {what} {where}: the host name is not known ({exc.strerror})"
    if isinstance(exc, ConnectionRefusedError):
        return f"cannot reach the {what} {where}: the connection was refused (nothing listens)"
    if isinstance(exc, TimeoutError | socket.timeout):
        return f"cannot reach the {what} {where}: no answer (timed out)"
    if isinstance(exc, OSError):
        return f"cannot reach the {what} {where}: {exc.strerror or exc}"
    return None


def mailbox_error(exc: BaseException, host: str, port: int, username: str,
                  folder: str) -> str:
    """Why using the IMAP mailbox failed, in the coordinator's words."""
    from imapclient.exceptions import IMAPClientError, LoginError

    from mailflow.oauth import AuthRejected

    where = f"{host}:{port}"
    if isinstance(exc, AuthRejected | LoginError):
        # Say the refusal once: drop "IMAP login refused for u:" the exception starts with.
        said = refusal_words(exc)
        return f"the mailbox {where} refused the login for {username!r}: {said}"
    network = _network(exc, "mailbox", where)
    if network is not None:
        return network
    said = str(exc)
    if isinstance(exc, IMAPClientError) and "select" in said.lower():
        return f"the mailbox {where} has no folder {folder!r} for {username!r}: {said}"
    return f"the mailbox {where} ({username}) failed: {said}"
