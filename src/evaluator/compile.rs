//! Turning phrasebank rules into matchers: one aho-corasick automaton for every literal phrase,
//! one regex set for every pattern, and per-rule exception regexes.

use aho_corasick::{AhoCorasick, MatchKind};
use regex::{Regex, RegexSet};

use crate::diag::Diagnostic;
use crate::phrasebank::Phrasebank;

pub struct Compiled {
    pub phrases: AhoCorasick,
    /// Rule index for each phrase in `phrases`.
    pub phrase_rule: Vec<usize>,
    /// Patterns over the lowercased text.
    pub lower_set: RegexSet,
    /// The same patterns compiled without Unicode, for ASCII-only texts (where both mean the
    /// same): the lazy DFA cannot run Unicode `\b` in a set search, so the Unicode set falls
    /// back to the PikeVM, hundreds of times slower on long documents, and ASCII classes keep
    /// the automata small. `None` if some pattern has no ASCII form.
    pub lower_set_ascii: Option<AsciiPatterns>,
    pub lower: Vec<(usize, Regex)>,
    /// Exceptions per rule.
    pub exceptions: Vec<Vec<Regex>>,
}

impl Compiled {
    pub fn new(bank: &Phrasebank) -> Result<Compiled, Vec<Diagnostic>> {
        let mut problems = Vec::new();
        let mut phrases = Vec::new();
        let mut phrase_rule = Vec::new();
        let mut lower = Vec::new();
        let mut exceptions = Vec::new();
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
                match build(bank, pattern) {
                    Ok(re) => lower.push((i, re)),
                    Err(e) => problems.push(bank.rule_diag(i, pattern, e)),
                }
            }
            let mut rule_exceptions = Vec::new();
            for exception in &rule.exceptions {
                match build(bank, &exception.pattern) {
                    Ok(re) => rule_exceptions.push(re),
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
            .map_err(|e| {
                vec![Diagnostic::whole_file(
                    "phrasebank/rules/",
                    format!("cannot build phrase matcher: {e}"),
                )]
            })?;
        let lower_set = RegexSet::new(lower.iter().map(|(_, re)| re.as_str())).map_err(|e| {
            vec![Diagnostic::whole_file(
                "phrasebank/rules/",
                format!("cannot build pattern set: {e}"),
            )]
        })?;
        let lower_set_ascii = AsciiPatterns::new(&lower);
        Ok(Compiled {
            phrases: phrases_ac,
            phrase_rule,
            lower_set,
            lower_set_ascii,
            lower,
            exceptions,
        })
    }
}

/// Expand `{name}` lexicon references and curly apostrophes, then compile.
fn build(bank: &Phrasebank, pattern: &str) -> Result<Regex, String> {
    let expanded = expand(bank, pattern)?;
    regex::RegexBuilder::new(&expanded)
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

/// `{name}` becomes `(?:alt|alt|...)` from the lexicon; `'` also matches `’`.
pub fn expand(bank: &Phrasebank, pattern: &str) -> Result<String, String> {
    expand_at(bank, pattern, 0)
}

fn expand_at(bank: &Phrasebank, pattern: &str, depth: usize) -> Result<String, String> {
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
            '\'' if in_class => out.push_str("'’"),
            '\'' => out.push_str("['’]"),
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
                    out.push_str("(?:");
                    let mut sorted: Vec<&String> = words.iter().collect();
                    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
                    let alts: Vec<String> = sorted
                        .iter()
                        .map(|w| expand_at(bank, &alternative(w), depth + 1))
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

/// Byte-regex twins of the patterns, for ASCII texts. Offsets are the same as the Unicode
/// patterns' on such texts.
pub struct AsciiPatterns {
    pub set: regex::bytes::RegexSet,
    pub each: Vec<regex::bytes::Regex>,
}

impl AsciiPatterns {
    fn new(lower: &[(usize, Regex)]) -> Option<AsciiPatterns> {
        let sources: Vec<String> = lower
            .iter()
            .map(|(_, re)| ascii_form(re.as_str()))
            .collect();
        let set = regex::bytes::RegexSetBuilder::new(&sources)
            .size_limit(100 << 20)
            .dfa_size_limit(64 << 20)
            .build()
            .ok()?;
        let each = sources
            .iter()
            .map(|p| {
                regex::bytes::RegexBuilder::new(p)
                    .size_limit(50 << 20)
                    .dfa_size_limit(16 << 20)
                    .build()
                    .ok()
            })
            .collect::<Option<Vec<_>>>()?;
        Some(AsciiPatterns { set, each })
    }
}

/// A pattern with Unicode off: every non-ASCII char becomes its UTF-8 bytes (never present in an
/// ASCII text, so a class that held one still matches the same ASCII chars).
fn ascii_form(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len() + 8);
    out.push_str("(?-u)");
    for c in pattern.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("\\x{b:02X}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ASCII twins must find exactly what the Unicode patterns find on ASCII text: every
    /// rule example (lowercased, as the matcher sees it) is the test corpus.
    #[test]
    fn ascii_twins_match_like_the_unicode_patterns() {
        let bank = Phrasebank::embedded().unwrap();
        let c = Compiled::new(&bank).unwrap();
        let ascii = c
            .lower_set_ascii
            .as_ref()
            .expect("every pattern has an ASCII form");
        let mut checked = 0;
        for rule in &bank.rules {
            for text in rule.examples.matches.iter().chain(&rule.examples.no_match) {
                let lower = text.to_ascii_lowercase();
                if !lower.is_ascii() {
                    continue;
                }
                let unicode: Vec<usize> = c.lower_set.matches(&lower).iter().collect();
                let bytes: Vec<usize> = ascii.set.matches(lower.as_bytes()).iter().collect();
                assert_eq!(unicode, bytes, "set on {text:?}");
                for (i, (_, re)) in c.lower.iter().enumerate() {
                    let a: Vec<_> = re.find_iter(&lower).map(|m| m.range()).collect();
                    let b: Vec<_> = ascii.each[i]
                        .find_iter(lower.as_bytes())
                        .map(|m| m.range())
                        .collect();
                    assert_eq!(a, b, "pattern {} on {text:?}", re.as_str());
                }
                checked += 1;
            }
        }
        assert!(checked > 50);
    }
}
