//! Turning phrasebank rules into matchers: one aho-corasick automaton for every literal phrase,
//! one for the anchors that tell which patterns can match where, the patterns themselves (ASCII
//! mode, over bytes) and per-rule exception regexes.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, MatchKind};
use regex::bytes::Regex;
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::Hir;

use crate::diag::Diagnostic;
use crate::phrasebank::Phrasebank;

/// A regex compiled on first use: most texts need only a few of the patterns, and compiling
/// them all would dominate start-up. Syntax is checked at load time (the pattern is parsed
/// for its anchors); `Compiled::compile_all` compiles everything for `validate`.
pub struct LazyRegex {
    pub source: String,
    cell: OnceLock<Result<Regex, String>>,
}

impl LazyRegex {
    fn new(source: String) -> Self {
        LazyRegex {
            source,
            cell: OnceLock::new(),
        }
    }

    fn result(&self) -> &Result<Regex, String> {
        self.cell.get_or_init(|| build_expanded(&self.source))
    }

    /// The regex, or `None` if it failed to compile (reported by `compile_all`).
    pub fn get(&self) -> Option<&Regex> {
        self.result().as_ref().ok()
    }
}

/// One pattern of a rule.
pub struct Pattern {
    pub rule: usize,
    /// The pattern as written in the phrasebank (for error messages).
    pub written: String,
    pub regex: LazyRegex,
    /// Runs over the text as written rather than the lowercased copy.
    pub cased: bool,
}

/// How patterns are found quickly: every pattern whose matches must begin (or end) with one of
/// a finite set of literals gets those literals as *anchors*. One aho-corasick pass over the
/// text finds the anchors, and each pattern then runs only on the sentences holding one of its
/// anchors. Patterns with no usable anchors run over the whole text.
pub struct Compiled {
    pub phrases: AhoCorasick,
    /// Rule index for each phrase in `phrases`.
    pub phrase_rule: Vec<usize>,
    pub patterns: Vec<Pattern>,
    pub anchors: AhoCorasick,
    /// For each anchor literal, the patterns it may start or end.
    pub anchor_patterns: Vec<Vec<u32>>,
    /// Patterns without anchors.
    pub always: Vec<u32>,
    /// Exceptions per rule, with the exception as written.
    pub exceptions: Vec<Vec<(String, LazyRegex)>>,
}

fn build_error(what: &str, e: impl std::fmt::Display) -> Vec<Diagnostic> {
    vec![Diagnostic::whole_file(
        "phrasebank/rules/",
        format!("cannot build {what}: {e}"),
    )]
}

impl Compiled {
    pub fn new(bank: &Phrasebank) -> Result<Compiled, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut phrases = Vec::new();
        let mut phrase_rule = Vec::new();
        let mut patterns = Vec::new();
        let mut exceptions = Vec::new();
        let mut anchor_index: HashMap<Vec<u8>, usize> = HashMap::new();
        let mut anchor_literals: Vec<Vec<u8>> = Vec::new();
        let mut anchor_patterns: Vec<Vec<u32>> = Vec::new();
        let mut always = Vec::new();
        for (i, rule) in bank.rules.iter().enumerate() {
            for phrase in &rule.phrases {
                phrases.push(phrase.clone());
                phrase_rule.push(i);
                if phrase.contains('\'') {
                    phrases.push(phrase.replace('\'', "’"));
                    phrase_rule.push(i);
                }
            }
            for pattern in &rule.patterns {
                let expanded = match expand(bank, pattern) {
                    Ok(e) => e,
                    Err(e) => {
                        problems.push(bank.rule_diag(i, pattern, e));
                        continue;
                    }
                };
                let hir = match skeleton(bank, pattern).and_then(|s| parse(&s)) {
                    Ok(hir) => hir,
                    Err(e) => {
                        problems.push(bank.rule_diag(i, pattern, e));
                        continue;
                    }
                };
                let index = patterns.len() as u32;
                match anchors_of(&hir) {
                    Some(literals) => {
                        for literal in literals {
                            let slot = *anchor_index.entry(literal.clone()).or_insert_with(|| {
                                anchor_literals.push(literal);
                                anchor_patterns.push(Vec::new());
                                anchor_literals.len() - 1
                            });
                            if anchor_patterns[slot].last() != Some(&index) {
                                anchor_patterns[slot].push(index);
                            }
                        }
                    }
                    None => always.push(index),
                }
                patterns.push(Pattern {
                    rule: i,
                    written: pattern.clone(),
                    regex: LazyRegex::new(expanded),
                    cased: rule.case_sensitive,
                });
            }
            let mut rule_exceptions = Vec::new();
            for exception in &rule.exceptions {
                match expand(bank, &exception.pattern).and_then(|e| parse(&e).map(|_| e)) {
                    Ok(expanded) => {
                        rule_exceptions.push((exception.pattern.clone(), LazyRegex::new(expanded)))
                    }
                    Err(e) => problems.push(bank.rule_diag(i, &exception.pattern, e)),
                }
            }
            exceptions.push(rule_exceptions);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let phrases_ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&phrases)
            .map_err(|e| build_error("the phrase matcher", e))?;
        let anchors = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(&anchor_literals)
            .map_err(|e| build_error("the anchor matcher", e))?;
        Ok(Compiled {
            phrases: phrases_ac,
            phrase_rule,
            patterns,
            anchors,
            anchor_patterns,
            always,
            exceptions,
        })
    }
}

