"""`python -m trainer ...`: the training command without the rest of the application."""

import multiprocessing
import os
import sys

# Threads that wait for work sleep instead of spinning: when another program uses a core, spinning OpenMP
# threads make every parallel step wait for the preempted one (measured: 4x slower training on 2 busy
# cores). Read once when the OpenMP runtime starts, so before torch is imported; the caller may override.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from trainer.commands import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
