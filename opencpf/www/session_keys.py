"""Session keys shared by two groups of web views (kept here so neither imports the other)."""

RECOVERY_PREFILL = "opencpf_recovery_prefill"  # what the registrant typed when the NIR had an account
