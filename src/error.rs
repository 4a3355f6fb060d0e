//! The error type every command returns, and how it maps to the documented exit codes:
//! 0 success, 1 the thing checked fell short, 2 usage, I/O or data errors. Never a count.

use std::io;
use std::path::PathBuf;

use crate::diag::Diagnostic;

/// What a command reports when it could not do its job (exit code 2).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The user asked for something that does not exist or does not fit.
    #[error("{0}")]
    Usage(String),
    /// A file or stream could not be read or written.
    #[error("{}: {source}", path.display())]
    Io { path: PathBuf, source: io::Error },
    /// Writing to our own stdout failed (other than a closed pipe, which is not an error).
    #[error("cannot write output: {0}")]
    Output(#[source] io::Error),
    /// Data files (phrasebank, scenarios, deck, config) with problems at known places.
    #[error("{}", first_line(.0))]
    Invalid(Vec<Diagnostic>),
    /// Anything else worth one clear line.
    #[error("{0}")]
    Other(String),
}

fn first_line(diags: &[Diagnostic]) -> String {
    match diags {
        [] => "invalid data".to_string(),
        [one] => one.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more problems)", rest.len()),
    }
}

impl Error {
    pub fn io(path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// True when stdout was closed under us (`debrief ... | head`): we stop quietly.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }

    /// The full message for stderr, with frames for diagnostics.
    pub fn render(&self, color: bool) -> String {
        match self {
            Error::Invalid(diags) if !diags.is_empty() => {
                let mut out = String::new();
                for d in diags {
                    out.push_str(&d.render(color));
                    out.push('\n');
                }
                out.push_str(&format!("{} problem(s) found", diags.len()));
                out
            }
            other => format!("error: {other}"),
        }
    }
}

impl From<io::Error> for Error {
    fn from(e: io::Error) -> Self {
        Error::Output(e)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// How a successful command ended: everything fine, or the thing checked fell short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Success,
    Findings,
}

impl Outcome {
    pub fn code(self) -> u8 {
        match self {
            Outcome::Success => 0,
            Outcome::Findings => 1,
        }
    }
}
