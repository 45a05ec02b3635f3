"""Uploads into MediaHub-managed storage: multipart and tus 1.0, content-addressed per user.
The Upload row is in ../models.py.

storage.py (folders, free space, placing a finished file),
receive.py (streaming bytes into a partial file while hashing), services.py (limits, finishing,
indexing, expiry), api/ (the multipart endpoint and the tus protocol).
"""
