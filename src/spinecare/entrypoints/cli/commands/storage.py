"""CLI: the database, demo data, accounts and the web server.

    spinecare db upgrade            apply migrations (SQLite file, or SPINECARE_DATABASE_URL)
    spinecare demo load             a clinician and two patients with history (idempotent)
    spinecare serve --host --port --workers
    spinecare users approve EMAIL   let a clinician see patients who grant access
    spinecare users create-admin    an administrator account (password from a prompt)
    spinecare users list
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import typer

from spinecare.entrypoints.cli.common import console, fail, print_json, spinecare_app

db_app = typer.Typer(
    help="The database: apply migrations, show the schema version.", no_args_is_help=True
)
demo_app = typer.Typer(help="Demo data to try spinecare out.", no_args_is_help=True)
users_app = typer.Typer(
    help="Accounts: approve clinicians, sign people out, create administrators.",
    no_args_is_help=True,
)


def _where(url: str) -> str:
    """The database location without any password (never print secrets)."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@contextmanager
def _cli_errors() -> Iterator[None]:
    """Database and service errors as one clear line, never a traceback."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from spinecare.services.errors import InvalidInput, ServiceError

    try:
        yield
    except InvalidInput as exc:
        fail("; ".join(f"{k} {v}" for k, v in exc.problems.items()))
    except ServiceError as exc:
        fail(exc.message)
    except (OperationalError, ProgrammingError) as exc:
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else type(exc).__name__
        fail(
            f"cannot use the database: {reason}",
            "Check SPINECARE_DATABASE_URL (or SPINECARE_DATA_DIR) and run `spinecare db upgrade`.",
        )


def _services() -> Any:
    return spinecare_app().services


def _require_migrated(services: Any) -> None:
    from spinecare.adapters.storage import migrate

    if not migrate.is_up_to_date(services.db):
        fail(
            "the database is not up to date.",
            "Run `spinecare db upgrade` first (it is safe to run again).",
        )


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or upgrade the database schema. Safe to run again."""
    from spinecare.adapters.storage import migrate

    app = spinecare_app()
    config = app.settings
    with _cli_errors():
        before, after = migrate.upgrade(app.database)
    where = _where(config.database_url)
    if before == after:
        console.print(
            f"Database {where} is up to date (schema {after}).", highlight=False, soft_wrap=True
        )
    else:
        console.print(
            f"Database {where} upgraded from {before or 'empty'} to schema {after}.",
            highlight=False,
            soft_wrap=True,
        )


@db_app.command("current")
def db_current() -> None:
    """Show the schema version of the database and the newest one this version knows."""
    from spinecare.adapters.storage import migrate

    app = spinecare_app()
    config = app.settings
    with _cli_errors():
        current = migrate.current_revision(app.database)
    console.print(
        f"{_where(config.database_url)}: schema {current or 'none'} "
        f"(newest: {migrate.head_revision()})",
        highlight=False,
        soft_wrap=True,
    )


@demo_app.command("load")
def demo_load() -> None:
    """Load a demo clinician, two patients with a few months of history, and an admin."""
    from spinecare.services import demo

    with _cli_errors():
        services = _services()
        _require_migrated(services)
        loaded, accounts = demo.load(services)
    console.print(
        "Demo data loaded." if loaded else "Demo data is already there (nothing changed).",
        highlight=False,
    )
    console.print(
        "Sign in (once `spinecare serve` runs) at http://127.0.0.1:8000/signin with:",
        highlight=False,
        soft_wrap=True,
    )
    for account in accounts:
        console.print(
            f"  {account.role:<9} {account.name:<22} {account.email:<26} "
            f"password: {account.password}",
            highlight=False,
            soft_wrap=True,
        )


@users_app.command("approve")
def users_approve(
    email: str = typer.Argument(..., help="The clinician's account e-mail."),
    revoke: bool = typer.Option(False, "--revoke", help="Withdraw the approval instead."),
) -> None:
    """Approve a clinician account (until then, they see no patient)."""
    from spinecare.services.actor import Actor

    with _cli_errors():
        services = _services()
        user = services.accounts.by_email(email)
        if user is None:
            fail(f"no account with the e-mail {email}", "See `spinecare users list`.")
        user = services.accounts.set_approved(Actor.system(), user.id, not revoke)
    state = "approved" if user.approved else "no longer approved"
    console.print(f"{user.name} <{user.email}> is {state}.", highlight=False)


@users_app.command("sign-out")
def users_sign_out(
    email: str = typer.Argument(..., help="The account's e-mail."),
) -> None:
    """Sign a person out everywhere: every browser session and API token ends now
    (a lost phone, a leaked token). Their password is unchanged."""
    from spinecare.services.actor import Actor

    with _cli_errors():
        services = _services()
        user = services.accounts.by_email(email)
        if user is None:
            fail(f"no account with the e-mail {email}", "See `spinecare users list`.")
        ended = services.sessions.revoke_all_for(Actor.system(), user.id)
    plural = "" if ended == 1 else "s"
    console.print(f"{user.name} <{user.email}>: {ended} sign-in{plural} ended.", highlight=False)


