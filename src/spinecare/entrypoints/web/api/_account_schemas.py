"""Wire schemas for sign-up confirmation, password reset and change, sessions and tokens."""

from __future__ import annotations

from pydantic import BaseModel, Field, StrictStr

from spinecare.entrypoints.web.api._schemas import Strict

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


class SessionOut(BaseModel):
    id: int
    kind: str = Field(description="'browser' (a signed-in web browser) or 'api' (a token).")
    label: str
    created_at: str
    last_used_at: str
    expires_at: str
    current: bool = Field(description="True for the credential making this request.")


class EndedSessions(BaseModel):
    ended_sessions: int
