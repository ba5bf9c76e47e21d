"""Who is asking: every use case that touches health data takes an ``Actor``."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("patient", "clinician", "admin")


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int | None
    role: str  # patient | clinician | admin | anonymous
    ip: str = ""
    approved: bool = True

    @classmethod
    def anonymous(cls, ip: str = "") -> Actor:
        return cls(None, "anonymous", ip, False)

    @classmethod
    def system(cls, name: str = "cli") -> Actor:
        """The host's own tools (CLI, demo loader): audited as role ``system``."""
        return cls(None, "system", name, True)

    @property
    def is_patient(self) -> bool:
        return self.role == "patient" and self.user_id is not None

    @property
    def is_clinician(self) -> bool:
        return self.role == "clinician" and self.user_id is not None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin" and self.user_id is not None

    @property
    def administers(self) -> bool:
        """An administrator, or the host's own tools: may manage other people's accounts."""
        return self.is_admin or self.role == "system"
