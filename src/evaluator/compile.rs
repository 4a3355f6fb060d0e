//! Turning phrasebank rules into matchers: one aho-corasick automaton for the literal phrases
//! and the anchors that tell which patterns can match where, the patterns themselves (ASCII
//! mode, over bytes, compiled on first use) and per-rule exception regexes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use std::ops::Range;

use aho_corasick::{AhoCorasick, MatchKind};
use regex_automata::nfa::thompson::{self, WhichCaptures};
use regex_automata::util::syntax;
use regex_automata::{hybrid, meta, Anchored, Input};
use regex_syntax::hir::{Capture, Hir, HirKind, Repetition};

use super::anchors::{
    anchors_of, compile_message, marked_entry, parse, skeleton, unmark, Expander, LiteralList, Side,
};
use super::literal_table::Table;
use crate::diag::Diagnostic;
use crate::phrasebank::Phrasebank;

/// A regex compiled on first use: most texts need only a few of the patterns, and compiling
/// them all would dominate start-up. Syntax is checked at load time (the pattern is parsed
/// for its anchors); `Compiled::compile_all` compiles everything for `validate`.
pub struct LazyRegex {
    /// The pattern, expanded; for one that names lexicon entries, with the entries as marked
    /// groups (`Expander::marked`): parsed with the shared entry trees spliced in, and
    /// written out in full only when needed (`expanded`).
    source: String,
    marked: bool,
    entries: Arc<Entries>,
    /// Which part of every match its anchors are, which decides the engine: matches that
    /// start at a hit get a forward-only lazy DFA run anchored at each hit (no reverse
    /// automaton, no prefilter to build); matches that end at one get a reverse lazy DFA run
    /// back from each hit end and a forward one anchored where it finds a start; anything
    /// else (inner anchors, none, exceptions) is searched like `find_iter`.
    anchored: Option<Side>,
    cell: OnceLock<Result<Engine, String>>,
}

/// A lazy DFA's cache for one pattern, made on first use. Caches live outside the compiled
/// patterns (in the evaluator's per-thread scratch), so one pool checkout serves a whole text.
pub type CacheSlot = Option<hybrid::dfa::Cache>;

/// The per-pattern lazy DFA caches of one thread.
#[derive(Default)]
pub struct Caches {
    fwd: Vec<CacheSlot>,
    rev: Vec<CacheSlot>,
}

impl Caches {
    /// Caches for pattern `p`'s forward and reverse DFAs (slots grow on demand).
    pub fn slots(&mut self, p: usize) -> (&mut CacheSlot, &mut CacheSlot) {
        if self.fwd.len() <= p {
            self.fwd.resize_with(p + 1, || None);
            self.rev.resize_with(p + 1, || None);
        }
        (&mut self.fwd[p], &mut self.rev[p])
    }
}

fn cache<'c>(slot: &'c mut CacheSlot, dfa: &hybrid::dfa::DFA) -> &'c mut hybrid::dfa::Cache {
    slot.get_or_insert_with(|| dfa.create_cache())
}

/// See `Engine::ends`.
pub struct EndSearch<'a> {
    engine: &'a EndAnchored,
    fwd_slot: &'a mut CacheSlot,
    rev_cache: &'a mut hybrid::dfa::Cache,
}

/// The automata of a pattern whose matches all end at an anchor hit.
pub struct EndAnchored {
    /// Run back from each hit end to find where matches start.
    rev: hybrid::dfa::DFA,
    /// Run forward from a start found, to where the match ends: built the first time a start
    /// is found. Most texts that hold a hit hold no match (over the first MB of the bench
    /// text, 41 of the 61 such patterns compiled never found a start), and compiling the
    /// forward automaton too was half the cost of each.
    fwd: OnceLock<Option<hybrid::dfa::DFA>>,
    hir: Hir,
}

impl EndAnchored {
    /// The forward automaton (`None` if it cannot be built: `compile_all` reports that).
    fn fwd(&self) -> Option<&hybrid::dfa::DFA> {
        self.fwd.get_or_init(|| forward_dfa(&self.hir)).as_ref()
    }
}

