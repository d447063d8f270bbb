"""Looking after accounts: passwords, the list, linking a trainee's records, deleting.

The operator does these from the command line (``hingecoach account ...``); a person
changes their own password on the Account page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine, select

from hingecoach.errors import AuthenticationError, ConflictError, UnknownIdError
from hingecoach.services.accounts import (
    NO_PASSWORD,
    authenticate,
    check_password,
    hash_password,
    normal_email,
)
from hingecoach.services.uow import UnitOfWork
from hingecoach.services.web_sessions import end_all_sessions
from hingecoach.store.records import TraineeRecord, UserRecord

__all__ = [
    "AccountRow",
    "change_password",
    "delete_account",
    "link_trainee",
    "list_accounts",
    "set_password",
]


@dataclass(frozen=True)
class AccountRow:
    email: str
    name: str
    role: str
    trainee: str | None  # the trainee records a trainee signs in to
    trainer: str | None  # a trainee's trainer, by email
    status: str  # active | invited | not assessed
    last_login_at: dt.datetime | None


def _user(uow: UnitOfWork, email: str) -> UserRecord:
    user = uow.users.by_email(normal_email(email))
    if user is None:
        raise UnknownIdError("account", email, hint="see `hingecoach account list`")
    return user


def set_password(engine: Engine, email: str, password: str) -> None:
    """The operator sets a password; every sign-in of the account ends."""
    with UnitOfWork(engine) as uow:
        user = _user(uow, email)
        check_password(password, user.email)
        user.password_hash = hash_password(password)
        user_id = user.id
        uow.commit()
    end_all_sessions(engine, user_id)


def change_password(
    engine: Engine, user_id: int, current: str, new: str, now: dt.datetime, *, keep: str | None
) -> None:
    """A person changes their own password (the current one first); their other
    sign-ins end, the session ``keep`` stays."""
    with UnitOfWork(engine) as uow:
        user = uow.users.by_id(user_id)
        if user is None:
            raise AuthenticationError("sign in again: this account no longer exists")
        email = user.email
    try:
        authenticate(engine, email, current, now)
    except AuthenticationError:
        raise AuthenticationError("the current password is not right; nothing changed") from None
    check_password(new, email)
    with UnitOfWork(engine) as uow:
        user = uow.users.by_id(user_id)
        assert user is not None
        user.password_hash = hash_password(new)
        uow.commit()
    end_all_sessions(engine, user_id, keep=keep)


def delete_account(engine: Engine, email: str) -> str:
    """Delete a sign-in (a trainee's records stay, for the trainer and the CLI)."""
    with UnitOfWork(engine) as uow:
        user = _user(uow, email)
        email = user.email
        uow.db.delete(user)
        uow.commit()
    return email


def link_trainee(engine: Engine, email: str, trainee_name: str) -> None:
    """Give existing trainee records a sign-in: the trainee account ``email`` opens them."""
    with UnitOfWork(engine) as uow:
        user = _user(uow, email)
        if user.role != "trainee":
            raise ConflictError(f"{user.email} is a trainer's account; link a trainee's")
        trainee = uow.trainees.get(trainee_name)
        if trainee.user_id is not None and trainee.user_id != user.id:
            raise ConflictError(f"{trainee.name} already signs in with another account")
        current = uow.users.trainee_of(user)
        if current is not None and current.id != trainee.id:
            raise ConflictError(f"{user.email} already opens {current.name}'s records")
        trainee.user_id = user.id
        if trainee.trainer_id is None and user.trainer_id is not None:
            trainee.trainer_id = user.trainer_id
        uow.commit()


def list_accounts(engine: Engine) -> list[AccountRow]:
    with UnitOfWork(engine) as uow:
        users = uow.db.scalars(select(UserRecord).order_by(UserRecord.role, UserRecord.email))
        trainees = {
            t.user_id: t.name
            for t in uow.db.scalars(select(TraineeRecord).where(TraineeRecord.user_id.is_not(None)))
        }
        emails = dict(uow.db.execute(select(UserRecord.id, UserRecord.email)).tuples().all())
        rows = []
        for user in users:
            trainee = trainees.get(user.id)
            if user.password_hash == NO_PASSWORD:
                status = "invited"
            elif user.role == "trainee" and trainee is None:
                status = "not assessed"
            else:
                status = "active"
            rows.append(
                AccountRow(
                    email=user.email,
                    name=user.display_name,
                    role=user.role,
                    trainee=trainee,
                    trainer=emails.get(user.trainer_id) if user.trainer_id else None,
                    status=status,
                    last_login_at=user.last_login_at,
                )
            )
        return rows
