"""Reconciliation: each credit in a bank statement matched to a customer and invoices, with how sure we are;
sure ones applied, unclear ones asked, suspicious ones flagged."""

from __future__ import annotations

import uuid
from datetime import date

from modules.payments.reconcile import Claim, Credit, Flag, Match, OpenInvoice, Payer, Reason, reconcile

SHARMA, GUPTA, GUPTA_STEEL, MEHTA = (uuid.uuid4() for _ in range(4))
PAYERS = [
    Payer(SHARMA, "Sharma Traders"),
    Payer(GUPTA, "Gupta Hardware"),
    Payer(GUPTA_STEEL, "Gupta Steel Syndicate"),
    Payer(MEHTA, "Mehta Cement Agencies"),
]
DAY = date(2026, 11, 28)


def invoice(customer: uuid.UUID, sequence: int, rupees: int, issued: date = date(2026, 11, 1)) -> OpenInvoice:
    return OpenInvoice(
        id=uuid.uuid4(),
        customer_id=customer,
        number=f"INV-2026-27-{sequence:04d}",
        issue_date=issued,
        due_date=date.fromordinal(issued.toordinal() + 30),
        outstanding_paise=rupees * 100,
    )


def credit(
    rupees: int, narration: str, *, reference: str | None = None, key: str = "1", day: date = DAY
) -> Credit:
    return Credit(key=key, day=day, amount_paise=rupees * 100, narration=narration, reference=reference)


def one(credits: list[Credit], invoices: list[OpenInvoice], **kwargs: object) -> Match:
    (match,) = reconcile(credits, invoices, PAYERS, **kwargs)  # type: ignore[arg-type]
    return match


def test_an_invoice_number_in_the_narration_with_its_exact_amount_is_applied() -> None:
    bill = invoice(SHARMA, 42, 22_420)
    other = invoice(SHARMA, 43, 22_420)
    match = one([credit(22_420, "NEFT-HDFCN52026112812345-SHARMA TRADERS-INV-2026-27-0042")], [other, bill])
    assert match.apply and match.customer_id == SHARMA
    assert match.allocations == ((bill.id, 22_420_00),)
    assert match.reasons == (Reason.INVOICE_NUMBER, Reason.EXACT_AMOUNT)


def test_a_number_the_bank_spaced_or_squashed_is_still_found() -> None:
    bill = invoice(MEHTA, 7, 5_000)
    for narration in ("BY TRANSFER INV 2026 27 0007 MEHTA", "IMPS/P2A/INV2026270007/MEHTACEM"):
        assert one([credit(5_000, narration)], [bill]).allocations == ((bill.id, 5_000_00),)


def test_a_name_cut_short_with_one_bill_of_that_amount_is_applied() -> None:
    older = invoice(SHARMA, 1, 10_000)
    bill = invoice(SHARMA, 2, 22_420)
    match = one([credit(22_420, "UPI/412345678901/SHARMA TRAD/sharma@okicici/Payment")], [older, bill])
    assert match.apply and match.allocations == ((bill.id, 22_420_00),)
    assert match.reasons == (Reason.NAME, Reason.EXACT_AMOUNT)


def test_the_sum_of_several_bills_pays_them_all() -> None:
    first, second, third = invoice(SHARMA, 1, 10_000), invoice(SHARMA, 2, 5_000), invoice(SHARMA, 3, 2_500)
    oldest_two = one([credit(15_000, "NEFT SHARMA TRADERS")], [first, second, third])
    assert oldest_two.apply and oldest_two.allocations == ((first.id, 10_000_00), (second.id, 5_000_00))
    first_and_third = one([credit(12_500, "NEFT SHARMA TRADERS")], [first, second, third])
    assert first_and_third.apply and Reason.SEVERAL_INVOICES in first_and_third.reasons
    assert first_and_third.allocations == ((first.id, 10_000_00), (third.id, 2_500_00))


def test_a_part_payment_goes_to_the_oldest_bill_and_leaves_the_rest_open() -> None:
    first, second = invoice(SHARMA, 1, 10_000), invoice(SHARMA, 2, 5_000)
    match = one([credit(4_000, "UPI/412345678901/SHARMA TRADERS")], [first, second])
    assert match.apply and match.reasons[-1] is Reason.PART_PAYMENT
    assert match.allocations == ((first.id, 4_000_00),) and match.credit_left_paise == 0


def test_an_overpayment_settles_everything_and_keeps_the_rest_as_credit() -> None:
    first, second = invoice(SHARMA, 1, 10_000), invoice(SHARMA, 2, 5_000)
    match = one([credit(16_000, "NEFT SHARMA TRADERS")], [first, second])
    assert match.reasons[-1] is Reason.OVERPAYMENT
    assert match.allocations == ((first.id, 10_000_00), (second.id, 5_000_00))
    assert match.credit_left_paise == 1_000_00


def test_two_customers_who_fit_the_name_make_a_question() -> None:
    hardware, steel = invoice(GUPTA, 1, 8_000), invoice(GUPTA_STEEL, 2, 8_000)
    match = one([credit(8_000, "UPI/412345678901/GUPTA/gupta123@ybl")], [hardware, steel])
    assert match.ask and not match.apply
    assert {match.customer_id, *match.alternatives} == {GUPTA, GUPTA_STEEL}


