"""Single-use links sent to a person: an invitation (a trainer's new client sets their
first password) and a password reset.

The token is random (256 bits) and only its SHA-256 digest is stored, so a copy of the
database opens nothing. A link works once, until it expires; re-sending replaces it (the
old one stops working) and withdrawing an invitation deletes the invited account. Every
refusal is one plain sentence that says what to do.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Engine, delete, select

from hingecoach.errors import InputError, PermissionDeniedError
from hingecoach.services.accounts import (
    NO_PASSWORD,
    Account,
    account_by_id,
    add_account,
    check_password,
    hash_password,
    normal_email,
)
from hingecoach.services.uow import UnitOfWork
from hingecoach.services.web_sessions import end_all_sessions
from hingecoach.store.records import AccountLinkRecord, TraineeRecord, UserRecord

__all__ = [
    "Invitation",
    "LinkHolder",
    "PendingClient",
    "Purpose",
    "invite_client",
    "link_holder",
    "pending_clients",
    "resend_invitation",
    "reset_link",
    "use_link",
    "withdraw_invitation",
]

Purpose = Literal["invite", "reset"]

_GONE = (
    "This link does not work any more: it was used already, replaced by a newer one, or "
    "withdrawn. {what}"
)
_ASK = {
    "invite": "Ask your trainer to send you a new invitation.",
    "reset": "Ask for a new one on the 'Forgot your password?' page.",
}


@dataclass(frozen=True)
class Invitation:
    user_id: int
    email: str
    name: str
    token: str
    expires_at: dt.datetime


@dataclass(frozen=True)
class LinkHolder:
    """Whom an open link is for, shown on the page where they set a password."""

    user_id: int
    email: str
    name: str
    purpose: Purpose


@dataclass(frozen=True)
class PendingClient:
    """A trainer's client whose records the first assessment has not made yet."""

    user_id: int
    name: str
    email: str
    invited: bool  # True until they set a password from the link
    expires_at: dt.datetime | None  # the open invitation's expiry


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


def _issue(
    uow: UnitOfWork, user_id: int, purpose: Purpose, now: dt.datetime, lifetime: dt.timedelta
) -> tuple[str, dt.datetime]:
    """A new link for the account; the account's earlier links of this purpose stop working."""
    uow.db.execute(
        delete(AccountLinkRecord).where(
            AccountLinkRecord.user_id == user_id, AccountLinkRecord.purpose == purpose
        )
    )
    token = secrets.token_urlsafe(32)
    expires = now + lifetime
    uow.db.add(
        AccountLinkRecord(
            token_hash=_digest(token),
            purpose=purpose,
            user_id=user_id,
            created_at=now,
            expires_at=expires,
        )
    )
    return token, expires


def _open(uow: UnitOfWork, token: str, purpose: Purpose, now: dt.datetime) -> AccountLinkRecord:
    link = uow.db.scalar(
        select(AccountLinkRecord).where(AccountLinkRecord.token_hash == _digest(token.strip()))
    )
    if link is None or link.purpose != purpose or link.used_at is not None:
        raise InputError(_GONE.format(what=_ASK[purpose]))
    if _utc(link.expires_at) <= now:
        raise InputError(f"This link expired on {_utc(link.expires_at):%d %b %Y}. {_ASK[purpose]}")
    return link


def invite_client(
    engine: Engine,
    trainer_id: int,
    *,
    email: str,
    name: str,
    now: dt.datetime,
    lifetime: dt.timedelta,
) -> Invitation:
    """A trainer invites a new client: their account waits for a password set from the
    link, and they are in the trainer's clients at once, marked invited."""
    with UnitOfWork(engine) as uow:
        trainer = uow.users.by_id(trainer_id)
        if trainer is None or trainer.role != "trainer":
            raise PermissionDeniedError("only a trainer can invite a client")
        user = add_account(
            uow,
            email=email,
            password=None,
            display_name=name,
            role="trainee",
            trainer_id=trainer_id,
        )
        token, expires = _issue(uow, user.id, "invite", now, lifetime)
        invitation = Invitation(user.id, user.email, user.display_name, token, expires)
        uow.commit()
    return invitation


