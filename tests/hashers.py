"""The password hasher of the test settings: Django's PBKDF2 at 1,000 iterations, not 1,200,000.

Every test user gets a hashed password (tests/factories.py), and at full strength each hash costs
half a second of CPU on the 2-core CI machine: minutes over the suite. The algorithm name stays
`pbkdf2_sha256` and the count is stored in each hash, so the processes the tests start with the
production settings (gunicorn, workers) still verify these passwords.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class FastPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1000
