"""The built-in chat: a visitor's conversation with the shop, answered in the app page.

Plain-Python domain code: `validation` (what a message may hold), `tokens` (the visitor's proof
of a conversation), `service` (start, post, read, close, unread counts, retention, erasure),
`fanout` (waking the waiting readers, in every process, through the database).
The HTTP layers (`storefront/chat_routes.py`, the merchant API's `chat` schema) stay thin.
"""
