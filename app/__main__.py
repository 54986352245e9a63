"""`python -m app` and the packaged executable's entry point: the `siamtrack` command."""
import multiprocessing
import sys

from app.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # worker processes of a frozen build start through this executable
    sys.exit(main())
