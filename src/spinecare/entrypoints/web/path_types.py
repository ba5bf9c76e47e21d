"""Path segment types for routes: ``{day:isoday}`` matches only YYYY-MM-DD.

A plain ``{day}`` would also match ``summary`` or ``import``, so ``PUT /me/diary/summary``
would reach the day's route (401 or 422) instead of answering 405 Method Not Allowed. The
value stays a string: the service parses it and says what is wrong with a date like
2026-13-45.
"""

from __future__ import annotations

from starlette.convertors import Convertor, register_url_convertor


class IsoDayConvertor(Convertor[str]):
    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("isoday", IsoDayConvertor())
