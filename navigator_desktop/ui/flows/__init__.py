"""The flows: each reacts to its screens' signals, runs store work through the TaskRunner and
shows the result. Views, models, widgets, dialogs and forms never import from here
(tests/desktop/test_ui_imports.py)."""
