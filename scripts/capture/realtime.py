"""SCHED_FIFO for the capture's own processes (queue reader, drivers, state pollers).

On a loaded machine a normally scheduled application wakes up late: a "prompt" close after EOF
would come after the peer's delayed-ACK timer and change what the kernel sends. The processes sleep
in select()/sleep() almost all the time, so the real-time class costs little CPU; every loop in them
is bounded by a deadline.
"""
import os


def realtime(priority):
    try:
        os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(priority))
        return True
    except (OSError, AttributeError):
        return False
