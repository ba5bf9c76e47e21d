"""Wire schemas for sign-up confirmation, password reset and change, sessions and tokens."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Annotated

from pydantic import BaseModel, Field, StrictStr

from spinecare.entrypoints.web.api._schemas import Strict
from spinecare.services.views import SessionView

TOKEN_FIELD = Field(min_length=1, max_length=200, description="The token from the e-mailed link.")


class AcceptedMessage(BaseModel):
    message: str = Field(description="What happens next. The same whether or not the "
                                     "e-mail already has an account.")


class VerifyRequest(Strict):
    token: StrictStr = TOKEN_FIELD


class ResetRequest(Strict):
    email: StrictStr = Field(max_length=254)


class ResetConfirmRequest(Strict):
    token: StrictStr = TOKEN_FIELD
    new_password: StrictStr = Field(max_length=1024)


class PasswordChangeRequest(Strict):
    current_password: StrictStr = Field(max_length=1024)
    new_password: StrictStr = Field(max_length=1024)


class PasswordChanged(BaseModel):
    ended_sessions: int = Field(description="How many other sign-ins and tokens were ended.")


# The services' SessionView (its fields, their types and their JSON) plus ``current``.
@dataclass(frozen=True, slots=True)
class SessionOut(SessionView):
    """A browser where you are signed in, or an API token: `kind` is 'browser' (a
    signed-in web browser) or 'api' (a token)."""

    current: Annotated[bool, Field(description="True for the credential making this request.")]

    @classmethod
    def seen_by(cls, view: SessionView, session_id: int) -> SessionOut:
        """``view`` as the caller signed in with ``session_id`` sees it."""
        values = {f.name: getattr(view, f.name) for f in fields(SessionView)}
        return cls(**values, current=view.id == session_id)


class EndedSessions(BaseModel):
    ended_sessions: int
