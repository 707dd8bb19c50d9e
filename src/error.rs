//! Whose fault an error is: the user's (the input must change; the command line exits with 2) or the system's
//! (a file could not be written, a thread could not start; exit 1).
//!
//! Every error type of the library is a variant of [`Error`], and [`Error::kind`] matches them exhaustively, so a
//! new error type cannot be added without saying whose it is. A front end that holds an error of any type (the
//! command line holds `anyhow` chains) asks [`kind_of`] for each link of the chain: it knows [`Error`] and every
//! type it wraps, from the same list.

use crate::calibration::CalibrationError;
use crate::montecarlo::RunError;
use crate::output::charts::{ChartError, ChartsError};
use crate::output::{
    DestinationError, ManifestError, OutputError, PartialError, ReportError, SummaryError, TableFormatError,
};
use crate::run::ObservedErrors;
use crate::scenario::ScenarioError;

/// Whose fault an error is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input must change: a scenario, an argument, a directory holding other results, a run too large for
    /// the machine. The command line exits with 2.
    Input,
    /// The system failed: a file could not be written, a thread could not start. The command line exits with 1.
    System,
}

/// A request that parsed but makes no sense (`--replications 0`, a policy the scenario does not have, a shard
/// beyond the count): always the user's.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct InvalidRequest(pub String);

/// An error and its sources, as `anyhow`'s `{:#}` prints them.
pub fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// Defines [`Error`] with one variant per library error type, its `From` conversions, [`Error::kind`] and
/// [`kind_of`], all from one list.
macro_rules! library_errors {
    ($($variant:ident($error:ty)),* $(,)?) => {
        /// Any error of the library.
        #[derive(Debug, thiserror::Error)]
        pub enum Error {
            $(#[error(transparent)] $variant(#[from] $error),)*
        }

        impl Error {
            /// Whose fault it is.
            pub fn kind(&self) -> ErrorKind {
                match self {
                    $(Error::$variant(e) => e.kind(),)*
                }
            }
        }

        /// Whose fault `error` is, if it is [`Error`] or one of the error types it wraps; `None` for errors
        /// from elsewhere (a front end's own, the standard library's).
        pub fn kind_of(error: &(dyn std::error::Error + 'static)) -> Option<ErrorKind> {
            if let Some(e) = error.downcast_ref::<Error>() {
                return Some(e.kind());
            }
            $(if let Some(e) = error.downcast_ref::<$error>() {
                return Some(e.kind());
            })*
            None
        }
    };
}

library_errors! {
    Invalid(InvalidRequest),
    Scenario(ScenarioError),
    Run(RunError),
    Destination(DestinationError),
    Output(OutputError),
    Partial(PartialError),
    Manifest(ManifestError),
    Summary(SummaryError),
    TableFormat(TableFormatError),
    Chart(ChartError),
    Charts(ChartsError),
    Report(ReportError),
    Calibration(CalibrationError),
    Observed(ObservedErrors),
}

impl InvalidRequest {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Input
    }
}

impl ScenarioError {
    /// Always the user's, a scenario file that cannot be read included.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Input
    }
}

impl RunError {
    /// A run too large for the machine is the user's: its inputs must change.
    pub fn kind(&self) -> ErrorKind {
        match self {
            RunError::NoReplications | RunError::TooLarge { .. } => ErrorKind::Input,
            RunError::Threads { .. } | RunError::Cancelled => ErrorKind::System,
        }
    }
}

impl DestinationError {
    /// A directory holding other results: the user chooses another, or `--force`.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Input
    }
}

impl OutputError {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::System
    }
}

impl PartialError {
    /// Partials are given by the user: missing, damaged or of another format, they are the user's to fix.
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Input
    }
}

impl ManifestError {
    /// Manifests are read from directories the user names (`--from-manifest`, `chart`).
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Input
    }
}

impl SummaryError {
    /// Summary tables are read from directories the user names (`chart`).
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Input
    }
}

impl TableFormatError {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Input
    }
}

impl ChartError {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::System
    }
}

impl ChartsError {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::System
    }
}

impl ReportError {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::System
    }
}

impl CalibrationError {
    /// A calibration that cannot start, or proposes an invalid scenario, needs another `[calibration]`.
    pub fn kind(&self) -> ErrorKind {
        match self {
            CalibrationError::NotConfigured
            | CalibrationError::NoParameters
            | CalibrationError::NoObservations
            | CalibrationError::Candidate { .. } => ErrorKind::Input,
            CalibrationError::Threads { .. } => ErrorKind::System,
        }
    }
}

impl ObservedErrors {
    pub fn kind(&self) -> ErrorKind {
        ErrorKind::Input
    }
}

/// An error and each of its causes, once each ("cannot read X: No such file or directory"), for messages that
/// carry it on as text. The library's errors name their cause in `source()`, not in their own Display, so that a
/// chain printed by the binary says each cause once.
pub fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(e) = cause {
        text.push_str(": ");
        text.push_str(&e.to_string());
        cause = e.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kind_is_found_through_the_wrapper_and_without_it() {
        let invalid = InvalidRequest("no".to_string());
        assert_eq!(kind_of(&invalid), Some(ErrorKind::Input));
        let written = OutputError { path: "x".into(), source: std::io::Error::other("disk full") };
        assert_eq!(kind_of(&written), Some(ErrorKind::System));
        let wrapped = Error::from(RunError::Cancelled);
        assert_eq!(wrapped.kind(), ErrorKind::System);
        assert_eq!(kind_of(&wrapped), Some(ErrorKind::System));
        assert_eq!(kind_of(&Error::from(RunError::NoReplications)), Some(ErrorKind::Input));
        assert_eq!(kind_of(&std::io::Error::other("elsewhere")), None);
    }
}
