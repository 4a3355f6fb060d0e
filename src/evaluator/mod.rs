//! The evaluator: a pure function from a response (and the beat kind it answers) to three
//! scores, findings with byte spans, and the move verdict. Matching is phrase (aho-corasick) and
//! pattern (regex) lookup over the phrasebank, then context: quotes, negation scope, exceptions,
//! and evidence used to accuse someone not counting as evidence.

mod anchors;
mod compile;
mod literal_table;
mod measure;
mod names;
mod negation;
pub mod text;
mod verdict;

use std::collections::BTreeSet;
use std::ops::Range;
use std::sync::Arc;

use regex_automata::util::pool::Pool;
use serde::Serialize;

use crate::beat::BeatKind;
use crate::diag::Diagnostic;
use crate::phrasebank::{Dimension, Phrasebank, Polarity};
use anchors::Side;
use compile::Compiled;
use measure::Reading;
use negation::Negation;
use text::Text;

pub use verdict::MoveVerdict;

/// The three scores, 0..=100; 60 or more passes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Scores {
    pub blamelessness: u8,
    pub data: u8,
    pub concision: u8,
}

impl Scores {
    pub fn get(&self, dimension: Dimension) -> Option<u8> {
        match dimension {
            Dimension::Blamelessness => Some(self.blamelessness),
            Dimension::Data => Some(self.data),
            Dimension::Concision => Some(self.concision),
            Dimension::Move => None,
        }
    }
}

/// One thing the evaluator noticed: a problem (penalty) or a good sign (credit).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: Arc<str>,
    pub dimension: Dimension,
    pub polarity: Polarity,
    /// Byte offsets into the response, on char boundaries.
    pub start: usize,
    pub end: usize,
    pub message: Arc<str>,
    pub suggestion: Arc<str>,
    /// Points this finding moved its dimension's score.
    pub weight: u32,
}

impl Finding {
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evaluation {
    pub scores: Scores,
    #[serde(rename = "move")]
    pub move_verdict: Option<MoveVerdict>,
    pub findings: Vec<Finding>,
    /// Signals the move model read (for `:why` and debugging).
    #[serde(skip)]
    pub signals: BTreeSet<Arc<str>>,
    pub words: usize,
}

impl Evaluation {
    pub fn passes(&self, pass: u8) -> bool {
        let s = self.scores;
        s.blamelessness >= pass && s.data >= pass && s.concision >= pass
    }

    /// Penalties, worst first.
    pub fn problems(&self) -> impl Iterator<Item = &Finding> {
        let mut v: Vec<&Finding> = self
            .findings
            .iter()
            .filter(|f| f.polarity == Polarity::Penalty)
            .collect();
        v.sort_by_key(|f| (std::cmp::Reverse(f.weight), f.start));
        v.into_iter()
    }
}

/// Per-rule strings shared by findings.
struct RuleText {
    id: Arc<str>,
    message: Arc<str>,
    suggestion: Arc<str>,
    signals: Vec<Arc<str>>,
}

pub struct Evaluator {
    bank: Arc<Phrasebank>,
    compiled: Compiled,
    negation: Negation,
    measures: measure::Measures,
    names: names::Names,
    texts: Vec<RuleText>,
    /// The rules that carry signals, by the address of their id (shared by their findings),
    /// sorted for binary search.
    signalling: Vec<(usize, usize)>,
    scratch: Pool<Scratch, ScratchFn>,
}

/// A match before context decides whether it stands.
struct Raw {
    rule: usize,
    span: Range<usize>,
}

impl Evaluator {
    pub fn new(bank: Phrasebank) -> Result<Evaluator, Vec<Diagnostic>> {
        let compiled = Compiled::new(&bank)?;
        let negation = Negation::new(&bank.context);
        let measures = measure::Measures::new(&bank);
        let names = names::Names::new(&bank.lexicon);
        let texts = bank
            .rules
            .iter()
            .map(|r| RuleText {
                id: r.id.as_str().into(),
                message: r.message.as_str().into(),
                suggestion: r.suggestion.as_str().into(),
                signals: r.signals.iter().map(|s| Arc::from(s.as_str())).collect(),
            })
            .collect::<Vec<RuleText>>();
        let mut signalling: Vec<(usize, usize)> = texts
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.signals.is_empty())
            .map(|(i, t)| (Arc::as_ptr(&t.id) as *const u8 as usize, i))
            .collect();
        signalling.sort_unstable();
        Ok(Evaluator {
            bank: Arc::new(bank),
            compiled,
            negation,
            measures,
            names,
            texts,
            signalling,
            scratch: Pool::new(Box::new(Scratch::default)),
        })
    }

