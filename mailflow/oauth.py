"""OAuth2 sign-in for IMAP and SMTP: a TokenProvider that refreshes, and the SASL logins."""

from __future__ import annotations

import logging
import smtplib
import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

from mailflow.config_auth import OAuthSettings
from mailflow.token_sources import (
    AuthRejected,
    MicrosoftUser,
    Token,
    TokenSource,
    TokenUnavailable,
    token_source,
)
from mailflow.troubles import is_temporary_refusal, is_unanswered_login, server_words

# The adapters (mailbox, smtp, worker, cli) import these from here: one place to sign in.
__all__ = ["AuthRejected", "MicrosoftUser", "RefreshingProvider", "Token", "TokenProvider",
           "TokenUnavailable", "build_provider", "imap_login", "smtp_login", "xoauth2"]

log = logging.getLogger("mailflow.oauth")

REFRESH_MARGIN = 300.0  # fetch a new token when less than this many seconds are left


class TokenProvider(Protocol):
    """Access tokens for one mailbox, fresh enough to log in with."""

    user: str

    def token(self, *, force_refresh: bool = False) -> str: ...

    @property
    def expires_at(self) -> float | None:
        """When the token last handed out expires (seconds since the epoch), if known."""
        ...


class RefreshingProvider:
    """Keeps the current token and asks its source for a new one near expiry or on demand."""

    def __init__(self, user: str, source: TokenSource, margin: float = REFRESH_MARGIN,
                 clock: Callable[[], float] = time.time) -> None:
        self.user = user
        self.source = source
        self.margin = margin
        self.clock = clock
        self.fetches = 0
        self._current: Token | None = None
        # The mail thread (IMAP) and the scheduler's jobs (SMTP) share one provider.
        self._lock = threading.Lock()

    def token(self, *, force_refresh: bool = False) -> str:
        with self._lock:
            current = self._current
            if force_refresh or current is None or \
                    current.expires_at - self.margin <= self.clock():
                current = self.source.fetch(force_refresh)
                self.fetches += 1
                self._current = current
                log.debug("new access token for %s, valid %.0f s", self.user,
                          current.expires_at - self.clock())
            return current.value

    @property
    def expires_at(self) -> float | None:
        return self._current.expires_at if self._current else None


def build_provider(s: OAuthSettings, margin: float = REFRESH_MARGIN) -> RefreshingProvider:
    return RefreshingProvider(s.user, token_source(s), margin)


# --------------------------------------------------------------------------- SASL


def xoauth2(user: str, token: str) -> str:
    """The XOAUTH2 initial response (before base64), as Google and Microsoft define it."""
    return f"user={user}\x01auth=Bearer {token}\x01\x01"


def imap_login(client: Any, tokens: TokenProvider, mechanism: str | None = None) -> str:
    """Log an IMAPClient in with a bearer token; on refusal refresh once and try again.

    OAUTHBEARER (RFC 7628) when the server offers it, else XOAUTH2. Returns the mechanism.
    NO [UNAVAILABLE] is ConnectionError: the server could not check the token, not refused it.
    """
    from imapclient.exceptions import LoginError

    mech = mechanism or ("OAUTHBEARER" if client.has_capability("AUTH=OAUTHBEARER")
                         else "XOAUTH2")
    refused: Exception | None = None
    for force in (False, True):
        token = tokens.token(force_refresh=force)
        try:
            if mech == "OAUTHBEARER":
                client.oauthbearer_login(tokens.user, token)
            else:
                client.oauth2_login(tokens.user, token, mech=mech)
            return mech
        except LoginError as exc:
            words = server_words(exc)
            if is_temporary_refusal(words) or is_unanswered_login(exc):
                # Its identity provider is down or its auth process is starting: a new token
                # would not help, and backing off for minutes (and mailing the coordinator)
                # would turn a short outage into a long one.
                raise ConnectionError(f"IMAP {mech} login unavailable for now: {words}"
                                      ) from exc
            refused = exc
            log.info("IMAP %s login for %s refused%s", mech, tokens.user,
                     "" if force else "; refreshing the token once")
    raise AuthRejected(f"IMAP {mech} login refused for {tokens.user}: {refused}")


def smtp_login(conn: smtplib.SMTP, tokens: TokenProvider) -> None:
    """AUTH XOAUTH2 on an smtplib connection; on refusal refresh once and try again."""
    conn.ehlo_or_helo_if_needed()
    refused: smtplib.SMTPAuthenticationError | None = None
    for force in (False, True):
        sasl = xoauth2(tokens.user, tokens.token(force_refresh=force))

        def answer(challenge: bytes | None = None, sasl: str = sasl) -> str:
            # On failure the server sends a JSON error as a challenge; the reply is empty.
            return sasl if challenge is None else ""

        try:
            conn.auth("XOAUTH2", answer, initial_response_ok=True)
            return
        except smtplib.SMTPAuthenticationError as exc:
            refused = exc
            log.info("SMTP XOAUTH2 login for %s refused (%s)%s", tokens.user, exc.smtp_code,
                     "" if force else "; refreshing the token once")
    assert refused is not None
    said = refused.smtp_error
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else str(said)
    raise AuthRejected(f"SMTP XOAUTH2 login refused for {tokens.user}: {refused.smtp_code} {text}")

