//! Turning phrasebank rules into matchers: one aho-corasick automaton for the literal phrases
//! and the anchors that tell which patterns can match where, the patterns themselves (ASCII
//! mode, over bytes, compiled on first use) and per-rule exception regexes.

use std::collections::HashMap;
use std::sync::OnceLock;

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::pool::{Pool, PoolGuard};
use regex_automata::util::syntax;
use regex_automata::{hybrid, meta, Anchored, Input};

use super::anchors::{anchors_of, compile_message, parse, skeleton, Anchors, Expander};
use crate::diag::Diagnostic;
use crate::phrasebank::Phrasebank;

/// A regex compiled on first use: most texts need only a few of the patterns, and compiling
/// them all would dominate start-up. Syntax is checked at load time (the pattern is parsed
/// for its anchors); `Compiled::compile_all` compiles everything for `validate`.
pub struct LazyRegex {
    pub source: String,
    /// Where every match is known to start or end, which decides the engine.
    anchored: Anchoring,
    cell: OnceLock<Result<Engine, String>>,
}

/// What is known about where a pattern's matches lie.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Anchoring {
    /// Every match starts at an anchor hit: a forward-only lazy DFA, run anchored at each
    /// hit, finds the match (no reverse automaton, no prefilter to build).
    Start,
    /// Every match ends where an anchor hit ends: a reverse lazy DFA run back from each hit
    /// end finds where matches start, and a forward one, anchored there, where they end.
    End,
    /// Nothing: searched like `find_iter`.
    None,
}

/// A per-thread cache maker for a lazy DFA.
type CacheFn = Box<dyn Fn() -> hybrid::dfa::Cache + Send + Sync>;

/// A forward lazy DFA and its per-thread caches.
pub struct Forward {
    dfa: hybrid::dfa::DFA,
    caches: Pool<hybrid::dfa::Cache, CacheFn>,
}

/// A forward and a reverse lazy DFA, with per-thread caches for both.
pub struct Bidirectional {
    fwd: hybrid::dfa::DFA,
    rev: hybrid::dfa::DFA,
    caches: Pool<(hybrid::dfa::Cache, hybrid::dfa::Cache), PairFn>,
}

/// A per-thread cache maker for a forward and a reverse lazy DFA.
type PairFn = Box<dyn Fn() -> (hybrid::dfa::Cache, hybrid::dfa::Cache) + Send + Sync>;

/// See `Engine::ends`.
pub struct EndSearch<'a> {
    both: &'a Bidirectional,
    caches: PoolGuard<'a, (hybrid::dfa::Cache, hybrid::dfa::Cache), PairFn>,
}

impl EndSearch<'_> {
    /// The leftmost start, at or after `from`, of a match ending exactly at `end` in `hay`.
    /// (The lazy DFAs have no quit bytes and never give up, so an error cannot happen;
    /// one is treated as no match.)
    pub fn start_for(&mut self, hay: &[u8], from: usize, end: usize) -> Option<usize> {
        let input = Input::new(hay).range(from..end).anchored(Anchored::Yes);
        self.both
            .rev
            .try_search_rev(&mut self.caches.1, &input)
            .ok()
            .flatten()
            .map(|m| m.offset())
    }

    /// The end of the leftmost-first match starting exactly at `at` and ending at or before
    /// `limit` (the bytes after `limit` still count for look-around).
    pub fn end_from(&mut self, hay: &[u8], at: usize, limit: usize) -> Option<usize> {
        let input = Input::new(hay).range(at..limit).anchored(Anchored::Yes);
        self.both
            .fwd
            .try_search_fwd(&mut self.caches.0, &input)
            .ok()
            .flatten()
            .map(|m| m.offset())
    }
}

/// See `Engine::anchored`.
pub enum AnchoredSearch<'a> {
    Forward(
        &'a hybrid::dfa::DFA,
        PoolGuard<'a, hybrid::dfa::Cache, CacheFn>,
    ),
    Bidirectional(
        &'a hybrid::dfa::DFA,
        PoolGuard<'a, (hybrid::dfa::Cache, hybrid::dfa::Cache), PairFn>,
    ),
    Meta(&'a meta::Regex),
}

impl AnchoredSearch<'_> {
    /// The end of the match starting exactly at `at` in `hay` (leftmost-first), if any.
    pub fn match_at(&mut self, hay: &[u8], at: usize) -> Option<usize> {
        let input = Input::new(hay).range(at..).anchored(Anchored::Yes);
        match self {
            // The lazy DFA has no quit bytes and never gives up (no minimum cache clear
            // count), so an error cannot happen; treat one as no match.
            AnchoredSearch::Forward(dfa, cache) => dfa
                .try_search_fwd(cache, &input)
                .ok()
                .flatten()
                .map(|m| m.offset()),
            AnchoredSearch::Bidirectional(dfa, caches) => dfa
                .try_search_fwd(&mut caches.0, &input)
                .ok()
                .flatten()
                .map(|m| m.offset()),
            AnchoredSearch::Meta(re) => re.search(&input).map(|m| m.end()),
        }
    }
}