    /// The evaluator over the phrasebank compiled into the binary.
    pub fn embedded() -> Result<Evaluator, Vec<Diagnostic>> {
        Evaluator::new(Phrasebank::embedded()?)
    }

    pub fn phrasebank(&self) -> &Phrasebank {
        &self.bank
    }

    /// The text as the matcher reads it, with unlisted names stood in for.
    fn prepare<'t>(&self, original: &'t str) -> Text<'t> {
        let mut text = Text::new(original);
        text.matching = self.names.matching_copy(&text);
        text
    }

    /// Score one response; with `after`, also judge the move the moment called for.
    pub fn evaluate(&self, response: &str, after: Option<BeatKind>) -> Evaluation {
        let mut all = self.evaluate_all(&[(response, after)]);
        all.pop().expect("one evaluation per response")
    }

    /// `evaluate` for each response, in order: the same evaluations, read in one pass. A
    /// stream of short texts matched one by one keeps trading the literal automaton, the
    /// patterns' automata and the per-text work for each other in the CPU caches; matched
    /// together, each step runs over all of them at once.
    pub fn evaluate_all(&self, responses: &[(&str, Option<BeatKind>)]) -> Vec<Evaluation> {
        let texts: Vec<&str> = responses.iter().map(|(text, _)| *text).collect();
        self.read_all(&texts, true, Reading::Response)
            .into_iter()
            .zip(responses)
            .map(|((findings, signals, words), (_, after))| {
                let scores = self.scores(&findings);
                let move_verdict =
                    after.and_then(|kind| verdict::judge(&self.bank, kind, &scores, &signals));
                Evaluation {
                    scores,
                    move_verdict,
                    findings,
                    signals,
                    words,
                }
            })
            .collect()
    }

    /// Findings only, for long documents (lint): no whole-text length, no comma count (a
    /// document's lists are not asides) and no move judgment.
    pub fn scan(&self, document: &str) -> Vec<Finding> {
        let mut all = self.scan_all(&[document]);
        all.pop().expect("findings per document")
    }

    /// `scan` for each document (or block of one), in order, read in one pass (see
    /// `evaluate_all`).
    pub fn scan_all(&self, documents: &[&str]) -> Vec<Vec<Finding>> {
        self.read_all(documents, false, Reading::Document)
            .into_iter()
            .map(|(findings, _, _)| findings)
            .collect()
    }

    /// Each text's findings (sorted), move signals and word count. The texts are matched as
    /// one, joined by blank lines: each keeps its own words, sentences, quotes and names
    /// (`Text::joined`), no match crosses from one into another (patterns run per sentence,
    /// phrases and whole-text patterns per text), and context is read within a sentence.
    /// What depends on a text as a whole (overlaps, accusations, measures) is done per text.
    fn read_all(
        &self,
        parts: &[&str],
        with_signals: bool,
        reading: Reading,
    ) -> Vec<(Vec<Finding>, BTreeSet<Arc<str>>, usize)> {
        let texts: Vec<Text<'_>> = parts.iter().map(|p| self.prepare(p)).collect();
        let found: Vec<Vec<Finding>> = match texts.as_slice() {
            [one] => vec![self.in_context(one)],
            _ => {
                let mut joined = String::with_capacity(parts.iter().map(|p| p.len() + 2).sum());
                let mut blocks = Vec::with_capacity(parts.len());
                for part in parts {
                    if !blocks.is_empty() {
                        joined.push_str("\n\n");
                    }
                    let start = joined.len();
                    joined.push_str(part);
                    blocks.push(start..joined.len());
                }
                let text = Text::joined(&joined, &texts, blocks);
                let mut per: Vec<Vec<Finding>> = vec![Vec::new(); parts.len()];
                // Findings come in order of their start, each inside one block.
                let mut b = 0;
                for mut f in self.in_context(&text) {
                    while text.blocks[b].end < f.end {
                        b += 1;
                    }
                    let at = text.blocks[b].start;
                    f.start -= at;
                    f.end -= at;
                    per[b].push(f);
                }
                per
            }
        };
        found
            .into_iter()
            .zip(&texts)
            .map(|(kept, text)| {
                let (findings, signals) = self.finish(text, kept, with_signals, reading);
                (findings, signals, text.words.len())
            })
            .collect()
    }

    /// Findings from the text's shape (length, run-ons, repetition, filler density).
    fn measured(&self, text: &Text<'_>, fillers: usize, reading: Reading) -> Vec<Finding> {
        measure::measures(&self.bank, &self.measures, text, fillers, reading, |i| {
            self.finding(i, 0..0)
        })
    }

    fn finding(&self, rule: usize, span: Range<usize>) -> Finding {
        let r = &self.bank.rules[rule];
        let t = &self.texts[rule];
        Finding {
            rule: t.id.clone(),
            dimension: r.dimension,
            polarity: r.polarity,
            start: span.start,
            end: span.end,
            message: t.message.clone(),
            suggestion: t.suggestion.clone(),
            weight: r.weight,
        }
    }

    /// Whether rule `id` finds something in `text` once context is read (before overlapping
    /// findings are merged). This is what a rule's examples assert.
    pub fn rule_fires(&self, id: &str, text: &str) -> bool {
        let prepared = self.prepare(text);
        let mut all = self.in_context(&prepared);
        self.void_credits_near_blame(&prepared, &mut all);
        let fillers = concision_count(&all);
        all.extend(self.measured(&prepared, fillers, Reading::Response));
        all.iter().any(|f| &*f.rule == id)
    }

    /// Compile every pattern now (they are otherwise compiled on first use) and report the
    /// ones that fail, so a user's own phrasebank fails up front instead of losing a rule.
    pub fn compile_eagerly(&self) -> Vec<Diagnostic> {
        self.compiled.compile_all(&self.bank)
    }

    /// Every rule example that does not behave, and every pattern that does not compile, as
    /// diagnostics at the place in the phrasebank.
    pub fn check_examples(&self) -> Vec<Diagnostic> {
        let mut problems = self.compiled.compile_all(&self.bank);
        for (i, rule) in self.bank.rules.iter().enumerate() {
            for example in &rule.examples.matches {
                if !self.rule_fires(&rule.id, example) {
                    problems.push(self.bank.rule_diag(
                        i,
                        example,
                        format!("rule '{}' should flag this example but does not", rule.id),
                    ));
                }
            }
            for example in &rule.examples.no_match {
                if self.rule_fires(&rule.id, example) {
                    problems.push(self.bank.rule_diag(
                        i,
                        example,
                        format!("rule '{}' flags this example but should not", rule.id),
                    ));
                }
            }
        }
        problems
    }

    /// One text's matches in context, finished: signals are read before overlaps are merged
    /// (a lighter overlapping rule still signals) and before data credits near blame are
    /// voided (a figure given while blaming still answers "how bad was it?"; the blame is
    /// judged on its own dimension); the measures count the concision problems matched
    /// before merging, for filler density. Signals are only read with `with_signals` (`scan`
    /// has no use for them).
    fn finish(
        &self,
        text: &Text<'_>,
        mut kept: Vec<Finding>,
        with_signals: bool,
        reading: Reading,
    ) -> (Vec<Finding>, BTreeSet<Arc<str>>) {
        let fillers = concision_count(&kept);
        let mut signals = BTreeSet::new();
        if with_signals {
            for f in &kept {
                let key = Arc::as_ptr(&f.rule) as *const u8 as usize;
                if let Ok(i) = self.signalling.binary_search_by_key(&key, |&(k, _)| k) {
                    let rule = self.signalling[i].1;
                    signals.extend(self.texts[rule].signals.iter().cloned());
                }
            }
        }
        self.void_credits_near_blame(text, &mut kept);
        dedupe_overlaps(&mut kept);
        kept.extend(self.measured(text, fillers, reading));
        kept.sort_by_key(|f| (f.start, f.end));
        (kept, signals)
    }

    /// Matches that survive quotes, exceptions and negation (the accusation check,
    /// `void_credits_near_blame`, comes after the move signals are read).
    fn in_context(&self, text: &Text<'_>) -> Vec<Finding> {
        let raws = self.raw_matches(text);
        let mut kept: Vec<Finding> = Vec::with_capacity(raws.len());
        let mut exceptions = ExceptionMatches::default();
        for raw in raws {
            let rule = &self.bank.rules[raw.rule];
            if !rule.in_quotes && text.is_quoted(&raw.span) {
                continue;
            }
            if self.excepted(text, raw.rule, &raw.span, &mut exceptions) {
                continue;
            }
            if rule.negatable && self.negation.negated(text, &raw.span) {
                continue;
            }
            kept.push(self.finding(raw.rule, raw.span));
        }
        kept
    }

    fn raw_matches(&self, text: &Text<'_>) -> Vec<Raw> {
        let c = &self.compiled;
        // Spans are widened to char boundaries in `lower` (the matching copy's stand-ins
        // may be ASCII where the name was not).
        let lower = text.lower.as_str();
        let matching = text.matching();
        let bytes = matching.as_bytes();
        let phrases = c.phrase_rule.len();
        let mut raws = Vec::new();
        let mut scratch = self.scratch.get();
        let Scratch {
            caches,
            starts,
            ends,
            gated,
        } = &mut *scratch;
        starts.clear();
        ends.clear();
        gated.clear();
        // One pass finds the phrases and the anchors: where each pattern may match, and in
        // which sentence (patterns never match across sentences).
        let mut cursor = 0;
        c.literals.for_each_match(bytes, |id, start, end| {
            if id < phrases {
                // (In joined texts, a phrase may not reach from one text into the next.)
                if is_word_edge(bytes, start, end) && text.block_of(start).end >= end {
                    raws.push(Raw {
                        rule: c.phrase_rule[id],
                        span: start..end,
                    });
                }
                return;
            }
            let Some(sentence) = locate(&text.sentences, &mut cursor, start) else {
                return;
            };
            // A pattern whose matches begin (or end) with `\b` cannot match at a hit where
            // there is no word boundary (inside a word: "he" in "the"). Patterns run on the
            // sentence alone, so its edges are boundaries as they see them.
            let within = &text.sentences[sentence as usize];
            let boundary_at = |i: usize| {
                let before = i > within.start && is_ascii_word(bytes[i - 1]);
                let after = i < within.end && is_ascii_word(bytes[i]);
                before != after
            };
            let (start_edge, end_edge) = (boundary_at(start), boundary_at(end));
            for &p in c.anchor_patterns.of(id - phrases) {
                let pattern = &c.patterns[p as usize];
                match pattern.side {
                    Some(Side::Prefix) => {
                        if start_edge || !pattern.word_edge {
                            starts.push((sentence, p, start as u32));
                        }
                    }
                    Some(Side::Suffix) => {
                        if end_edge || !pattern.word_edge {
                            ends.push((sentence, p, end as u32));
                        }
                    }
                    Some(Side::Inner) | None => gated.push((sentence, p)),
                }
            }
        });
        let mut runs: Vec<(Range<usize>, usize, u32)> = Vec::new();
        let mut found: Vec<Range<usize>> = Vec::new();
        let mut hit_ends: Vec<usize> = Vec::new();
        // Patterns that start at their anchors are tried at each hit; within a sentence, in
        // order, skipping hits inside the previous match, which finds exactly what a search
        // over the sentence would (every match starts at a hit).
        for_each_group(starts, |sentence, p, group| {
            let pattern = &c.patterns[p as usize];
            let Some(engine) = pattern.regex.get() else {
                return;
            };
            let range = text.sentences[sentence as usize].clone();
            let hay = if pattern.cased {
                text.original
            } else {
                matching
            };
            let slice = &hay.as_bytes()[range.clone()];
            let slot = caches.slots(p as usize).0;
            let mut resume = range.start;
            for &at in group {
                let at = at as usize;
                if at < resume {
                    continue;
                }
                if let Some(end) = engine.match_at(slot, slice, at - range.start) {
                    let end = range.start + end;
                    resume = end.max(at + 1);
                    let span = char_span(lower, at, end);
                    if span.start < span.end {
                        raws.push(Raw {
                            rule: pattern.rule,
                            span,
                        });
                    }
                }
            }
        });
        // Every match of an end-anchored pattern ends where one of its hits ends: it is
        // searched back from each hit end (or, for an engine that cannot, over the sentence
        // up to the last hit's end).
        for_each_group(ends, |sentence, p, group| {
            let pattern = &c.patterns[p as usize];
            let Some(engine) = pattern.regex.get() else {
                return;
            };
            let range = text.sentences[sentence as usize].clone();
            let (fwd, rev) = caches.slots(p as usize);
            let Some(mut search) = engine.ends(fwd, rev) else {
                let limit = (group[group.len() - 1] as usize).min(range.end);
                runs.push((range, limit, p));
                return;
            };
            let hay = if pattern.cased {
                text.original
            } else {
                matching
            };
            let slice = &hay.as_bytes()[range.clone()];
            hit_ends.clear();
            hit_ends.extend(
                group
                    .iter()
                    .map(|&end| end as usize - range.start)
                    .filter(|&end| end <= slice.len()),
            );
            found.clear();
            ends_matches(&mut search, slice, &hit_ends, &mut found);
            for m in &found {
                let span = char_span(lower, range.start + m.start, range.start + m.end);
                if span.start < span.end {
                    raws.push(Raw {
                        rule: pattern.rule,
                        span,
                    });
                }
            }
        });
        // Patterns whose matches contain an anchor run over each sentence holding a hit.
        gated.sort_unstable();
        gated.dedup();
        for &(sentence, p) in gated.iter() {
            let range = text.sentences[sentence as usize].clone();
            runs.push((range.clone(), range.end, p));
        }
        drop(scratch);
        // Patterns without anchors run over each text (of joined ones) as a whole.
        let runs = runs.into_iter().chain(
            c.always
                .iter()
                .flat_map(|&p| text.blocks.iter().map(move |t| (t.clone(), t.end, p))),
        );
        for (range, limit, p) in runs {
            let pattern = &c.patterns[p as usize];
            let hay = if pattern.cased {
                text.original
            } else {
                matching
            };
            let Some(regex) = pattern.regex.get() else {
                continue;
            };
            let slice = &hay.as_bytes()[range.clone()];
            for m in regex.find_iter(slice, limit - range.start) {
                let span = char_span(lower, range.start + m.start, range.start + m.end);
                if span.start < span.end {
                    raws.push(Raw {
                        rule: pattern.rule,
                        span,
                    });
                }
            }
        }
        // The key is all of a `Raw`: an unstable sort gives the same order.
        raws.sort_unstable_by_key(|r| (r.span.start, std::cmp::Reverse(r.span.end), r.rule));
        raws
    }

    /// An exception of the rule matching in the same sentence and overlapping the match.
    /// The exceptions' matches over a sentence are found once per rule and kept in `seen`:
    /// a rule often matches a sentence more than once (a phrase and a pattern, or several
    /// patterns, at the same place).
    fn excepted(
        &self,
        text: &Text<'_>,
        rule: usize,
        span: &Range<usize>,
        seen: &mut ExceptionMatches,
    ) -> bool {
        let exceptions = &self.compiled.exceptions[rule];
        if exceptions.is_empty() {
            return false;
        }
        let sentence = text.sentence_of(span.start);
        let region = sentence.start.min(span.start)..sentence.end.max(span.end);
        let matches = seen.get_or_find(rule, &region, |found| {
            let hay = text.matching()[region.clone()].as_bytes();
            for re in exceptions.iter().filter_map(|(_, re)| re.get()) {
                found.extend(
                    re.find_iter(hay, hay.len())
                        .map(|m| region.start + m.start..region.start + m.end),
                );
            }
        });
        matches
            .iter()
            .any(|m| m.start < span.end && span.start < m.end)
    }

    fn void_credits_near_blame(&self, text: &Text<'_>, findings: &mut Vec<Finding>) {
        let threshold = self.bank.scoring.data.void_credits_near_blame;
        if threshold == 0 {
            return;
        }
        let accusing: Vec<Range<usize>> = findings
            .iter()
            .filter(|f| {
                f.dimension == Dimension::Blamelessness
                    && f.polarity == Polarity::Penalty
                    && f.weight >= threshold
            })
            .map(|f| text.sentence_of(f.start))
            .collect();
        if accusing.is_empty() {
            return;
        }
        let mut accusing = accusing;
        accusing.sort_by_key(|s| s.start);
        accusing.dedup();
        let in_accusing = |at: usize| {
            let i = accusing.partition_point(|s| s.start <= at);
            i > 0 && at < accusing[i - 1].end.max(accusing[i - 1].start + 1)
        };
        let kept = &self.bank.scoring.data.kept_near_blame;
        findings.retain(|f| {
            !(f.dimension == Dimension::Data
                && f.polarity == Polarity::Credit
                && in_accusing(f.start)
                && !kept.iter().any(|k| **k == *f.rule))
        });
    }

    fn scores(&self, findings: &[Finding]) -> Scores {
        let s = &self.bank.scoring;
        let dim = |d: Dimension, base: u32, cap: u32, void_at: u32| {
            let (mut credit, mut penalty, mut worst) = (0u32, 0u32, 0u32);
            for f in findings.iter().filter(|f| f.dimension == d) {
                match f.polarity {
                    Polarity::Credit => credit += f.weight,
                    Polarity::Penalty => {
                        penalty += f.weight;
                        worst = worst.max(f.weight);
                    }
                }
            }
            if void_at > 0 && worst >= void_at {
                credit = 0;
            }
            (base + credit.min(cap)).saturating_sub(penalty).min(100) as u8
        };
        Scores {
            blamelessness: dim(
                Dimension::Blamelessness,
                s.blamelessness.base,
                s.blamelessness.credit_cap,
                s.blamelessness.credits_void_at,
            ),
            data: dim(
                Dimension::Data,
                s.data.base,
                s.data.credit_cap,
                s.data.credits_void_at,
            ),
            concision: dim(Dimension::Concision, s.concision.base, 0, 0),
        }
    }
}

