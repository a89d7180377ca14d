"""The sync client: transport (HTTP to the central store), the engine (push, then pull and apply)
and the steps that touch the local store. No Qt here: the Qt worker lives in sync_worker.py."""
