"""The one sender, ``spinecare reminders send``: real CLI processes on the same database
(SQLite and PostgreSQL) and a real SMTP server. Each reminder reaches the inbox exactly
once, whatever the number of senders racing; a second run sends nothing more; a mail
server that is down leaves no delivery behind, and the next run sends it."""

from __future__ import annotations

import os
import subprocess
import uuid
from datetime import UTC, date, datetime

import pytest

from mail_support import Mailbox
from spinecare.adapters.storage.models import DiaryEntry, User, utcnow
from spinecare.services.actor import Actor
from spinecare.services.passwords import hash_password
from web_fixtures import SPINECARE_BIN, TEST_SECRET, free_port

# Monday 2 March 2026, 20:10 in London (GMT): the diary (20:00) and Monday's exercise
# session (10:00) are both due.
NOW = "2026-03-02T20:10:00+00:00"
MONDAY = date(2026, 3, 2)


def _env(settings, *, smtp_port: int | None = None) -> dict[str, str]:  # type: ignore[no-untyped-def]
    env = {**os.environ,
           "SPINECARE_DATA_DIR": str(settings.data_dir),
           "SPINECARE_DATABASE_URL": settings.database_url,
           "SPINECARE_SECRET_KEY": TEST_SECRET,
           "SPINECARE_SMTP_HOST": settings.smtp_host,
           "SPINECARE_SMTP_PORT": str(smtp_port or settings.smtp_port),
           "SPINECARE_SMTP_TLS": "none",
           "SPINECARE_BASE_URL": "http://care.example.org"}
    return env