/// The matches `find_iter` reports in `hay` up to the last of `ends` (sorted), given that
/// every match ends at one of `ends`: the leftmost match starts at the leftmost of the
/// starts found back from each end, and ends where an anchored forward search from there
/// says (leftmost-first); the next is looked for after it. A start found back from an end
/// stays the leftmost one as long as it is not before where the search resumes.
fn ends_matches(
    search: &mut compile::EndSearch<'_>,
    hay: &[u8],
    ends: &[usize],
    found: &mut Vec<Range<usize>>,
) {
    let Some(&limit) = ends.last() else {
        return;
    };
    // Per end: not searched yet, or the leftmost start found back from it (from `pos`).
    let mut starts: Vec<Option<Option<usize>>> = vec![None; ends.len()];
    let mut pos = 0;
    let mut first = 0;
    loop {
        while first < ends.len() && ends[first] <= pos {
            first += 1;
        }
        let mut best: Option<usize> = None;
        for (i, &end) in ends.iter().enumerate().skip(first) {
            let start = match starts[i] {
                Some(Some(start)) if start >= pos => Some(start),
                Some(None) => None,
                _ => {
                    let start = search.start_for(hay, pos, end);
                    starts[i] = Some(start);
                    start
                }
            };
            if let Some(start) = start {
                best = Some(best.map_or(start, |b| b.min(start)));
            }
        }
        let Some(start) = best else {
            return;
        };
        let Some(end) = search.end_from(hay, start, limit) else {
            return;
        };
        found.push(start..end);
        // Matches end with an anchor, so they are never empty.
        pos = end.max(start + 1);
    }
}

