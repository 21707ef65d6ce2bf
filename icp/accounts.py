"""Applicant and staff accounts: registration, password checks and failed-login limits kept in the table."""
from __future__ import annotations

from datetime import datetime, timedelta

from werkzeug.security import check_password_hash, generate_password_hash

from icp.records import record
from icp import sessions
from icp.store import ABSENT, Conflict, Delete, Put
from icp.rules import _  # the one marker pybabel extracts; translated where shown

ROLES = ("applicant", "reviewer", "administration")
MIN_PASSWORD_LENGTH = 10

# failed log-ins allowed in one window before further attempts are refused; counters live in the
# table (not in process memory) so the limit holds across Lambda instances
LOGIN_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_ACCOUNT = 5
MAX_FAILURES_PER_ADDRESS = 20

# how passwords are hashed: werkzeug's scrypt with its parameters spelled out (N=2**15, r=8, p=1), so a werkzeug
# upgrade cannot change them unseen; tests/conftest.py lowers N for speed, tests/test_account.py checks this value
PASSWORD_METHOD = "scrypt:32768:8:1"

# one hash, computed on first need, is reused to spend the same effort when the account does not exist
_DUMMY_HASH: str | None = None


class DuplicateAccount(Exception):
    """An account with this e-mail address already exists."""


class LoginRefused(Exception):
    """The log-in failed; `message` says why, `locked_until` is set when the limit was reached."""

    def __init__(self, message: str, locked_until: datetime | None = None):
        super().__init__(message)
        self.message = message
        self.locked_until = locked_until


@record
class Account:
    """A person who can log in: an applicant, a reviewer or the administration (simulator)."""

    email: str
    role: str
    mobile: str
    name: str
    created_at: str

    @classmethod
    def from_item(cls, item: dict) -> "Account":
        """Build an Account from its table item."""
        return cls(item["email"], item["role"], item.get("mobile", ""), item.get("name", ""), item["created_at"])


def account_key(email: str) -> tuple[str, str]:
    """Return the (pk, sk) of an account item."""
    return f"ACCOUNT#{email.strip().lower()}", "META"


def get_account(table, email: str) -> Account | None:
    """Return the account with this e-mail address, or None."""
    item = table.get(*account_key(email))
    return Account.from_item(item) if item else None


def create_account(table, *, email: str, password: str, mobile: str, now: datetime,
                   role: str = "applicant", name: str = "") -> Account:
    """Create an account; raises DuplicateAccount when the e-mail address is taken."""
    if role not in ROLES:
        raise ValueError(f"role must be one of {ROLES}")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError("password too short")
    pk, sk = account_key(email)
    item = {
        "pk": pk, "sk": sk, "version": 1,
        "email": email.strip().lower(), "role": role, "mobile": mobile, "name": name,
        "password_hash": generate_password_hash(password, method=PASSWORD_METHOD),
        "created_at": now.isoformat(timespec="seconds"),
    }
    try:
        table.write([Put(item, expect_version=ABSENT)])
    except Conflict as error:
        raise DuplicateAccount(email) from error
    return Account.from_item(item)


def _window(now: datetime) -> str:
    seconds = int(LOGIN_WINDOW.total_seconds())
    return str(int(now.timestamp()) // seconds * seconds)


def _window_end(now: datetime) -> datetime:
    seconds = int(LOGIN_WINDOW.total_seconds())
    start = int(now.timestamp()) // seconds * seconds
    return datetime.fromtimestamp(start + seconds, tz=now.tzinfo)


def _counter_keys(email: str, address: str, now: datetime) -> list[tuple[str, str, int]]:
    window = _window(now)
    return [
        (f"LIMIT#login#account#{email.strip().lower()}", f"WINDOW#{window}", MAX_FAILURES_PER_ACCOUNT),
        (f"LIMIT#login#address#{address}", f"WINDOW#{window}", MAX_FAILURES_PER_ADDRESS),
    ]


def authenticate(table, *, email: str, password: str, address: str, now: datetime) -> Account:
    """Check an e-mail and password; raises LoginRefused, counting the failure against account and address."""
    keys = _counter_keys(email, address, now)
    for pk, sk, limit in keys:
        counter = table.get(pk, sk)
        if counter and counter.get("failures", 0) >= limit:
            raise LoginRefused(
                _("Too many failed attempts. Wait until %(time)s, then try again."),
                locked_until=_window_end(now),
            )
    item = table.get(*account_key(email))
    if item is not None and check_password_hash(item["password_hash"], password):
        return Account.from_item(item)
    if item is None:
        # spend the same effort as a real check, so timing does not reveal which addresses have accounts
        global _DUMMY_HASH
        if _DUMMY_HASH is None:
            _DUMMY_HASH = generate_password_hash("not-a-password", method=PASSWORD_METHOD)
        check_password_hash(_DUMMY_HASH, password)
    expires = int((_window_end(now) + LOGIN_WINDOW).timestamp())
    counts = [table.increment(pk, sk, "failures", set_fields={"expires_at": expires}) for pk, sk, _limit in keys]
    if any(count >= limit for count, (_pk, _sk, limit) in zip(counts, keys)):
        raise LoginRefused(
            _("Too many failed attempts. Wait until %(time)s, then try again."),
            locked_until=_window_end(now),
        )
    raise LoginRefused(_("The e-mail address or the password is not right. Check both and try again."))


def change_password(table, *, email: str, current_password: str, new_password: str, address: str,
                    now: datetime) -> Account:
    """Replace the password after checking the current one (attempts limited as at log-in); ends every session.

    The caller opens a new session for the person who made the change; every other device is logged out.
    Raises LoginRefused when the current password is wrong, ValueError when the new one is too short.
    """
    if len(new_password) < MIN_PASSWORD_LENGTH:
        raise ValueError("password too short")
    try:
        account = authenticate(table, email=email, password=current_password, address=address, now=now)
    except LoginRefused as refusal:
        if refusal.locked_until:
            raise
        raise LoginRefused(_("Your current password is not right. Enter the password you log in with.")) from None
    while True:
        item = table.get(*account_key(account.email))
        if item is None:
            raise LoginRefused(_("The e-mail address or the password is not right. Check both and try again."))
        try:
            table.write([Put({**item, "version": item["version"] + 1,
                              "password_hash": generate_password_hash(new_password, method=PASSWORD_METHOD),
                              "password_changed_at": now.isoformat(timespec="seconds")},
                             expect_version=item["version"])])
        except Conflict:  # the account changed meanwhile: apply the new password to what is stored now
            continue
        break
    sessions.end_all_sessions(table, account.email)
    return account


def delete_account(table, email: str) -> bool:
    """Delete an account and end all its sessions; returns False when there was no such account."""
    pk, sk = account_key(email)
    existed = table.get(pk, sk) is not None
    # sessions first: a copied cookie must be worth nothing even if the account delete is interrupted
    sessions.end_all_sessions(table, email)
    table.write([Delete(pk, sk)])
    return existed
