"""Selling tickets for one performance (placeholder until the seating/sale issue lands)."""
