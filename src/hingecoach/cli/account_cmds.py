"""``hingecoach account ...``: sign-ins for the web app, for the person who installs it.

Passwords are never arguments (they would stay in the shell's history and show in the
process list): asked twice on a terminal, or read from standard input's first line with
``--password-stdin``.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Annotated

import typer

from hingecoach.cli.context import get_engine
from hingecoach.cli.output import console, print_json

app = typer.Typer(help="Sign-ins for the web app: add, list, set-password, delete, link, invite.")

JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]
StdinOpt = Annotated[
    bool,
    typer.Option("--password-stdin", help="Read the password from standard input's first line."),
]
BASE_URL_ENV = "HINGECOACH_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8000"


def _password(from_stdin: bool) -> str:
    from hingecoach.errors import InputError

    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise InputError("no password on standard input; send it as the first line")
        return line
    if not sys.stdin.isatty():
        raise InputError("no terminal to ask for the password; use --password-stdin")
    first = typer.prompt("Password", hide_input=True)
    if typer.prompt("Again", hide_input=True) != first:
        raise InputError("the two passwords differ; nothing changed, try again")
    return str(first)


@app.command("add")
def add(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The email they sign in with.")],
    role: Annotated[str, typer.Option(help="trainer or trainee")],
    name: Annotated[
        str | None, typer.Option(help="The name shown (default: from the email).")
    ] = None,
    trainee: Annotated[
        str | None,
        typer.Option(help="A trainee's existing records (omit: the first assessment makes them)."),
    ] = None,
    trainer: Annotated[str | None, typer.Option(help="A new trainee's trainer, by email.")] = None,
    password_stdin: StdinOpt = False,
) -> None:
    """Add an account; the password is asked twice (or read with --password-stdin)."""
    from hingecoach.errors import InputError
    from hingecoach.services.accounts import create_account

    if role not in ("trainer", "trainee"):
        raise InputError(f"--role is trainer or trainee, not {role!r}")
    engine = get_engine(ctx)
    trainer_id = _trainer_id(engine, trainer) if trainer else None
    account = create_account(
        engine,
        email=email,
        password=_password(password_stdin),
        display_name=name or trainee or email.partition("@")[0],
        role="trainer" if role == "trainer" else "trainee",
        trainee_name=trainee,
        trainer_id=trainer_id,
    )
    what = f", signing in to {account.trainee_name}'s records" if account.trainee_name else ""
    console().print(f"Added the {account.role} account {account.email}{what}.")


def _trainer_id(engine: object, email: str) -> int:
    from hingecoach.errors import UnknownIdError
    from hingecoach.services.accounts import normal_email
    from hingecoach.services.uow import UnitOfWork

    with UnitOfWork(engine) as uow:  # type: ignore[arg-type]
        user = uow.users.by_email(normal_email(email))
        if user is None or user.role != "trainer":
            raise UnknownIdError("trainer", email, hint="add them with --role trainer first")
        return user.id


@app.command("list")
def list_(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    """Every account: email, name, role, status, whose records, last sign-in."""
    from dataclasses import asdict

    from hingecoach.services.account_admin import list_accounts

    rows = list_accounts(get_engine(ctx))
    if as_json:
        print_json([asdict(r) | {"last_login_at": _iso(r.last_login_at)} for r in rows])
        return
    if not rows:
        console().print("No accounts yet. Add the first trainer with:")
        console().print("  hingecoach account add EMAIL --role trainer")
        return
    from rich.table import Table

    table = Table("Email", "Name", "Role", "Status", "Records", "Trainer", "Last sign-in")
    for r in rows:
        last = r.last_login_at.strftime("%Y-%m-%d %H:%M") if r.last_login_at else "never"
        table.add_row(r.email, r.name, r.role, r.status, r.trainee or "", r.trainer or "", last)
    console().print(table)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


@app.command("set-password")
def set_password(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The account's email.")],
    password_stdin: StdinOpt = False,
) -> None:
    """Set a new password (their sign-ins in browsers end)."""
    from hingecoach.services.account_admin import set_password as set_it

    set_it(get_engine(ctx), email, _password(password_stdin))
    console().print(f"Password set for {email.strip().lower()}; they sign in with it now.")


@app.command("delete")
def delete(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The account's email.")],
) -> None:
    """Delete a sign-in. A trainee's records stay (see `hingecoach trainee delete`)."""
    from hingecoach.services.account_admin import delete_account

    gone = delete_account(get_engine(ctx), email)
    console().print(f"Deleted the account {gone}. Their records, if any, are kept.")


@app.command("link")
def link(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="A trainee's account.")],
    trainee: Annotated[str, typer.Option(help="The trainee records it signs in to.")],
) -> None:
    """Give an existing trainee's records a sign-in (the account must be a trainee's)."""
    from hingecoach.services.account_admin import link_trainee

    link_trainee(get_engine(ctx), email, trainee)
    console().print(f"{email.strip().lower()} now signs in to {trainee}'s records.")


@app.command("invite")
def invite(
    ctx: typer.Context,
    email: Annotated[str, typer.Argument(help="The new client's email.")],
    trainer: Annotated[str, typer.Option(help="Their trainer, by email.")],
    name: Annotated[str | None, typer.Option(help="Their name (default: from the email).")] = None,
    base_url: Annotated[
        str | None,
        typer.Option(help=f"The site's address for the link (default: ${BASE_URL_ENV})."),
    ] = None,
) -> None:
    """Invite a client of TRAINER and print the link (single use, valid 7 days) to send."""
    from hingecoach.services.account_links import invite_client
    from hingecoach.web.settings import WebSettings

    engine = get_engine(ctx)
    invitation = invite_client(
        engine,
        _trainer_id(engine, trainer),
        email=email,
        name=name or email.partition("@")[0],
        now=dt.datetime.now(dt.UTC),
        lifetime=dt.timedelta(days=WebSettings.invite_days),
    )
    root = (base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL).rstrip("/")
    console().print(
        f"Invited {invitation.name} <{invitation.email}>. Send them this link "
        f"(single use, until {invitation.expires_at:%d %b %Y}):"
    )
    typer.echo(f"{root}/invite/{invitation.token}")
