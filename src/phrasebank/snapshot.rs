//! The embedded phrasebank as `build.rs` read it: the rules, lexicon, settings and moves of
//! its RON files, written out again as JSON. Reading 650 KB of RON was a fifth of what
//! `debrief score "..."` did from start to exit; the same data as JSON reads in a fraction
//! of that. Shared with `build.rs`, so this file uses nothing but `std`, `serde` and the
//! phrasebank's own types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::moves::MoveSpec;
use super::rule::Rule;
use super::settings::{ContextSettings, Scoring};

/// Everything `Phrasebank::from_sources` reads from the files, as it reads it.
#[derive(Serialize, Deserialize)]
pub struct Snapshot {
    /// The rule files in the order the phrasebank lists them.
    pub rule_files: Vec<RuleFile>,
    pub lexicon: BTreeMap<String, Vec<String>>,
    pub context: ContextSettings,
    pub scoring: Scoring,
    pub moves: Vec<MoveSpec>,
}

/// One file of rules: its path (relative to the crate root), its rules and where each rule's
/// record starts in it (for diagnostics).
#[derive(Serialize, Deserialize)]
pub struct RuleFile {
    pub path: String,
    pub rules: Vec<Rule>,
    pub offsets: Vec<usize>,
}

/// Where each rule's record starts in `text`: the `id: "..."` that declares it. Rules are
/// declared in file order, so each search goes on from the last one found.
pub fn rule_offsets(text: &str, rules: &[Rule]) -> Vec<usize> {
    let mut from = 0;
    rules
        .iter()
        .map(|rule| {
            let offset = find_key_from(text, "id", &rule.id, from)
                .or_else(|| find_key_from(text, "id", &rule.id, 0))
                .unwrap_or(0);
            from = offset;
            offset
        })
        .collect()
}

/// Byte offset of the first `key: "value"` at or after byte `from`.
pub fn find_key_from(text: &str, key: &str, value: &str, mut from: usize) -> Option<usize> {
    while let Some(i) = text[from..].find(key) {
        let at = from + i;
        let rest = text[at + key.len()..].trim_start();
        if let Some(rest) = rest.strip_prefix(':') {
            let rest = rest.trim_start();
            if rest
                .strip_prefix('"')
                .is_some_and(|r| r.starts_with(value) && r[value.len()..].starts_with('"'))
            {
                return Some(at);
            }
        }
        from = at + key.len();
    }
    None
}
