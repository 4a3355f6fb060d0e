//! The pure parts of reading a pattern: expanding `{name}` from the lexicon, the pattern's
//! skeleton, and the literal anchors every match starts or ends with. Shared with `build.rs`,
//! which computes the embedded phrasebank's anchors ahead of time (so this file uses nothing
//! but `std` and `regex_syntax`).

use std::borrow::Cow;
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind, Look};

/// Lexicon entries by name, as in `lexicon.ron`.
pub type Lexicon = BTreeMap<String, Vec<String>>;

/// Which part of every match a pattern's anchors are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// Every match starts with one: the pattern is tried anchored at each hit.
    Prefix,
    /// Every match ends with one: the pattern is searched back from each hit's end.
    Suffix,
    /// Every match contains one: the pattern is searched over each sentence with a hit.
    Inner,
}

/// What `anchors_of` finds: which part of every match the literals are, the literals, and
/// whether every match starts (for prefixes) or ends (for suffixes) with a word boundary
/// `\b`, so a hit where there is none cannot be a match.
pub type Anchors = (Side, Vec<Vec<u8>>, bool);

/// The longest anchor kept, in bytes.
const MAX_ANCHOR: usize = 10;

/// Words too common to be worth an anchor on their own.
const COMMON: &[&[u8]] = &[
    b"the", b"our", b"this", b"that", b"an", b"in", b"on", b"for", b"by", b"to", b"of", b"and",
    b"we", b"it", b"is", b"was", b"what", b"which", b"how", b"with", b"from", b"per", b"be", b"at",
    b"as", b"or", b"if", b"so", b"but", b"he", b"she", b"they", b"you", b"his", b"her", b"their",
    b"your", b"its", b"had", b"has", b"have", b"did", b"do", b"not", b"no", b"up",
];

/// Word endings: as the literal a pattern ends with (`[a-z]+ing`), they occur in most
/// sentences, as often as a common word.
const ENDINGS: &[&[u8]] = &[
    b"ing", b"ed", b"es", b"ly", b"er", b"ers", b"ion", b"ions", b"ies", b"ted", b"ent", b"ness",
    b"ment",
];

/// The phrase and anchor automaton's literals in the order its pattern ids follow: every
/// phrase (one with an apostrophe also with a typographic one), then each anchor the first
/// time a pattern names it. `Compiled::new` and `build.rs` both list them with this, so the
/// table `build.rs` makes is for the very list start-up makes.
#[derive(Default)]
pub struct LiteralList<'a> {
    phrases: Vec<Cow<'a, [u8]>>,
    anchors: Vec<Cow<'a, [u8]>>,
    /// Anchor literal to its index among the anchors. Literals are borrowed where they can be
    /// (the phrasebank's phrases, the embedded table's anchors): there are about 16,000, and
    /// copying each one twice cost more at start-up than reading them.
    index: HashMap<Cow<'a, [u8]>, usize, rustc_hash::FxBuildHasher>,
}

impl<'a> LiteralList<'a> {
    /// Adds a phrase's forms; returns how many it has.
    pub fn add_phrase(&mut self, phrase: &'a str) -> usize {
        self.phrases.push(Cow::Borrowed(phrase.as_bytes()));
        if !phrase.contains('\'') {
            return 1;
        }
        self.phrases
            .push(Cow::Owned(phrase.replace('\'', "’").into_bytes()));
        2
    }

    /// The index (among the anchors) of an anchor literal, added if it is new.
    pub fn add_anchor(&mut self, literal: Cow<'a, [u8]>) -> usize {
        if let Some(&slot) = self.index.get(&*literal) {
            return slot;
        }
        let slot = self.anchors.len();
        if self.index.is_empty() {
            // about 16,000 distinct anchors in the embedded phrasebank: sized once
            self.index.reserve(1 << 14);
        }
        self.index.insert(literal.clone(), slot);
        self.anchors.push(literal);
        slot
    }