impl Compiled {
    /// Compile every pattern and exception now, reporting any that fail (size limits).
    pub fn compile_all(&self, bank: &Phrasebank) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for p in &self.patterns {
            if let Err(e) = p.regex.result() {
                problems.push(bank.rule_diag(p.rule, &p.written, e.clone()));
            }
        }
        for (rule, list) in self.exceptions.iter().enumerate() {
            for (written, re) in list {
                if let Err(e) = re.result() {
                    problems.push(bank.rule_diag(rule, written, e.clone()));
                }
            }
        }
        problems
    }
}

/// The longest anchor kept, in bytes.
const MAX_ANCHOR: usize = 10;

/// Words too common to be worth an anchor on their own.
const COMMON: &[&[u8]] = &[
    b"the", b"our", b"this", b"that", b"an", b"in", b"on", b"for", b"by", b"to", b"of", b"and",
    b"we", b"it", b"is", b"was", b"what", b"which", b"how", b"with", b"from", b"per", b"be", b"at",
    b"as", b"or", b"if", b"so", b"but", b"he", b"she", b"they", b"you", b"his", b"her", b"their",
    b"your", b"its", b"had", b"has", b"have", b"did", b"do", b"not", b"no", b"up",
];

fn parse(pattern: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| {
            let text = e.to_string();
            let last = text
                .lines()
                .rfind(|l| !l.trim().is_empty())
                .unwrap_or("")
                .trim();
            format!(
                "pattern does not compile: {}",
                last.trim_start_matches("error: ")
            )
        })
}

/// The literals every match of `pattern` starts with, or ends with, whichever set is more
/// selective; `None` when neither is a small finite set of literals of two bytes or more.
#[cfg(test)]
pub fn anchors_for(pattern: &str) -> Option<Vec<Vec<u8>>> {
    anchors_of(&parse(pattern).ok()?)
}

fn anchors_of(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    [ExtractKind::Prefix, ExtractKind::Suffix]
        .into_iter()
        .filter_map(|kind| {
            let mut seq = Extractor::new()
                .kind(kind.clone())
                .limit_class(16)
                .limit_repeat(8)
                .limit_literal_len(40)
                .limit_total(500)
                .extract(hir);
            seq.dedup();
            // Long literals are cut to their first (or, for suffixes, last) few bytes: a cut
            // literal still has to occur wherever the whole one does, and the cuts collapse
            // long lists into a few short anchors, which keeps the anchor automaton small.
            let mut literals: Vec<Vec<u8>> = seq
                .literals()?
                .iter()
                .map(|l| {
                    let b = l.as_bytes();
                    let cut = match kind {
                        ExtractKind::Suffix => &b[b.len().saturating_sub(MAX_ANCHOR)..],
                        _ => &b[..b.len().min(MAX_ANCHOR)],
                    };
                    cut.to_ascii_lowercase()
                })
                .collect();
            literals.sort_unstable();
            literals.dedup();
            let shortest = literals.iter().map(|l| l.trim_ascii().len()).min()?;
            // A side whose literals include a very common word ("the ", "on ") would make
            // the pattern run on nearly every sentence; prefer the other side.
            let common = literals.iter().any(|l| COMMON.contains(&l.trim_ascii()));
            // Digits are rare enough in prose to anchor on alone (figures, times, codes).
            let digits = literals
                .iter()
                .all(|l| l.first().is_some_and(u8::is_ascii_digit));
            (shortest >= 2 || digits).then_some(((!common, shortest.min(6)), literals))
        })
        .max_by_key(|(rank, literals)| (*rank, Reverse(literals.len())))
        .map(|(_, literals)| literals)
}

