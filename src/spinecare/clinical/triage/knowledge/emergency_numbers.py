"""Emergency telephone numbers by country (ISO 3166-1 alpha-2), chosen in settings.

The default is 112, which reaches emergency services from any mobile phone in the
European Union and in many other countries (Directive (EU) 2018/1972, art. 109);
the result always notes that the local number applies.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class EmergencyContact:
    country: str
    number: str
    note: str


DEFAULT_NOTE = (
    "112 works from mobile phones in the EU and many other countries; if your country uses "
    "another emergency number, call that."
)

# Ambulance numbers where a country has several services.
NUMBERS: dict[str, str] = {
    "AT": "112 or 144", "AU": "000 (112 from mobiles)", "BE": "112", "BR": "192",
    "CA": "911", "CH": "144 or 112", "CN": "120", "CZ": "112 or 155", "DE": "112",
    "DK": "112", "ES": "112", "FI": "112", "FR": "15 or 112", "GB": "999 or 112",
    "GR": "112 or 166", "HK": "999", "IE": "112 or 999", "IL": "101", "IN": "112",
    "IT": "112 or 118", "JP": "119", "KR": "119", "MX": "911", "NL": "112", "NO": "113",
    "NZ": "111", "PL": "112 or 999", "PT": "112", "SE": "112", "SG": "995", "US": "911",
    "ZA": "10177 (112 from mobiles)",
}


def emergency_contact(country: str = "") -> EmergencyContact:
    code = (country or "").strip().upper()
    if code in NUMBERS:
        return EmergencyContact(code, NUMBERS[code], f"Emergency number for {code}.")
    return EmergencyContact("", "112", DEFAULT_NOTE)
