"""The days of a reminder schedule said in a message (`set_reminders`): how many days before the due date,
and every how many days after it. "reminder 3 din pehle aur har hafte" → 3 before, every 7.

Words in the nine languages (and Hinglish), matched as written. What is not said is None: the dialogue asks
for it with buttons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


def _any(*words: str) -> str:
    return "(?:" + "|".join(words) + ")"


# "before": pehle, पहले, आधी (mr), પહેલાં (gu), முன் / முன்னாடி (ta), ముందు (te), ಮುಂಚೆ / ಮೊದಲು (kn), আগে (bn).
_BEFORE = _any(
    "before", "pehle", "pahle", "पहले", "पूर्वी", "आधी", "આગાઉ", "પહેલાં", "પહેલા",
    "முன்னாடி", "முன்பு", "முன்", "ముందు", "ಮುಂಚೆ", "ಮೊದಲು", "আগে",
)  # fmt: skip
# "every": har, हर, प्रत्येक, દર, ஒவ்வொரு, ప్రతి, ಪ್ರತಿ, প্রতি.
_EVERY = _any("every", "each", "har", "हर", "प्रत्येक", "दर", "દર", "દરેક", "ஒவ்வொரு", "ప్రతి", "ಪ್ರತಿ", "প্রতি")
_DAYS = _any(
    "days?", "din", "दिन", "दिवस", "દિવસ", "நாள்", "நாட்கள்", "நாளுக்கு", "రోజు", "రోజులు", "రోజుల",
    "ದಿನ", "ದಿನಗಳು", "ದಿನಕ್ಕೆ", "দিন",
)  # fmt: skip
_WEEK = _any(
    "weeks?", "hafte", "hafta", "हफ्ते", "हफ़्ते", "हफ्ता", "सप्ताह", "आठवड्याला", "आठवडा", "અઠવાડિયે",
    "અઠવાડિયા", "வாரம்", "வாரத்துக்கு", "వారం", "వారానికి", "ವಾರ", "ವಾರಕ್ಕೆ", "সপ্তাহে", "সপ্তাহ",
)  # fmt: skip
_NUMBER = r"(\d{1,2})"
_BEFORE_SAID = re.compile(rf"{_NUMBER}\s*{_DAYS}?\s*(?:\S+\s+)?{_BEFORE}", re.IGNORECASE)
_EVERY_DAYS = re.compile(rf"{_EVERY}\s*{_NUMBER}\s*{_DAYS}", re.IGNORECASE)
_EVERY_WEEK = re.compile(rf"{_EVERY}\s*(?:{_NUMBER}\s*)?{_WEEK}", re.IGNORECASE)
_WEEKLY = re.compile(r"\b(?:weekly|hafte\s+mein|हफ्ते\s+में)\b", re.IGNORECASE)
# A step longer than this is no reminder schedule (a typo, or a date).
MAX_DAYS = 60


@dataclass(frozen=True)
class Schedule:
    before_days: int | None = None
    every_days: int | None = None


def reminder_schedule(text: str) -> Schedule:
    """The days said, each None when not said (or not sensible: more than 60)."""
    before = _BEFORE_SAID.search(text)
    every_days = _EVERY_DAYS.search(text)
    every_week = _EVERY_WEEK.search(text)
    every: int | None = None
    if every_days:
        every = int(every_days.group(1))
    elif every_week:
        every = 7 * int(every_week.group(1) or 1)
    elif _WEEKLY.search(text):
        every = 7
    return Schedule(_sensible(int(before.group(1)) if before else None), _sensible(every))


def _sensible(days: int | None) -> int | None:
    return days if days is not None and 0 < days <= MAX_DAYS else None
