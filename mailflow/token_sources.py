"""Access tokens from Microsoft (msal) and Google (google-auth), and the 0600 token cache file."""

from __future__ import annotations

import importlib
import json
import os
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from pathlib import Path
from typing import Any, Protocol

from mailflow.config_auth import SIGN_IN_LIBRARIES, OAuthSettings, install_fix
from mailflow.config_keys import ConfigError

MICROSOFT_AUTHORITY = "https://login.microsoftonline.com/{tenant}"
# App-only (client credentials) tokens carry the app's granted roles: IMAP.AccessAsApp and
# SMTP.SendAsApp both live on this one resource, so one token serves IMAP and SMTP.
MICROSOFT_APP_SCOPES = ("https://outlook.office365.com/.default",)
# Delegated scopes as Microsoft's IMAP/SMTP OAuth page names them (msal adds offline_access,
# which brings the refresh token).
MICROSOFT_USER_SCOPES = ("https://outlook.office.com/IMAP.AccessAsUser.All",
                         "https://outlook.office.com/SMTP.Send")
GOOGLE_SCOPES = ("https://mail.google.com/",)
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
# What an identity provider says when it is unwell rather than refusing us.
_PASSING_ERRORS = {"temporarily_unavailable", "server_error"}


class AuthRejected(Exception):
    """The server or the identity provider refused the credentials: retrying will not help
    until someone fixes them (wrong password, revoked consent, wrong secret)."""


class TokenUnavailable(ConnectionError):
    """The identity provider could not be reached or was unwell: a network problem."""


class LibraryMissing(ConfigError):
    """The sign-in's library cannot be imported: an installation to fix, not an outage (no
    retry helps) and not a refused login (the credentials were never tried)."""


@dataclass(frozen=True)
class Token:
    value: str
    expires_at: float  # seconds since the epoch


class TokenSource(Protocol):
    def fetch(self, force: bool) -> Token: ...


# --------------------------------------------------------------------------- token cache file


class TokenCacheFile:
    """A file only its owner may read (mode 0600): it holds refresh tokens."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> str | None:
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return None
        if mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise AuthRejected(f"the token cache {self.path} can be read by others (mode "
                               f"{stat.S_IMODE(mode):o}); run `chmod 600 {self.path}`.")
        return self.path.read_text(encoding="utf-8")

    def save(self, text: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_name(f".{self.path.name}.tmp")
        # Created 0600 from the start: there is no moment at which others could read it.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
        os.chmod(tmp, 0o600)
        os.replace(tmp, self.path)


# --------------------------------------------------------------------------- Microsoft (msal)


def _msal_token(result: dict[str, Any] | None, what: str) -> Token:
    if result and "access_token" in result:
        return Token(str(result["access_token"]),
                     time.time() + float(result.get("expires_in", 3600)))
    result = result or {}
    error = str(result.get("error", "no token"))
    said = str(result.get("error_description", "")).strip().splitlines()
    reason = f"{what}: {error}" + (f": {said[0]}" if said else "")
    if error in _PASSING_ERRORS:
        raise TokenUnavailable(reason)
    raise AuthRejected(reason)


def _msal_options(s: OAuthSettings) -> dict[str, Any]:
    if not s.authority:
        return {"authority": MICROSOFT_AUTHORITY.format(tenant=s.tenant)}
    # A named authority (sovereign cloud, or a test's loopback server) is taken as given.
    return {"authority": s.authority, "validate_authority": False, "instance_discovery": False}


def _network(call: Callable[[], Any], what: str) -> Any:
    """Run a library call: transport errors become TokenUnavailable, a bad tenant AuthRejected."""
    import requests

    try:
        return call()
    except requests.RequestException as exc:
        raise TokenUnavailable(f"{what}: {type(exc).__name__}: {exc}") from exc
    except ValueError as exc:  # msal: the authority / tenant does not exist
        raise AuthRejected(f"{what}: {exc}") from exc


class MicrosoftApp:
    """App-only tokens (client credentials) for a service principal granted the mailbox."""

    def __init__(self, s: OAuthSettings) -> None:
        self.settings = s
        self._app: Any = None

    def _client(self) -> Any:
        import msal

        if self._app is None:
            s = self.settings
            self._app = _network(lambda: msal.ConfidentialClientApplication(
                s.client_id, client_credential=s.client_secret,
                token_cache=msal.TokenCache(), **_msal_options(s)), "Microsoft sign-in")
        return self._app

    def fetch(self, force: bool) -> Token:
        import msal

        app = self._client()
        if force:
            # msal answers from its cache while a token looks valid; the server said otherwise.
            cache = app.token_cache
            for item in list(cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
                cache.remove_at(item)
        result = _network(lambda: app.acquire_token_for_client(
            scopes=list(MICROSOFT_APP_SCOPES)), "Microsoft sign-in")
        return _msal_token(result, "Microsoft sign-in (client credentials)")


class MicrosoftUser:
    """Delegated tokens for a person's own mailbox: device-code sign-in once, then refresh."""

    def __init__(self, s: OAuthSettings) -> None:
        assert s.token_cache is not None
        self.settings = s
        self.cache_file = TokenCacheFile(s.token_cache)
        self._app: Any = None
        self._cache: Any = None

    def _client(self) -> Any:
        import msal

        if self._app is None:
            self._cache = msal.SerializableTokenCache()
            text = self.cache_file.load()
            if text:
                self._cache.deserialize(text)
            s = self.settings
            self._app = _network(lambda: msal.PublicClientApplication(
                s.client_id, token_cache=self._cache, **_msal_options(s)), "Microsoft sign-in")
        return self._app

    def _save(self) -> None:
        if self._cache is not None and self._cache.has_state_changed:
            self.cache_file.save(self._cache.serialize())
            self._cache.has_state_changed = False

    def fetch(self, force: bool) -> Token:
        app = self._client()
        user = self.settings.user
        accounts = app.get_accounts(username=user)
        if not accounts:
            raise AuthRejected(f"no Microsoft sign-in for {user} in {self.cache_file.path}: "
                               "run `mailflow login` once")
        result = _network(lambda: app.acquire_token_silent_with_error(
            list(MICROSOFT_USER_SCOPES), account=accounts[0], force_refresh=force),
            "Microsoft sign-in")
        self._save()
        if result is None:
            raise AuthRejected(f"the Microsoft sign-in for {user} has lapsed: run "
                               "`mailflow login` again")
        return _msal_token(result, "Microsoft sign-in (refresh)")

    def login(self, echo: Callable[[str], None]) -> str:
        """Device-code sign-in: show the code and address once, wait, cache the refresh token."""
        app = self._client()
        flow = _network(lambda: app.initiate_device_flow(scopes=list(MICROSOFT_USER_SCOPES)),
                        "Microsoft sign-in")
        if "user_code" not in flow:
            _msal_token(flow, "Microsoft device sign-in")
        echo(str(flow["message"]))
        result = _network(lambda: app.acquire_token_by_device_flow(flow), "Microsoft sign-in")
        _msal_token(result, "Microsoft device sign-in")
        self._save()
        claims = result.get("id_token_claims") or {}
        return str(claims.get("preferred_username") or self.settings.user)


