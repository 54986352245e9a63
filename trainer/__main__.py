"""`python -m trainer ...`: the training command without the rest of the application."""

import multiprocessing
import sys

from trainer.commands import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