    /// Adds an anchor literal at the place `build.rs` found for it, without looking it up:
    /// `slot` is either the next place (a new anchor) or one already taken (by this literal,
    /// if the phrasebank is the one `build.rs` read). Returns false when the slot cannot be
    /// right. Only a list whose every literal is as `build.rs` listed them can trust these
    /// places (`Compiled::new` checks, and lists the anchors again with `add_anchor` if not).
    pub fn add_anchor_at(&mut self, literal: Cow<'a, [u8]>, slot: usize) -> bool {
        match slot.cmp(&self.anchors.len()) {
            std::cmp::Ordering::Less => true,
            std::cmp::Ordering::Equal => {
                self.anchors.push(literal);
                true
            }
            std::cmp::Ordering::Greater => false,
        }
    }

    /// Forgets the anchors (keeps the phrases).
    pub fn clear_anchors(&mut self) {
        self.anchors.clear();
        self.index.clear();
    }

    /// How many distinct anchors.
    pub fn anchor_count(&self) -> usize {
        self.anchors.len()
    }

    /// Every literal: the phrases, then the anchors.
    pub fn all(&self) -> Vec<&[u8]> {
        self.phrases
            .iter()
            .chain(&self.anchors)
            .map(|l| &**l)
            .collect()
    }
}

pub fn parse(pattern: &str) -> Result<Hir, String> {
    regex_syntax::ParserBuilder::new()
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .map_err(|e| compile_message(&e.to_string()))
}

/// "pattern does not compile: ..." with the last line of a regex error (the one that says
/// what is wrong; the lines above repeat the pattern).
pub fn compile_message(error: &str) -> String {
    let last = error
        .lines()
        .rfind(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    format!(
        "pattern does not compile: {}",
        last.trim_start_matches("error: ")
    )
}

/// The literals every match of `pattern` starts with, ends with, or contains, whichever set
/// is most selective; `None` when there is no small finite set of literals of two bytes or
/// more.
#[cfg(test)]
pub fn anchors_for(pattern: &str) -> Option<Vec<Vec<u8>>> {
    anchors_of(&parse(pattern).ok()?).map(|(_, literals, _)| literals)
}

/// How good a set of anchors is (higher is better), `None` if it cannot be used.
type Rank = (bool, usize, u8, usize);

/// The anchors, and which part of every match they are.
pub fn anchors_of(hir: &Hir) -> Option<Anchors> {
    let mut sides = Vec::new();
    for (side, kind) in [
        (Side::Prefix, ExtractKind::Prefix),
        (Side::Suffix, ExtractKind::Suffix),
    ] {
        if let Some(literals) = extract(hir, kind) {
            sides.push((side, literals));
        }
    }
    if let Some((_, literals)) = inner(hir) {
        sides.push((Side::Inner, literals));
    }
    best(sides).map(|(side, literals)| {
        let edge = match side {
            Side::Prefix => word_edge(hir, true),
            Side::Suffix => word_edge(hir, false),
            Side::Inner => false,
        };
        (side, literals, edge)
    })
}

/// The most selective usable set (by `rank`, then the fewest literals).
fn best(sets: impl IntoIterator<Item = (Side, Vec<Vec<u8>>)>) -> Option<(Side, Vec<Vec<u8>>)> {
    sets.into_iter()
        .filter_map(|(side, literals)| Some((rank(side, &literals)?, side, literals)))
        .max_by_key(|(rank, _, literals)| (*rank, Reverse(literals.len())))
        .map(|(_, side, literals)| (side, literals))
}

/// The finite set of literals every match starts (or ends) with, cut to `MAX_ANCHOR` bytes
/// and lower-cased; `None` when the set is infinite or too large.
fn extract(hir: &Hir, kind: ExtractKind) -> Option<Vec<Vec<u8>>> {
    let suffix = matches!(kind, ExtractKind::Suffix);
    let extractor = |class| {
        let mut seq = Extractor::new()
            .kind(kind.clone())
            .limit_class(class)
            .limit_repeat(8)
            .limit_literal_len(40)
            .limit_total(500)
            .extract(hir);
        seq.dedup();
        seq
    };
    let mut seq = extractor(16);
    // A letter class at the very end (": [a-z]") is worth its 26 literals when nothing else
    // bounds the set.
    if !seq.is_finite() {
        let wider = extractor(26);
        if wider.len().is_some_and(|n| n <= 64) {
            seq = wider;
        }
    }
    // Long literals are cut to their first (or, for suffixes, last) few bytes: a cut literal
    // still has to occur wherever the whole one does, and the cuts collapse long lists into
    // a few short anchors, which keeps the anchor automaton small.
    let mut literals: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| {
            let b = l.as_bytes();
            let cut = if suffix {
                &b[b.len().saturating_sub(MAX_ANCHOR)..]
            } else {
                &b[..b.len().min(MAX_ANCHOR)]
            };
            cut.to_ascii_lowercase()
        })
        .collect();
    literals.sort_unstable();
    literals.dedup();
    Some(literals)
}

