"""SiamFC offline training: datasets, curation into a crop cache, pair sampling, loss, the training loop.

Entry points for the application: `trainer.commands` (the `train` command the training panel runs as a
child process and whose JSON lines it reads), and `Trainer`, `TrainConfig`, `RunOptions` for in-process use.
"""

from trainer.config import TrainConfig
from trainer.loop import RunOptions, StopRequest, Trainer

__all__ = ["RunOptions", "StopRequest", "TrainConfig", "Trainer"]