# --------------------------------------------------------------------------- Google (google-auth)


def _google(call: Callable[[], None], what: str) -> None:
    from google.auth import exceptions

    try:
        call()
    except exceptions.RefreshError as exc:
        if exc.retryable:
            raise TokenUnavailable(f"{what}: {exc}") from exc
        raise AuthRejected(f"{what}: {exc}") from exc
    except exceptions.TransportError as exc:
        raise TokenUnavailable(f"{what}: {exc}") from exc


def _google_token(creds: Any) -> Token:
    expiry = creds.expiry
    expires_at = expiry.replace(tzinfo=UTC).timestamp() if expiry else \
        time.time() + 3600
    return Token(str(creds.token), expires_at)


class GoogleServiceAccount:
    """A service account with domain-wide delegation, acting as the mailbox (the subject)."""

    def __init__(self, s: OAuthSettings) -> None:
        self.settings = s

    def fetch(self, force: bool) -> Token:
        from google.auth.transport.requests import Request
        from google.oauth2 import service_account

        s = self.settings
        try:
            info = json.loads(s.key_file)
        except ValueError as exc:
            raise AuthRejected(f"the Google service-account key is not JSON: {exc}") from exc
        if s.token_uri:
            info = {**info, "token_uri": s.token_uri}
        try:
            creds = service_account.Credentials.from_service_account_info(
                info, scopes=list(GOOGLE_SCOPES), subject=s.user)
        except (ValueError, KeyError) as exc:
            raise AuthRejected(f"the Google service-account key is not usable: {exc}") from exc
        _google(lambda: creds.refresh(Request()), "Google sign-in (service account)")
        return _google_token(creds)


class GoogleUser:
    """An installed-app refresh token (the authorized-user JSON kept in the token cache)."""

    def __init__(self, s: OAuthSettings) -> None:
        assert s.token_cache is not None
        self.settings = s
        self.cache_file = TokenCacheFile(s.token_cache)

    def fetch(self, force: bool) -> Token:
        from google.auth.transport.requests import Request
        from google.oauth2.credentials import Credentials

        s = self.settings
        text = self.cache_file.load()
        try:
            info = json.loads(text) if text else {}
        except ValueError:
            info = {}
        refresh_token = info.get("refresh_token")
        if not refresh_token:
            raise AuthRejected(f"no Google refresh token in {self.cache_file.path}: write the "
                               "installed app's authorized-user JSON there (see README)")
        creds = Credentials(token=None, refresh_token=refresh_token,
                            token_uri=s.token_uri or info.get("token_uri") or GOOGLE_TOKEN_URI,
                            client_id=s.client_id or info.get("client_id"),
                            client_secret=s.client_secret or info.get("client_secret"),
                            scopes=list(GOOGLE_SCOPES))
        _google(lambda: creds.refresh(Request()), "Google sign-in (refresh token)")
        if creds.refresh_token and creds.refresh_token != refresh_token:
            # Google rotated it: keep the new one (never the client secret: that is env-only).
            self.cache_file.save(json.dumps({**{k: v for k, v in info.items()
                                                if k != "client_secret"},
                                             "refresh_token": creds.refresh_token}))
        return _google_token(creds)


def token_source(s: OAuthSettings) -> TokenSource:
    """The provider's source, its library imported now: the worker builds its sources at
    start, so a broken installation stops it there instead of being retried as an outage."""
    _import_libraries(s.provider)
    if s.provider == "microsoft":
        return MicrosoftApp(s) if s.flow == "app" else MicrosoftUser(s)
    return GoogleServiceAccount(s) if s.flow == "app" else GoogleUser(s)


def _import_libraries(provider: str) -> None:
    for module, distribution in SIGN_IN_LIBRARIES[provider]:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            raise LibraryMissing(f"auth = \"{provider}\" signs in with the {distribution} "
                                 f"package, which cannot be imported ({exc}); "
                                 f"{install_fix(distribution)}.") from exc