def _send(settings, *args: str, smtp_port: int | None = None,  # type: ignore[no-untyped-def]
          ) -> subprocess.Popen[str]:
    return subprocess.Popen([str(SPINECARE_BIN), "reminders", "send", "--now", NOW, *args],
                            env=_env(settings, smtp_port=smtp_port), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _patient(services, email: str, *, verified: bool = True) -> int:  # type: ignore[no-untyped-def]
    with services.db.unit_of_work() as repos:
        user = repos.users.add(User(email=email, name="Ana", role="patient",
                                    password_hash=hash_password("x" * 12), approved=True,
                                    email_verified_at=utcnow() if verified else None))
        user_id: int = user.id
    services.reminders.save(
        Actor(user_id, "patient"), timezone="Europe/London", diary_enabled=True,
        diary_time="20:00", exercise_enabled=True, exercise_time="10:00", exercise_days=[0, 3])
    return user_id


def _deliveries(services, patient_id: int) -> list[tuple[str, date, bool]]:  # type: ignore[no-untyped-def]
    with services.db.unit_of_work(write=False) as repos:
        return [(d.kind, d.due_on, d.sent_at is not None)
                for d in repos.reminders.deliveries(patient_id)]


def _subjects(mailbox: Mailbox, email: str) -> list[str]:
    return sorted(m.subject for m in mailbox.to(email))


def test_racing_senders_send_each_reminder_once_and_a_rerun_sends_nothing(
    services, mailbox: Mailbox, settings
) -> None:
    tag = uuid.uuid4().hex[:8]
    people = [f"race-{tag}-{n}@example.org" for n in range(4)]
    ids = [_patient(services, email) for email in people]
    unverified = f"race-{tag}-unconfirmed@example.org"
    _patient(services, unverified, verified=False)
    runs = [_send(settings) for _ in range(3)]  # three timers firing at once
    for run in runs:
        out, err = run.communicate(timeout=120)
        assert run.returncode == 0, out + err
    expected = ["Time for your diary", "Time for your exercise session"]
    for email, patient_id in zip(people, ids, strict=True):
        assert _subjects(mailbox, email) == expected
        assert sorted(_deliveries(services, patient_id)) == [
            ("diary", MONDAY, True), ("exercise", MONDAY, True)]
    assert mailbox.to(unverified) == []  # an unconfirmed address gets nothing
    # A restart (the timer's next run, the same day): nothing more.
    again = _send(settings)
    out, _ = again.communicate(timeout=120)
    assert again.returncode == 0 and "Sent 0" in out
    for email in people:
        assert len(mailbox.to(email)) == 2


def test_a_mail_server_that_is_down_leaves_no_delivery_and_the_next_run_sends_it(
    services, mailbox: Mailbox, settings
) -> None:
    email = f"down-{uuid.uuid4().hex[:8]}@example.org"
    patient_id = _patient(services, email)
    closed_port = free_port()  # nothing listens there
    down = _send(settings, smtp_port=closed_port)
    out, err = down.communicate(timeout=120)
    assert down.returncode == 1, out + err
    assert "could not send 2" in out and "tried again on the next run" in out
    assert email not in out + err  # no address in what the timer logs
    assert _deliveries(services, patient_id) == []
    assert mailbox.to(email) == []
    up = _send(settings)
    out, err = up.communicate(timeout=120)
    assert up.returncode == 0, out + err
    assert _subjects(mailbox, email) == ["Time for your diary",
                                         "Time for your exercise session"]
    assert len(_deliveries(services, patient_id)) == 2


def test_no_diary_reminder_once_todays_diary_is_written(services, mailbox, settings) -> None:
    email = f"kept-{uuid.uuid4().hex[:8]}@example.org"
    patient_id = _patient(services, email)
    with services.db.unit_of_work() as repos:
        repos.diary.add(DiaryEntry(patient_id=patient_id, day=MONDAY, back_pain=3))
    run = _send(settings, "--json")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, out + err
    assert _subjects(mailbox, email) == ["Time for your exercise session"]
    assert _deliveries(services, patient_id) == [("exercise", MONDAY, True)]


def test_dry_run_claims_and_sends_nothing(services, mailbox, settings) -> None:
    email = f"dry-{uuid.uuid4().hex[:8]}@example.org"
    patient_id = _patient(services, email)
    run = _send(settings, "--dry-run")
    out, err = run.communicate(timeout=120)
    assert run.returncode == 0, out + err
    assert f"person {patient_id}: diary for 2026-03-02" in out
    assert mailbox.to(email) == [] and _deliveries(services, patient_id) == []


def test_the_reminder_mail_has_no_health_words_and_a_one_click_stop(
    services, mailbox, settings, client
) -> None:
    email = f"words-{uuid.uuid4().hex[:8]}@example.org"
    patient_id = _patient(services, email)
    report = services.reminders.send_due(datetime(2026, 3, 2, 20, 10, tzinfo=UTC))
    assert {(d.patient_id, d.kind) for d in report.sent} >= {(patient_id, "diary")}
    diary = next(m for m in mailbox.to(email) if m.subject == "Time for your diary")
    body = diary.text.lower()
    for word in ("pain", "symptom", "back", "leg", "spine", "red flag"):
        assert word not in body.replace("come back", "")
    stop = "".join(str(diary.message["List-Unsubscribe"]).split()).strip("<>")  # unfolded
    assert diary.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert stop in diary.text and "/reminders/stop/" in stop
    path = stop.removeprefix("http://127.0.0.1")
    # RFC 8058: the provider POSTs the one-click body, no cookie, no CSRF token.
    client.cookies.clear()
    assert client.get(path).status_code == 200  # a scanner's GET changes nothing
    assert services.reminders.get(Actor(patient_id, "patient")).diary_enabled
    done = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200 and "reminders are off" in done.text
    settings_now = services.reminders.get(Actor(patient_id, "patient"))
    assert not settings_now.diary_enabled and not settings_now.exercise_enabled


@pytest.mark.parametrize("timer", ["systemd", "cron"])
def test_the_documented_timer_runs_the_command(timer: str) -> None:
    from repo_paths import REPO_ROOT

    doc = (REPO_ROOT / "docs" / "reminders.md").read_text(encoding="utf-8")
    if timer == "systemd":
        assert "OnCalendar=*:0/5" in doc and "ExecStart=" in doc
    else:
        assert "*/5 * * * *" in doc
    assert "spinecare reminders send" in doc
