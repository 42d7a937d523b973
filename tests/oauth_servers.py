"""A loopback OAuth2 authority (token, device-code, introspection endpoints) and servers that
check its bearer tokens: Dovecot with an oauth2 passdb, aiosmtpd with AUTH XOAUTH2."""

from __future__ import annotations

import base64
import contextlib
import json
import secrets
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from conftest import server_unavailable

from servers import LOCALHOST, Dovecot, SmtpSink, make_self_signed_cert, private_dir

TENANT = "tenant-1"
APP_CLIENT = "app-client-id"
APP_SECRET = "app-client-secret"
USER_CLIENT = "user-client-id"
GOOGLE_CLIENT = "google-client-id"
GOOGLE_SECRET = "google-client-secret"


@dataclass
class Issued:
    user: str
    expires_at: float
    grant: str
    revoked: bool = False


@dataclass
class AuthorityState:
    """What the authority has issued and seen; every endpoint reads and writes it."""

    lifetime: float = 3600.0
    tokens: dict[str, Issued] = field(default_factory=dict)
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> user
    app_mailbox: dict[str, str] = field(default_factory=dict)  # client id -> granted mailbox
    google_keys: dict[str, Any] = field(default_factory=dict)  # service account -> public key
    device_codes: dict[str, str] = field(default_factory=dict)  # device code -> approved user
    approve_devices_as: str = ""  # a person who signs in at once on every device code
    device_scopes: dict[str, str] = field(default_factory=dict)  # device code -> scope asked
    introspections: list[tuple[str, bool]] = field(default_factory=list)  # (user, active)
    # While set, introspection answers 503 (the provider is unwell) and counts in `unchecked`.
    introspection_down: bool = False
    unchecked: int = 0
    grants: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def issue(self, user: str, grant: str, lifetime: float | None = None) -> tuple[str, float]:
        life = self.lifetime if lifetime is None else lifetime
        token = secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = Issued(user, time.time() + life, grant)
            self.grants.append(grant)
        return token, life

    def check(self, token: str, record: bool = True) -> str | None:
        """The user a token acts for, or None when it is unknown, expired or revoked.

        record: count it in `introspections` (the IMAP server's asks; SMTP's are not counted).
        """
        with self.lock:
            issued = self.tokens.get(token)
            ok = issued is not None and not issued.revoked and issued.expires_at > time.time()
            if record:
                self.introspections.append((issued.user if issued else "", ok))
            return issued.user if ok and issued else None

    def revoke_all(self, user: str) -> None:
        with self.lock:
            for issued in self.tokens.values():
                if issued.user == user:
                    issued.revoked = True