/// How selective a set of anchors is; `None` when it cannot be used (empty, or with a
/// literal too short).
fn rank(side: Side, literals: &[Vec<u8>]) -> Option<Rank> {
    let shortest = literals.iter().map(|l| l.trim_ascii().len()).min()?;
    // How rare the rarest-looking literal is: two letters ("th", "er") occur inside half the
    // words of a text; a digit is rarer in prose than a letter, so it counts double.
    let rarity = literals
        .iter()
        .map(|l| {
            l.trim_ascii()
                .iter()
                .map(|b| if b.is_ascii_digit() { 2 } else { 1 })
                .sum::<usize>()
        })
        .min()?;
    // A set that includes a very common word ("the ", "on ") would make the pattern run on
    // nearly every sentence; prefer another.
    let common = literals.iter().any(|l| {
        let l = l.trim_ascii();
        COMMON.contains(&l) || (side == Side::Suffix && ENDINGS.contains(&l))
    });
    // Digits are rare enough in prose to anchor on alone (figures, times, codes), so a
    // literal may be short if it starts with one ("5 of the last 7", "two of ...").
    let usable = literals
        .iter()
        .all(|l| l.trim_ascii().len() >= 2 || l.first().is_some_and(u8::is_ascii_digit));
    // Between equally good sets, prefer the start: such a pattern is tried only at its hits;
    // then the end (searched back from each hit); last, a literal inside (the pattern is
    // searched over the whole sentence).
    let side = match side {
        Side::Prefix => 2,
        Side::Suffix => 1,
        Side::Inner => 0,
    };
    usable.then_some((!common, rarity.min(3), side, shortest.min(6)))
}

/// The best set of literals every match contains somewhere (for patterns that neither start
/// nor end with a usable set: "{person} (?:rushed|skipped) ...").
fn inner(hir: &Hir) -> Option<(Side, Vec<Vec<u8>>)> {
    let mut candidates = Vec::new();
    required(hir, &mut candidates);
    best(
        candidates
            .into_iter()
            .map(|literals| (Side::Inner, literals)),
    )
}

/// Adds to `out` sets of literals of which every match of `hir` contains one: the prefixes
/// of each tail of a sequence, and what every branch of an alternation requires.
fn required(hir: &Hir, out: &mut Vec<Vec<Vec<u8>>>) {
    match hir.kind() {
        HirKind::Concat(items) => {
            for i in 0..items.len() {
                let tail = Hir::concat(items[i..].to_vec());
                out.extend(extract(&tail, ExtractKind::Prefix));
                required(&items[i], out);
            }
        }
        HirKind::Capture(group) => required(&group.sub, out),
        HirKind::Repetition(rep) if rep.min >= 1 => required(&rep.sub, out),
        HirKind::Alternation(branches) => {
            let mut union = Vec::new();
            for branch in branches {
                let mut own = Vec::new();
                required(branch, &mut own);
                // A sequence adds its own prefixes (its first tail); anything else is read here.
                if !matches!(branch.kind(), HirKind::Concat(_)) {
                    own.extend(extract(branch, ExtractKind::Prefix));
                }
                let Some((_, literals)) = best(own.into_iter().map(|l| (Side::Inner, l))) else {
                    return;
                };
                union.extend(literals);
            }
            union.sort_unstable();
            union.dedup();
            out.push(union);
        }
        _ => {}
    }
}

