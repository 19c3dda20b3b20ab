"""The simulator spec's scenario with every message written in each of the nine language varieties: the
invoice, its confirmation, the customer's promise (acknowledged in their language), their "paid" claim,
the owner's confirmation and the outstanding that no longer counts the bill."""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple

import pytest
from fastapi.testclient import TestClient

from bot.i18n import default_locales
from tests.chat import OWNER, SHARMA, post_message, seed, texts_to


class Script(NamedTuple):
    """The six messages of the scenario in one language."""

    bill: str
    send: str
    promise: str
    paid: str
    received: str
    outstanding: str


SCENARIOS = {
    "en": Script(
        "Make a bill for Sharma Traders: 50 bags cement at 380 per bag, 18% GST",
        "yes send it",
        "I will pay by tomorrow",
        "payment done, UTR 412345678901",
        "yes received",
        "how much is outstanding?",
    ),
    "hi-Latn": Script(
        "Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST",
        "haan bhej do",
        "kal tak kar dunga",
        "payment kar diya UTR 412345678901",
        "haan mil gaya",
        "kitna baaki hai",
    ),
    "hi": Script(
        "शर्मा ट्रेडर्स को 50 बैग सीमेंट का बिल बनाओ 380 प्रति बैग 18% GST",
        "हाँ भेज दो",
        "कल तक कर दूंगा",
        "पेमेंट कर दिया UTR 412345678901",
        "हाँ मिल गया",
        "कितना बाकी है",
    ),
    "mr": Script(
        "शर्मा ट्रेडर्स साठी 50 बॅग सिमेंटचे बिल बनवा 380 रुपये प्रति बॅग 18% GST",
        "हो पाठवा",
        "उद्यापर्यंत पैसे देतो",
        "पेमेंट केले UTR 412345678901",
        "हो मिळाले",
        "किती बाकी आहे",
    ),
    "gu": Script(
        "શર્મા ટ્રેડર્સ માટે 50 બેગ સિમેન્ટનું બિલ બનાવો 380 પ્રતિ બેગ 18% GST",
        "હા મોકલી દો",
        "કાલ સુધીમાં ચૂકવી દઈશ",
        "પેમેન્ટ કરી દીધું UTR 412345678901",
        "હા મળી ગયા",
        "કેટલું બાકી છે",
    ),
    "ta": Script(
        "ஷர்மா டிரேடர்ஸ்க்கு 50 பேக் சிமெண்ட் பில் போடு பேக்குக்கு 380 18% GST",
        "ஆமா அனுப்பு",
        "நாளைக்குள் கட்டிடுவேன்",
        "பணம் கட்டிட்டேன் UTR 412345678901",
        "ஆமா வந்துடுச்சு",
        "எவ்வளவு பாக்கி இருக்கு",
    ),
    "te": Script(
        "శర్మ ట్రేడర్స్ కి 50 బస్తాల సిమెంట్ బిల్ వేయి బస్తాకు 380 18% GST",
        "అవును పంపు",
        "రేపటికల్లా కడతాను",
        "పేమెంట్ చేశాను UTR 412345678901",
        "అవును వచ్చింది",
        "ఎంత బాకీ ఉంది",
    ),
    "kn": Script(
        "ಶರ್ಮಾ ಟ್ರೇಡರ್ಸ್ ಗೆ 50 ಚೀಲ ಸಿಮೆಂಟ್ ಬಿಲ್ ಮಾಡಿ ಚೀಲಕ್ಕೆ 380 18% GST",
        "ಹೌದು ಕಳಿಸಿ",
        "ನಾಳೆ ಒಳಗೆ ಕಟ್ಟುತ್ತೇನೆ",
        "ಪೇಮೆಂಟ್ ಮಾಡಿದ್ದೇನೆ UTR 412345678901",
        "ಹೌದು ಬಂತು",
        "ಎಷ್ಟು ಬಾಕಿ ಇದೆ",
    ),
    "bn": Script(
        "শর্মা ট্রেডার্সকে 50 বস্তা সিমেন্টের বিল বানাও বস্তা প্রতি 380 টাকা 18% GST",
        "হ্যাঁ পাঠাও",
        "কাল দিয়ে দেব",
        "পেমেন্ট করে দিয়েছি UTR 412345678901",
        "হ্যাঁ পেয়েছি",
        "কত বাকি আছে",
    ),
}


@pytest.mark.parametrize("language", list(SCENARIOS))
def test_the_spec_scenario_in_every_language(client: TestClient, language: str) -> None:
    said = SCENARIOS[language]
    seed(client, language=language)
    locales = default_locales()

    replies = post_message(client, OWNER, said.bill, "m1")
    summary = texts_to(replies, OWNER)
    assert "₹22,420" in summary and "₹19,000" in summary, summary
    assert any(b["id"] == "affirm" for r in replies for b in r["buttons"])
    assert texts_to(replies, SHARMA) == ""

    replies = post_message(client, OWNER, said.send, "m2")
    to_customer = [r for r in replies if r["to"] == SHARMA]
    assert len(to_customer) == 1, replies
    assert "₹22,420" in str(to_customer[0]["text"]) and "/pay/" in str(to_customer[0]["text"])
    assert [media["mime_type"] for media in to_customer[0]["media"]][:1] == ["application/pdf"]
    assert re.search(r"INV-2026-27-\d{4}", texts_to(replies, OWNER))

    replies = post_message(client, SHARMA, said.promise, "m3")
    noted = locales.render("collections.promise_noted", language, {"date": date(2026, 12, 2)})
    assert noted in texts_to(replies, SHARMA)  # the date understood, the answer in the customer's language

    replies = post_message(client, SHARMA, said.paid, "m4")
    ask = texts_to(replies, OWNER)
    assert "₹22,420" in ask and "412345678901" in ask, ask

    post_message(client, OWNER, said.received, "m5")
    outstanding = texts_to(post_message(client, OWNER, said.outstanding, "m6"), OWNER)
    assert outstanding and "22,420" not in outstanding