/// The matches of rules' exceptions over the region (a sentence, or a match reaching past
/// one) that raw matches were last looked up in. Raw matches come in order of their start,
/// so all the lookups for one sentence come together, and only that region is kept.
#[derive(Default)]
struct ExceptionMatches {
    region: Range<usize>,
    /// (rule, where its matches lie in `matches`)
    rules: Vec<(usize, Range<usize>)>,
    matches: Vec<Range<usize>>,
}

impl ExceptionMatches {
    /// The matches of `rule`'s exceptions over `region`, found with `find` (which pushes
    /// them) the first time they are asked for.
    fn get_or_find(
        &mut self,
        rule: usize,
        region: &Range<usize>,
        find: impl FnOnce(&mut Vec<Range<usize>>),
    ) -> &[Range<usize>] {
        if self.region != *region {
            self.region = region.clone();
            self.rules.clear();
            self.matches.clear();
        }
        let at = match self.rules.iter().find(|(r, _)| *r == rule) {
            Some((_, at)) => at.clone(),
            None => {
                let start = self.matches.len();
                find(&mut self.matches);
                let at = start..self.matches.len();
                self.rules.push((rule, at.clone()));
                at
            }
        };
        &self.matches[at]
    }
}

/// Per-thread working memory for matching, reused from text to text: the patterns' lazy DFA
/// caches and the anchor hits of the text being read.
#[derive(Default)]
struct Scratch {
    caches: compile::Caches,
    /// (sentence, pattern, hit start) for patterns whose matches start at an anchor.
    starts: Vec<(u32, u32, u32)>,
    /// (sentence, pattern, hit end) for patterns whose matches end at one.
    ends: Vec<(u32, u32, u32)>,
    /// (sentence, pattern) for patterns whose matches contain one.
    gated: Vec<(u32, u32)>,
}

