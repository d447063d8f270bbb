"""Accounts and access: who may sign in, and whose records each person may see.

A trainer sees and edits only their own clients (``trainees.trainer_id``); a trainee only
their own records (``trainees.user_id``). Anything else answers exactly as an id that does
not exist would (no names suggested, nothing leaked). Passwords are hashed with argon2id;
API tokens are random, shown once, and stored as a SHA-256 digest.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any, Literal

from sqlalchemy import Engine

from hingecoach.errors import (
    AuthenticationError,
    ConflictError,
    InputError,
    PermissionDeniedError,
    UnknownIdError,
)
from hingecoach.services.uow import UnitOfWork
from hingecoach.store.records import UserRecord

__all__ = [
    "MIN_PASSWORD_LENGTH",
    "NO_PASSWORD",
    "Account",
    "Role",
    "account_by_id",
    "account_by_token",
    "account_from_row",
    "account_select",
    "add_account",
    "assign_client",
    "authenticate",
    "check_password",
    "client_names",
    "create_account",
    "display_name_of",
    "hash_password",
    "issue_api_token",
    "normal_email",
    "require_trainee",
    "require_trainer",
]

Role = Literal["trainer", "trainee"]
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024
#: The stored hash of an invited account before its first password: matches nothing.
NO_PASSWORD = ""
_TOKEN_PREFIX = "hc_"


@dataclass(frozen=True)
class Account:
    id: int
    email: str
    display_name: str
    role: Role
    trainee_name: str | None  # a trainee's own records; None for trainers
    has_api_token: bool
    assessment_due: bool = False  # a trainee whose trainer asked for the assessment again


def hash_password(password: str) -> str:
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


# Checked against when the email is unknown, so both answers take the same time.
_DUMMY_HASH: list[str] = []


def _verify(stored_hash: str | None, password: str) -> bool:
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = PasswordHasher()
    if not stored_hash:  # unknown email, or invited and no password yet
        if not _DUMMY_HASH:
            _DUMMY_HASH.append(hasher.hash(secrets.token_hex(8)))
        stored_hash = _DUMMY_HASH[0]
        password = ""
    try:
        return hasher.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normal_email(email: str) -> str:
    email = email.strip().lower()
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or " " in email:
        raise InputError(f"{email!r} does not look like an email address")
    return email


def _account(uow: UnitOfWork, user: UserRecord) -> Account:
    trainee = uow.users.trainee_of(user) if user.role == "trainee" else None
    role: Role = "trainer" if user.role == "trainer" else "trainee"
    return Account(
        id=user.id,
        email=user.email,
        display_name=user.display_name,
        role=role,
        trainee_name=trainee.name if trainee is not None else None,
        has_api_token=user.api_token_hash is not None,
    )


def check_password(password: str, email: str = "") -> None:
    """Refuse a password that is too short, too long, or easy to guess from the account."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InputError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InputError(f"a password holds at most {MAX_PASSWORD_LENGTH} characters")
    lowered = password.strip().lower()
    if len(set(lowered)) < 4 or lowered in {email.strip().lower(), email.partition("@")[0]}:
        raise InputError("that password is too easy to guess; use a few unrelated words")


def display_name_of(name: str) -> str:
    name = " ".join(name.split())
    if not name or len(name) > 80:
        raise InputError("a name must be 1-80 characters")
    return name


def create_account(
    engine: Engine,
    *,
    email: str,
    password: str | None,
    display_name: str,
    role: Role,
    trainee_name: str | None = None,
    trainer_id: int | None = None,
) -> Account:
    """A new account. A trainee's account is linked to existing trainee records, or,
    without ``trainee_name``, waits for the first assessment to make them (coached by
    ``trainer_id``). ``password`` None: invited, the password is set from the link."""
    with UnitOfWork(engine) as uow:
        user = add_account(
            uow,
            email=email,
            password=password,
            display_name=display_name,
            role=role,
            trainee_name=trainee_name,
            trainer_id=trainer_id,
        )
        account = _account(uow, user)
        uow.commit()
        return account


def add_account(
    uow: UnitOfWork,
    *,
    email: str,
    password: str | None,
    display_name: str,
    role: Role,
    trainee_name: str | None = None,
    trainer_id: int | None = None,
) -> UserRecord:
    """:func:`create_account` inside a caller's transaction (not committed)."""
    if role not in ("trainer", "trainee"):
        raise InputError(f"a role is 'trainer' or 'trainee', not {role!r}")
    email = normal_email(email)
    if password is not None:
        check_password(password, email)
    display_name = display_name_of(display_name)
    if role == "trainer" and (trainee_name is not None or trainer_id is not None):
        raise InputError("a trainer's account has no trainee records and no trainer")
    user = uow.users.add(
        email=email,
        display_name=display_name,
        role=role,
        password_hash=hash_password(password) if password is not None else NO_PASSWORD,
    )
    user.trainer_id = trainer_id
    if trainee_name is not None:
        trainee = uow.trainees.get(trainee_name)
        if trainee.user_id is not None:
            raise ConflictError(f"{trainee_name} already has an account")
        trainee.user_id = user.id
    uow.db.flush()
    return user


