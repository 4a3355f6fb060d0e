//! Scenarios: the RON files that script a rehearsal. (Being built.)

pub mod cli;

use crate::diag::Diagnostic;
use crate::evaluator::Evaluator;
use crate::ronfile::Source;

/// Every problem in one scenario file.
pub fn validate_source(_source: &Source, _evaluator: Option<&Evaluator>) -> Vec<Diagnostic> {
    Vec::new()
}
