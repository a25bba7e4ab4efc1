"""Ctrl-C and SIGTERM stop a run even where the code they land in loses the exception: inside
code that catches everything (dbt's manifest reader), inside a finalizer, and inside a step
whose retry policy would run it again. Each case runs in a process of its own (signals, the
unraisable hook)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.shared_data import ROOT


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)


def test_an_interrupt_that_library_code_swallows_is_still_seen():
    done = _python("""
        import signal
        from orchestration.defs.interrupts import interrupts_seen

        with interrupts_seen() as quiet:
            pass
        with interrupts_seen() as seen:
            try:
                signal.raise_signal(signal.SIGINT)   # Ctrl-C: KeyboardInterrupt ...
            except BaseException:
                pass                                # ... caught by a bare except, as mashumaro's code does
        print(quiet(), seen())
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]


FINALIZER = """
    import time
    {install}

    class Finalized:
        def __del__(self):
            raise KeyboardInterrupt   # what a signal handler raises when Ctrl-C lands in a finalizer

    try:
        thing = Finalized()
        del thing
        time.sleep(5)
        print("carried on")
    except KeyboardInterrupt:
        print("stopped")
"""


def test_an_interrupt_raised_inside_a_finalizer_stops_the_command():
    hooked = _python(FINALIZER.format(install="from orchestration.defs.interrupts import "
                                      "deliver_interrupts_lost_in_finalizers as d; d()"))
    assert (hooked.stdout.strip(), hooked.stderr) == ("stopped", "")
    bare = _python(FINALIZER.format(install=""))   # without the hook: lost, and a traceback printed
    assert bare.stdout.strip() == "carried on" and "Exception ignored" in bare.stderr


def test_an_interrupted_step_fails_as_interrupted_and_is_not_retried():
    done = _python("""
        import dagster as dg
        from orchestration.storage.resource_errors import failing_in_words

        attempts = []

        @dg.asset(retry_policy=dg.RetryPolicy(max_retries=3))
        @failing_in_words("load widgets")
        def widgets():
            attempts.append(1)
            raise KeyboardInterrupt   # Ctrl-C (Dagster raises its own interrupt the same way)

        result = dg.materialize([widgets], raise_on_error=False)
        [failure] = result.get_step_failure_events()
        print(result.success, len(attempts))
        print(failure.step_failure_data.user_failure_data.description)
    """)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["False 1", "interrupted (Ctrl-C or SIGTERM) during load widgets"]
