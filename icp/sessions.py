"""Log-in sessions kept in the table, so the server can end them: log-out, password change, idle and absolute limits.

The signed cookie holds only a random session id. Each session is one item read by its own key with a plain get
(so a later change can fetch it together with a filing in one BatchGetItem), plus a small link item under the
account, so that a password change or an account deletion can find and end every session of the account.
"""
from __future__ import annotations

import secrets
import string
from datetime import datetime, timedelta

from icp.records import record
from icp.store import ABSENT, MAX_OPS, Conflict, Delete, Put

# 32 random bytes, URL-safe: far beyond guessing, and short enough for a cookie
SESSION_ID_BYTES = 32
_ID_ALPHABET = frozenset(string.ascii_letters + string.digits + "-_")
_ID_MAX_LENGTH = 64


@record
class SessionLimits:
    """How long a session lives: `idle` since the last request, `absolute` since log-in.

    `touch_every` is how stale last_seen_at may get before a request writes it again, so an ordinary
    page view costs a read and no write; the idle limit is therefore honoured to within that interval.
    """

    idle: timedelta = timedelta(hours=2)
    absolute: timedelta = timedelta(hours=12)
    # 15 minutes: an hour's work on an order writes its session four times instead of twelve (a write unit each);
    # the idle limit of two hours then ends a session between 1 h 45 min and 2 h after its last request
    touch_every: timedelta = timedelta(minutes=15)

    @classmethod
    def from_settings(cls, settings) -> SessionLimits:
        """The limits the service's settings give (ICP_SESSION_IDLE_MINUTES, ICP_SESSION_ABSOLUTE_HOURS)."""
        return cls(idle=timedelta(minutes=settings.session_idle_minutes),
                   absolute=timedelta(hours=settings.session_absolute_hours))


@record
class Session:
    """A live log-in: whose it is, with which role, when it began and when it was last used."""

    session_id: str
    email: str
    role: str
    created_at: datetime
    last_seen_at: datetime
    mobile: str = ""  # the account's mobile at log-in, so starting an order needs no read of the account


def session_key(session_id: str) -> tuple[str, str]:
    """Return the (pk, sk) of a session item."""
    return f"SESSION#{session_id}", "META"


def session_links(email: str) -> tuple[str, str]:
    """The account's partition (icp.accounts.account_key) and the sort-key prefix of its session links there."""
    return f"ACCOUNT#{email.strip().lower()}", "SESSION#"


def _link_key(email: str, session_id: str) -> tuple[str, str]:
    # under the account's partition, so one query lists the account's sessions
    pk, prefix = session_links(email)
    return pk, f"{prefix}{session_id}"


def _well_formed(session_id) -> bool:
    # the id comes from a cookie: anything that is not one of ours is refused before it reaches the table
    return (isinstance(session_id, str) and 0 < len(session_id) <= _ID_MAX_LENGTH
            and set(session_id) <= _ID_ALPHABET)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _expires_at(created_at: datetime, limits: SessionLimits) -> int:
    # DynamoDB TTL only tidies up (it may run days late); the limits themselves are checked on every read
    return int((created_at + limits.absolute + timedelta(days=1)).timestamp())


def start_session(table, *, email: str, role: str, now: datetime, limits: SessionLimits,
                  mobile: str = "") -> Session:
    """Open a new session with a fresh random id (a new id at every log-in, against session fixation)."""
    email = email.strip().lower()
    # the account's finished sessions are cleared out here, so the links under an account stay few
    ops: list = [op for link in stale_links(table, email, now=now, limits=limits)[:(MAX_OPS - 2) // 2]
                 for op in (Delete(*session_key(link["session_id"])), Delete(link["pk"], link["sk"]))]
    while True:
        session_id = secrets.token_urlsafe(SESSION_ID_BYTES)
        expires = _expires_at(now, limits)
        pk, sk = session_key(session_id)
        link_pk, link_sk = _link_key(email, session_id)
        try:
            table.write([
                Put({"pk": pk, "sk": sk, "version": 1, "session_id": session_id, "email": email, "role": role,
                     "mobile": mobile, "created_at": _stamp(now), "last_seen_at": _stamp(now),
                     "expires_at": expires}, expect_version=ABSENT),
                Put({"pk": link_pk, "sk": link_sk, "version": 1, "session_id": session_id,
                     "created_at": _stamp(now), "expires_at": expires}, expect_version=ABSENT),
                *ops,
            ])
        except Conflict:  # a random id already taken: astronomically unlikely, but never reuse one
            ops = []
            continue
        return Session(session_id, email, role, now, now, mobile)


def stale_links(table, email: str, *, now: datetime, limits: SessionLimits) -> list[dict]:
    """The account's session links past the absolute limit (their sessions can no longer be used)."""
    links = table.query(*session_links(email))
    return [link for link in links if now - datetime.fromisoformat(link["created_at"]) > limits.absolute]


_NOT_READ = object()


def check_session(table, session_id, *, now: datetime, limits: SessionLimits, item=_NOT_READ) -> Session | None:
    """Return the live session with this id, or None when it is unknown, ended, idle too long or too old.

    `item` is the session's item when the request has read it already (None: it is not there), so a page's
    session check and its order can be read in one round trip. A refused session is deleted. last_seen_at is
    written only when older than limits.touch_every, under a version condition, so a log-out that lands
    meanwhile is never undone by the touch.
    """
    if not _well_formed(session_id):
        return None
    if item is _NOT_READ:
        item = table.get(*session_key(session_id))
    if item is None:
        return None
    created_at = datetime.fromisoformat(item["created_at"])
    last_seen_at = datetime.fromisoformat(item["last_seen_at"])
    if now - created_at > limits.absolute or now - last_seen_at > limits.idle:
        end_session(table, session_id, email=item["email"])
        return None
    if now - last_seen_at >= limits.touch_every:
        try:
            table.write([Put({**item, "version": item["version"] + 1, "last_seen_at": _stamp(now)},
                             expect_version=item["version"])])
        except Conflict:
            # ended meanwhile (log-out, password change), or touched by a parallel request: ask again
            item = table.get(*session_key(session_id))
            if item is None:
                return None
        else:
            last_seen_at = now
    return Session(session_id, item["email"], item["role"], created_at, last_seen_at, item.get("mobile", ""))


def end_session(table, session_id, *, email: str | None = None) -> None:
    """End one session (log-out); ending one that is already gone does nothing."""
    if not _well_formed(session_id):
        return
    if email is None:
        item = table.get(*session_key(session_id))
        if item is None:
            return
        email = item["email"]
    table.write([Delete(*session_key(session_id)), Delete(*_link_key(email, session_id))])


def end_all_sessions(table, email: str) -> int:
    """End every session of an account (password change, account deletion); returns how many there were."""
    links = table.query(*session_links(email))
    ops = [op for link in links for op in (Delete(*session_key(link["session_id"])), Delete(link["pk"], link["sk"]))]
    # each write stays within the store's limit of operations per atomic write
    step = MAX_OPS - MAX_OPS % 2
    for start in range(0, len(ops), step):
        table.write(ops[start:start + step])
    return len(links)