/// Whether every match begins (`start`) or ends (else) with an ASCII word boundary: the
/// pattern is a sequence whose first (or last) item is `\b`.
fn word_edge(hir: &Hir, start: bool) -> bool {
    let HirKind::Concat(items) = hir.kind() else {
        return false;
    };
    let edge = if start { items.first() } else { items.last() };
    edge.is_some_and(|h| matches!(h.kind(), HirKind::Look(Look::WordAscii)))
}

/// Expands patterns over one lexicon: `{name}` becomes `(?:alt|alt|...)` from the lexicon
/// (each entry is expanded once: it is the same at every use); `'` also matches `’` (outside
/// classes: a byte class cannot hold a multi-byte char).
#[derive(Default)]
pub struct Expander {
    entries: HashMap<String, Result<String, String>>,
}

/// What `{name}` becomes.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// The entry's alternation.
    Expand,
    /// A generic run of words (see `skeleton`).
    Skeleton,
    /// An empty group named `lex_K_NAME` (K counts uses), where the entry's parsed tree is
    /// spliced in later (see `marked`).
    Mark,
}

impl Expander {
    pub fn expand(&mut self, lexicon: &Lexicon, pattern: &str) -> Result<String, String> {
        expand_at(lexicon, pattern, 0, Mode::Expand, &mut self.entries)
    }

    /// The pattern as `expand` gives it, but with each `{name}` an empty group named
    /// `lex_K_NAME`: short to parse, with the entries' trees (parsed once) spliced in.
    pub fn marked(&mut self, lexicon: &Lexicon, pattern: &str) -> Result<String, String> {
        expand_at(lexicon, pattern, 0, Mode::Mark, &mut self.entries)
    }

    /// The expansions of the entries named so far (for splicing into marked patterns).
    pub fn entries(&self) -> impl Iterator<Item = (&str, &str)> {
        self.entries
            .iter()
            .filter_map(|(name, e)| e.as_ref().ok().map(|e| (name.as_str(), e.as_str())))
    }
}

/// The entry name of a group that `Expander::marked` put in place of `{name}`.
pub fn marked_entry(group: &str) -> Option<&str> {
    let rest = group.strip_prefix("lex_")?;
    rest.split_once('_').map(|(_, name)| name)
}

/// A marked pattern written out in full again (as `Expander::expand` gives it), with
/// `expansion` giving each entry's text.
pub fn unmark<'a>(marked: &str, expansion: impl Fn(&str) -> Option<&'a str>) -> Option<String> {
    let mut out = String::with_capacity(marked.len() * 4);
    let mut rest = marked;
    while let Some(at) = rest.find("(?P<lex_") {
        out.push_str(&rest[..at]);
        let group = &rest[at + 4..];
        let close = group.find(">)")?;
        out.push_str(expansion(marked_entry(&group[..close])?)?);
        rest = &group[close + 2..];
    }
    out.push_str(rest);
    Some(out)
}

/// The pattern with every `{name}` replaced by a generic run of words: cheap to parse, and
/// its literals (the anchors) come from the pattern's own words, not from long lexicon lists.
pub fn skeleton(lexicon: &Lexicon, pattern: &str) -> Result<String, String> {
    expand_at(lexicon, pattern, 0, Mode::Skeleton, &mut HashMap::new())
}