@users_app.command("create-admin")
def users_create_admin(
    email: str = typer.Option(..., "--email", help="The administrator's e-mail."),
    name: str = typer.Option("Administrator", "--name"),
) -> None:
    """Create an administrator. The password is read from SPINECARE_ADMIN_PASSWORD or a prompt."""
    password = os.environ.get("SPINECARE_ADMIN_PASSWORD") or typer.prompt(
        "Password (at least 10 characters)", hide_input=True, confirmation_prompt=True
    )
    with _cli_errors():
        user = _services().accounts.create_admin(email, password, name)
    console.print(f"Administrator {user.name} <{user.email}> created.", highlight=False)


@users_app.command("list")
def users_list(
    role: str = typer.Option("", "--role", help="patient, clinician or admin"),
    as_json: bool = typer.Option(False, "--json", help="Print JSON."),
) -> None:
    """List accounts (no health data)."""
    from rich.table import Table

    from spinecare.services.actor import Actor

    if role and role not in ("patient", "clinician", "admin"):
        fail(f"unknown role {role!r}", "Use patient, clinician or admin.")
    with _cli_errors():
        users = _services().accounts.list_users(Actor.system(), role or None)
    if as_json:
        print_json([u.to_dict() for u in users])
        return
    table = Table("id", "role", "name", "e-mail", "approved")
    for u in users:
        table.add_row(str(u.id), u.role, u.name, u.email, "yes" if u.approved else "no")
    console.print(table)


def _demo_accounts_present(services: Any) -> list[str]:
    """The published demo accounts found in this database (security review finding 19).

    Found by e-mail, not by trying the published passwords: a demo e-mail means the demo's
    made-up patients are in the database, whatever the password is now, and checking needs
    no password hashing (argon2) or sign-in attempt at every start.
    """
    from spinecare.services.demo import ACCOUNTS

    return [a.email for a in ACCOUNTS if services.accounts.by_email(a.email) is not None]


def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535),
    workers: int = typer.Option(1, "--workers", min=1, max=64, help="Worker processes."),
    forwarded_allow_ips: str = typer.Option(
        "127.0.0.1", "--forwarded-allow-ips",
        help="Proxies whose X-Forwarded-For/-Proto are trusted (your reverse proxy).",
    ),
    http: str = typer.Option(
        "auto", "--http", help="HTTP parser: auto (httptools when installed), h11, httptools."
    ),
    loop: str = typer.Option(
        "auto", "--loop", help="Event loop: auto (uvloop when installed), asyncio, uvloop."
    ),
) -> None:
    """Serve the web app and the JSON API (docs at /api/docs)."""
    import importlib.util

    from spinecare.bootstrap import SecretKeyError

    if http not in ("auto", "h11", "httptools") or loop not in ("auto", "asyncio", "uvloop"):
        fail("--http must be auto, h11 or httptools; --loop auto, asyncio or uvloop")
    for option, choice, module in (("--http", http, "httptools"), ("--loop", loop, "uvloop")):
        if choice == module and importlib.util.find_spec(module) is None:
            fail(f"{module} is not installed", f"pip install {module}, or use {option} auto")
    if not os.environ.get("SPINECARE_BASE_URL"):
        # Links in e-mails must reach this server; never guessed from a request's Host.
        shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        os.environ["SPINECARE_BASE_URL"] = f"http://{shown}:{port}"
    app = spinecare_app()  # after SPINECARE_BASE_URL is set: the settings read it
    config = app.settings
    with _cli_errors():
        services = app.services
        _require_migrated(services)
        demo_accounts = _demo_accounts_present(services)
        app.close()  # the workers open their own connections
    # Create the secret key once, before workers start, so they all read the same one.
    try:
        app.secret_key  # noqa: B018  (read or created now)
    except SecretKeyError as exc:
        fail(f"cannot use the secret key: {exc}")
    except (OSError, RuntimeError) as exc:
        fail(f"cannot set up the secret key: {exc}", "Or set SPINECARE_SECRET_KEY.")
    console.print(
        f"spinecare on http://{host}:{port}  (database {_where(config.database_url)}, "
        f"{workers} worker{'s' if workers > 1 else ''}); Ctrl+C stops it.",
        highlight=False,
        soft_wrap=True,
    )
    if config.smtp_host:
        console.print(f"E-mail goes through {config.smtp_host}:{config.smtp_port}; links start "
                      f"with {config.base_url}.", highlight=False, soft_wrap=True)
    else:
        console.print("No SMTP server is configured (SPINECARE_SMTP_HOST): e-mails such as "
                      "sign-up confirmations are printed here instead of being sent.",
                      highlight=False, soft_wrap=True)
    if demo_accounts:
        console.print(
            f"[bold yellow]Warning:[/] the demo accounts exist ({', '.join(demo_accounts)}), "
            "and their passwords are published in the README. Fine on your own computer; on a "
            "real installation erase them (DELETE /api/v1/admin/users/{id}) or start from an "
            "empty database.", highlight=False, soft_wrap=True)
    from spinecare.entrypoints.web.server import ServerNotStarted, run_server

    try:
        run_server(
            host=host,
            port=port,
            workers=workers,
            forwarded_allow_ips=forwarded_allow_ips,
            http=http,
            loop=loop,
        )
    except ServerNotStarted:
        fail(f"the server did not start on {host}:{port}", "Is the port already in use?")


def register(app: typer.Typer) -> None:
    """Add this area's commands to the root app."""
    app.add_typer(db_app, name="db")
    app.add_typer(demo_app, name="demo")
    app.add_typer(users_app, name="users")
    app.command("serve")(serve)
