"""mailflow: a registrations desk for a seminar series, run from one config.toml."""
