//! The phrase and anchor automaton as a dense transition table that `build.rs` works out
//! ahead of time for the embedded phrasebank. Building the aho-corasick automaton over its
//! ~11,000 literals was over a third of `debrief score "..."`'s start-up; the table is read
//! straight from the binary instead. It is the same automaton (aho-corasick's, with its
//! failure transitions resolved into every row) and reports the same matches as an
//! overlapping search. Shared with `build.rs`, so this file uses nothing but `std` and
//! `aho_corasick`.

use std::collections::HashMap;

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::noncontiguous;
use aho_corasick::{Anchored, MatchKind};

/// A table's parts as `build` makes them (for `build.rs` and the tests). State 0 is the start; the states from
/// `first_match` on are the match states, in the order of their `ends` entries.
#[cfg_attr(not(test), allow(dead_code))]
pub struct Dense {
    /// The class of each byte: bytes that move every state to the same next state share one.
    pub classes: [u8; 256],
    /// The number of classes (the length of a row).
    pub stride: usize,
    /// Row after row, the next state for each class, as little-endian `u16`s (`u32`s
    /// when `wide`: more states than a `u16` can number).
    pub table: Vec<u8>,
    pub wide: bool,
    pub first_match: u32,
    /// For match state `first_match + k`, its literals are `ends[starts[k]..starts[k + 1]]`.
    pub starts: Vec<u32>,
    /// The literals (their indices) that end at each match state.
    pub ends: Vec<u32>,
}

/// The table of the automaton that finds every occurrence of every literal (an overlapping
/// search); `None` when the automaton cannot be built.
#[cfg_attr(not(test), allow(dead_code))]
pub fn build(literals: &[&[u8]]) -> Option<Dense> {
    let nfa = noncontiguous::NFA::builder()
        .match_kind(MatchKind::Standard)
        .build(literals)
        .ok()?;
    // Bytes no literal holds all behave alike; each byte a literal holds gets a class to
    // start with, and classes that turn out to behave alike are merged below.
    let mut used = [false; 256];
    for byte in literals.iter().flat_map(|l| l.iter()) {
        used[*byte as usize] = true;
    }
    let mut representative: Vec<u8> = Vec::new();
    let mut first_class = [0usize; 256];
    if let Some(unused) = (0..=255u8).find(|&b| !used[b as usize]) {
        representative.push(unused);
    }
    for byte in 0..=255u8 {
        if used[byte as usize] {
            first_class[byte as usize] = representative.len();
            representative.push(byte);
        }
    }

    // Every state reachable from the start, breadth first, with its row.
    let start = nfa.start_state(Anchored::No).ok()?;
    let mut number = HashMap::from([(start, 0usize)]);
    let mut order = vec![start];
    let mut rows: Vec<Vec<usize>> = Vec::new();
    while let Some(&sid) = order.get(rows.len()) {
        let row = representative
            .iter()
            .map(|&byte| {
                let next = nfa.next_state(Anchored::No, sid, byte);
                *number.entry(next).or_insert_with(|| {
                    order.push(next);
                    order.len() - 1
                })
            })
            .collect();
        rows.push(row);
    }

    // Merge the classes whose columns are equal.
    let mut merged: HashMap<Vec<usize>, usize> = HashMap::new();
    let mut column_class = Vec::with_capacity(representative.len());
    let mut kept_columns = Vec::new();
    for c in 0..representative.len() {
        let column: Vec<usize> = rows.iter().map(|row| row[c]).collect();
        let class = *merged.entry(column).or_insert_with(|| {
            kept_columns.push(c);
            kept_columns.len() - 1
        });
        column_class.push(class);
    }
    let mut classes = [0u8; 256];
    for byte in 0..256 {
        let c = if used[byte] { first_class[byte] } else { 0 };
        classes[byte] = u8::try_from(column_class[c]).ok()?;
    }

    // Number the states: those without matches first (the start among them), then the
    // match states, so a scan tells a match state by its number alone.
    let is_match: Vec<bool> = order.iter().map(|&sid| nfa.is_match(sid)).collect();
    let mut new_id = vec![0usize; order.len()];
    let mut next = 0;
    for pass in [false, true] {
        for (old, _) in is_match.iter().enumerate().filter(|(_, &m)| m == pass) {
            new_id[old] = next;
            next += 1;
        }
    }
    if is_match[0] {
        return None;
    }
    let wide = order.len() > usize::from(u16::MAX) + 1;
    let width = if wide { 4 } else { 2 };
    let first_match = is_match.iter().filter(|&&m| !m).count();
    let mut by_new: Vec<usize> = vec![0; order.len()];
    for (old, &new) in new_id.iter().enumerate() {
        by_new[new] = old;
    }
    let stride = kept_columns.len();
    let mut table = Vec::with_capacity(order.len() * stride * width);
    let mut starts = vec![0u32];
    let mut ends = Vec::new();
    for &old in &by_new {
        for &c in &kept_columns {
            let to = u32::try_from(new_id[rows[old][c]]).ok()?;
            if wide {
                table.extend_from_slice(&to.to_le_bytes());
            } else {
                table.extend_from_slice(&u16::try_from(to).ok()?.to_le_bytes());
            }
        }
        if is_match[old] {
            let sid = order[old];
            ends.extend((0..nfa.match_len(sid)).map(|i| nfa.match_pattern(sid, i).as_u32()));
            starts.push(u32::try_from(ends.len()).ok()?);
        }
    }
    Some(Dense {
        classes,
        stride,
        table,
        wide,
        first_match: u32::try_from(first_match).ok()?,
        starts,
        ends,
    })
}

