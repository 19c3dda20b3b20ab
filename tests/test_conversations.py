"""Conversations, read like chats: every handler, forms, cancel, context, and awkward messages."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from bot.clock import FrozenClock
from bot.db import Database
from bot.models import Direction, Message
from modules.collections.models import PromiseToPay
from modules.customers.models import Customer
from modules.disputes.models import Dispute
from modules.invoicing.models import Invoice, InvoiceStatus
from modules.payments.models import Payment
from tests.chat import OWNER, SHARMA, Person, seed

GUPTA = "+919822200011"


@pytest.fixture(autouse=True)
def _seeded(client: TestClient) -> None:
    """The spec's business and Sharma Traders (Hinglish), plus Gupta Hardware in Gujarat (English)."""
    seeded = seed(client)
    gupta = client.post(
        f"/api/simulator/businesses/{seeded['business']['id']}/customers",
        json={"name": "Gupta Hardware", "phone": GUPTA, "state_code": "24", "language": "en"},
    )
    assert gupta.status_code == 201


@pytest.fixture
def owner(client: TestClient) -> Person:
    return Person(client, OWNER)


@pytest.fixture
def sharma(client: TestClient) -> Person:
    return Person(client, SHARMA)


@pytest.fixture
def gupta(client: TestClient) -> Person:
    return Person(client, GUPTA)


def _count(db: Database, model: type, **where: object) -> int:
    with db.transaction() as session:
        query = select(func.count()).select_from(model)
        for column, value in where.items():
            query = query.where(getattr(model, column) == value)
        return int(session.scalar(query) or 0)


def _bill_sharma(owner: Person) -> None:
    owner.says("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST")
    owner.says("haan bhej do")


# -- small talk ---------------------------------------------------------------------------------------


def test_greet_help_and_thanks_in_the_language_written(owner: Person, gupta: Person) -> None:
    owner.says("namaste")
    assert "Shree Ganesh Cement Traders" in owner.reply
    assert owner.reply.startswith("Namaste!")  # the owner was registered without a name
    gupta.says("hello")
    assert "Shree Ganesh Cement Traders" in gupta.reply
    gupta.says("what can you do?")
    assert "balance" in gupta.reply and "STOP" in gupta.reply
    owner.says("tum kya kya kar sakte ho?")
    assert "bill banao" in owner.reply  # the owner's help, in Hinglish
    gupta.says("thank you")
    assert "welcome" in gupta.reply.lower()


def test_out_of_scope_points_to_what_it_can_do(gupta: Person) -> None:
    gupta.says("what is the weather like today?")
    assert "help" in gupta.reply.lower()


def test_a_bare_yes_with_nothing_pending_is_answered(gupta: Person) -> None:
    gupta.says("yes")
    assert gupta.replies and "nothing" in gupta.reply.lower()


# -- invoices ------------------------------------------------------------------------------------------


def test_an_invoice_goes_out_only_after_the_owner_confirms(
    owner: Person, sharma: Person, db: Database
) -> None:
    owner.says("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST")
    assert "₹22,420" in owner.reply and "₹19,000" in owner.reply and "₹3,420" in owner.reply
    assert _count(db, Invoice) == 0 and not sharma.got("22,420")
    owner.says("haan bhej do")
    assert "INV-2026-27-0001" in owner.reply
    invoice = sharma.received("INV-2026-27-0001", "₹22,420", "/pay/")
    assert invoice is not None and invoice["media"][0]["mime_type"] == "application/pdf"
    assert _count(db, Invoice, status=InvoiceStatus.SENT) == 1


def test_an_invoice_asks_for_what_is_missing_then_confirms(owner: Person, gupta: Person) -> None:
    owner.says("Gupta ko bill bhejo")
    assert owner.replies and owner.replies[-1]["buttons"][-1]["id"] == "cancel"  # asks for the items
    owner.says("20000")
    assert "GST" in owner.reply  # then the rate, with buttons
    assert any(b["title"] == "18%" for b in owner.replies[-1]["buttons"])
    owner.taps("pick:2")  # 18%
    assert "IGST" in owner.reply and "₹23,600" in owner.reply  # Gujarat: inter-state
    owner.taps("affirm")
    assert gupta.got("₹23,600")


