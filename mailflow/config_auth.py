"""The sign-in part of config.toml: password, Microsoft 365 or Google, and the keys each needs."""

from __future__ import annotations

import contextlib
import importlib.metadata
import importlib.util
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

OAUTH_KEYS = ("auth", "tenant", "client_id", "client_secret_env", "key_file_env",
              "token_cache", "authority", "token_uri")
AUTH_KINDS = ("password", "microsoft", "google")
# What each sign-in imports (token_sources), as (module, distribution). mailflow depends on them,
# so one that is missing is a broken installation to fix, never an outage to retry.
SIGN_IN_LIBRARIES = {
    "microsoft": (("msal", "msal"), ("requests", "requests")),
    "google": (("google.auth", "google-auth"), ("google.oauth2", "google-auth"),
               ("requests", "requests")),
}


class Reads(Protocol):
    """The parts of config's validating reader these functions use."""

    path: Path
    env: Mapping[str, str]
    secrets: bool

    def fail(self, key: str, problem: str) -> Exception: ...

    def required(self, table: Mapping[str, Any], section: str, key: str, kind: type) -> Any: ...

    def optional(self, table: Mapping[str, Any], section: str, key: str, kind: type,
                 default: Any = None) -> Any: ...


@dataclass(frozen=True)
class OAuthSettings:
    """How to get access tokens for one mailbox (see mailflow.oauth and mailflow.token_sources)."""

    provider: str  # "microsoft" | "google"
    flow: str  # "app": client credentials / service account; "user": a person's sign-in
    user: str  # the mailbox the tokens act for
    tenant: str = ""
    client_id: str = ""
    client_secret: str = field(default="", repr=False)
    key_file: str = field(default="", repr=False)  # Google service-account key (JSON text)
    token_cache: Path | None = None
    authority: str = ""  # Microsoft: overrides https://login.microsoftonline.com/<tenant>
    token_uri: str = ""  # Google: overrides the token endpoint


def auth_kind(r: Reads, t: Mapping[str, Any], section: str, extra: tuple[str, ...] = ()) -> str:
    kinds = (*AUTH_KINDS, *extra)
    kind = r.optional(t, section, "auth", str, "password")
    if kind not in kinds:
        raise r.fail(section, f"auth must be {_choices(kinds)}, not {kind!r}.")
    unused = [k for k in OAUTH_KEYS if k != "auth" and k in t] if kind == "password" \
        else (["password_env"] if "password_env" in t else [])
    if unused:
        raise r.fail(section, f"{unused[0]} is not used with auth = \"{kind}\"; remove "
                     "it or set auth to the sign-in it belongs to.")
    return kind


def _env_secret(r: Reads, t: Mapping[str, Any], section: str, key: str, what: str) -> str:
    name = r.required(t, section, key, str)
    if not r.secrets:
        return ""
    value = r.env.get(name)
    if not value:
        raise r.fail(section, f"{key} names ${name}, but that environment variable is "
                     f"not set; set it to {what}.")
    return value


def _key_file(r: Reads, t: Mapping[str, Any], section: str) -> str:
    """The service-account key: the env var holds the JSON itself or the key file's path."""
    value = _env_secret(r, t, section, "key_file_env", "the service-account key file's "
                        "path (or its JSON)")
    if not value or value.lstrip().startswith("{"):
        return value
    try:
        return Path(value).expanduser().read_text(encoding="utf-8")
    except OSError as exc:
        raise r.fail(section, f"key_file_env: cannot read the key file {value} "
                     f"({exc.strerror}); set ${t['key_file_env']} to the "
                     "path of the service account's JSON key.") from exc


def missing_library(provider: str) -> str | None:
    """The distribution a sign-in needs that is not installed, found without importing it
    (msal or google-auth cost 0.1-0.2 s to import, and most commands never sign in)."""
    for module, distribution in SIGN_IN_LIBRARIES.get(provider, ()):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a missing parent package, or a broken one
            found = False
        if not found:
            return distribution
    return None


def install_fix(distribution: str) -> str:
    """How to put a missing dependency back, at the version mailflow's own metadata asks for."""
    wanted = distribution
    with contextlib.suppress(importlib.metadata.PackageNotFoundError):
        for requirement in importlib.metadata.requires("mailflow") or []:
            name = re.split(r"[\s<>=!~;\[(]", requirement, maxsplit=1)[0]
            if name.lower() == distribution and ";" not in requirement:
                wanted = requirement.strip()
    return (f"pip install '{wanted}' (a dependency of mailflow: reinstalling mailflow, e.g. "
            "`pip install -e .` in its checkout, installs it too)")


def oauth_settings(r: Reads, t: Mapping[str, Any], section: str, kind: str,
                   user: str) -> OAuthSettings:
    """The keys a Microsoft or Google sign-in needs; which flow follows from which are set."""
    missing = missing_library(kind)
    if missing is not None:
        raise r.fail(section, f"auth = \"{kind}\" signs in with the {missing} package, which "
                     f"is not installed; {install_fix(missing)}.")
    cache = r.optional(t, section, "token_cache", str, "")
    cache_path = None
    if cache:
        cache_path = Path(cache).expanduser()
        if not cache_path.is_absolute():
            cache_path = r.path.resolve().parent / cache_path
    flow = "app" if ("client_secret_env" if kind == "microsoft" else "key_file_env") in t \
        else "user"
    if flow == "user" and cache_path is None:
        how = "client_secret_env for app-only access" if kind == "microsoft" else \
            "key_file_env for a service account"
        raise r.fail(section, f"token_cache is missing: a {kind} sign-in as a person "
                     "keeps its refresh token there (e.g. token_cache = "
                     f"\"tokens/{section}.json\"); or set {how}.")
    tenant = r.optional(t, section, "tenant", str, "")
    authority = r.optional(t, section, "authority", str, "")
    if kind == "microsoft" and not tenant and not authority:
        raise r.fail(section, "tenant is missing: set it to the Microsoft 365 tenant id "
                     "or domain (e.g. tenant = \"contoso.onmicrosoft.com\").")
    needs_id = kind == "microsoft" or flow == "user"
    client_id = r.required(t, section, "client_id", str) if needs_id else \
        r.optional(t, section, "client_id", str, "")
    secret = ""
    if "client_secret_env" in t or (kind == "google" and flow == "user"):
        secret = _env_secret(r, t, section, "client_secret_env", "the client secret")
    return OAuthSettings(
        provider=kind, flow=flow, user=user, tenant=tenant, client_id=client_id,
        client_secret=secret,
        key_file=_key_file(r, t, section) if kind == "google" and flow == "app" else "",
        token_cache=cache_path, authority=authority,
        token_uri=r.optional(t, section, "token_uri", str, ""))


def _choices(values: tuple[str, ...]) -> str:
    quoted = [f'"{v}"' for v in values]
    return ", ".join(quoted[:-1]) + " or " + quoted[-1]
