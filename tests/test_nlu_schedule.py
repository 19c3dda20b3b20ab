"""The days of a reminder schedule read from the owner's message, in the nine languages."""

from __future__ import annotations

import pytest

from nlu.schedule import Schedule, reminder_schedule


@pytest.mark.parametrize(
    ("text", "schedule"),
    [
        ("reminder 3 din pehle aur har hafte due ke baad bhejo", Schedule(3, 7)),
        ("remind 5 days before the due date and every 3 days after", Schedule(5, 3)),
        ("reminders har 10 din pe bhejna", Schedule(None, 10)),
        ("har 2 hafte reminder", Schedule(None, 14)),
        ("रिमाइंडर 3 दिन पहले और हर हफ्ते भेजो", Schedule(3, 7)),
        ("ದಿನಾಂಕಕ್ಕೆ 3 ದಿನ ಮುಂಚೆ ಮತ್ತು ಪ್ರತಿ ವಾರ", Schedule(3, 7)),
        ("প্রতি সপ্তাহে রিমাইন্ডার পাঠাও, ২ দিন আগে", Schedule(2, 7)),  # native digits too
        ("reminder ka schedule badlo", Schedule(None, None)),
        ("har 90 din", Schedule(None, None)),  # past 60 days is no schedule
    ],
)
def test_the_days_said_are_read(text: str, schedule: Schedule) -> None:
    assert reminder_schedule(text) == schedule