def test_a_wrong_gst_rate_is_explained_and_asked_again(owner: Person) -> None:
    owner.says("Sharma Traders ko 25000 ka bill banao")
    owner.says("17")
    assert "17%" in owner.reply and "GST" in owner.reply
    owner.says("18")
    assert "₹29,500" in owner.reply


def test_cancel_mid_form_sends_nothing(owner: Person, sharma: Person, db: Database) -> None:
    owner.says("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST")
    owner.says("cancel")
    assert owner.replies
    owner.says("haan")  # nothing is pending any more
    assert _count(db, Invoice) == 0 and not sharma.got("22,420")


def test_no_to_the_summary_drops_the_invoice(owner: Person, db: Database) -> None:
    owner.says("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST")
    owner.says("nahi")
    assert _count(db, Invoice) == 0


def test_an_ambiguous_name_is_asked_with_buttons(owner: Person, client: TestClient) -> None:
    business_id = client.get("/api/simulator/businesses").json()["businesses"][0]["id"]
    client.post(
        f"/api/simulator/businesses/{business_id}/customers",
        json={"name": "Sharma Hardware", "phone": "+919811100099"},
    )
    owner.says("Sharma ka pura hisaab bhejo")
    titles = [b["title"] for b in owner.replies[-1]["buttons"]]
    assert "Sharma Traders" in titles and "Sharma Hardware" in titles
    owner.says("2")  # a number picks from the list, like a tap
    assert "Sharma" in owner.reply


def test_a_customer_asks_for_their_bill_again(owner: Person, sharma: Person) -> None:
    _bill_sharma(owner)
    sharma.says("bill ki copy dobara bhejo")
    assert "INV-2026-27-0001" in sharma.reply
    assert sharma.replies[0]["media"][0]["filename"] == "INV-2026-27-0001.pdf"


# -- dues and statements -----------------------------------------------------------------------------


def test_the_owner_sees_the_market_and_a_customer_only_their_own(
    owner: Person, sharma: Person, gupta: Person
) -> None:
    _bill_sharma(owner)
    owner.says("kitna baaki hai")
    assert "₹22,420" in owner.reply and "Sharma Traders" in owner.reply
    gupta.says("how much do I owe?")
    assert "22,420" not in gupta.reply and "Sharma" not in gupta.reply
    sharma.says("mera kitna baaki hai?")
    assert "₹22,420" in sharma.reply


def test_statements_for_the_owner_and_for_the_customer(owner: Person, sharma: Person) -> None:
    _bill_sharma(owner)
    owner.says("Sharma ka pura hisaab bhejo")
    assert "INV-2026-27-0001" in owner.reply and "₹22,420" in owner.reply
    sharma.says("mera statement bhejo")
    assert "INV-2026-27-0001" in sharma.reply


def test_context_carries_the_customer_to_the_next_request(owner: Person, sharma: Person) -> None:
    _bill_sharma(owner)
    owner.says("Sharma ka pura hisaab bhejo")
    owner.says("usko payment link bhi bhejo")
    assert "₹22,420" in owner.reply  # the confirmation names Sharma's balance
    owner.says("haan")
    assert sharma.got("/pay/")


# -- payments ------------------------------------------------------------------------------------------


def test_a_customer_gets_a_link_for_what_they_owe(owner: Person, sharma: Person) -> None:
    _bill_sharma(owner)
    sharma.says("payment link bhejo")
    assert "₹22,420" in sharma.reply and "/pay/" in sharma.reply
    (qr,) = sharma.replies[0]["media"]
    assert qr["mime_type"] == "image/png"
    image = sharma.client.get(qr["url"].removeprefix("http://127.0.0.1:8000"))
    assert image.status_code == 200 and image.content.startswith(b"\x89PNG")


