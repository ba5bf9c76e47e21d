"""Authorization rules for reminders (pages/reminders.py, api/reminders.py).

The stop link and the calendar feed are opened by the secret in their address, never by a
sign-in: with a made-up secret every role, signed in or not, is refused (404). That a
real calendar key opens only the feed is tested in tests/e2e/api/test_api_reminders.py.
"""

PATIENTS = ["patient_a", "patient_b"]
NOBODY: list[str] = []

REMINDERS = {"timezone": "Europe/London", "diary_enabled": True, "diary_time": "20:00",
             "exercise_enabled": True, "exercise_time": "10:00", "exercise_days": [0, 3]}

RULES = [
    {"route": "GET /api/v1/me/reminders", "allow": PATIENTS},
    {"route": "PUT /api/v1/me/reminders", "allow": PATIENTS, "json": REMINDERS},
    {"route": "POST /api/v1/me/reminders/calendar", "allow": PATIENTS},
    {"route": "GET /reminders", "allow": PATIENTS},
    {"route": "POST /reminders", "allow": PATIENTS,
     "form": {"csrf_token": "{csrf}", "timezone": "Europe/London", "diary_enabled": "yes",
              "diary_time": "20:00", "exercise_time": "10:00"}},
    {"route": "POST /reminders/calendar", "allow": PATIENTS, "form": {"csrf_token": "{csrf}"}},
    {"route": "GET /reminders/calendar/{key}.ics", "allow": NOBODY,
     "params": {"key": "not-a-real-calendar-key"}},
    {"route": "GET /reminders/stop/{secret}", "allow": NOBODY,
     "params": {"secret": "not-a-real-stop-secret"}},
    {"route": "POST /reminders/stop/{secret}", "allow": NOBODY,
     "params": {"secret": "not-a-real-stop-secret"},
     "form": {"List-Unsubscribe": "One-Click"}},
]
