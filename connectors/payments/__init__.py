"""Payment gateways: how a payer is asked for money (UPI deep link by default, Razorpay later)."""
