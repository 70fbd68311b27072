"""FranceConnect (DESIGN §2.5): OpenID Connect against the issuer of `OPENCPF_FRANCECONNECT_ISSUER`.

- `matching`: the identity sent (claims) compared with the holder's (names, birth date, sex and birth place against
  the NIR): one pure function.
- `client`: the OpenID Connect client (authlib): state, nonce, PKCE, `acr_values`, the returned `acr` checked.
- `services`: what a matching identity does: link the account (issuer + `sub`), verified at eidas2 and above.
"""
