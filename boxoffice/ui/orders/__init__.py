"""The order desk windows: find and serve any order, the door list and the venue day report."""
