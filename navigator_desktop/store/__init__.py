"""The local record store: every read and write of records on the laptop goes through here.

No Qt: the app runs these functions on its database worker thread (navigator_desktop.tasks).
"""