impl EndSearch<'_> {
    /// The leftmost start, at or after `from`, of a match ending exactly at `end` in `hay`.
    /// (The lazy DFAs have no quit bytes and never give up, so an error cannot happen;
    /// one is treated as no match.)
    pub fn start_for(&mut self, hay: &[u8], from: usize, end: usize) -> Option<usize> {
        let input = Input::new(hay).range(from..end).anchored(Anchored::Yes);
        self.engine
            .rev
            .try_search_rev(self.rev_cache, &input)
            .ok()
            .flatten()
            .map(|m| m.offset())
    }

    /// The end of the leftmost-first match starting exactly at `at` and ending at or before
    /// `limit` (the bytes after `limit` still count for look-around).
    pub fn end_from(&mut self, hay: &[u8], at: usize, limit: usize) -> Option<usize> {
        let input = Input::new(hay).range(at..limit).anchored(Anchored::Yes);
        let fwd = self.engine.fwd()?;
        fwd.try_search_fwd(cache(self.fwd_slot, fwd), &input)
            .ok()
            .flatten()
            .map(|m| m.offset())
    }
}

/// A compiled pattern.
pub enum Engine {
    /// For patterns whose matches all start at an anchor: searched anchored at each hit.
    Forward(Box<hybrid::dfa::DFA>),
    /// For patterns whose matches all end at an anchor hit: searched back from each hit end
    /// (reverse DFA), then forward from the start found (forward DFA).
    Bidirectional(Box<EndAnchored>),
    /// Searched over a whole sentence (or text), like `regex::bytes::Regex::find_iter`.
    Meta(meta::Regex),
}

impl Engine {
    /// The end of the match starting exactly at `at` in `hay` (leftmost-first), if any, with
    /// the pattern's cache slot for its forward DFA.
    pub fn match_at(&self, slot: &mut CacheSlot, hay: &[u8], at: usize) -> Option<usize> {
        let input = Input::new(hay).range(at..).anchored(Anchored::Yes);
        let dfa = match self {
            Engine::Forward(dfa) => &**dfa,
            Engine::Bidirectional(end_anchored) => end_anchored.fwd()?,
            Engine::Meta(re) => return re.search(&input).map(|m| m.end()),
        };
        // The lazy DFA has no quit bytes and never gives up (no minimum cache clear count),
        // so an error cannot happen; treat one as no match.
        dfa.try_search_fwd(cache(slot, dfa), &input)
            .ok()
            .flatten()
            .map(|m| m.offset())
    }