/// `entries` memoizes the expansion of the entries named at depth 0 (the same at every use).
/// Start-up expands every pattern (for its skeleton, and marked): text between the few
/// bytes that need attention is copied in runs, not char by char.
fn expand_at(
    lexicon: &Lexicon,
    pattern: &str,
    depth: usize,
    mode: Mode,
    entries: &mut HashMap<String, Result<String, String>>,
) -> Result<String, String> {
    let mut marks = 0;
    if depth > 4 {
        return Err("lexicon entries refer to each other too deeply (a cycle?)".to_string());
    }
    let bytes = pattern.as_bytes();
    let mut out = String::with_capacity(pattern.len() * 2);
    let mut in_class = false;
    // `pattern[run..i]` is copied as it is when something is written in its place.
    let mut run = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                // the escape and the char after it, as they are
                i += 1;
                i += pattern[i..].chars().next().map_or(0, char::len_utf8);
            }
            b'[' if !in_class => {
                in_class = true;
                i += 1;
                // a leading `]` or `^]` is literal inside a class
                if bytes.get(i) == Some(&b'^') {
                    i += 1;
                }
                if bytes.get(i) == Some(&b']') {
                    i += 1;
                }
            }
            b']' if in_class => {
                in_class = false;
                i += 1;
            }
            b'\'' if !in_class => {
                out.push_str(&pattern[run..i]);
                out.push_str("(?:'|’)");
                i += 1;
                run = i;
            }
            b'{' if !in_class => {
                let Some(name) = entry_name(&pattern[i + 1..]) else {
                    i += 1;
                    continue;
                };
                out.push_str(&pattern[run..i]);
                push_entry(&mut out, lexicon, name, depth, mode, &mut marks, entries)?;
                // past `{name}`
                i += name.len() + 2;
                run = i;
            }
            _ => {
                // Nothing to do until the next byte that may need attention.
                i += 1;
                while i < bytes.len() && !SPECIAL[usize::from(bytes[i])] {
                    i += 1;
                }
            }
        }
    }
    out.push_str(&pattern[run..]);
    Ok(out)
}

/// The bytes `expand_at` looks at (escapes, classes, apostrophes, entries); the rest of a
/// pattern is copied in runs.
const SPECIAL: [bool; 256] = {
    let mut special = [false; 256];
    special[b'\\' as usize] = true;
    special[b'[' as usize] = true;
    special[b']' as usize] = true;
    special[b'\'' as usize] = true;
    special[b'{' as usize] = true;
    special
};

/// The lexicon entry `{name}` names, given the text after its `{`; `None` when the brace is
/// not one (a repetition such as `{0,40}`, or no closing brace).
fn entry_name(rest: &str) -> Option<&str> {
    let name = rest.split('}').next().unwrap_or("");
    let is_name = !name.is_empty()
        && rest.contains('}')
        && name.chars().all(|c| c.is_ascii_lowercase() || c == '_');
    is_name.then_some(name)
}

/// Writes `{name}` as `mode` asks, at `depth`, counting marks in `marks`.
fn push_entry(
    out: &mut String,
    lexicon: &Lexicon,
    name: &str,
    depth: usize,
    mode: Mode,
    marks: &mut usize,
    entries: &mut HashMap<String, Result<String, String>>,
) -> Result<(), String> {
    let words = lexicon
        .get(name)
        .ok_or_else(|| format!("unknown lexicon entry {{{name}}}"))?;
    if mode == Mode::Skeleton {
        out.push_str("(?:[a-z0-9'-]+(?: [a-z0-9'-]+)*)");
    } else if depth == 0 {
        let entry = entries
            .entry(name.to_string())
            .or_insert_with(|| expand_entry(lexicon, words, depth))
            .as_ref()
            .map_err(Clone::clone)?;
        if mode == Mode::Mark {
            out.push_str(&format!("(?P<lex_{marks}_{name}>)"));
            *marks += 1;
        } else {
            out.push_str(entry);
        }
    } else {
        out.push_str(&expand_entry(lexicon, words, depth)?);
    }
    Ok(())
}

/// `(?:alt|alt|...)` for a lexicon entry's words, longest first.
fn expand_entry(lexicon: &Lexicon, words: &[String], depth: usize) -> Result<String, String> {
    let mut sorted: Vec<&String> = words.iter().collect();
    sorted.sort_by_key(|w| std::cmp::Reverse(w.len()));
    let alts: Vec<String> = sorted
        .iter()
        .map(|w| {
            expand_at(
                lexicon,
                &alternative(w),
                depth + 1,
                Mode::Expand,
                &mut HashMap::new(),
            )
        })
        .collect::<Result<_, _>>()?;
    Ok(format!("(?:{})", alts.join("|")))
}