def test_the_owner_records_cash_and_it_is_allocated(owner: Person, db: Database) -> None:
    _bill_sharma(owner)
    owner.says("Sharma Traders ne 20000 cash de diye")
    assert "₹20,000" in owner.reply and "₹2,420" in owner.reply
    assert _count(db, Payment, confirmed=True) == 1


def test_a_claim_waits_for_the_owner_and_a_rejection_tells_the_customer(
    owner: Person, sharma: Person, db: Database
) -> None:
    _bill_sharma(owner)
    sharma.says("payment kar diya UTR 412345678901")
    assert owner.got("412345678901")
    assert _count(db, Payment, confirmed=False) == 1
    owner.taps("reject_payment")
    assert sharma.got("412345678901")
    owner.says("kitna baaki hai")
    assert "₹22,420" in owner.reply


def test_a_confirmed_claim_settles_the_invoice(owner: Person, sharma: Person, db: Database) -> None:
    _bill_sharma(owner)
    sharma.says("payment kar diya UTR 412345678901")
    owner.says("haan mil gaya")
    assert _count(db, Invoice, status=InvoiceStatus.PAID) == 1
    assert sharma.got("22,420")


# -- what customers say back ----------------------------------------------------------------------------


def test_a_promise_is_stored_and_the_owner_told(owner: Person, sharma: Person, db: Database) -> None:
    _bill_sharma(owner)
    sharma.says("15 tarikh ko pakka kar dunga")
    assert "15 Dec 2026" in sharma.reply
    assert owner.got("15 Dec 2026")
    assert _count(db, PromiseToPay) == 1


def test_a_promise_without_a_date_asks_when(owner: Person, gupta: Person, db: Database) -> None:
    gupta.says("I will definitely pay, promise")
    assert "date" in gupta.reply.lower() and _count(db, PromiseToPay) == 0
    gupta.says("tomorrow")
    assert "2 Dec 2026" in gupta.reply
    assert _count(db, PromiseToPay) == 1


def test_an_extension_request_reaches_the_owner(owner: Person, sharma: Person) -> None:
    sharma.says("thoda time chahiye, abhi haath tang hai")
    assert sharma.replies
    assert owner.got("haath tang hai")


def test_a_dispute_marks_the_invoice_and_quotes_the_customer(
    owner: Person, sharma: Person, db: Database
) -> None:
    _bill_sharma(owner)
    sharma.says("rate galat lagaya hai, 350 tha")
    assert owner.got("rate galat lagaya hai, 350 tha", "INV-2026-27-0001")
    assert _count(db, Invoice, status=InvoiceStatus.DISPUTED) == 1
    assert _count(db, Dispute) == 1
    owner.says("kaunse disputes pending hain?")
    assert "Sharma Traders" in owner.reply


def test_stop_opts_out_and_only_asking_opts_back_in(sharma: Person, db: Database) -> None:
    sharma.says("STOP")
    assert sharma.replies
    with db.transaction() as session:
        assert session.scalars(select(Customer.opted_out_at).where(Customer.name == "Sharma Traders")).one()
    sharma.says("mera kitna baaki hai?")  # talking is not asking to be messaged again
    with db.transaction() as session:
        assert session.scalars(select(Customer.opted_out_at).where(Customer.name == "Sharma Traders")).one()
    sharma.says("START")
    with db.transaction() as session:
        assert (
            session.scalars(select(Customer.opted_out_at).where(Customer.name == "Sharma Traders")).one()
            is None
        )


def test_talk_to_human_notifies_the_owner(owner: Person, sharma: Person) -> None:
    sharma.says("seth ji se baat karwao")
    assert owner.got(SHARMA)


def test_the_owner_adds_a_customer(owner: Person, db: Database) -> None:
    owner.says("naya customer add karo Mehta Steels 9876543210")
    assert "Mehta Steels" in owner.reply
    with db.transaction() as session:
        assert session.scalars(select(Customer.name).where(Customer.name == "Mehta Steels")).one()