type ScratchFn = Box<dyn Fn() -> Scratch + Send + Sync>;

/// The sentence holding byte `at`, starting from the one found last (`cursor`): anchors are
/// reported in the order they end, so the answer almost always lies at or just after it.
fn locate(sentences: &[Range<usize>], cursor: &mut usize, at: usize) -> Option<u32> {
    if *cursor > 0 && sentences[*cursor - 1].end > at {
        *cursor = sentences.partition_point(|s| s.end <= at);
    } else {
        while sentences.get(*cursor).is_some_and(|s| s.end <= at) {
            *cursor += 1;
        }
    }
    sentences
        .get(*cursor)
        .filter(|s| s.start <= at)
        .map(|_| *cursor as u32)
}

/// Calls `f(sentence, pattern, places)` for each sentence and pattern with hits, the places in
/// ascending order without repeats. Hits arrive nearly in sentence order (a stable sort by
/// sentence is then cheap), and each sentence holds only a few.
fn for_each_group(hits: &mut [(u32, u32, u32)], mut f: impl FnMut(u32, u32, &[u32])) {
    if !hits.is_sorted_by_key(|h| h.0) {
        hits.sort_by_key(|h| h.0);
    }
    let mut places: Vec<u32> = Vec::new();
    for sentence in hits.chunk_by_mut(|a, b| a.0 == b.0) {
        sentence.sort_unstable();
        for group in sentence.chunk_by(|a, b| a.1 == b.1) {
            places.clear();
            places.extend(group.iter().map(|h| h.2));
            places.dedup();
            f(group[0].0, group[0].1, &places);
        }
    }
}

