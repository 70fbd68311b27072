"""Training files on the web: the holder's "My files" and the organisation space. Every write goes through
`opencpf.dossiers.services`; a file that is not the user's answers 404."""