def authenticate(engine: Engine, email: str, password: str, now: dt.datetime) -> Account:
    """The account for this email and password; one message for every kind of mismatch."""
    with UnitOfWork(engine) as uow:
        user = uow.users.by_email(email.strip().lower())
        ok = _verify(user.password_hash if user is not None else None, password)
        if user is None or not ok:
            raise AuthenticationError("that email and password do not match an account")
        from argon2 import PasswordHasher

        if PasswordHasher().check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = now
        account = _account(uow, user)
        uow.commit()
        return account


def account_select() -> Any:
    """The columns of an :class:`Account` (users outer-joined to their trainee records),
    for a query to add its ``where`` to; :func:`account_from_row` reads a row of it."""
    from sqlalchemy import select

    from hingecoach.store.records import TraineeRecord

    users, trainees = UserRecord.__table__, TraineeRecord.__table__
    return select(
        users.c.id,
        users.c.email,
        users.c.display_name,
        users.c.role,
        trainees.c.name,
        users.c.api_token_hash.is_not(None),
        trainees.c.assessment_due,
    ).select_from(users.outerjoin(trainees, trainees.c.user_id == users.c.id))


def account_from_row(row: Any) -> Account:
    user_id, email, display_name, role, trainee_name, has_token, due = row[:7]
    return Account(
        id=user_id,
        email=email,
        display_name=display_name,
        role="trainer" if role == "trainer" else "trainee",
        trainee_name=trainee_name if role == "trainee" else None,
        has_api_token=bool(has_token),
        assessment_due=role == "trainee" and bool(due),
    )


@cache
def _account_query(by: str) -> Any:
    """An account with its trainee's name in one query (every request reads one: built
    once, no ORM objects)."""
    from sqlalchemy import bindparam

    return account_select().where(UserRecord.__table__.c[by] == bindparam("key"))


def _read_account(engine: Engine, by: str, key: object) -> Account | None:
    with engine.connect() as conn:
        row = conn.execute(_account_query(by), {"key": key}).first()
    return None if row is None else account_from_row(row)


def account_by_id(engine: Engine, user_id: int) -> Account | None:
    return _read_account(engine, "id", user_id)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_api_token(engine: Engine, user_id: int, now: dt.datetime) -> str:
    """A new API token for the account (the old one stops working). Shown once."""
    token = _TOKEN_PREFIX + secrets.token_urlsafe(32)
    with UnitOfWork(engine) as uow:
        user = uow.users.by_id(user_id)
        if user is None:
            raise AuthenticationError("sign in again: this account no longer exists")
        user.api_token_hash = _token_hash(token)
        user.api_token_created_at = now
        uow.commit()
    return token


def account_by_token(engine: Engine, token: str) -> Account:
    account = _read_account(engine, "api_token_hash", _token_hash(token.strip()))
    if account is None:
        raise AuthenticationError("that API token is not valid; make a new one on /account")
    return account


def assign_client(engine: Engine, trainee_name: str, trainer_email: str) -> None:
    """Make a trainee a client of a trainer."""
    with UnitOfWork(engine) as uow:
        trainer = uow.users.by_email(trainer_email.strip().lower())
        if trainer is None or trainer.role != "trainer":
            raise UnknownIdError("trainer", trainer_email, hint="create the trainer's account")
        uow.trainees.get(trainee_name).trainer_id = trainer.id
        uow.commit()


def client_names(engine: Engine, account: Account) -> list[str]:
    """The trainees this person may see: a trainer's clients, or a trainee's own name."""
    if account.role == "trainee":
        return [account.trainee_name] if account.trainee_name else []
    with UnitOfWork(engine) as uow:
        trainer = uow.users.by_id(account.id)
        return [t.name for t in uow.users.clients(trainer)] if trainer is not None else []


def require_trainer(account: Account) -> None:
    if account.role != "trainer":
        raise PermissionDeniedError("only a trainer can do this")


def require_trainee(engine: Engine, account: Account, name: str) -> str:
    """``name`` if this person may see that trainee's records; else "unknown trainee"."""
    if account.role == "trainee":
        if account.trainee_name is not None and name == account.trainee_name:
            return name
    else:
        with UnitOfWork(engine) as uow:
            trainee = uow.trainees.find(name)
            if trainee is not None and trainee.trainer_id == account.id:
                return name
    raise UnknownIdError("trainee", name, hint="not one of the trainees you can see")
