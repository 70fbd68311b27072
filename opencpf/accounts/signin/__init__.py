"""Signing in, shared by the web sign-in and `POST /api/v1/auth/token`.

1. Locks first: an identifier (NIR or email, hashed, counted whether or not an account exists) or a source address
   that failed too often is locked for a delay that doubles with each lock. A locked attempt is not even checked,
   and the answer is the same whether or not the account exists.
2. Password.
3. Second step: the authenticator code (TOTP) for accounts that enabled it; otherwise a 6-digit code by email when
   the browser or application is not a known device (web and API alike). Wrong codes count as failures too.
4. Success: history (SignInEvent), web session listed on "My security", device remembered, and an email to the
   holder when the device is new.

The package: `results` (what a sign-in answers, its history), `devices`, `steps` (password or federation, then the
second factor), `challenge` (the API's pending sign-in), `completion`. Re-exported here: the names imported through
the package elsewhere.
"""

from opencpf.accounts.signin.challenge import challenge_of, device_code_resend, pending_of_challenge
from opencpf.accounts.signin.completion import sign_in_complete
from opencpf.accounts.signin.devices import DEVICE_LIFETIME, device_forget, device_hash, device_remember
from opencpf.accounts.signin.results import PENDING_LIFETIME, PendingSignIn, SignInResult, Status
from opencpf.accounts.signin.steps import sign_in_federated, sign_in_password, sign_in_second_step

__all__ = [
    "DEVICE_LIFETIME",
    "PENDING_LIFETIME",
    "PendingSignIn",
    "SignInResult",
    "Status",
    "challenge_of",
    "device_code_resend",
    "device_forget",
    "device_hash",
    "device_remember",
    "pending_of_challenge",
    "sign_in_complete",
    "sign_in_federated",
    "sign_in_password",
    "sign_in_second_step",
]