/// A table to search with, borrowed from the binary (or from a `Dense`).
#[derive(Clone, Copy)]
pub struct Table<'a> {
    pub classes: &'a [u8; 256],
    pub stride: usize,
    pub table: &'a [u8],
    /// Entries are `u32`s rather than `u16`s.
    pub wide: bool,
    pub first_match: u32,
    pub starts: &'a [u32],
    pub ends: &'a [u32],
}

#[cfg_attr(not(test), allow(dead_code))]
impl Dense {
    pub fn as_table(&self) -> Table<'_> {
        Table {
            classes: &self.classes,
            stride: self.stride,
            table: &self.table,
            wide: self.wide,
            first_match: self.first_match,
            starts: &self.starts,
            ends: &self.ends,
        }
    }
}

impl Table<'_> {
    /// Calls `found(literal, end)` for every occurrence of every literal in `hay`, in order
    /// of their ends, as an overlapping aho-corasick search reports them.
    #[inline]
    pub fn for_each_match(&self, hay: &[u8], found: impl FnMut(u32, usize)) {
        // One loop per entry width, so the width is not tested for every byte.
        if self.wide {
            self.scan::<4>(hay, found);
        } else {
            self.scan::<2>(hay, found);
        }
    }

    #[inline]
    fn scan<const W: usize>(&self, hay: &[u8], mut found: impl FnMut(u32, usize)) {
        let first_match = self.first_match as usize;
        let mut state = 0usize;
        for (i, &byte) in hay.iter().enumerate() {
            let at = (state * self.stride + usize::from(self.classes[usize::from(byte)])) * W;
            state = if W == 2 {
                usize::from(u16::from_le_bytes([self.table[at], self.table[at + 1]]))
            } else {
                u32::from_le_bytes([
                    self.table[at],
                    self.table[at + 1],
                    self.table[at + 2],
                    self.table[at + 3],
                ]) as usize
            };
            if state >= first_match {
                let k = state - first_match;
                let literals = &self.ends[self.starts[k] as usize..self.starts[k + 1] as usize];
                for &literal in literals {
                    found(literal, i + 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::AhoCorasick;

    /// Every (literal, end) an overlapping aho-corasick search reports, in its order.
    fn oracle(literals: &[&[u8]], hay: &[u8]) -> Vec<(u32, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(literals)
            .unwrap();
        let mut found: Vec<(u32, usize)> = ac
            .find_overlapping_iter(hay)
            .map(|m| (m.pattern().as_u32(), m.end()))
            .collect();
        found.sort_unstable_by_key(|&(literal, end)| (end, literal));
        found
    }

    fn table_matches(dense: &Dense, hay: &[u8]) -> Vec<(u32, usize)> {
        let mut found = Vec::new();
        dense
            .as_table()
            .for_each_match(hay, |literal, end| found.push((literal, end)));
        found.sort_unstable_by_key(|&(literal, end)| (end, literal));
        found
    }

    /// A random word of `min` to `min + spread - 1` bytes from `alphabet`.
    fn word(
        next: &mut impl FnMut(usize) -> usize,
        alphabet: &[u8],
        min: usize,
        spread: usize,
    ) -> Vec<u8> {
        (0..min + next(spread))
            .map(|_| alphabet[next(alphabet.len())])
            .collect()
    }

    #[test]
    fn reports_what_an_overlapping_search_reports() {
        let mut next = crate::evaluator::test_rng(0x5eed_1234);
        // A small alphabet (and a byte outside every literal) makes overlaps, shared
        // prefixes, literals inside literals and repeated literals common.
        let alphabet = b"ab c'\xe2";
        for _ in 0..300 {
            let literals: Vec<Vec<u8>> = (0..1 + next(12))
                .map(|_| word(&mut next, alphabet, 1, 5))
                .collect();
            let slices: Vec<&[u8]> = literals.iter().map(Vec::as_slice).collect();
            let dense = build(&slices).expect("a small automaton fits");
            for _ in 0..10 {
                let hay: Vec<u8> = (0..next(40))
                    .map(|_| match next(10) {
                        0 => b'z',
                        _ => alphabet[next(alphabet.len())],
                    })
                    .collect();
                assert_eq!(
                    table_matches(&dense, &hay),
                    oracle(&slices, &hay),
                    "literals {literals:?} in {hay:?}"
                );
            }
        }
    }

    /// Over 65,536 states the entries are `u32`s, and the search finds the same.
    #[test]
    fn a_table_past_u16_states_is_wide_and_finds_the_same() {
        let mut next = crate::evaluator::test_rng(0x00c0_ffee);
        let alphabet = b"abcdefghijklmnopqrstuvwxyz";
        let literals: Vec<Vec<u8>> = (0..14_000)
            .map(|_| word(&mut next, alphabet, 6, 4))
            .collect();
        let slices: Vec<&[u8]> = literals.iter().map(Vec::as_slice).collect();
        let dense = build(&slices).expect("builds");
        assert!(
            dense.wide,
            "the literals should need more than 65,536 states"
        );
        assert_eq!(dense.table.len() % (4 * dense.stride), 0);
        for _ in 0..20 {
            // Haystacks stitched from literals, so matches are frequent.
            let mut hay = Vec::new();
            for _ in 0..30 {
                hay.extend_from_slice(&literals[next(literals.len())]);
                hay.push(alphabet[next(alphabet.len())]);
            }
            assert_eq!(table_matches(&dense, &hay), oracle(&slices, &hay));
        }
    }

    #[test]
    fn start_state_is_not_a_match_state_and_rows_are_whole() {
        let dense = build(&[b"he", b"she", b"his", b"hers"]).unwrap();
        assert!(dense.first_match > 0);
        assert_eq!(dense.table.len() % (2 * dense.stride), 0);
        let states = dense.table.len() / (2 * dense.stride);
        assert!(!dense.wide);
        assert_eq!(dense.starts.len(), states - dense.first_match as usize + 1);
        // "she" and "he" end at 4, "hers" at 6.
        assert_eq!(
            table_matches(&dense, b"ushers"),
            vec![(0, 4), (1, 4), (3, 6)]
        );
    }
}
