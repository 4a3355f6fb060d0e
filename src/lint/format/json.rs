//! `--format json`: `{"findings": [...], "files": [{"file", "scores", "missing_sections"}],
//! "summary": {...}}`, the shape DESIGN.md promises. Keys are in alphabetical order (the order
//! the output has always had); the records below spell them out in that order so the report is
//! written straight from the findings, without building a JSON tree first.

use serde::Serialize;

use crate::lint::finding::{FileReport, LintFinding, Severity};

#[derive(Serialize)]
struct Report<'a> {
    files: Vec<File<'a>>,
    findings: Vec<Finding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct File<'a> {
    errors: usize,
    file: &'a str,
    missing_sections: &'a [&'static str],
    scores: Scores,
    warnings: usize,
}

#[derive(Serialize)]
struct Scores {
    blamelessness: u8,
    concision: u8,
    data: u8,
}

#[derive(Serialize)]
struct Finding<'a> {
    col: usize,
    dimension: &'a str,
    end_col: usize,
    end_line: usize,
    file: &'a str,
    line: usize,
    message: &'a str,
    rule: &'a str,
    severity: Severity,
    suggestion: &'a str,
}

impl<'a> From<&'a LintFinding> for Finding<'a> {
    fn from(f: &'a LintFinding) -> Self {
        Finding {
            col: f.col,
            dimension: f.dimension,
            end_col: f.end_col,
            end_line: f.end_line,
            file: &f.file,
            line: f.line,
            message: &f.message,
            rule: &f.rule,
            severity: f.severity,
            suggestion: &f.suggestion,
        }
    }
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    files: usize,
    warnings: usize,
}

pub fn render(reports: &[FileReport]) -> String {
    let files = reports
        .iter()
        .map(|r| File {
            errors: count(r, Severity::Error),
            file: &r.file,
            missing_sections: &r.missing_sections,
            scores: Scores {
                blamelessness: r.scores.blamelessness,
                concision: r.scores.concision,
                data: r.scores.data,
            },
            warnings: count(r, Severity::Warning),
        })
        .collect();
    let findings = reports
        .iter()
        .flat_map(|r| &r.findings)
        .map(Finding::from)
        .collect();
    let errors: usize = reports.iter().map(|r| count(r, Severity::Error)).sum();
    let warnings: usize = reports.iter().map(|r| count(r, Severity::Warning)).sum();
    let report = Report {
        files,
        findings,
        summary: Summary {
            errors,
            files: reports.len(),
            warnings,
        },
    };
    let mut s = serde_json::to_string_pretty(&report).unwrap_or_default();
    s.push('\n');
    s
}

fn count(r: &FileReport, severity: Severity) -> usize {
    r.findings.iter().filter(|f| f.severity == severity).count()
}
