"""A JSON document as a file download: the one shape of every "download my data" door
(the account page and the API, the data export and the FHIR Bundle)."""

from __future__ import annotations

import json

from fastapi.responses import Response


def download(data: object, filename: str, media_type: str = "application/json") -> Response:
    """``data`` as indented UTF-8 JSON, saved as ``filename``. Health data, never cached:
    ``Cache-Control: no-store`` is said here, not left to the security-headers middleware."""
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type=media_type,
        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                 "Cache-Control": "no-store"},
    )
