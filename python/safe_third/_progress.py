"""A tqdm progress bar fed by the run: tqdm.auto draws a widget in Jupyter and text in a terminal."""

from __future__ import annotations

from typing import Any, Optional


class ProgressBar:
    """Created on the first report, once the run knows how many replications it may take."""

    def __init__(self) -> None:
        try:
            from tqdm.auto import tqdm
        except ImportError as e:
            raise ImportError("progress=True needs tqdm: pip install tqdm (or safe-third[progress])") from e
        self._tqdm = tqdm
        self._bar: Optional[Any] = None

    def update(self, finished: int, total: int) -> None:
        if self._bar is None:
            self._bar = self._tqdm(total=total, unit="replication")
        self._bar.update(finished)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