/// A compiled pattern.
pub enum Engine {
    /// For patterns whose matches all start at an anchor: searched anchored at each hit.
    Forward(Box<Forward>),
    /// For patterns whose matches all end at an anchor hit: searched back from each hit end.
    Bidirectional(Box<Bidirectional>),
    /// Searched over a whole sentence (or text), like `regex::bytes::Regex::find_iter`.
    Meta(meta::Regex),
}

impl Engine {
    /// A searcher for matches that start at given places, holding this thread's cache while
    /// it tries one hit after another.
    pub fn anchored(&self) -> AnchoredSearch<'_> {
        match self {
            Engine::Forward(f) => AnchoredSearch::Forward(&f.dfa, f.caches.get()),
            Engine::Bidirectional(b) => AnchoredSearch::Bidirectional(&b.fwd, b.caches.get()),
            Engine::Meta(re) => AnchoredSearch::Meta(re),
        }
    }

    /// A searcher for matches that end at given places (`None` for an engine that can only
    /// search a whole haystack: use `find_iter`).
    pub fn ends(&self) -> Option<EndSearch<'_>> {
        match self {
            Engine::Bidirectional(both) => Some(EndSearch {
                both,
                caches: both.caches.get(),
            }),
            _ => None,
        }
    }

    /// Non-overlapping matches in `hay` ending at or before `limit`, as `find_iter` reports
    /// them (the bytes after `limit` still count for look-around such as `\b`).
    pub fn find_iter<'h>(
        &'h self,
        hay: &'h [u8],
        limit: usize,
    ) -> impl Iterator<Item = Range<usize>> + 'h {
        let re = match self {
            Engine::Meta(re) => Some(re),
            Engine::Forward(_) | Engine::Bidirectional(_) => None,
        };
        re.into_iter().flat_map(move |re| {
            re.find_iter(Input::new(hay).range(..limit))
                .map(|m| m.range())
        })
    }
}

impl LazyRegex {
    fn new(source: String, anchored: Anchoring) -> Self {
        LazyRegex {
            source,
            anchored,
            cell: OnceLock::new(),
        }
    }

    fn result(&self) -> &Result<Engine, String> {
        self.cell.get_or_init(|| {
            let built = match self.anchored {
                Anchoring::Start => build_forward(&self.source),
                Anchoring::End => build_bidirectional(&self.source),
                Anchoring::None => None,
            };
            if let Some(engine) = built {
                return Ok(engine);
            }
            build_expanded(&self.source).map(Engine::Meta)
        })
    }