/// Compile an expanded pattern (ASCII mode: the text is matched as bytes; spans are snapped
/// to char boundaries afterwards).
fn build_expanded(expanded: &str) -> Result<Regex, String> {
    regex::bytes::RegexBuilder::new(expanded)
        .unicode(false)
        .size_limit(50 << 20)
        .dfa_size_limit(16 << 20)
        .build()
        .map_err(|e| match e {
            regex::Error::Syntax(msg) => {
                let last = msg
                    .lines()
                    .rfind(|l| !l.trim().is_empty())
                    .unwrap_or("")
                    .trim();
                format!(
                    "pattern does not compile: {}",
                    last.trim_start_matches("error: ")
                )
            }
            other => format!("pattern does not compile: {other}"),
        })
}

/// `{name}` becomes `(?:alt|alt|...)` from the lexicon; `'` also matches `’` (outside
/// classes: a byte class cannot hold a multi-byte char).
pub fn expand(bank: &Phrasebank, pattern: &str) -> Result<String, String> {
    expand_at(bank, pattern, 0, false)
}

/// The pattern with every `{name}` replaced by a generic run of words: cheap to parse, and
/// its literals (the anchors) come from the pattern's own words, not from long lexicon lists.
fn skeleton(bank: &Phrasebank, pattern: &str) -> Result<String, String> {
    expand_at(bank, pattern, 0, true)
}

fn expand_at(
    bank: &Phrasebank,
    pattern: &str,
    depth: usize,
    placeholder: bool,
) -> Result<String, String> {
    if depth > 4 {
        return Err("lexicon entries refer to each other too deeply (a cycle?)".to_string());
    }
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut in_class = false;
    let mut chars = pattern.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some((_, n)) = chars.next() {
                    out.push(n);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // a leading `]` or `^]` is literal inside a class
                if let Some(&(_, '^')) = chars.peek() {
                    out.push('^');
                    chars.next();
                }
                if let Some(&(_, ']')) = chars.peek() {
                    out.push(']');
                    chars.next();
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            '\'' if in_class => out.push('\''),
            '\'' => out.push_str("(?:'|’)"),
            '{' if !in_class => {
                let rest = &pattern[i + 1..];
                let name = rest.split('}').next().unwrap_or("");
                let is_name = !name.is_empty()
                    && rest.contains('}')
                    && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
                if is_name {
                    let words = bank
                        .lexicon
                        .get(name)
                        .ok_or_else(|| format!("unknown lexicon entry {{{name}}}"))?;
                    if placeholder {
                        out.push_str("(?:[a-z0-9'-]+(?: [a-z0-9'-]+)*)");
                        for _ in 0..=name.len() {
                            chars.next();
                        }
                        continue;
                    }
                    out.push_str("(?:");
                    let mut sorted: Vec<&String> = words.iter().collect();
                    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
                    let alts: Vec<String> = sorted
                        .iter()
                        .map(|w| expand_at(bank, &alternative(w), depth + 1, false))
                        .collect::<Result<_, _>>()?;
                    out.push_str(&alts.join("|"));
                    out.push(')');
                    for _ in 0..=name.len() {
                        chars.next();
                    }
                } else {
                    out.push(c);
                }
            }
            _ => out.push(c),
        }
    }
    Ok(out)
}

/// A lexicon entry (a regex fragment, usually a plain word) as an alternative: apostrophes
/// either way, spaces flexible.
fn alternative(word: &str) -> String {
    word.replace(' ', r"\s+")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A pattern without anchors runs over every text in full; a few are fine, many would make
    /// the evaluator slow. This names the ones that lack anchors when there are too many.
    #[test]
    fn nearly_every_pattern_has_anchors() {
        let bank = Phrasebank::embedded().unwrap();
        let mut unanchored = Vec::new();
        for rule in &bank.rules {
            for p in &rule.patterns {
                if anchors_for(&skeleton(&bank, p).unwrap()).is_none() {
                    unanchored.push(format!("{}: {p}", rule.id));
                }
            }
        }
        assert!(
            unanchored.len() <= 6,
            "patterns without anchors:\n{}",
            unanchored.join("\n")
        );
    }

    #[test]
    fn anchors_come_from_prefix_or_suffix() {
        let a = anchors_for(r"\b(?:he|she) (?:broke|botched)\b").unwrap();
        let has = |l: &[u8], w: &[u8]| l.windows(w.len()).any(|x| x == w);
        assert!(
            a.iter()
                .all(|l| has(l, b"he ") || has(l, b"broke") || has(l, b"botched")),
            "{a:?}"
        );
        // Digits are rare in prose, so a figure anchors on its digits alone; a bare word
        // class has nothing to anchor on.
        assert_eq!(anchors_for(r"\d+").map(|a| a.len()), Some(10));
        assert!(anchors_for(r"\w+").is_none());
    }
}
