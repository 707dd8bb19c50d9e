"""safe-third from Python: run a scenario of safe-third-country transfer agreements and get its results as pandas
DataFrames.

    import safe_third
    result = safe_third.run(replications=200, seed=7)          # the built-in guatemala-2019 scenario
    result.summary                                              # one row per policy, month, country and metric
    result.key_figures                                          # totals over the horizon and peaks, with bands
    result.write("outputs/guatemala-2019")                      # the same run directory as `safe-third run`

Everything is computed by the same Rust library as the `safe-third` command line, which this package also puts on
the PATH. The columns of the tables are those of the CSV files, documented in outputs/README.md.
"""

from ._result import Result
from ._run import check, run
from ._safe_third import SafeThirdError, ScenarioError

__all__ = ["Result", "SafeThirdError", "ScenarioError", "check", "run"]
