"""The longest Dashboard token the merchant API reads.

Apart from `auth.py` so that `serve`'s master process reads it (its header limit is twice this)
without importing the app before it forks its workers (`serving.py`).
"""

MAX_TOKEN_LENGTH = 8192
