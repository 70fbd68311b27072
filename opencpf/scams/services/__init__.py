"""Writes of the scams area: filing (`reports`), the agents' decisions (`review`), sanctions (`sanctions`)."""