def _b64json(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet tests
        pass

    def _reply(self, status: int, body: dict[str, Any]) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length).decode()
        return {k: v[0] for k, v in urllib.parse.parse_qs(body).items()}

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        base = self.server.base_url
        if self.path.startswith(f"/{TENANT}/v2.0/.well-known/openid-configuration"):
            prefix = f"{base}/{TENANT}/oauth2/v2.0"
            self._reply(200, {"issuer": f"{base}/{TENANT}/v2.0",
                              "authorization_endpoint": f"{prefix}/authorize",
                              "token_endpoint": f"{prefix}/token",
                              "device_authorization_endpoint": f"{prefix}/devicecode"})
        else:
            self._reply(404, {"error": "not_found"})

    def do_POST(self) -> None:  # noqa: N802
        form = self._form()
        state = self.server.state
        if self.path == "/introspect" and state.introspection_down:
            with state.lock:
                state.unchecked += 1
            self._reply(503, {"error": "temporarily_unavailable"})
        elif self.path == "/introspect":
            user = state.check(form.get("token", ""))
            self._reply(200, {"active": True, "username": user} if user else {"active": False})
        elif self.path == f"/{TENANT}/oauth2/v2.0/devicecode":
            code = secrets.token_urlsafe(8)
            state.device_codes[code] = state.approve_devices_as
            state.device_scopes[code] = form.get("scope", "")
            self._reply(200, {"device_code": code, "user_code": "ABCD-EFGH",
                              "verification_uri": "https://microsoft.com/devicelogin",
                              "expires_in": 60, "interval": 1,
                              "message": "To sign in, use a web browser to open the page "
                                         "https://microsoft.com/devicelogin and enter the "
                                         "code ABCD-EFGH to authenticate."})
        elif self.path == f"/{TENANT}/oauth2/v2.0/token":
            self._microsoft_token(form)
        elif self.path == "/google/token":
            self._google_token(form)
        else:
            self._reply(404, {"error": "not_found"})

    def _token_reply(self, user: str, grant: str, refresh: bool, extra: dict[str, Any]) -> None:
        token, life = self.server.state.issue(user, grant)
        body: dict[str, Any] = {"access_token": token, "token_type": "Bearer",
                                "expires_in": int(life), **extra}
        if refresh:
            rt = secrets.token_urlsafe(24)
            self.server.state.refresh_tokens[rt] = user
            body["refresh_token"] = rt
        self._reply(200, body)

    def _microsoft_user_extra(self, user: str, form: dict[str, str]) -> dict[str, Any]:
        now = int(time.time())
        oid = f"oid-{user}"
        id_token = ".".join([_b64json({"alg": "none", "typ": "JWT"}), _b64json({
            "iss": f"{self.server.base_url}/{TENANT}/v2.0", "aud": USER_CLIENT, "iat": now,
            "exp": now + 3600, "sub": oid, "oid": oid, "tid": TENANT,
            "preferred_username": user}), ""])
        granted = [s for s in form.get("scope", "").split()
                   if s not in ("openid", "profile", "offline_access")]
        return {"scope": " ".join(granted),
                "id_token": id_token, "client_info": _b64json({"uid": oid, "utid": TENANT})}

    def _microsoft_token(self, form: dict[str, str]) -> None:
        state = self.server.state
        grant = form.get("grant_type", "")
        if grant == "client_credentials":
            mailbox = state.app_mailbox.get(form.get("client_id", ""))
            if form.get("client_secret") != APP_SECRET or mailbox is None:
                self._reply(401, {"error": "invalid_client",
                                  "error_description": "AADSTS7000215: Invalid client secret."})
            elif "https://outlook.office365.com/.default" not in form.get("scope", ""):
                self._reply(400, {"error": "invalid_scope"})
            else:
                self._token_reply(mailbox, grant, False, {})
        elif grant == "urn:ietf:params:oauth:grant-type:device_code":
            user = state.device_codes.get(form.get("device_code", ""))
            if not user:
                self._reply(400, {"error": "authorization_pending"})
            else:
                # The device token request names no scope: the one asked at the start holds.
                asked = {**form, "scope": state.device_scopes.get(form["device_code"], "")}
                self._token_reply(user, grant, True, self._microsoft_user_extra(user, asked))
        elif grant == "refresh_token":
            user = state.refresh_tokens.get(form.get("refresh_token", ""))
            if user is None:
                self._reply(400, {"error": "invalid_grant",
                                  "error_description": "AADSTS70008: refresh token expired"})
            else:
                self._token_reply(user, grant, True, self._microsoft_user_extra(user, form))
        else:
            self._reply(400, {"error": "unsupported_grant_type"})

    def _google_token(self, form: dict[str, str]) -> None:
        import jwt

        state = self.server.state
        grant = form.get("grant_type", "")
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            assertion = form.get("assertion", "")
            issuer = jwt.decode(assertion, options={"verify_signature": False}).get("iss")
            key = state.google_keys.get(str(issuer))
            try:
                # google-auth signs for Google's token endpoint whatever token_uri it posts to.
                claims = jwt.decode(assertion, key, algorithms=["RS256"],
                                    audience="https://oauth2.googleapis.com/token")
            except (jwt.PyJWTError, TypeError) as exc:
                self._reply(400, {"error": "invalid_grant", "error_description": str(exc)})
                return
            if claims.get("scope") != "https://mail.google.com/" or not claims.get("sub"):
                self._reply(400, {"error": "unauthorized_client",
                                  "error_description": "Client is unauthorized to retrieve "
                                                       "access tokens using this method"})
                return
            self._token_reply(str(claims["sub"]), grant, False, {})
        elif grant == "refresh_token":
            user = state.refresh_tokens.get(form.get("refresh_token", ""))
            if form.get("client_secret") != GOOGLE_SECRET or user is None:
                self._reply(400, {"error": "invalid_grant",
                                  "error_description": "Token has been expired or revoked."})
            else:
                self._token_reply(user, grant, False, {"scope": "https://mail.google.com/"})
        else:
            self._reply(400, {"error": "unsupported_grant_type"})


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: AuthorityState, context: ssl.SSLContext | None) -> None:
        super().__init__((LOCALHOST, 0), _Handler)
        self.state = state
        if context is not None:
            self.socket = context.wrap_socket(self.socket, server_side=True)
        scheme = "https" if context is not None else "http"
        self.base_url = f"{scheme}://{LOCALHOST}:{self.server_address[1]}"


