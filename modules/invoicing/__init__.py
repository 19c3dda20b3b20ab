"""Invoices: GST maths, numbering per financial year, lines and status."""
