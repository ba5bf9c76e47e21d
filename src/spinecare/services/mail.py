"""Outgoing e-mail: confirm an address, reset a password, "you already have an account".

``SmtpMailer`` sends through the ``SPINECARE_SMTP_*`` settings; with no SMTP host,
``ConsoleMailer`` prints the message to the server's console and says it was not sent
(development and ``make run``). Messages carry links and account words only, never
health data. A failure to send is logged without the address or the link and does not
change the answer the person gets (that answer must not depend on the account existing).
"""

from __future__ import annotations

import logging
import smtplib
import ssl
import sys
from contextlib import suppress
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

from spinecare.settings import Settings

log = logging.getLogger("spinecare.mail")
SMTP_TIMEOUT_SECONDS = 10


@dataclass(frozen=True, slots=True)
class Mail:
    to: str
    subject: str
    text: str
    # Extra header lines, e.g. List-Unsubscribe (RFC 8058) on reminders.
    headers: tuple[tuple[str, str], ...] = ()


class MailNotSent(Exception):
    """The SMTP server could not be reached or refused the message (no address in it)."""


class Mailer(Protocol):
    def send(self, mail: Mail) -> None: ...


def _message(mail: Mail, sender: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message["Message-ID"] = make_msgid(domain="spinecare")
    for name, value in mail.headers:
        message[name] = value
    message.set_content(mail.text)
    return message


class SmtpMailer:
    def __init__(self, settings: Settings):
        self.settings = settings

    def send(self, mail: Mail) -> None:
        """Send, or log that it could not be sent (the caller's answer does not change)."""
        with suppress(MailNotSent):  # logged in deliver(), without the address
            self.deliver(mail)

    def deliver(self, mail: Mail) -> None:
        """Send, or raise ``MailNotSent`` (for callers that retry: reminders)."""
        s = self.settings
        message = _message(mail, s.mail_from)
        try:
            if s.smtp_tls == "ssl":
                context = ssl.create_default_context()
                with smtplib.SMTP_SSL(s.smtp_host, s.smtp_port, timeout=SMTP_TIMEOUT_SECONDS,
                                      context=context) as smtp:
                    self._deliver(smtp, message)
            else:
                with smtplib.SMTP(s.smtp_host, s.smtp_port,
                                  timeout=SMTP_TIMEOUT_SECONDS) as smtp:
                    if s.smtp_tls == "starttls":
                        smtp.starttls(context=ssl.create_default_context())
                    self._deliver(smtp, message)
        except (OSError, smtplib.SMTPException) as exc:
            # No address, subject or link in the log: the error class says enough.
            log.warning("could not send an e-mail through %s:%s (%s)",
                        s.smtp_host, s.smtp_port, type(exc).__name__)
            raise MailNotSent(type(exc).__name__) from exc

    def _deliver(self, smtp: smtplib.SMTP, message: EmailMessage) -> None:
        if self.settings.smtp_user:
            smtp.login(self.settings.smtp_user, self.settings.smtp_password)
        smtp.send_message(message)


class ConsoleMailer:
    """No SMTP configured: show the message on the console so a developer can click it."""

    def __init__(self, settings: Settings):
        self.settings = settings

    def send(self, mail: Mail) -> None:
        banner = "=" * 72
        print(
            f"{banner}\nspinecare: no SMTP server is configured (SPINECARE_SMTP_HOST), so this "
            f"e-mail was NOT sent.\nIt is printed here instead:\n\nTo: {mail.to}\n"
            f"Subject: {mail.subject}\n\n{mail.text}\n{banner}",
            file=sys.stderr, flush=True,
        )


def build_mailer(settings: Settings) -> Mailer:
    return SmtpMailer(settings) if settings.smtp_host else ConsoleMailer(settings)
