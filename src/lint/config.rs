//! The lint config file, `debrief.ron`: rules and phrases a team allows, each with a reason.
//! Found upward from each linted file's directory (from the current directory for stdin), or
//! given with `--config`.
//!
//! ```ron
//! (
//!     allow: [
//!         (rule: "section-missing-metrics", reason: "we track metrics in the quarterly review"),
//!     ],
//!     allow_phrases: [
//!         (phrase: "deploy bot", reason: "a bot, not a person", rule: "blame-agentive"),
//!     ],
//! )
//! ```

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::diag::Diagnostic;
use crate::ronfile::{self, Source};

pub const FILE_NAME: &str = "debrief.ron";

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    #[serde(default)]
    pub allow: Vec<AllowRule>,
    #[serde(default)]
    pub allow_phrases: Vec<AllowPhrase>,
}

/// A rule switched off for every file under the config.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowRule {
    /// A rule id, or a prefix ending in `*`.
    pub rule: String,
    pub reason: String,
}

/// A phrase whose findings are not reported (all rules, or just `rule`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowPhrase {
    pub phrase: String,
    pub reason: String,
    #[serde(default)]
    pub rule: Option<String>,
}

fn rule_matches(pattern: &str, rule: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => rule.starts_with(prefix),
        None => pattern == rule,
    }
}

impl Config {
    /// Parse and check a config file: every entry needs a non-empty reason.
    pub fn parse(source: &Source) -> Result<Config, Vec<Diagnostic>> {
        let config: Config = ronfile::parse(source).map_err(|d| vec![d])?;
        let mut problems = Vec::new();
        for a in &config.allow {
            if a.reason.trim().is_empty() {
                let at = source.find_key("rule", &a.rule).unwrap_or(0);
                problems.push(source.diag_at(
                    "reason",
                    at,
                    format!("allowed rule '{}' needs a reason", a.rule),
                ));
            }
        }
        for p in &config.allow_phrases {
            if p.reason.trim().is_empty() {
                let at = source.find_key("phrase", &p.phrase).unwrap_or(0);
                problems.push(source.diag_at(
                    "reason",
                    at,
                    format!("allowed phrase '{}' needs a reason", p.phrase),
                ));
            }
            if p.phrase.trim().is_empty() {
                let at = source.find_key("phrase", "").unwrap_or(0);
                problems.push(source.diag_at("phrase", at, "an allowed phrase is empty"));
            }
        }
        if problems.is_empty() {
            Ok(config)
        } else {
            Err(problems)
        }
    }

    /// Whether the config allows `rule` everywhere.
    pub fn allows_rule(&self, rule: &str) -> bool {
        self.allow.iter().any(|a| rule_matches(&a.rule, rule))
    }

    /// Whether an allowed phrase overlaps `span` of `text` (ASCII case ignored).
    pub fn allows_phrase(&self, rule: &str, text: &str, span: std::ops::Range<usize>) -> bool {
        if self.allow_phrases.is_empty() || span.is_empty() {
            return false;
        }
        // look in the line(s) around the span, so a phrase longer than the match still counts
        let from = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let to = text[span.end..]
            .find('\n')
            .map_or(text.len(), |i| span.end + i);
        let hay = text[from..to].to_ascii_lowercase();
        self.allow_phrases
            .iter()
            .filter(|p| p.rule.as_deref().is_none_or(|r| rule_matches(r, rule)))
            .any(|p| {
                let needle = p.phrase.to_ascii_lowercase();
                hay.match_indices(&needle).any(|(i, m)| {
                    let (s, e) = (from + i, from + i + m.len());
                    s < span.end && span.start < e
                })
            })
    }
}

/// The nearest `debrief.ron` at or above `dir`.
pub fn find_upward(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Config, Vec<Diagnostic>> {
        Config::parse(&Source::new("debrief.ron", text))
    }

    #[test]
    fn reasons_are_required() {
        let err = parse(r#"(allow: [(rule: "blame-*", reason: " ")])"#).unwrap_err();
        assert!(err[0].message.contains("needs a reason"), "{err:?}");
        assert!(parse(r#"(allow: [(rule: "x")])"#).is_err());
        assert!(parse(r#"(alow: [])"#).is_err());
    }

    #[test]
    fn rules_and_phrases_are_allowed() {
        let c = parse(
            r#"(allow: [(rule: "concision-*", reason: "r")], allow_phrases: [(phrase: "Deploy Bot", reason: "a bot")])"#,
        )
        .unwrap();
        assert!(c.allows_rule("concision-filler"));
        assert!(!c.allows_rule("blame-agentive"));
        let text = "the deploy bot broke the build";
        let at = text.find("bot broke").unwrap();
        assert!(c.allows_phrase("blame-agentive", text, at..at + 9));
        assert!(!c.allows_phrase("blame-agentive", text, 0..3));
    }
}