    /// A searcher for matches that end at given places (`None` for an engine that can only
    /// search a whole haystack: use `find_iter`), with the pattern's cache slots.
    pub fn ends<'a>(
        &'a self,
        fwd: &'a mut CacheSlot,
        rev: &'a mut CacheSlot,
    ) -> Option<EndSearch<'a>> {
        match self {
            Engine::Bidirectional(end_anchored) => Some(EndSearch {
                engine: end_anchored,
                fwd_slot: fwd,
                rev_cache: cache(rev, &end_anchored.rev),
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

/// The lexicon entries' expansions, each parsed once, on first use, and shared by every
/// pattern naming it: a long word list is most of what parsing such a pattern costs.
#[derive(Default)]
pub struct Entries {
    /// Set once every pattern has been expanded: the entries they name, with each
    /// expansion and its tree once parsed.
    by_name: OnceLock<EntryTable>,
}

/// Entry name -> (its expansion, its tree once parsed).
type EntryTable = HashMap<String, (String, OnceLock<Option<Hir>>)>;

impl Entries {
    fn fill<'a>(&self, expansions: impl Iterator<Item = (&'a str, &'a str)>) {
        let by_name = expansions
            .map(|(name, e)| (name.to_string(), (e.to_string(), OnceLock::new())))
            .collect();
        // Filled once, by `Compiled::new`, before any pattern is compiled.
        let _ = self.by_name.set(by_name);
    }

    fn hir(&self, name: &str) -> Option<Hir> {
        let (source, cell) = self.by_name.get()?.get(name)?;
        cell.get_or_init(|| syntax::parse_with(source, &syntax_config()).ok())
            .clone()
    }

    /// `hir` with each marked group replaced by its entry's tree; `None` if an entry is
    /// missing or does not parse (the expanded pattern is then parsed as a whole).
    ///
    /// The tree is taken apart, not copied: only the nodes on the way to a marked group
    /// (the only groups with a name; they count as explicit captures) are built again, and
    /// everything else is moved as it is. Only the entries' trees are cloned.
    fn splice(&self, hir: Hir) -> Option<Hir> {
        if hir.properties().explicit_captures_len() == 0 {
            return Some(hir);
        }
        let splice_all = |items: Vec<Hir>| {
            items
                .into_iter()
                .map(|h| self.splice(h))
                .collect::<Option<Vec<_>>>()
        };
        Some(match hir.into_kind() {
            HirKind::Capture(group) => match group.name.as_deref().and_then(marked_entry) {
                Some(name) => self.hir(name)?,
                None => Hir::capture(Capture {
                    sub: Box::new(self.splice(*group.sub)?),
                    ..group
                }),
            },
            HirKind::Concat(items) => Hir::concat(splice_all(items)?),
            HirKind::Alternation(items) => Hir::alternation(splice_all(items)?),
            HirKind::Repetition(rep) => Hir::repetition(Repetition {
                sub: Box::new(self.splice(*rep.sub)?),
                ..rep
            }),
            // No other kind holds a group.
            HirKind::Empty => Hir::empty(),
            HirKind::Literal(lit) => Hir::literal(lit.0),
            HirKind::Class(class) => Hir::class(class),
            HirKind::Look(look) => Hir::look(look),
        })
    }
}

impl LazyRegex {
    /// `expanded` is used only when there is no `marked` form.
    fn new(
        expanded: String,
        marked: Option<String>,
        entries: &Arc<Entries>,
        anchored: Option<Side>,
    ) -> Self {
        LazyRegex {
            marked: marked.is_some(),
            source: marked.unwrap_or(expanded),
            entries: entries.clone(),
            anchored,
            cell: OnceLock::new(),
        }
    }

    /// The pattern's syntax tree (from the marked form where there is one).
    fn hir(&self) -> Option<Hir> {
        let hir = syntax::parse_with(&self.source, &syntax_config()).ok()?;
        if self.marked {
            self.entries.splice(hir)
        } else {
            Some(hir)
        }
    }

    /// The pattern with its lexicon entries written out.
    pub fn expanded(&self) -> std::borrow::Cow<'_, str> {
        if !self.marked {
            return self.source.as_str().into();
        }
        let map = self.entries.by_name.get();
        let text = unmark(&self.source, |name| {
            map.and_then(|m| m.get(name)).map(|(e, _)| e.as_str())
        });
        // Every marked entry was expanded when the pattern was (`Compiled::new`).
        text.unwrap_or_else(|| self.source.clone()).into()
    }

    fn result(&self) -> &Result<Engine, String> {
        self.cell.get_or_init(|| {
            if let Some(hir) = self.hir() {
                let built = match self.anchored {
                    Some(Side::Prefix) => build_forward(&hir),
                    Some(Side::Suffix) => build_bidirectional(&hir),
                    Some(Side::Inner) | None => None,
                };
                if let Some(engine) = built {
                    return Ok(engine);
                }
                if let Ok(re) = meta_builder().build_from_hir(&hir) {
                    return Ok(Engine::Meta(re));
                }
            }
            // Anything that failed is built again from the expanded text, which words the
            // error as for a pattern written out in full.
            build_expanded(&self.expanded()).map(Engine::Meta)
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
    /// Which part of every match its anchors are (`None`: no anchors, run over the text).
    pub side: Option<Side>,
    /// Every match has a word boundary where it meets its anchor (its start, or its end).
    pub word_edge: bool,
}

/// How patterns are found quickly: every pattern whose matches must begin (or end) with one of
/// a finite set of literals gets those literals as *anchors*. One aho-corasick pass over the
/// text finds the phrases and the anchors. A pattern whose matches start with an anchor is
/// tried (anchored) at each hit; one anchored on its ends is searched back from each hit's
/// end; one whose matches only contain an anchor runs on the sentences holding a hit.
/// Patterns with no usable anchors run over the whole text.
pub struct Compiled {
    /// One automaton for the phrases and the anchors, so the text is read once: its first
    /// `phrase_rule.len()` patterns are the phrases, the rest the anchor literals.
    pub literals: Literals,
    /// Rule index for each phrase.
    pub phrase_rule: Vec<usize>,
    pub patterns: Vec<Pattern>,
    /// For each anchor literal, the patterns it may start, end or be part of.
    pub anchor_patterns: AnchorPatterns,
    /// Patterns without anchors.
    pub always: Vec<u32>,
    /// Exceptions per rule, with the exception as written.
    pub exceptions: Vec<Vec<(String, LazyRegex)>>,
}

/// The patterns of each anchor literal, in pattern order, all in one list (one vector per
/// anchor meant some 16,000 small allocations at start-up).
pub struct AnchorPatterns {
    /// Where each anchor's patterns start in `patterns` (one more entry than anchors).
    starts: Vec<u32>,
    patterns: Vec<u32>,
}

impl AnchorPatterns {
    /// From (anchor, pattern) pairs in pattern order (an anchor may repeat for a pattern).
    fn new(anchors: usize, pairs: Vec<(u32, u32)>) -> Self {
        // A counting sort: pairs come in pattern order, so each anchor's list is too.
        let mut last = vec![u32::MAX; anchors];
        let mut starts = vec![0u32; anchors + 1];
        let kept: Vec<(u32, u32)> = pairs
            .into_iter()
            .filter(|&(anchor, p)| std::mem::replace(&mut last[anchor as usize], p) != p)
            .collect();
        for &(anchor, _) in &kept {
            starts[anchor as usize + 1] += 1;
        }
        for i in 0..anchors {
            starts[i + 1] += starts[i];
        }
        let mut next = starts.clone();
        let mut patterns = vec![0u32; kept.len()];
        for (anchor, p) in kept {
            let at = &mut next[anchor as usize];
            patterns[*at as usize] = p;
            *at += 1;
        }
        AnchorPatterns { starts, patterns }
    }

    /// The patterns anchor `anchor` may start, end or be part of.
    #[inline]
    pub fn of(&self, anchor: usize) -> &[u32] {
        &self.patterns[self.starts[anchor] as usize..self.starts[anchor + 1] as usize]
    }
}

/// The phrase and anchor automaton: for the embedded phrasebank, the table `build.rs` made
/// (nothing to build at start-up); for any other, an aho-corasick automaton built now.
pub enum Literals {
    Table {
        table: Table<'static>,
        /// Each literal's length, to tell where a match starts.
        lens: Vec<u32>,
    },
    Built(AhoCorasick),
}

impl Literals {
    fn new(literals: Vec<&[u8]>) -> Result<Literals, Vec<Diagnostic>> {
        if let Some(table) = precomputed::literal_table(&literals) {
            return Ok(Literals::Table {
                table,
                lens: literals.iter().map(|l| l.len() as u32).collect(),
            });
        }
        AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(literals)
            .map(Literals::Built)
            .map_err(|e| build_error("the phrase and anchor matcher", e))
    }

    /// Calls `found(literal, start, end)` for every occurrence of every literal in `hay`,
    /// in order of their ends (an overlapping search).
    #[inline]
    pub fn for_each_match(&self, hay: &[u8], mut found: impl FnMut(usize, usize, usize)) {
        match self {
            Literals::Table { table, lens } => table.for_each_match(hay, |literal, end| {
                let literal = literal as usize;
                found(literal, end - lens[literal] as usize, end)
            }),
            Literals::Built(ac) => {
                for m in ac.find_overlapping_iter(hay) {
                    found(m.pattern().as_usize(), m.start(), m.end());
                }
            }
        }
    }

    /// Whether this is the table made ahead of time.
    #[cfg(test)]
    pub fn is_precomputed(&self) -> bool {
        matches!(self, Literals::Table { .. })
    }
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
        let mut literals = LiteralList::default();
        let mut phrase_rule = Vec::new();
        let mut patterns = Vec::new();
        let mut exceptions = Vec::new();
        // Each anchored pattern with its anchor literals and, for the embedded phrasebank,
        // the places `build.rs` found for them among the anchors.
        let mut anchored: Vec<AnchoredPattern<'_>> = Vec::new();
        let mut always = Vec::new();
        let mut expander = Expander::default();
        let entries = Arc::new(Entries::default());
        // Only a pattern that names an entry has a marked form worth keeping.
        let mark = |pattern: &str, expander: &mut Expander| {
            let names_entry = pattern.contains('{');
            names_entry
                .then(|| expander.marked(&bank.lexicon, pattern).ok())
                .flatten()
        };
        for (i, rule) in bank.rules.iter().enumerate() {
            for phrase in &rule.phrases {
                let forms = literals.add_phrase(phrase);
                phrase_rule.extend(std::iter::repeat_n(i, forms));
            }
            for pattern in &rule.patterns {
                // A pattern naming lexicon entries is kept marked (and written out in full
                // only if needed); expanding it here would report any problem with them.
                let marked = mark(pattern, &mut expander);
                let expanded = match marked {
                    Some(_) => String::new(),
                    None => match expander.expand(&bank.lexicon, pattern) {
                        Ok(e) => e,
                        Err(e) => {
                            problems.push(bank.rule_diag(i, pattern, e));
                            continue;
                        }
                    },
                };
                // The embedded phrasebank's anchors are in a table keyed by the pattern as
                // written, borrowed as they are; any other pattern's are worked out now from
                // its skeleton. (A skeleton does not depend on what the entries hold, and an
                // unknown entry was reported above.)
                let found = match precomputed::anchors(pattern) {
                    Some(anchors) => Ok(anchors.map(|(side, literals, edge, slots)| {
                        let literals: Vec<Cow<'static, [u8]>> =
                            literals.iter().map(|&l| Cow::Borrowed(l)).collect();
                        (side, literals, edge, Some(slots))
                    })),
                    None => skeleton(&bank.lexicon, pattern).and_then(|s| {
                        parse(&s).map(|hir| {
                            anchors_of(&hir).map(|(side, literals, edge)| {
                                let literals = literals.into_iter().map(Cow::Owned).collect();
                                (side, literals, edge, None)
                            })
                        })
                    }),
                };
                let found = match found {
                    Ok(found) => found,
                    Err(e) => {
                        problems.push(bank.rule_diag(i, pattern, e));
                        continue;
                    }
                };
                let index = patterns.len() as u32;
                let mut side = None;
                let mut word_edge = false;
                match found {
                    Some((found_side, anchor_literals, edge, slots)) => {
                        side = Some(found_side);
                        word_edge = edge;
                        anchored.push((index, anchor_literals, slots));
                    }
                    None => always.push(index),
                }
                patterns.push(Pattern {
                    rule: i,
                    written: pattern.clone(),
                    regex: LazyRegex::new(expanded, marked, &entries, side),
                    cased: rule.case_sensitive,
                    side,
                    word_edge,
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
                        LazyRegex::new(
                            expanded,
                            mark(&exception.pattern, &mut expander),
                            &entries,
                            None,
                        ),
                    )),
                    Err(e) => problems.push(bank.rule_diag(i, &exception.pattern, e)),
                }
            }
            exceptions.push(rule_exceptions);
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        entries.fill(expander.entries());
        let pairs = list_anchors(&mut literals, &anchored);
        let anchor_patterns = AnchorPatterns::new(literals.anchor_count(), pairs);
        let literals = Literals::new(literals.all())?;
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

/// A pattern's index, its anchor literals and (for the embedded phrasebank) their places
/// among the anchors as `build.rs` listed them.
type AnchoredPattern<'a> = (u32, Vec<Cow<'a, [u8]>>, Option<&'static [u32]>);

/// Lists the anchor literals after the phrases and returns the (anchor, pattern) pairs, in
/// pattern order. For the embedded phrasebank, the places `build.rs` found are taken as they
/// are (a hash lookup of each of some 40,000 literals was a tenth of start-up), and the list
/// they make is checked against the one `build.rs` made; anything else is looked up.
fn list_anchors<'a>(
    literals: &mut LiteralList<'a>,
    anchored: &[AnchoredPattern<'a>],
) -> Vec<(u32, u32)> {
    let mut pairs = Vec::new();
    let placed = anchored.iter().all(|(pattern, found, slots)| {
        slots.is_some_and(|slots| {
            slots.len() == found.len()
                && found.iter().zip(slots).all(|(literal, &slot)| {
                    pairs.push((slot, *pattern));
                    literals.add_anchor_at(literal.clone(), slot as usize)
                })
        })
    });
    if placed && precomputed::is_literal_list(&literals.all()) {
        return pairs;
    }
    literals.clear_anchors();
    pairs.clear();
    for (pattern, found, _) in anchored {
        for literal in found {
            pairs.push((literals.add_anchor(literal.clone()) as u32, *pattern));
        }
    }
    pairs
}

impl Compiled {
    /// Compile every pattern and exception now, reporting any that fail (size limits).
    pub fn compile_all(&self, bank: &Phrasebank) -> Vec<Diagnostic> {
        let mut problems = Vec::new();
        for p in &self.patterns {
            match p.regex.result() {
                Err(e) => problems.push(bank.rule_diag(p.rule, &p.written, e.clone())),
                // The forward automaton of an end-anchored pattern is otherwise built only
                // once a text needs it.
                Ok(Engine::Bidirectional(end_anchored)) if end_anchored.fwd().is_none() => problems
                    .push(bank.rule_diag(
                        p.rule,
                        &p.written,
                        "pattern does not compile: its forward automaton exceeds the size limit",
                    )),
                Ok(_) => {}
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
    use super::Side;
    use crate::evaluator::literal_table::Table;

    /// Whether the literals are prefixes, the literals, whether matches have a word boundary
    /// at that end, and each literal's place among the automaton's anchors.
    pub type StaticAnchors = (Side, &'static [&'static [u8]], bool, &'static [u32]);

    include!(concat!(env!("OUT_DIR"), "/anchors.rs"));

    /// `Some(anchors_of(skeleton of pattern))` when the table knows the pattern, its
    /// literals borrowed from the table.
    pub fn anchors(pattern: &str) -> Option<Option<StaticAnchors>> {
        let i = PATTERN_ANCHORS
            .binary_search_by(|(p, _)| p.cmp(&pattern))
            .ok()?;
        Some(PATTERN_ANCHORS[i].1)
    }

    /// The table of the automaton over `literals`, when it was made for exactly these.
    pub fn literal_table(literals: &[&[u8]]) -> Option<Table<'static>> {
        is_literal_list(literals).then_some(LITERAL_TABLE).flatten()
    }

    /// Whether `literals` are the ones `build.rs` listed, in its order.
    pub fn is_literal_list(literals: &[&[u8]]) -> bool {
        LITERAL_ENDS.len() == literals.len()
            && literals.iter().enumerate().all(|(i, literal)| {
                let start = i.checked_sub(1).map_or(0, |j| LITERAL_ENDS[j] as usize);
                LITERAL_BYTES.get(start..LITERAL_ENDS[i] as usize) == Some(*literal)
            })
    }

    /// Whether `expanded` is an exception known to parse.
    pub fn valid_exception(expanded: &str) -> bool {
        VALID_EXCEPTIONS.binary_search(&expanded).is_ok()
    }

    #[cfg(test)]
    pub fn patterns(
    ) -> impl Iterator<Item = (&'static str, Option<crate::evaluator::anchors::Anchors>)> {
        PATTERN_ANCHORS.iter().map(|&(pattern, anchors)| {
            let owned = anchors.map(|(side, literals, edge, _)| {
                (side, literals.iter().map(|l| l.to_vec()).collect(), edge)
            });
            (pattern, owned)
        })
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
fn build_forward(hir: &Hir) -> Option<Engine> {
    forward_dfa(hir).map(|dfa| Engine::Forward(Box::new(dfa)))
}

/// The forward lazy DFA of a pattern: leftmost-first, for searches anchored at a start.
fn forward_dfa(hir: &Hir) -> Option<hybrid::dfa::DFA> {
    let nfa = build_nfa(hir, false)?;
    hybrid::dfa::DFA::builder()
        .configure(
            hybrid::dfa::DFA::config()
                .match_kind(regex_automata::MatchKind::LeftmostFirst)
                .cache_capacity(DFA_CACHE),
        )
        .build_from_nfa(nfa)
        .ok()
}

thread_local! {
    /// The Thompson compilers for the lazy DFAs (forward, reverse), kept per thread: a
    /// compiler keeps its working memory from one pattern to the next.
    static COMPILERS: [thompson::Compiler; 2] = [nfa_compiler(false), nfa_compiler(true)];
}

/// The NFA of a pattern for a lazy DFA, forward or `reverse`.
fn build_nfa(hir: &Hir, reverse: bool) -> Option<thompson::NFA> {
    COMPILERS.with(|c| c[usize::from(reverse)].build_from_hir(hir).ok())
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

/// A reverse lazy DFA (all matches, so a reverse search runs on to the leftmost start, as
/// the meta regex finds starts) and, when first needed, a forward one (leftmost-first, for
/// anchored searches from a match start); `None` when the reverse one cannot be built (the
/// meta regex then reports the error or handles the pattern).
fn build_bidirectional(hir: &Hir) -> Option<Engine> {
    let rev_nfa = build_nfa(hir, true)?;
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
    Some(Engine::Bidirectional(Box::new(EndAnchored {
        rev,
        fwd: OnceLock::new(),
        hir: hir.clone(),
    })))
}

/// Compile an expanded pattern as `regex::bytes::RegexBuilder` would (same syntax, match
/// semantics and limits), without the engines and prefilters a sentence-sized search does
/// not pay back (they cost more to build than they save).
pub(super) fn build_expanded(expanded: &str) -> Result<meta::Regex, String> {
    meta_builder().build(expanded).map_err(|e| {
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

/// The meta regex builder `build_expanded` uses.
fn meta_builder() -> meta::Builder {
    let mut builder = meta::Builder::new();
    builder.syntax(syntax_config()).configure(
        meta::Config::new()
            .match_kind(regex_automata::MatchKind::LeftmostFirst)
            .utf8_empty(false)
            .nfa_size_limit(Some(NFA_LIMIT))
            .hybrid_cache_capacity(DFA_CACHE)
            .which_captures(WhichCaptures::Implicit)
            .auto_prefilter(false)
            .onepass(false)
            .backtrack(false),
    );
    builder
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluator::anchors;

    /// The embedded phrasebank must find its automaton made ahead of time: if `build.rs`
    /// lists the literals in another order than `Compiled::new`, start-up silently builds
    /// it again (a third of `debrief score`'s start-up).
    #[test]
    fn embedded_phrasebank_uses_the_precomputed_table() {
        let bank = Phrasebank::embedded().unwrap();
        let compiled = Compiled::new(&bank).unwrap_or_else(|_| panic!("compiles"));
        assert!(
            compiled.literals.is_precomputed(),
            "build.rs made no table for these literals (order differs, or over 65,536 states)"
        );
    }

    /// Any other phrasebank (here: one more phrase) gets an automaton built at start-up,
    /// which finds the same things plus the new phrase.
    #[test]
    fn an_edited_phrasebank_builds_its_own_automaton() {
        let mut bank = Phrasebank::embedded().unwrap();
        let text = "that was plainly a zorblatt move, 40% of calls failed at 14:02";
        let before = Compiled::new(&bank).unwrap_or_else(|_| panic!("compiles"));
        bank.rules[0].phrases.push("zorblatt".into());
        let after = Compiled::new(&bank).unwrap_or_else(|_| panic!("compiles"));
        assert!(!after.literals.is_precomputed());
        // What each hit stands for: a phrase of a rule, or an anchor of some patterns.
        let hits = |c: &Compiled| {
            let phrases = c.phrase_rule.len();
            let mut found = Vec::new();
            c.literals
                .for_each_match(text.as_bytes(), |id, start, end| {
                    let what = match id.checked_sub(phrases) {
                        None => (Some(c.phrase_rule[id]), Vec::new()),
                        Some(anchor) => (None, c.anchor_patterns.of(anchor).to_vec()),
                    };
                    found.push((what, start, end));
                });
            found.sort_unstable();
            found
        };
        let mut expected = hits(&before);
        let zorblatt = text.find("zorblatt").unwrap();
        expected.push(((Some(0), Vec::new()), zorblatt, zorblatt + "zorblatt".len()));
        expected.sort_unstable();
        assert!(expected.len() > 3, "the text holds anchors: {expected:?}");
        assert_eq!(hits(&after), expected);
    }

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

    /// A word ending ("ing" after a letter class) is in most sentences: a set of words the
    /// match must contain is the better anchor, even a common word at its start is not.
    #[test]
    fn a_word_ending_is_not_an_anchor_when_words_are_there() {
        let a = anchors::anchors_for(r"\b(?:if|unless) [a-z]+ (?:stop|start) [a-z]+ing\b").unwrap();
        assert!(
            a.iter()
                .all(|l| l.starts_with(b"stop") || l.starts_with(b"start")),
            "{a:?}"
        );
    }

    /// A word boundary counts only where every match has one: at the start of a sequence
    /// (prefix anchors) or its end (suffix anchors).
    #[test]
    fn word_edges_are_read_from_the_pattern() {
        let edge = |p: &str| anchors_of(&parse(p).unwrap()).map(|(side, _, edge)| (side, edge));
        assert_eq!(edge(r"\bblamed (?:him|her)"), Some((Side::Prefix, true)));
        assert_eq!(edge(r"blamed (?:him|her)"), Some((Side::Prefix, false)));
        assert_eq!(
            edge(r"(?:he|she) \w+ (?:the|a) (?:release|rollout)\b"),
            Some((Side::Suffix, true))
        );
        assert_eq!(
            edge(r"(?:he|she) \w+ (?:the|a) (?:release|rollout)"),
            Some((Side::Suffix, false))
        );
    }

    /// The anchors `build.rs` computed are the ones start-up would compute, and every
    /// pattern of the embedded phrasebank is in the table.
    #[test]
    fn precomputed_anchors_match_runtime() {
        let bank = Phrasebank::embedded().unwrap();
        for (pattern, anchors) in precomputed::patterns() {
            let s = skeleton(&bank.lexicon, pattern).unwrap();
            assert_eq!(anchors, anchors_of(&parse(&s).unwrap()), "{pattern}");
        }
        let mut expander = Expander::default();
        for rule in &bank.rules {
            for p in &rule.patterns {
                assert!(precomputed::anchors(p).is_some(), "not precomputed: {p}");
            }
            for e in &rule.exceptions {
                let expanded = expander.expand(&bank.lexicon, &e.pattern).unwrap();
                assert!(precomputed::valid_exception(&expanded), "{}", e.pattern);
            }
        }
    }
}
