"""mailflow: the registration desk for the Knowledge Building Series."""
