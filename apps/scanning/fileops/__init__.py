"""File operations in writable libraries: make a folder, move, copy, rename, flatten, delete.

The index follows each step at once (a moved file keeps its asset id; a copy is a new asset of the
same content hash), and an operation of many files is one job whose planned steps are a journal
(FileOperationItem rows) that a worker killed at any point resumes from, with no file lost or
made twice. Rooms: paths.py (what a user may name), disk.py (no-clobber renames and copies),
plan.py (the steps, and every refusal before anything is touched), execute.py (the steps, disk
and index together), services.py (what the API, the pages and the task call).
"""