class TokenAuthority:
    """Real HTTP servers on 127.0.0.1: HTTPS for the token endpoints (msal insists on https),
    plain HTTP for the introspection endpoint Dovecot asks."""

    def __init__(self) -> None:
        self.dir = private_dir("mailflow-oauth-")
        made = make_self_signed_cert(self.dir)
        if made is None:
            raise RuntimeError("openssl is needed for the token server's certificate")
        self.cert_path, key_path = made
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(self.cert_path, key_path)
        self.state = AuthorityState()
        self._https = _Server(self.state, context)
        self._http = _Server(self.state, None)
        self._threads = [threading.Thread(target=s.serve_forever, daemon=True)
                         for s in (self._https, self._http)]
        for thread in self._threads:
            thread.start()

    @property
    def authority(self) -> str:
        return f"{self._https.base_url}/{TENANT}"

    @property
    def google_token_uri(self) -> str:
        return f"{self._https.base_url}/google/token"

    @property
    def introspection_url(self) -> str:
        return f"{self._http.base_url}/introspect"

    def logins(self, user: str) -> int:
        """How many times a server asked about a token for this user (a login attempt each)."""
        with self.state.lock:
            return sum(1 for u, _ok in self.state.introspections if u == user)

    def google_service_account(self, email: str) -> str:
        """A real RSA service-account key (JSON text) whose public half the authority trusts."""
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.state.google_keys[email] = key.public_key()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
        return json.dumps({"type": "service_account", "project_id": "test",
                           "private_key_id": "k1", "private_key": pem, "client_email": email,
                           "client_id": "1", "token_uri": self.google_token_uri})

    def refresh_token_for(self, user: str) -> str:
        rt = secrets.token_urlsafe(24)
        self.state.refresh_tokens[rt] = user
        return rt

    def close(self) -> None:
        for server in (self._https, self._http):
            server.shutdown()
            server.server_close()
        import shutil

        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> TokenAuthority:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()



def running_authority() -> Iterator[TokenAuthority]:
    """A token authority for one test module (a module-scoped fixture yields from this)."""
    try:
        server = TokenAuthority()
    except Exception as exc:
        server_unavailable("OAuth token", f"failed to start: {exc}")
    with server:
        yield server

_OAUTH2_PASSDB = """\
auth_verbose = yes
passdb {{
  driver = oauth2
  mechanisms = xoauth2 oauthbearer
  args = {conf}
}}
"""

_OAUTH2_CONF = """\
introspection_mode = post
introspection_url = {url}
force_introspection = yes
username_attribute = username
active_attribute = active
active_value = true
"""


class OAuthDovecot(Dovecot):
    """Dovecot whose XOAUTH2/OAUTHBEARER logins are checked against the authority's
    introspection endpoint; PLAIN/LOGIN still use the passwd-file users."""

    def __init__(self, introspection_url: str, **kw: Any) -> None:
        self.introspection_url = introspection_url
        super().__init__(**kw)

    def _write_conf(self) -> None:
        super()._write_conf()
        oauth_conf = self.dir / "dovecot-oauth2.conf.ext"
        oauth_conf.write_text(_OAUTH2_CONF.format(url=self.introspection_url))
        oauth_conf.chmod(0o644)
        text = self.conf_path.read_text()
        text = text.replace("auth_mechanisms = plain login",
                            "auth_mechanisms = plain login xoauth2 oauthbearer")
        text = text.replace("passdb {\n  driver = passwd-file\n",
                            "passdb {\n  driver = passwd-file\n  mechanisms = plain login\n")
        # As Gmail has it: a folder flagged \\All that holds every message.
        text = text.replace("  mailbox Sent {",
                            '  mailbox "All Mail" {\n    special_use = \\All\n  }\n'
                            "  mailbox Sent {")
        self.conf_path.write_text(text + _OAUTH2_PASSDB.format(conf=oauth_conf))

    def failed_logins(self, user: str) -> int:
        """Failed logins for this user in Dovecot's own log (password or token)."""
        with contextlib.suppress(OSError):
            text = Path(self.log_path).read_text(errors="replace")
            return sum(1 for line in text.splitlines()
                       if "auth failed" in line and f"user=<{user}>" in line)
        return 0


class OAuthSmtpSink(SmtpSink):
    """The aiosmtpd sink with AUTH XOAUTH2, checking each token with the authority."""

    def __init__(self, authority: TokenAuthority, **kw: Any) -> None:
        self.authority = authority
        self.xoauth2_attempts = 0
        super().__init__(require_auth=True, **kw)

    async def auth_XOAUTH2(self, server: Any, args: list[str]) -> Any:  # noqa: N802 - aiosmtpd
        from aiosmtpd.smtp import AuthResult

        if len(args) < 2:
            return AuthResult(success=False, handled=False)
        fields = dict(part.split("=", 1) for part in
                      base64.b64decode(args[1]).decode().split("\x01") if "=" in part)
        user, token = fields.get("user", ""), fields.get("auth", "").removeprefix("Bearer ")
        self.xoauth2_attempts += 1
        if self.authority.state.check(token, record=False) == user and user:
            with self._cond:
                self.auth_logins.append(user)
            return AuthResult(success=True)
        # As Gmail and Exchange do: an error challenge, the client's empty reply, then 535.
        await server.challenge_auth(json.dumps({"status": "401", "schemes": "bearer"}))
        return AuthResult(success=False, handled=False)