def test_customers_cannot_use_owner_commands(sharma: Person, gupta: Person, db: Database) -> None:
    gupta.says("Create an invoice for Sharma Traders, 50 bags cement at 380 per bag, 18% GST")
    assert gupta.replies and "22,420" not in gupta.reply
    assert _count(db, Invoice) == 0


def test_set_language_sticks(gupta: Person) -> None:
    gupta.says("mujhse Hindi mein baat karo")
    gupta.says("how much do I owe?")
    assert not gupta.reply.isascii()  # Devanagari, as chosen


# -- awkward messages ------------------------------------------------------------------------------------


def test_an_unknown_number_learns_nothing_about_anyone(owner: Person, client: TestClient) -> None:
    _bill_sharma(owner)
    stranger = Person(client, "+919000000001")
    stranger.says("Sharma Traders ka kitna baaki hai?")
    assert stranger.replies and "22,420" not in stranger.reply and "Sharma" not in stranger.reply


def test_a_replayed_message_is_handled_once(owner: Person, sharma: Person, db: Database) -> None:
    owner.says("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST", message_id="wamid.1")
    first = owner.says("haan bhej do", message_id="wamid.2")
    again = owner.says("haan bhej do", message_id="wamid.2")
    assert again == first
    assert _count(db, Invoice) == 1
    assert _count(db, Message, direction=Direction.INBOUND) == 2


@pytest.mark.parametrize(
    "text", ["", "   ", "😀😀😀", "🙏", "x" * 10_000, "<script>alert(1)</script>", "12345"]
)
def test_awkward_messages_get_a_sensible_reply(owner: Person, sharma: Person, text: str) -> None:
    for person in (owner, sharma):
        person.says(text)
        assert len(person.replies) == 1
        assert person.reply.strip() and "{" not in person.reply


def test_a_huge_message_is_stored_whole(owner: Person, db: Database) -> None:
    owner.says("a" * 10_000)
    with db.transaction() as session:
        assert (
            len(session.scalars(select(Message.text).where(Message.direction == Direction.INBOUND)).one())
            == 10_000
        )


def test_a_conversation_forgets_a_half_done_form_after_silence(
    owner: Person, clock: FrozenClock, db: Database
) -> None:
    from datetime import timedelta

    owner.says("Sharma Traders ko 25000 ka bill banao")
    clock.advance(timedelta(hours=2))
    owner.says("18")
    owner.says("haan")
    assert _count(db, Invoice) == 0


def test_an_opted_out_customer_gets_no_bill_and_the_owner_is_told(owner: Person, sharma: Person) -> None:
    sharma.says("STOP")
    owner.says("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST")
    owner.says("haan bhej do")
    assert not sharma.got("22,420")
    assert owner.replies[0]["media"]  # the PDF, to share by hand
    owner.says("usko payment link bhi bhejo")
    owner.says("haan")
    assert "/pay/" in owner.reply and not sharma.got("/pay/")


