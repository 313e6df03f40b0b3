"""The event browser: productions with their performances, filters, details and the badge."""