/// A small seeded generator for the differential tests (xorshift): `next(n)` is in `0..n`.
#[cfg(test)]
fn test_rng(mut seed: u64) -> impl FnMut(usize) -> usize {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    }
}

/// A byte match widened to char boundaries (ASCII-mode patterns may stop inside a char).
fn char_span(text: &str, start: usize, end: usize) -> Range<usize> {
    let start = crate::diag::floor_char_boundary(text, start);
    let mut end = end.min(text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}

/// Matched (not measured) concision problems.
fn concision_count(findings: &[Finding]) -> usize {
    findings
        .iter()
        .filter(|f| f.dimension == Dimension::Concision && f.polarity == Polarity::Penalty)
        .count()
}

/// A word byte as `\b` reads it in the patterns (ASCII mode).
fn is_ascii_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_word_char(b: u8) -> bool {
    is_ascii_word(b) || b >= 0x80
}

/// A phrase match must start and end on word edges (its own edges may be punctuation).
fn is_word_edge(bytes: &[u8], start: usize, end: usize) -> bool {
    let first_word = bytes.get(start).is_some_and(|&b| is_word_char(b));
    let last_word = end > 0 && is_word_char(bytes[end - 1]);
    let before_ok = !first_word || start == 0 || !is_word_char(bytes[start - 1]);
    let after_ok = !last_word || end >= bytes.len() || !is_word_char(bytes[end]);
    before_ok && after_ok
}

/// Overlapping findings on the same dimension and polarity count once: the heaviest stays
/// (ties: the longer span). Findings of different dimensions may overlap.
fn dedupe_overlaps(findings: &mut Vec<Finding>) {
    // Overlaps only matter within one (dimension, polarity) and within a cluster of
    // overlapping spans; clusters are small, so the greedy pick inside each stays cheap.
    findings.sort_by_key(|f| (f.dimension as u8, f.polarity as u8, f.start, f.end));
    let mut kept: Vec<Finding> = Vec::with_capacity(findings.len());
    let mut cluster: Vec<Finding> = Vec::new();
    let mut cluster_end = 0;
    let flush = |cluster: &mut Vec<Finding>, kept: &mut Vec<Finding>| {
        if cluster.len() == 1 {
            kept.append(cluster);
            return;
        }
        cluster.sort_by_key(|f| {
            (
                std::cmp::Reverse(f.weight),
                std::cmp::Reverse(f.end - f.start),
                f.start,
            )
        });
        let mut chosen: Vec<Finding> = Vec::new();
        for f in cluster.drain(..) {
            if !chosen.iter().any(|k| k.start < f.end && f.start < k.end) {
                chosen.push(f);
            }
        }
        kept.append(&mut chosen);
    };
    for f in findings.drain(..) {
        let same_group = cluster
            .last()
            .is_some_and(|l| l.dimension == f.dimension && l.polarity == f.polarity);
        if !(same_group && f.start < cluster_end) {
            flush(&mut cluster, &mut kept);
            cluster_end = 0;
        }
        cluster_end = cluster_end.max(f.end);
        cluster.push(f);
    }
    flush(&mut cluster, &mut kept);
    kept.sort_by_key(|f| (f.start, f.end));
    *findings = kept;
}

impl Evaluator {
    /// The three scores for a set of findings (from `scan` over one paragraph, say), by the
    /// same formula `evaluate` uses. Lint scores a document paragraph by paragraph with this.
    pub fn score_findings(&self, findings: &[Finding]) -> Scores {
        self.scores(findings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every example, matching or not, of every rule.
    fn rule_examples(bank: &Phrasebank) -> impl Iterator<Item = &String> {
        bank.rules
            .iter()
            .flat_map(|r| r.examples.matches.iter().chain(&r.examples.no_match))
    }

    /// Texts read together get exactly what each gets read alone: every rule example and
    /// texts that test the edges between texts (no closing mark, an open quote, a name that
    /// only another text shows to be one, a text-initial pattern, blank lines, empty texts),
    /// in random batches.
    #[test]
    fn texts_read_together_are_read_as_alone() {
        let evaluator = Evaluator::embedded().unwrap();
        let bank = evaluator.phrasebank();
        let texts: Vec<String> = rule_examples(bank).cloned().collect();
        let edges = [
            "",
            "no punctuation at the end and Priya",
            "Priya, check the dashboard before anyone ships.",
            "Priya said \"it was the config",
            "never happen again\"",
            "Tariq pushed it. It broke.",
            "Tariq should have checked the logs",
            "First paragraph, no stop\n\nsecond one blames Dana for it.",
            "It’s fine; it’s “mostly” fixed",
            "not\n\nDana's fault",
        ];
        let kinds = [
            None,
            Some(BeatKind::FingerPointing),
            Some(BeatKind::SelfBlame),
        ];
        let mut next = test_rng(0x0b47_c4ed);
        for _ in 0..60 {
            let batch: Vec<(&str, Option<BeatKind>)> = (0..1 + next(12))
                .map(|_| {
                    // Half of them from the edge cases.
                    let text = match next(2) {
                        0 => edges[next(edges.len())],
                        _ => texts[next(texts.len())].as_str(),
                    };
                    (text, kinds[next(kinds.len())])
                })
                .collect();
            let together = evaluator.evaluate_all(&batch);
            let documents: Vec<&str> = batch.iter().map(|(t, _)| *t).collect();
            let scanned = evaluator.scan_all(&documents);
            for ((i, (text, after)), scan) in batch.iter().enumerate().zip(&scanned) {
                assert_eq!(
                    together[i],
                    evaluator.evaluate(text, *after),
                    "{text:?} in {batch:?}"
                );
                assert_eq!(*scan, evaluator.scan(text), "{text:?} in {documents:?}");
            }
        }
    }

    /// Searching back from match ends finds what `find_iter` over the whole haystack finds,
    /// for every end-anchored pattern of the embedded phrasebank, on every rule example (with
    /// every position offered as a possible end).
    #[test]
    fn searching_back_from_ends_finds_what_find_iter_finds() {
        let evaluator = Evaluator::embedded().unwrap();
        let bank = evaluator.phrasebank();
        let examples: Vec<String> = rule_examples(bank)
            .map(|e| e.to_ascii_lowercase())
            .collect();
        let mut checked = 0;
        for pattern in &evaluator.compiled.patterns {
            let (mut fwd, mut rev) = (None, None);
            let Some(mut search) = pattern.regex.get().and_then(|e| e.ends(&mut fwd, &mut rev))
            else {
                continue;
            };
            let meta = compile::build_expanded(&pattern.regex.expanded()).unwrap();
            let meta = compile::Engine::Meta(meta);
            for example in &examples {
                let hay = example.as_bytes();
                let ends: Vec<usize> = (1..=hay.len()).collect();
                let mut found = Vec::new();
                ends_matches(&mut search, hay, &ends, &mut found);
                let expected: Vec<Range<usize>> = meta.find_iter(hay, hay.len()).collect();
                assert_eq!(found, expected, "{} on {example:?}", pattern.written);
                checked += 1;
            }
        }
        assert!(checked > 0);
    }
}
