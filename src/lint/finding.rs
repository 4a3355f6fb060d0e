//! What lint reports: findings at file positions with a severity, and one report per file.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use serde::Serialize;

use crate::evaluator::Scores;

/// How serious a finding is. `--fail-level` picks the least serious one that fails the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

impl Severity {
    /// Evaluator penalties of this weight or more are errors; lighter ones are warnings. 40 is
    /// where the phrasebank puts blame, counterfactuals, "human error" and guarantees; guesses,
    /// hedges and filler weigh less.
    pub const ERROR_WEIGHT: u32 = 40;

    pub fn of_weight(weight: u32) -> Severity {
        if weight >= Self::ERROR_WEIGHT {
            Severity::Error
        } else {
            Severity::Warning
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem at one place. Lines and columns are 1-based, columns count chars, and
/// `end_col` is exclusive (the column just past the last char), as in SARIF.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LintFinding {
    pub file: Arc<str>,
    pub line: usize,
    pub col: usize,
    pub end_line: usize,
    pub end_col: usize,
    pub rule: Arc<str>,
    pub dimension: &'static str,
    pub severity: Severity,
    pub message: Arc<str>,
    pub suggestion: Arc<str>,
    /// Byte span in the file, for the text renderer's underline.
    #[serde(skip)]
    pub span: Range<usize>,
    /// A finding about the file as a whole (a missing section), not a place in it.
    #[serde(skip)]
    pub whole_file: bool,
}

/// Everything lint learned about one file.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub file: Arc<str>,
    pub text: Arc<str>,
    pub findings: Vec<LintFinding>,
    /// Word-weighted mean of the paragraphs' scores.
    pub scores: Scores,
    /// Ids of the expected sections the document lacks (e.g. "timeline").
    pub missing_sections: Vec<&'static str>,
}