/// A lexicon entry (a regex fragment, usually a plain word) as an alternative: apostrophes
/// either way, spaces flexible. A space the entry makes optional (`"change ?log"`) stays
/// optional, and one inside a class (`"dry[ -]runs?"`) stays one character of the class.
fn alternative(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 8);
    let mut chars = word.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            '[' if !in_class => {
                in_class = true;
                out.push(c);
                // a `]` right after `[` or `[^` is a literal
                if chars.peek() == Some(&'^') {
                    out.push(chars.next().unwrap_or('^'));
                }
                if chars.peek() == Some(&']') {
                    out.push(chars.next().unwrap_or(']'));
                }
            }
            ']' if in_class => {
                in_class = false;
                out.push(c);
            }
            ' ' if in_class => out.push_str(r"\s"),
            ' ' if matches!(chars.peek(), Some('?') | Some('*')) => {
                chars.next();
                out.push_str(r"\s*");
            }
            ' ' => out.push_str(r"\s+"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An optional space in an entry stays optional ("change ?log" is "changelog" too), a
    /// space in a class stays one character, and any other space is one or more.
    #[test]
    fn entry_spaces_keep_their_meaning() {
        assert_eq!(alternative("change ?log"), r"change\s*log");
        assert_eq!(alternative("crew ?members?"), r"crew\s*members?");
        assert_eq!(alternative("dry[ -]runs?"), r"dry[\s-]runs?");
        assert_eq!(alternative("on call"), r"on\s+call");
        assert_eq!(alternative(r"a\ b"), r"a\ b");
        let re = regex::Regex::new(&format!("^{}$", alternative("slow ?logs?"))).unwrap();
        assert!(re.is_match("slowlog") && re.is_match("slow logs"));
    }

    /// `expand_at` as it was first written, char by char: the oracle for the faster one.
    fn expand_by_chars(
        lexicon: &Lexicon,
        pattern: &str,
        depth: usize,
        mode: Mode,
        entries: &mut HashMap<String, Result<String, String>>,
    ) -> Result<String, String> {
        let mut marks = 0;
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
                '{' if !in_class => match entry_name(&pattern[i + 1..]) {
                    Some(name) => {
                        push_entry(&mut out, lexicon, name, depth, mode, &mut marks, entries)?;
                        for _ in 0..=name.len() {
                            chars.next();
                        }
                    }
                    None => out.push(c),
                },
                _ => out.push(c),
            }
        }
        Ok(out)
    }

    fn both(lexicon: &Lexicon, pattern: &str) {
        for mode in [Mode::Expand, Mode::Skeleton, Mode::Mark] {
            let fast = expand_at(lexicon, pattern, 0, mode, &mut HashMap::new());
            let slow = expand_by_chars(lexicon, pattern, 0, mode, &mut HashMap::new());
            assert_eq!(fast, slow, "{pattern:?}");
        }
    }

    #[test]
    fn runs_expand_as_chars_did_on_every_phrasebank_pattern() {
        let bank = crate::phrasebank::Phrasebank::embedded().unwrap();
        let mut n = 0;
        for rule in &bank.rules {
            let exceptions = rule.exceptions.iter().map(|e| &e.pattern);
            for pattern in rule.patterns.iter().chain(exceptions) {
                both(&bank.lexicon, pattern);
                n += 1;
            }
        }
        assert!(n > 500, "{n} patterns");
    }

    #[test]
    fn runs_expand_as_chars_did_on_random_patterns() {
        let lexicon: Lexicon = [
            ("ab", vec!["x y".to_string(), "it's".to_string()]),
            ("c_d", vec!["{ab}".to_string(), "z".to_string()]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect();
        let pieces = [
            "\\", "[", "]", "^", "'", "{", "}", "{ab}", "{c_d}", "{nope}", "{Ab}", "a", " ", "’",
            "é", "\\’", "(?:", ")",
        ];
        let mut next = crate::evaluator::test_rng(0xa5c1_1e55);
        for _ in 0..5000 {
            let pattern: String = (0..next(12)).map(|_| pieces[next(pieces.len())]).collect();
            both(&lexicon, &pattern);
        }
    }
}