def test_a_failure_midway_rolls_back_keeps_the_message_and_apologizes(
    owner: Person, sharma: Person, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    owner.says("Sharma Traders ko 50 bag cement ka bill banao 380 per bag 18% GST")
    monkeypatch.setattr("modules.invoicing.handlers.mark_sent", broken)
    owner.says("haan bhej do")
    assert "phir try" in owner.reply  # error.internal, in the owner's Hinglish
    assert _count(db, Invoice) == 0  # the invoice created before the failure is rolled back
    assert not sharma.got("22,420")
    assert _count(db, Message, direction=Direction.INBOUND) == 2


def test_a_claim_pays_the_bill_whose_link_was_sent_not_the_oldest(
    owner: Person, sharma: Person, db: Database, client: TestClient
) -> None:
    owner.says("Sharma Traders ko 10000 ka bill banao 5% GST")  # an older bill, ₹10,500
    owner.says("haan")
    _bill_sharma(owner)  # the new one, ₹22,420, with its link
    sharma.says("payment kar diya UTR 412345678901")
    assert owner.got("₹22,420")
    owner.says("haan mil gaya")
    with db.transaction() as session:
        statuses = dict(session.execute(select(Invoice.total_paise, Invoice.status)).all())
    assert statuses == {1050000: InvoiceStatus.SENT, 2242000: InvoiceStatus.PAID}


def test_a_customer_the_nlu_missed_is_found_by_their_name_in_the_message(
    owner: Person, client: TestClient
) -> None:
    business_id = client.get("/api/simulator/businesses").json()["businesses"][0]["id"]
    client.post(
        f"/api/simulator/businesses/{business_id}/customers",
        json={"name": "Shree Krishna Traders", "phone": "+919811100077"},
    )
    owner.says("Krishna Traders ko 5000 ka bill banao 18% GST")
    assert "Shree Krishna Traders" in owner.reply and "₹5,900" in owner.reply
    owner.says("cancel")
    owner.says("cement wale ko 5000 ka bill banao 18% GST")  # a trade word names nobody
    assert "Shree Krishna Traders" not in owner.reply


def test_claims_wait_their_turn_while_the_owner_is_busy(
    owner: Person, sharma: Person, gupta: Person, db: Database
) -> None:
    _bill_sharma(owner)
    owner.says("Gupta ko 10000 ka bill banao 18% GST")
    owner.says("haan")  # Gupta's bill, ₹11,800 (IGST)
    sharma.says("payment kar diya UTR 412345678901")
    gupta.says("I have paid, UTR 512345678901")
    owner.says("haan mil gaya")  # answers the first claim...
    assert "₹22,420" in owner.reply and "Gupta Hardware" in owner.reply  # ...and asks the second
    owner.says("haan")
    assert _count(db, Payment, confirmed=True) == 2
    assert _count(db, Invoice, status=InvoiceStatus.PAID) == 2


def test_a_claim_waits_while_the_owner_drafts_and_is_asked_after(owner: Person, sharma: Person) -> None:
    _bill_sharma(owner)
    owner.says("Sharma Traders ko 5000 ka bill banao")  # asks the GST rate
    sharma.says("payment kar diya UTR 412345678901")
    owner.says("18")  # the draft's answer, not the claim's
    assert "₹5,900" in owner.reply
    owner.says("nahi")  # drop the draft: now the claim is asked
    assert "412345678901" in owner.reply
    owner.taps("affirm")
    assert sharma.got("22,420")


def test_a_claim_answered_by_its_button_is_not_asked_again(owner: Person, sharma: Person) -> None:
    _bill_sharma(owner)
    owner.says("Sharma Traders ko 5000 ka bill banao")
    sharma.says("payment kar diya UTR 412345678901")
    owner.taps("confirm_payment")
    owner.says("cancel")
    assert "412345678901" not in owner.reply


def test_an_open_question_and_the_chosen_language_survive_silence(
    owner: Person, sharma: Person, gupta: Person, clock: FrozenClock
) -> None:
    from datetime import timedelta

    _bill_sharma(owner)
    sharma.says("payment kar diya UTR 412345678901")
    gupta.says("mujhse Hindi mein baat karo")
    clock.advance(timedelta(days=2))
    owner.says("haan mil gaya")
    assert sharma.got("22,420")
    gupta.says("what is my balance?")
    assert not gupta.reply.isascii()


def test_a_clear_new_request_mid_form_is_served_not_misread_as_an_answer(owner: Person, db: Database) -> None:
    owner.says("Sharma Traders ko 5000 ka bill banao")  # waits for the GST rate
    owner.says("naya customer add karo Mehta Steels 9876543210")
    assert "Mehta Steels" in owner.reply
    with db.transaction() as session:
        assert session.scalars(select(Customer.name).where(Customer.name == "Mehta Steels")).one()