def test_an_amount_only_one_open_bill_has_is_asked_about_not_applied() -> None:
    bill = invoice(MEHTA, 9, 7_777)
    match = one([credit(7_777, "CASH DEPOSIT BY SELF")], [bill, invoice(SHARMA, 1, 5_000)])
    assert (
        match.ask and match.allocations == ((bill.id, 7_777_00),) and match.reasons == (Reason.AMOUNT_ONLY,)
    )
    unknown = one([credit(1_234, "CASH DEPOSIT BY SELF")], [bill])
    assert not unknown.apply and not unknown.ask and unknown.customer_id is None


def test_a_claimed_reference_confirms_the_claim() -> None:
    bill = invoice(SHARMA, 1, 10_000)
    claim = Claim(uuid.uuid4(), SHARMA, "412345678901", 10_000_00)
    match = one([credit(10_000, "UPI/412345678901/S K SHARMA/skshar@okaxis")], [bill], claims=[claim])
    assert match.apply and match.claim == claim and match.reasons[0] is Reason.CLAIMED_REFERENCE


def test_a_claim_for_another_amount_or_by_someone_else_is_flagged_not_applied() -> None:
    bill = invoice(SHARMA, 1, 10_000)
    claim = Claim(uuid.uuid4(), SHARMA, "412345678901", 10_000_00)
    short = one([credit(1_000, "UPI/412345678901/SHARMA TRADERS")], [bill], claims=[claim])
    assert short.flags == (Flag.CLAIMED_OTHER_AMOUNT,) and short.ask and not short.apply
    other_payer = one([credit(10_000, "UPI/412345678901/MEHTA CEMENT AGENCIES")], [bill], claims=[claim])
    assert Flag.PAYER_NOT_CLAIMANT in other_payer.flags and not other_payer.apply


def test_a_reference_already_recorded_is_flagged_never_applied_twice() -> None:
    bill = invoice(SHARMA, 1, 10_000)
    match = one([credit(10_000, "UPI/412345678901/SHARMA TRADERS")], [bill], used_references=["412345678901"])
    assert match.flags == (Flag.REFERENCE_USED,) and not match.apply and match.ask


def test_money_applied_to_a_bill_is_not_offered_to_the_next_credit() -> None:
    bill = invoice(SHARMA, 42, 10_000)
    first, second = reconcile(
        [credit(10_000, "NEFT SHARMA INV-2026-27-0042", key="a"), credit(10_000, "NEFT SHARMA", key="b")],
        [bill],
        PAYERS,
    )
    assert first.apply and first.allocations == ((bill.id, 10_000_00),)
    assert second.allocations == () and second.credit_left_paise == 10_000_00  # nothing left to pay: credit


def test_a_bill_issued_after_the_money_came_is_not_what_it_paid() -> None:
    later = invoice(MEHTA, 5, 3_000, issued=date(2026, 11, 29))
    match = one([credit(3_000, "NEFT MEHTA CEMENT")], [later])
    assert match.allocations == () and not match.apply


def test_a_bill_number_with_another_customers_name_is_flagged_not_applied() -> None:
    meh = invoice(MEHTA, 39, 8_500)
    match = one([credit(8_500, "IMPS-431112345678-SHARMA TRADERS-INV 2026-27-0039")], [meh])
    assert match.flags == (Flag.PAYER_NOT_BILLED,) and not match.apply and match.ask
    assert one([credit(8_500, "IMPS-431112345678-MEHTA CEMENT-INV 2026-27-0039")], [meh]).apply


def test_a_upi_id_the_customer_paid_from_before_names_them_whatever_the_name_says() -> None:
    payers = [*PAYERS[1:], Payer(SHARMA, "Sharma Traders", vpas=("rk.enterprises@okaxis",))]
    bill = invoice(SHARMA, 5, 8_000)
    (match,) = reconcile(
        [credit(8_000, "UPI/412345678901/RK ENTERPRISES/RK.ENTERPRISES@OKAXIS/PAY")], [bill], payers
    )
    assert match.apply and match.customer_id == SHARMA
    assert match.reasons == (Reason.VPA, Reason.EXACT_AMOUNT)


def test_a_upi_id_or_number_that_is_the_customers_mobile_names_them() -> None:
    payers = [*PAYERS[1:], Payer(SHARMA, "Sharma Traders", phones=("+919811122233",))]
    bill = invoice(SHARMA, 5, 8_000)
    for narration in ("UPI/412345678901/9811122233@ybl/PAY", "IMPS/P2A/412345678901/9811122233/XYZ"):
        (match,) = reconcile([credit(8_000, narration)], [bill], payers)
        assert match.apply and match.customer_id == SHARMA and match.reasons[0] is Reason.VPA, narration


def test_a_upi_id_two_customers_share_says_nothing_about_which() -> None:
    family = "mehtafamily@okicici"
    payers = [Payer(SHARMA, "Sharma Traders", vpas=(family,)), Payer(MEHTA, "Mehta Cement", vpas=(family,))]
    bill = invoice(SHARMA, 5, 8_000)
    (match,) = reconcile([credit(8_000, f"UPI/412345678901/{family}/PAY")], [bill], payers)
    assert Reason.VPA not in match.reasons


def test_a_name_run_together_in_a_upi_handle_is_found() -> None:
    bill = invoice(MEHTA, 9, 3_100)
    match = one([credit(3_100, "UPI/412345678901/mehtacement@oksbi/PAY")], [bill, invoice(SHARMA, 1, 3_100)])
    assert match.customer_id == MEHTA and match.reasons[0] is Reason.NAME
