"""The sync client: transport (HTTP to the central store), the engine (push, then pull and apply)
and the steps that touch the local store, each through a function of store/ (sync/ runs no SQL of
its own). No Qt here: the Qt worker lives in sync_worker.py."""
