"""Checkout views: payment methods, customer, cash change, payment QR code, confirmation."""
