import threading

import pytest

from navigator_desktop.tasks import TaskRunner


class State:
    def __init__(self):
        self.thread_names: list[str] = []


@pytest.fixture
def runner(qtbot):
    task_runner = TaskRunner(State())
    yield task_runner
    task_runner.stop()


def test_jobs_run_on_the_worker_thread_and_results_come_back_on_the_gui_thread(qtbot, runner):
    results = []

    def job(state):
        state.thread_names.append(threading.current_thread().name)
        return 42

    def done(value):
        results.append((value, threading.current_thread() is threading.main_thread()))

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False):
        runner.submit(job, done)
    assert results == [(42, True)]
    assert runner.call(lambda state: state.thread_names) == ["navigator-db"]


def test_jobs_run_in_submission_order(qtbot, runner):
    seen = []
    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False):
        for n in range(20):
            runner.submit(lambda state, n=n: n, seen.append)
    assert seen == list(range(20))


def test_an_error_goes_to_its_handler(qtbot, runner):
    errors = []

    def boom(state):
        raise ValueError("disk full")

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False):
        runner.submit(boom, on_error=errors.append)
    assert [str(e) for e in errors] == ["disk full"]


def test_an_unhandled_error_is_reported_by_signal_not_lost(qtbot, runner):
    def boom(state):
        raise ValueError("bad")

    with qtbot.waitSignal(runner.failed) as signal:
        runner.submit(boom, name="boom")
    assert signal.args[0] == "boom"


def test_call_raises_the_jobs_exception(runner):
    with pytest.raises(KeyError):
        runner.call(lambda state: {}["missing"])


def test_the_worker_survives_a_job_that_raises_system_exit(qtbot, runner):
    errors = []

    def leave(state):
        raise SystemExit(3)

    with qtbot.waitSignal(runner.busy_changed, check_params_cb=lambda busy: busy is False):
        runner.submit(leave, on_error=errors.append)
    assert isinstance(errors[0], SystemExit)
    assert runner.call(lambda state: "still here") == "still here"