    /// The compiled pattern, or `None` if it failed to compile (reported by `compile_all`).
    pub fn get(&self) -> Option<&Engine> {
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
    /// Every match starts at one of its anchors (searched anchored at each hit).
    pub starts_at_anchor: bool,
}

/// How patterns are found quickly: every pattern whose matches must begin (or end) with one of
/// a finite set of literals gets those literals as *anchors*. One aho-corasick pass over the
/// text finds the phrases and the anchors. A pattern whose matches start with an anchor is
/// tried (anchored) at each hit; one anchored on its ends runs on the sentences holding a hit.
/// Patterns with no usable anchors run over the whole text.
pub struct Compiled {
    /// One automaton for the phrases and the anchors, so the text is read once: its first
    /// `phrase_rule.len()` patterns are the phrases, the rest the anchor literals.
    pub literals: AhoCorasick,
    /// Rule index for each phrase.
    pub phrase_rule: Vec<usize>,
    pub patterns: Vec<Pattern>,
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
        let mut expander = Expander::default();
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
                let expanded = match expander.expand(&bank.lexicon, pattern) {
                    Ok(e) => e,
                    Err(e) => {
                        problems.push(bank.rule_diag(i, pattern, e));
                        continue;
                    }
                };
                let found =
                    skeleton(&bank.lexicon, pattern).and_then(|s| match precomputed::anchors(&s) {
                        Some(anchors) => Ok(anchors),
                        None => parse(&s).map(|hir| anchors_of(&hir)),
                    });
                let found = match found {
                    Ok(found) => found,
                    Err(e) => {
                        problems.push(bank.rule_diag(i, pattern, e));
                        continue;
                    }
                };
                let index = patterns.len() as u32;
                let mut starts_at_anchor = false;
                let mut anchoring = Anchoring::None;
                match found {
                    Some((prefix, literals)) => {
                        starts_at_anchor = prefix;
                        anchoring = if prefix {
                            Anchoring::Start
                        } else {
                            Anchoring::End
                        };
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
                    regex: LazyRegex::new(expanded, anchoring),
                    cased: rule.case_sensitive,
                    starts_at_anchor,
                });
            }
            let mut rule_exceptions = Vec::new();
            for exception in &rule.exceptions {
                let checked = expander
                    .expand(&bank.lexicon, &exception.pattern)
                    .and_then(|e| {
                        if precomputed::valid_exception(&e) {
                            Ok(e)
                        } else {
                            parse(&e).map(|_| e)
                        }
                    });
                match checked {
                    Ok(expanded) => rule_exceptions.push((
                        exception.pattern.clone(),
                        LazyRegex::new(expanded, Anchoring::None),
                    )),
                    Err(e) => problems.push(bank.rule_diag(i, &exception.pattern, e)),
                }
            }
            exceptions.push(rule_exceptions);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let literals = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(
                phrases
                    .iter()
                    .map(|p| p.as_bytes())
                    .chain(anchor_literals.iter().map(Vec::as_slice)),
            )
            .map_err(|e| build_error("the phrase and anchor matcher", e))?;
        Ok(Compiled {
            literals,
            phrase_rule,
            patterns,
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

/// What `build.rs` worked out for the embedded phrasebank: the anchors of each pattern
/// skeleton and the exceptions that parse. Anything not in these tables (a phrasebank given
/// with `--phrasebank`, or edited since) is worked out at start-up instead.
mod precomputed {
    use super::Anchors;

    /// Whether the literals are prefixes, and the literals.
    type StaticAnchors = (bool, &'static [&'static [u8]]);

    include!(concat!(env!("OUT_DIR"), "/anchors.rs"));

    /// `Some(anchors_of(skeleton))` when the table knows the skeleton.
    pub fn anchors(skeleton: &str) -> Option<Option<Anchors>> {
        let i = SKELETONS.binary_search_by(|(s, _)| s.cmp(&skeleton)).ok()?;
        Some(
            SKELETONS[i]
                .1
                .map(|(prefix, literals)| (prefix, literals.iter().map(|l| l.to_vec()).collect())),
        )
    }

    /// Whether `expanded` is an exception known to parse.
    pub fn valid_exception(expanded: &str) -> bool {
        VALID_EXCEPTIONS.binary_search(&expanded).is_ok()
    }

    #[cfg(test)]
    pub fn skeletons() -> impl Iterator<Item = (&'static str, Option<Anchors>)> {
        SKELETONS.iter().map(|&(s, _)| (s, anchors(s).flatten()))
    }
}

/// The syntax every pattern is read with: ASCII mode, matched as bytes (spans are snapped to
/// char boundaries afterwards).
fn syntax_config() -> syntax::Config {
    syntax::Config::new().unicode(false).utf8(false)
}

/// The NFA size limit (as `regex::bytes::RegexBuilder::size_limit`).
const NFA_LIMIT: usize = 50 << 20;
/// The lazy DFA cache size (as `regex::bytes::RegexBuilder::dfa_size_limit`).
const DFA_CACHE: usize = 16 << 20;

/// A forward-only lazy DFA for anchored searches; `None` when it cannot be built (the meta
/// regex then reports the error or handles the pattern).
fn build_forward(expanded: &str) -> Option<Engine> {
    let nfa = thompson::Compiler::new()
        .syntax(syntax_config())
        .configure(
            thompson::Config::new()
                .utf8(false)
                .nfa_size_limit(Some(NFA_LIMIT))
                .shrink(false)
                .which_captures(WhichCaptures::None),
        )
        .build(expanded)
        .ok()?;
    let dfa = hybrid::dfa::DFA::builder()
        .configure(
            hybrid::dfa::DFA::config()
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .cache_capacity(DFA_CACHE),
        )
        .build_from_nfa(nfa)
        .ok()?;
    let maker = dfa.clone();
    let make: CacheFn = Box::new(move || maker.create_cache());
    Some(Engine::Forward(Box::new(Forward {
        dfa,
        caches: Pool::new(make),
    })))
}

/// The thompson compiler for the lazy DFAs: no captures, no UTF-8 requirement.
fn nfa_compiler(reverse: bool) -> thompson::Compiler {
    let mut compiler = thompson::Compiler::new();
    compiler.configure(
        thompson::Config::new()
            .utf8(false)
            .reverse(reverse)
            .nfa_size_limit(Some(NFA_LIMIT))
            .shrink(false)
            .which_captures(WhichCaptures::None),
    );
    compiler
}

/// A forward lazy DFA (leftmost-first, for anchored searches from a match start) and a
/// reverse one (all matches, so a reverse search runs on to the leftmost start, as the meta
/// regex finds starts); `None` when they cannot be built (the meta regex then reports the
/// error or handles the pattern). The pattern is parsed once for both.
fn build_bidirectional(expanded: &str) -> Option<Engine> {
    let hir = syntax::parse_with(expanded, &syntax_config()).ok()?;
    let fwd_nfa = nfa_compiler(false).build_from_hir(&hir).ok()?;
    let rev_nfa = nfa_compiler(true).build_from_hir(&hir).ok()?;
    let fwd = hybrid::dfa::DFA::builder()
        .configure(
            hybrid::dfa::DFA::config()
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .cache_capacity(DFA_CACHE),
        )
        .build_from_nfa(fwd_nfa)
        .ok()?;
    let rev = hybrid::dfa::DFA::builder()
        .configure(
            hybrid::dfa::DFA::config()
                .match_kind(regex_automata::MatchKind::All)
                .prefilter(None)
                .specialize_start_states(false)
                .cache_capacity(DFA_CACHE),
        )
        .build_from_nfa(rev_nfa)
        .ok()?;
    let (f, r) = (fwd.clone(), rev.clone());
    let make: PairFn = Box::new(move || (f.create_cache(), r.create_cache()));
    Some(Engine::Bidirectional(Box::new(Bidirectional {
        fwd,
        rev,
        caches: Pool::new(make),
    })))
}

/// Compile an expanded pattern as `regex::bytes::RegexBuilder` would (same syntax, match
/// semantics and limits), without the engines and prefilters a sentence-sized search does
/// not pay back (they cost more to build than they save).
pub(super) fn build_expanded(expanded: &str) -> Result<meta::Regex, String> {
    meta::Builder::new()
        .syntax(syntax_config())
        .configure(
            meta::Config::new()
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .utf8_empty(false)
                .nfa_size_limit(Some(NFA_LIMIT))
                .hybrid_cache_capacity(DFA_CACHE)
                .which_captures(WhichCaptures::Implicit)
                .auto_prefilter(false)
                .onepass(false)
                .backtrack(false),
        )
        .build(expanded)
        .map_err(|e| {
            // worded as the regex crate words its errors
            if let Some(limit) = e.size_limit() {
                return format!(
                    "pattern does not compile: Compiled regex exceeds size limit of {limit} bytes."
                );
            }
            let msg = match e.syntax_error() {
                Some(syntax) => syntax.to_string(),
                None => e.to_string(),
            };
            compile_message(&msg)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluator::anchors;

    /// A pattern without anchors runs over every text in full; a few are fine, many would make
    /// the evaluator slow. This names the ones that lack anchors when there are too many.
    #[test]
    fn nearly_every_pattern_has_anchors() {
        let bank = Phrasebank::embedded().unwrap();
        let mut unanchored = Vec::new();
        for rule in &bank.rules {
            for p in &rule.patterns {
                if anchors::anchors_for(&skeleton(&bank.lexicon, p).unwrap()).is_none() {
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
        let a = anchors::anchors_for(r"\b(?:he|she) (?:broke|botched)\b").unwrap();
        let has = |l: &[u8], w: &[u8]| l.windows(w.len()).any(|x| x == w);
        assert!(
            a.iter()
                .all(|l| has(l, b"he ") || has(l, b"broke") || has(l, b"botched")),
            "{a:?}"
        );
        // Digits are rare in prose, so a figure anchors on its digits alone; a bare word
        // class has nothing to anchor on.
        assert_eq!(anchors::anchors_for(r"\d+").map(|a| a.len()), Some(10));
        assert!(anchors::anchors_for(r"\w+").is_none());
    }

    /// The anchors `build.rs` computed are the ones start-up would compute, and every
    /// pattern of the embedded phrasebank is in the table.
    #[test]
    fn precomputed_anchors_match_runtime() {
        let bank = Phrasebank::embedded().unwrap();
        for (skeleton, anchors) in precomputed::skeletons() {
            assert_eq!(anchors, anchors_of(&parse(skeleton).unwrap()), "{skeleton}");
        }
        let mut expander = Expander::default();
        for rule in &bank.rules {
            for p in &rule.patterns {
                let s = skeleton(&bank.lexicon, p).unwrap();
                assert!(precomputed::anchors(&s).is_some(), "not precomputed: {p}");
            }
            for e in &rule.exceptions {
                let expanded = expander.expand(&bank.lexicon, &e.pattern).unwrap();
                assert!(precomputed::valid_exception(&expanded), "{}", e.pattern);
            }
        }
    }
}
