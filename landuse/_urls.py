"""Database URLs: recognised, and shown with their passwords hidden (by structure, never by search)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any

__all__ = ["is_url", "redact", "safe_url", "secrets_of"]

_URL = re.compile(r"^postgres(ql)?(\+\w+)?://", re.IGNORECASE)
_SECRET_KEY = re.compile(r"^(password|passwd|pass|pwd|sslpassword|secret|token)$", re.IGNORECASE)
_HIDDEN = "landuse_hidden_value"
_USERINFO = re.compile(r"(?P<scheme>[A-Za-z][\w+.-]*://)(?P<user>[^:/@\s]*):[^@\s]*@")
_KEY_VALUE = re.compile(
    r"(?P<key>\b(?:password|passwd|pass|pwd|sslpassword|secret|token)\s*=\s*)"
    r"(?:'(?:[^'\\]|\\.)*'|\"[^\"]*\"|[^&\s;,]+)",
    re.IGNORECASE,
)


def is_url(source: object) -> bool:
    return isinstance(source, str) and bool(_URL.match(source))


def _redact_text(text: str) -> str:
    """Passwords hidden by structure in free text: ``scheme://user:***@`` and ``password=***``."""
    text = _USERINFO.sub(lambda m: f"{m['scheme']}{m['user']}:***@", text)
    return _KEY_VALUE.sub(lambda m: f"{m['key']}***", text)


def safe_url(url: Any) -> str:
    """The URL with its password hidden — in the user part and in the query string.

    Redaction goes by the URL's structure, never by searching the password in the text (a
    password ``postgres`` must not turn ``postgresql://`` into ``***ql://``).

    Examples
    --------
    >>> safe_url("postgresql://u:postgres@db.example/land?password=S3cret&sslmode=require")
    'postgresql://u:***@db.example/land?password=***&sslmode=require'
    """
    try:
        import sqlalchemy as sa

        parsed = sa.engine.make_url(url)
    except Exception:  # not parseable (or no SQLAlchemy): fall back to the text's structure
        return _redact_text(str(url))
    query = {k: (_HIDDEN if _SECRET_KEY.match(k) else v) for k, v in parsed.query.items()}
    shown = parsed.set(query=query).render_as_string(hide_password=True)
    return shown.replace(_HIDDEN, "***")


def secrets_of(url: Any) -> list[str]:
    """Passwords of this URL (user part, query) and PGPASSWORD, except one equal to the user
    name (shown anyway)."""
    found = [getattr(url, "password", None), os.environ.get("PGPASSWORD")]
    for key, value in getattr(url, "query", {}).items():
        if _SECRET_KEY.match(key):
            found.extend([value] if isinstance(value, str) else list(value))
    user = getattr(url, "username", None)
    return [str(s) for s in found if s and str(s) != user]


def redact(text: str, secrets: Iterable[str]) -> str:
    """Hide passwords in a driver's message: by structure, then any whole-word occurrence."""
    text = _redact_text(text)
    for secret in secrets:
        text = re.sub(rf"(?<![\w]){re.escape(secret)}(?![\w])", "***", text)
    return text
