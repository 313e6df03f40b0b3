"""Small reusable widgets: banners, the safe rich-text view."""
