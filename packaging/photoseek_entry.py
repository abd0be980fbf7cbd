"""The frozen ``photoseek`` program: the same entry point as the installed command.

GUI by default, core's CLI subcommands when given (desktop_app.launcher.main decides).
"""

import multiprocessing
import sys

from desktop_app.launcher import main

if __name__ == "__main__":
    # A frozen program re-executes itself for any child process that multiprocessing spawns
    # (a dependency may); this makes such a child run its task instead of a second PhotoSeek.
    multiprocessing.freeze_support()
    sys.exit(main())
