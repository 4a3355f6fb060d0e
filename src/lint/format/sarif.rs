//! `--format sarif`: SARIF 2.1.0 for code-scanning dashboards. One run; the driver lists every
//! rule that has a result (with its message, rationale and suggestion); columns count Unicode
//! code points (`columnKind`), as lint's columns do.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::evaluator::Evaluator;
use crate::lint::finding::{FileReport, Severity};
use crate::lint::rules;

/// A path as a relative URI reference: forward slashes, no leading `./`, unsafe bytes escaped.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let path = path.strip_prefix("./").unwrap_or(&path);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn rule_descriptor(id: &str, evaluator: &Evaluator) -> Value {
    if let Some(r) = evaluator.phrasebank().rule(id) {
        json!({
            "id": id,
            "shortDescription": {"text": r.message},
            "fullDescription": {"text": r.rationale},
            "help": {"text": if r.suggestion.is_empty() { &r.rationale } else { &r.suggestion }},
            "defaultConfiguration": {"level": Severity::of_weight(r.weight).as_str()},
            "properties": {"dimension": r.dimension.as_str()},
        })
    } else if let Some(r) = rules::get(id) {
        json!({
            "id": id,
            "shortDescription": {"text": r.message},
            "help": {"text": r.suggestion},
            "defaultConfiguration": {"level": r.severity.as_str()},
        })
    } else {
        json!({"id": id})
    }
}

pub fn render(reports: &[FileReport], evaluator: &Evaluator) -> String {
    let ids: BTreeMap<&str, usize> = {
        let mut ids: Vec<&str> = reports
            .iter()
            .flat_map(|r| r.findings.iter().map(|f| &*f.rule))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids.into_iter().enumerate().map(|(i, id)| (id, i)).collect()
    };
    let rules: Vec<Value> = ids
        .keys()
        .map(|id| rule_descriptor(id, evaluator))
        .collect();
    let results: Vec<Value> = reports
        .iter()
        .flat_map(|r| &r.findings)
        .map(|f| {
            let text = if f.suggestion.is_empty() {
                f.message.to_string()
            } else {
                format!("{} (try: {})", f.message, f.suggestion)
            };
            json!({
                "ruleId": &*f.rule,
                "ruleIndex": ids[&*f.rule],
                "level": f.severity.as_str(),
                "message": {"text": text},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&f.file)},
                        "region": {
                            "startLine": f.line,
                            "startColumn": f.col,
                            "endLine": f.end_line,
                            "endColumn": f.end_col,
                        },
                    },
                }],
            })
        })
        .collect();
    let mut driver = json!({
        "name": "debrief",
        "version": env!("CARGO_PKG_VERSION"),
        "rules": rules,
    });
    // Where to learn about the tool: the package's repository, once it has one (the field
    // is optional; a made-up address would send people nowhere).
    let repository = env!("CARGO_PKG_REPOSITORY");
    if !repository.is_empty() {
        driver["informationUri"] = json!(repository);
    }
    let value = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": driver},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_references() {
        assert_eq!(uri("./docs/pm 1.md"), "docs/pm%201.md");
        assert_eq!(uri("<stdin>"), "%3Cstdin%3E");
        assert_eq!(uri("a\\b.md"), "a/b.md");
    }
}
