"""The `safe-third` console script: the Rust command line itself (`safe_third::cli::main`), in this process."""

import signal
import sys

from ._safe_third import cli_main


def main() -> None:
    # The command line reacts to Ctrl-C as the native binary does (the process stops), rather than through
    # Python's KeyboardInterrupt, which the Rust code would never see.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.exit(cli_main(["safe-third", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
