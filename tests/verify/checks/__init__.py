"""One test module per check family of ``irmd.verify.checks`` (the family's wrong candidates
of ``soundness_cases`` caught by its checks, and correct candidates that keep them proved)."""