def _invited_user(uow: UnitOfWork, trainer_id: int, user_id: int) -> UserRecord:
    """The trainer's invited client who has not set a password; else as if unknown."""
    user = uow.users.by_id(user_id)
    if user is None or user.trainer_id != trainer_id or user.password_hash != NO_PASSWORD:
        raise InputError(
            "there is no open invitation for that person; they may have accepted it already"
        )
    return user


def resend_invitation(
    engine: Engine, trainer_id: int, user_id: int, now: dt.datetime, lifetime: dt.timedelta
) -> Invitation:
    """A fresh invitation link for the same person (the old link stops working)."""
    with UnitOfWork(engine) as uow:
        user = _invited_user(uow, trainer_id, user_id)
        token, expires = _issue(uow, user.id, "invite", now, lifetime)
        invitation = Invitation(user.id, user.email, user.display_name, token, expires)
        uow.commit()
    return invitation


def withdraw_invitation(engine: Engine, trainer_id: int, user_id: int) -> str:
    """The invitation and the waiting account go; the link is refused from now on.
    Returns the name, for the message."""
    with UnitOfWork(engine) as uow:
        user = _invited_user(uow, trainer_id, user_id)
        name = user.display_name
        uow.db.delete(user)
        uow.commit()
    return name


def link_holder(engine: Engine, token: str, purpose: Purpose, now: dt.datetime) -> LinkHolder:
    """Whom a link is for, if it still works; a plain refusal if not."""
    with UnitOfWork(engine) as uow:
        link = _open(uow, token, purpose, now)
        user = uow.users.by_id(link.user_id)
        assert user is not None  # the link goes with its account (ON DELETE CASCADE)
        return LinkHolder(user.id, user.email, user.display_name, purpose)


def use_link(
    engine: Engine, token: str, purpose: Purpose, password: str, now: dt.datetime
) -> Account:
    """Set the password from a link, once; every other sign-in of the account ends."""
    with UnitOfWork(engine) as uow:
        link = _open(uow, token, purpose, now)
        user = uow.users.by_id(link.user_id)
        assert user is not None
        check_password(password, user.email)
        user.password_hash = hash_password(password)
        link.used_at = now
        user_id = user.id
        uow.commit()
    end_all_sessions(engine, user_id)
    account = account_by_id(engine, user_id)
    assert account is not None
    return account


def reset_link(
    engine: Engine, email: str, now: dt.datetime, lifetime: dt.timedelta
) -> tuple[str, Account] | None:
    """A reset link for the account with this email (None when there is none, or it was
    invited and has no password yet: the invitation is what they need)."""
    try:
        email = normal_email(email)
    except InputError:
        return None
    with UnitOfWork(engine) as uow:
        user = uow.users.by_email(email)
        if user is None or user.password_hash == NO_PASSWORD:
            return None
        token, _ = _issue(uow, user.id, "reset", now, lifetime)
        user_id = user.id
        uow.commit()
    account = account_by_id(engine, user_id)
    assert account is not None
    return token, account


def pending_clients(engine: Engine, trainer_id: int) -> list[PendingClient]:
    """The trainer's clients without records yet (invited, or not assessed), by name."""
    with UnitOfWork(engine) as uow:
        users = uow.db.scalars(
            select(UserRecord)
            .where(
                UserRecord.trainer_id == trainer_id,
                UserRecord.role == "trainee",
                ~select(TraineeRecord.id).where(TraineeRecord.user_id == UserRecord.id).exists(),
            )
            .order_by(UserRecord.display_name)
        ).all()
        expiries: dict[int, dt.datetime] = dict(
            uow.db.execute(
                select(AccountLinkRecord.user_id, AccountLinkRecord.expires_at).where(
                    AccountLinkRecord.user_id.in_([u.id for u in users]),
                    AccountLinkRecord.purpose == "invite",
                    AccountLinkRecord.used_at.is_(None),
                )
            )
            .tuples()
            .all()
        )
        return [
            PendingClient(
                user_id=u.id,
                name=u.display_name,
                email=u.email,
                invited=u.password_hash == NO_PASSWORD,
                expires_at=_utc(expiries[u.id]) if u.id in expiries else None,
            )
            for u in users
        ]
