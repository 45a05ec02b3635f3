"""The folder watcher (`manage.py watch`): file events become scans of the touched folders.

changes.py decides when (settle, debounce) and what (the folders); service.py runs the watchdog
observer, follows the Library table and queues the scans through apps.scanning.services.
"""
