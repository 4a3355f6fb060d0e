//! `--format json`: `{"findings": [...], "files": [{"file", "scores", "missing_sections"}],
//! "summary": {...}}`, the shape DESIGN.md promises.

use serde_json::{json, Value};

use crate::lint::finding::{FileReport, Severity};

pub fn render(reports: &[FileReport]) -> String {
    let findings: Vec<Value> = reports
        .iter()
        .flat_map(|r| &r.findings)
        .map(|f| serde_json::to_value(f).unwrap_or(Value::Null))
        .collect();
    let files: Vec<Value> = reports
        .iter()
        .map(|r| {
            json!({
                "file": &*r.file,
                "scores": r.scores,
                "missing_sections": r.missing_sections,
                "errors": count(r, Severity::Error),
                "warnings": count(r, Severity::Warning),
            })
        })
        .collect();
    let errors: usize = reports.iter().map(|r| count(r, Severity::Error)).sum();
    let warnings: usize = reports.iter().map(|r| count(r, Severity::Warning)).sum();
    let value = json!({
        "findings": findings,
        "files": files,
        "summary": {"files": reports.len(), "errors": errors, "warnings": warnings},
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

fn count(r: &FileReport, severity: Severity) -> usize {
    r.findings.iter().filter(|f| f.severity == severity).count()
}
