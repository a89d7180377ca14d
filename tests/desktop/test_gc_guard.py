import gc

from navigator_desktop.gc_guard import GuiThreadCollector


class Cycle:
    def __init__(self):
        self.me = self


def test_automatic_collection_is_off_and_the_gui_thread_collects_when_due(qtbot):
    collector = GuiThreadCollector(interval_ms=60_000)
    try:
        assert not gc.isenabled()
        gc.collect()
        for _ in range(gc.get_threshold()[0] + 10):
            Cycle()
        assert collector.collect_if_due() > 0
    finally:
        collector.stop()
        gc.disable()  # the test session keeps automatic collection off (tests/conftest.py)
