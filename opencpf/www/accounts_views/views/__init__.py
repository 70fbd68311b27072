"""Account pages, one module per group of actions (urls.py names each view by its module)."""
