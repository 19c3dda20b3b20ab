"""Public pages a customer opens from a message: the payment page, its QR code, and invoice PDFs.

Every URL carries a signed token (bot/tokens.py); anything else answers 404 without saying why. The pages
hold names and amounts only, so they are not cached, not indexed and not leaked through the Referer.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import replace
from string import Template

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse

from bot.api.deps import ClockDep, DatabaseDep, SettingsDep
from bot.errors import NotFound, UpiIdMissing
from bot.i18n import Money, default_locales, format_inr
from bot.tokens import BadToken
from connectors.payments.razorpay import RazorpayGateway
from connectors.payments.upi import qr_png
from modules.invoicing.documents import shared_credit_note_pdf, shared_invoice_pdf
from modules.ledger.documents import shared_statement_pdf
from modules.payments.links import PaymentLinkPage, get_payment_link_view
from modules.payments.methods import bank_transfer
from modules.payments.models import PaymentLinkStatus

router = APIRouter()

PRIVATE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "no-referrer",
    "X-Robots-Tag": "noindex, nofollow",
    "X-Content-Type-Options": "nosniff",
}
PAGE_HEADERS = {
    **PRIVATE_HEADERS,
    "Content-Security-Policy": (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; base-uri 'none'; "
        "form-action 'none'; frame-ancestors 'none'"
    ),
}

_PAGE = Template("""<!doctype html>
<html lang="$lang">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>$title</title>
<style>
body{margin:0;font-family:system-ui,-apple-system,"Noto Sans",sans-serif;background:#f4f5f7;color:#1d1d1f}
main{max-width:26rem;margin:0 auto;padding:2rem 1.25rem;text-align:center}
.card{background:#fff;border-radius:1rem;padding:1.5rem;box-shadow:0 1px 4px rgba(0,0,0,.08)}
.payee{font-size:1.1rem;font-weight:600;margin:0}
.amount{font-size:2.4rem;margin:.5rem 0}
.muted{color:#5f6368;margin:.25rem 0}
.button{display:block;margin:1.25rem 0;padding:1rem;border-radius:.75rem;background:#0b6e4f;color:#fff;
font-size:1.1rem;font-weight:600;text-decoration:none}
.state{font-size:1.1rem;font-weight:600;margin:1.25rem 0}
.bank{text-align:left;border-top:1px solid #e0e0e0;margin-top:1.25rem;padding-top:1rem;line-height:1.5}
img{width:15rem;height:15rem;image-rendering:pixelated}
</style>
</head>
<body><main><div class="card">
$body
</div></main></body>
</html>
""")
_ACTIVE = Template("""<p class="payee">$payee</p>
<p class="amount">$amount</p>
<p class="muted">$reference</p>
<p class="muted">$for_customer</p>
<a class="button" href="$upi_url">$open_upi</a>
<img src="$qr_src" alt="$qr_alt">
<p class="muted">$scan</p>$bank""")
_BANK = Template("""
<p class="bank">$transfer</p>""")
_CLOSED = Template("""<p class="payee">$payee</p>
<p class="amount">$amount</p>
<p class="muted">$reference</p>
<p class="state">$state</p>""")
_MISSING = Template("""<p class="state">$invalid</p>
<p class="muted">$ask_new</p>""")
_STATE_KEYS = {
    PaymentLinkStatus.PAID: "page.paid",
    PaymentLinkStatus.EXPIRED: "page.expired",
    PaymentLinkStatus.CANCELLED: "page.cancelled",
}


@router.get("/pay/{token}", response_class=HTMLResponse)
def payment_page(token: str, database: DatabaseDep, settings: SettingsDep, clock: ClockDep) -> HTMLResponse:
    try:
        page = get_payment_link_view(
            database, token=token, secret_key=settings.secret_key.get_secret_value(), now=clock.now()
        )
    except (BadToken, NotFound, UpiIdMissing):
        # Whose link it was is unknown: the business's usual language is the best guess.
        language = settings.languages.default
        body = _MISSING.substitute(
            _texts(language, invalid=("page.invalid", {}), ask_new=("page.ask_new", {}))
        )
        return _html(language, _text(language, "page.invalid_title"), body, status_code=404)
    title = _text(page.language, "page.title", business=page.business_name)
    return _html(page.language, title, _page_body(page, qr_src=f"{token}/qr.png"))


@router.get("/pay/{token}/paid", response_class=HTMLResponse)
def returned_from_gateway(
    token: str, request: Request, database: DatabaseDep, settings: SettingsDep, clock: ClockDep
) -> HTMLResponse:
    """Where Razorpay sends the payer after its page: thanks when its signed redirect says paid (the
    webhook records the money), else the link's page as it stands."""
    if not settings.razorpay.enabled:
        return payment_page(token, database, settings, clock)
    try:
        page = get_payment_link_view(
            database, token=token, secret_key=settings.secret_key.get_secret_value(), now=clock.now()
        )
    except (BadToken, NotFound, UpiIdMissing):
        return payment_page(token, database, settings, clock)  # its 404
    if not RazorpayGateway(settings.razorpay).paid_on_return(dict(request.query_params)):
        return payment_page(token, database, settings, clock)
    title = _text(page.language, "page.title", business=page.business_name)
    return _html(page.language, title, _page_body(replace(page, status=PaymentLinkStatus.PAID), qr_src=""))


@router.get("/pay/{token}/qr.png")
def payment_qr(token: str, database: DatabaseDep, settings: SettingsDep, clock: ClockDep) -> Response:
    try:
        page = get_payment_link_view(
            database, token=token, secret_key=settings.secret_key.get_secret_value(), now=clock.now()
        )
    except (BadToken, NotFound, UpiIdMissing):
        return Response(status_code=404, headers=PRIVATE_HEADERS)
    if page.status is not PaymentLinkStatus.ACTIVE:
        return Response(status_code=410, headers=PRIVATE_HEADERS)  # a stale QR must not take money
    return Response(qr_png(page.upi_url), media_type="image/png", headers=PRIVATE_HEADERS)


@router.get("/media/invoices/{token}/{filename}")
def invoice_document(token: str, filename: str, database: DatabaseDep, settings: SettingsDep) -> Response:
    secret = settings.secret_key.get_secret_value()
    return _shared_pdf(
        lambda: shared_invoice_pdf(database, token=token, filename=filename, secret_key=secret), filename
    )


@router.get("/media/credit-notes/{token}/{filename}")
def credit_note_document(token: str, filename: str, database: DatabaseDep, settings: SettingsDep) -> Response:
    secret = settings.secret_key.get_secret_value()
    return _shared_pdf(
        lambda: shared_credit_note_pdf(database, token=token, filename=filename, secret_key=secret), filename
    )


@router.get("/media/statements/{token}/{filename}")
def statement_document(
    token: str, filename: str, database: DatabaseDep, settings: SettingsDep, clock: ClockDep
) -> Response:
    today = clock.now().astimezone(settings.tz).date()
    secret = settings.secret_key.get_secret_value()
    return _shared_pdf(
        lambda: shared_statement_pdf(
            database, token=token, filename=filename, secret_key=secret, today=today
        ),
        filename,
    )


def _shared_pdf(render: Callable[[], bytes], filename: str) -> Response:
    """A document behind a signed link; 404 for a token we did not sign or a record that is gone."""
    try:
        pdf = render()
    except (BadToken, NotFound):
        return Response(status_code=404, headers=PRIVATE_HEADERS)
    # `render` checked `filename` against the document's own: letters, digits and hyphens only.
    headers = {**PRIVATE_HEADERS, "Content-Disposition": f'inline; filename="{filename}"'}
    return Response(pdf, media_type="application/pdf", headers=headers)


def _page_body(page: PaymentLinkPage, *, qr_src: str) -> str:
    language, amount = page.language, Money(page.amount_paise)
    reference: tuple[str, dict[str, object]] = (
        ("page.invoice_reference", {"number": page.invoice_number})
        if page.invoice_number
        else ("page.reference", {"reference": page.reference})
    )
    values = _escaped({"payee": page.business_name, "amount": format_inr(page.amount_paise)}) | _texts(
        language, reference=reference, for_customer=("page.for_customer", {"customer": page.customer_name})
    )
    if page.status is PaymentLinkStatus.ACTIVE:
        return _ACTIVE.substitute(
            values,
            bank=_bank_block(page),
            **_escaped({"upi_url": page.upi_url, "qr_src": qr_src}),
            **_texts(
                language,
                open_upi=("page.open_upi", {}),
                qr_alt=("page.qr_alt", {"amount": amount}),
                scan=("page.scan", {}),
            ),
        )
    return _CLOSED.substitute(values, **_texts(language, state=(_STATE_KEYS[page.status], {})))


def _bank_block(page: PaymentLinkPage) -> str:
    """The business's account for a bank transfer instead, in the chat's own words, if it gave one."""
    account = page.bank_account
    if account is None:
        return ""
    phrase = bank_transfer(account, page.invoice_number or page.reference)
    offer = default_locales().render(phrase.key, page.language, phrase.params)
    return _BANK.substitute(transfer=html.escape(offer).replace("\n", "<br>"))


def _html(language: str, title: str, body: str, *, status_code: int = 200) -> HTMLResponse:
    content = _PAGE.substitute(lang=html.escape(language), title=html.escape(title), body=body)
    return HTMLResponse(content, status_code=status_code, headers=PAGE_HEADERS)


def _text(language: str, key: str, **params: object) -> str:
    return default_locales().render(key, language, params)


def _texts(language: str, **sentences: tuple[str, dict[str, object]]) -> dict[str, str]:
    """Each placeholder's locale sentence, rendered and escaped for HTML."""
    return _escaped({name: _text(language, key, **params) for name, (key, params) in sentences.items()})


def _escaped(values: dict[str, str]) -> dict[str, str]:
    return {key: html.escape(value, quote=True) for key, value in values.items()}
