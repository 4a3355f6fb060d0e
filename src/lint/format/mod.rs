//! Rendering lint reports: compiler-style text, JSON, SARIF 2.1.0 and GitHub workflow commands.
//! Each renderer is a pure function from reports to a string.

mod github;
mod json;
mod sarif;
mod text;

use super::finding::FileReport;
use crate::evaluator::Evaluator;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// compiler-style lines with the offending text underlined (colored on a terminal)
    Text,
    /// one JSON object: findings, and per-file scores and missing sections
    Json,
    /// SARIF 2.1.0, for code-scanning dashboards
    Sarif,
    /// GitHub Actions workflow annotations (::error file=...::message)
    Github,
}

/// Render all reports (already in output order).
pub fn render(format: Format, reports: &[FileReport], evaluator: &Evaluator) -> String {
    match format {
        Format::Text => text::render(reports),
        Format::Json => json::render(reports),
        Format::Sarif => sarif::render(reports, evaluator),
        Format::Github => github::render(reports),
    }
}
