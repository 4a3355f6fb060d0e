//! The shape of a response the matcher needs: a lowercased copy with the same byte offsets,
//! words, sentences and quoted stretches.

use std::borrow::Cow;
use std::ops::Range;

/// A response prepared for matching. `lower` has the same length and char boundaries as the
/// original (only ASCII letters change case), so spans found in it apply to the original.
pub struct Text<'a> {
    pub original: &'a str,
    pub lower: String,
    pub words: Vec<Range<usize>>,
    pub sentences: Vec<Range<usize>>,
    pub quotes: Vec<Range<usize>>,
    /// `lower` with names the lexicon does not list replaced by listed ones of the same
    /// length (see `names`), when there are any: what the patterns read.
    pub matching: Option<String>,
    /// Whether the text has a curly apostrophe at all (most have none).
    curly: bool,
    /// Where each text lies: the whole for one text, each part for texts read together
    /// (`Text::joined`).
    pub blocks: Vec<Range<usize>>,
}

impl<'a> Text<'a> {
    pub fn new(original: &'a str) -> Self {
        let lower = original.to_ascii_lowercase();
        let words = words(original);
        let sentences = sentences(original);
        let quotes = quotes(original);
        let curly = original.contains('’');
        Text {
            original,
            lower,
            words,
            sentences,
            quotes,
            matching: None,
            curly,
            blocks: std::iter::once(0..original.len()).collect(),
        }
    }

    /// Texts read as one, for matching them in one pass: `original` holds each of `parts`
    /// at its place in `blocks` (with line breaks between). Words, sentences, quotes and the
    /// matching copy are each part's own, so nothing one part holds changes how another is
    /// read.
    pub fn joined(original: &'a str, parts: &[Text<'_>], blocks: Vec<Range<usize>>) -> Self {
        // The lowercased and matching copies are the parts' own, put together with the text
        // between them (line breaks, the same in every copy): nothing is lowercased twice.
        let mut lower = String::with_capacity(original.len());
        let any_matching = parts.iter().any(|p| p.matching.is_some());
        let mut matching = any_matching.then(|| String::with_capacity(original.len()));
        let (mut words, mut sentences, mut quotes) = (Vec::new(), Vec::new(), Vec::new());
        let mut previous_end = 0;
        for (part, block) in parts.iter().zip(&blocks) {
            let gap = &original[previous_end..block.start];
            previous_end = block.end;
            lower.push_str(gap);
            lower.push_str(&part.lower);
            if let Some(copy) = matching.as_mut() {
                copy.push_str(gap);
                copy.push_str(part.matching());
            }
            let at = block.start;
            let shift = |spans: &[Range<usize>], out: &mut Vec<Range<usize>>| {
                out.extend(spans.iter().map(|s| s.start + at..s.end + at));
            };
            shift(&part.words, &mut words);
            shift(&part.sentences, &mut sentences);
            shift(&part.quotes, &mut quotes);
        }
        let rest = &original[previous_end..];
        lower.push_str(rest);
        if let Some(copy) = matching.as_mut() {
            copy.push_str(rest);
        }
        Text {
            original,
            lower,
            words,
            sentences,
            quotes,
            matching,
            curly: parts.iter().any(|p| p.curly),
            blocks,
        }
    }

    /// The block (the part of a joined text, or the whole text) holding byte `at`.
    pub fn block_of(&self, at: usize) -> Range<usize> {
        let i = self.blocks.partition_point(|b| b.end < at);
        self.blocks
            .get(i)
            .cloned()
            .unwrap_or(0..self.original.len())
    }

    /// The copy the phrases and patterns run over: `lower`, with unlisted names stood in for.
    pub fn matching(&self) -> &str {
        self.matching.as_deref().unwrap_or(&self.lower)
    }

    /// The sentence holding byte `at` (the whole text if none does).
    pub fn sentence_of(&self, at: usize) -> Range<usize> {
        let i = self.sentences.partition_point(|s| s.end <= at);
        self.sentences
            .get(i)
            .filter(|s| s.start <= at)
            .cloned()
            .unwrap_or_else(|| self.block_of(at))
    }

    /// Whether `span` lies inside a quoted stretch.
    pub fn is_quoted(&self, span: &Range<usize>) -> bool {
        let i = self.quotes.partition_point(|q| q.end < span.end);
        self.quotes
            .get(i)
            .is_some_and(|q| q.start <= span.start && span.end <= q.end)
    }

    /// Index of the first word starting at or after `at`.
    pub fn word_index_at(&self, at: usize) -> usize {
        self.words.partition_point(|w| w.start < at)
    }

    /// Each sentence with the indices of the words starting inside it (what `word_index_at`
    /// gives for its two ends), found by walking words and sentences together once: both are
    /// in text order, so this is linear where a binary search per end is not.
    pub fn sentence_words(&self) -> impl Iterator<Item = (&Range<usize>, Range<usize>)> {
        let mut k = 0;
        let mut index_at = move |at: usize| {
            while self.words.get(k).is_some_and(|w| w.start < at) {
                k += 1;
            }
            k
        };
        self.sentences.iter().map(move |s| {
            let first = index_at(s.start);
            (s, first..index_at(s.end))
        })
    }

    /// A word of the lowercased text, with curly apostrophes made straight. Inlined, with the
    /// rare straightening out of line: the measures call this for every word.
    #[inline]
    pub fn word(&self, i: usize) -> Cow<'_, str> {
        let w = &self.lower[self.words[i].clone()];
        // 0xE2 leads the curly apostrophe's UTF-8; a byte scan is cheaper than a char search.
        if self.curly && w.bytes().any(|b| b == 0xE2) {
            straighten(w)
        } else {
            Cow::Borrowed(w)
        }
    }
}

#[cold]
fn straighten(word: &str) -> Cow<'_, str> {
    if word.contains('’') {
        Cow::Owned(word.replace('’', "'"))
    } else {
        Cow::Borrowed(word)
    }
}

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '’'
}

fn alnum_at(text: &str, at: usize) -> bool {
    text.get(at..)
        .and_then(|rest| rest.chars().next())
        .is_some_and(char::is_alphanumeric)
}

/// `ASCII_ALNUM[b]`: whether byte `b` is an ASCII letter or digit. One load, where
/// `u8::is_ascii_alphanumeric` is three range tests: the word scan asks this of every byte.
static ASCII_ALNUM: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = (b as u8).is_ascii_alphanumeric();
        b += 1;
    }
    table
};

/// The index of the first byte of `bytes` that is one of `needles`. It tests 16 bytes at a
/// time with plain comparisons and no branch, which the compiler turns into vector compares:
/// the bytes the sentence and quote scans look for are a few in a hundred.
fn find_any(bytes: &[u8], needles: [u8; 4]) -> Option<usize> {
    let hit = |b: u8| needles.iter().fold(false, |any, &n| any | (b == n));
    let mut chunks = bytes.chunks_exact(16);
    let mut base = 0;
    for chunk in &mut chunks {
        if chunk.iter().fold(false, |any, &b| any | hit(b)) {
            break;
        }
        base += 16;
    }
    bytes[base..].iter().position(|&b| hit(b)).map(|k| base + k)
}

/// The char starting at byte `at` (a char boundary).
fn char_at(text: &str, at: usize) -> char {
    text[at..].chars().next().unwrap_or(' ')
}

/// Words: runs of letters and digits, joined by an inner apostrophe, hyphen or decimal point.
/// This runs over every document `lint` reads, so it is two tight byte loops: one skips what
/// lies between words, one runs through ASCII letters and digits; only the byte after a run
/// (a joiner, a non-ASCII char or the word's end) takes a closer look.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 6);
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if ASCII_ALNUM[usize::from(c)] || c >= 0x80 && char_at(text, i).is_alphanumeric() {
            let end = word_end(text, i);
            out.push(i..end);
            i = end;
        } else {
            i += if c < 0x80 {
                1
            } else {
                char_at(text, i).len_utf8()
            };
        }
    }
    out
}

/// Where the word starting at `i` ends.
fn word_end(text: &str, mut i: usize) -> usize {
    let b = text.as_bytes();
    loop {
        while b.get(i).is_some_and(|&c| ASCII_ALNUM[usize::from(c)]) {
            i += 1;
        }
        let Some(&c) = b.get(i) else {
            return i;
        };
        // `i` is past the word's first char here, so `i - 1` is inside the word.
        i += if c < 0x80 {
            let joins = match c {
                b'\'' | b'-' => alnum_at(text, i + 1),
                b'.' => b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit),
                _ => false,
            };
            if !joins {
                return i;
            }
            1
        } else {
            let ch = char_at(text, i);
            let len = ch.len_utf8();
            if !(ch.is_alphanumeric() || is_apostrophe(ch) && alnum_at(text, i + len)) {
                return i;
            }
            len
        };
    }
}

/// Sentences end at `.`, `!`, `?` (not a decimal point) or a line break; trailing closers stay
/// with the sentence. Spans are trimmed of surrounding white space. The scan jumps from one
/// candidate end byte to the next.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len() / 128);
    let mut start = 0;
    let mut i = 0;
    while let Some(k) = find_any(&bytes[i..], *b"\n!?.") {
        i += k;
        if bytes[i] != b'.' || dot_ends_sentence(bytes, i) {
            let end = past_closers(bytes, i + 1);
            push_trimmed(text, start..end, &mut out);
            start = end;
            i = end;
        } else {
            i += 1;
        }
    }
    push_trimmed(text, start..text.len(), &mut out);
    out
}

/// Whether the `.` at `i` ends a sentence: not inside a number ("2.5"), and followed by a
/// space, a closing quote or bracket, or the end.
fn dot_ends_sentence(bytes: &[u8], i: usize) -> bool {
    let digit_before = i > 0 && bytes[i - 1].is_ascii_digit();
    let digit_after = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
    let space_after = bytes
        .get(i + 1)
        .is_none_or(|n| n.is_ascii_whitespace() || matches!(n, b'"' | b'\'' | b')'));
    !(digit_before && digit_after) && space_after
}

/// Where a sentence that ends at `end` really ends: past more end marks and closers ("?!",
/// `."`).
fn past_closers(bytes: &[u8], mut end: usize) -> usize {
    while end < bytes.len() && matches!(bytes[end], b'!' | b'?' | b'.' | b'"' | b'\'' | b')') {
        end += 1;
    }
    end
}

fn push_trimmed(text: &str, span: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[span.clone()];
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail < s.len() {
        out.push(span.start + lead..span.end - trail);
    }
}

/// Quoted stretches (the text between the quote marks): "…", “…”, '…' and ‘…’. An apostrophe
/// between letters (it's, Tom's) is never a quote mark. The scan jumps from one quote mark,
/// line break or lead byte of a curly mark to the next; nothing else needs a look.
pub fn quotes(text: &str) -> Vec<Range<usize>> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut open: Option<(char, usize)> = None;
    let mut from = 0;
    while let Some(k) = find_any(&b[from..], [b'\n', b'"', b'\'', 0xE2]) {
        let i = from + k;
        from = i + 1;
        let c = match b[i] {
            b'\n' => {
                if i > 0 && b[i - 1] == b'\n' {
                    open = None; // a paragraph break drops a stray opener
                }
                continue;
            }
            b'"' => '"',
            b'\'' => '\'',
            0xE2 => match text[i..].chars().next() {
                Some(c @ ('“' | '”' | '‘' | '’')) => c,
                _ => continue,
            },
            _ => continue,
        };
        let prev = text[..i].chars().next_back();
        let after = i + c.len_utf8();
        let next = text[after..].chars().next();
        match open {
            Some((opener, at)) => {
                let closes = match (opener, c) {
                    ('"', '"') | ('“', '”') | ('‘', '’') => true,
                    ('\'', '\'') => {
                        prev.is_some_and(|p| !p.is_whitespace())
                            && next.is_none_or(|n| !n.is_alphanumeric())
                    }
                    _ => false,
                };
                if closes {
                    out.push(at..i);
                    open = None;
                }
            }
            None => {
                let opens = match c {
                    '"' | '“' | '‘' => next.is_some_and(|n| !n.is_whitespace()),
                    '\'' => {
                        prev.is_none_or(|p| p.is_whitespace() || "([{:".contains(p))
                            && next.is_some_and(|n| !n.is_whitespace())
                    }
                    _ => false,
                };
                if opens {
                    open = Some((c, after));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slices<'t>(text: &'t str, spans: &[Range<usize>]) -> Vec<&'t str> {
        spans.iter().map(|s| &text[s.clone()]).collect()
    }

    #[test]
    fn words_keep_contractions_and_decimals() {
        let t = "It wasn't Tom’s fault; 1.4 million at 03:12.";
        assert_eq!(
            slices(t, &words(t)),
            ["It", "wasn't", "Tom’s", "fault", "1.4", "million", "at", "03", "12"]
        );
    }

    #[test]
    fn sentences_split_on_terminators_not_decimals() {
        let t = "Depth hit 1.4 million. Why? Because!\nNext line";
        assert_eq!(
            slices(t, &sentences(t)),
            ["Depth hit 1.4 million.", "Why?", "Because!", "Next line"]
        );
    }

    #[test]
    fn quotes_ignore_apostrophes() {
        let t = "we won't accept 'human error' as a cause, nor \"bad luck\" or Tom's ‘oops’";
        assert_eq!(slices(t, &quotes(t)), ["human error", "bad luck", "oops"]);
    }

    #[test]
    fn unclosed_quote_is_not_a_quote() {
        let t = "the devs' laptops and 'nothing closes";
        assert!(quotes(t).is_empty());
    }

    // The scans as they were before they skipped ahead, byte by byte: the reference (what
    // ends a sentence is shared; how the text is walked is what is compared).
    fn byte_loop_words(text: &str) -> Vec<Range<usize>> {
        let b = text.as_bytes();
        let mut out = Vec::with_capacity(b.len() / 6);
        let mut start: Option<usize> = None;
        let mut i = 0;
        while i < b.len() {
            let c = b[i];
            if c < 0x80 {
                if c.is_ascii_alphanumeric() {
                    start.get_or_insert(i);
                } else {
                    let joins = start.is_some()
                        && match c {
                            b'\'' | b'-' => alnum_at(text, i + 1),
                            b'.' => {
                                i > 0
                                    && b[i - 1].is_ascii_digit()
                                    && b.get(i + 1).is_some_and(u8::is_ascii_digit)
                            }
                            _ => false,
                        };
                    if !joins {
                        if let Some(s) = start.take() {
                            out.push(s..i);
                        }
                    }
                }
                i += 1;
            } else {
                let ch = text[i..].chars().next().unwrap_or(' ');
                let len = ch.len_utf8();
                if ch.is_alphanumeric() {
                    start.get_or_insert(i);
                } else if !(is_apostrophe(ch) && start.is_some() && alnum_at(text, i + len)) {
                    if let Some(s) = start.take() {
                        out.push(s..i);
                    }
                }
                i += len;
            }
        }
        if let Some(s) = start {
            out.push(s..text.len());
        }
        out
    }

    fn byte_loop_sentences(text: &str) -> Vec<Range<usize>> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let ends = match b {
                b'\n' | b'!' | b'?' => true,
                b'.' => dot_ends_sentence(bytes, i),
                _ => false,
            };
            if ends {
                let end = past_closers(bytes, i + 1);
                push_trimmed(text, start..end, &mut out);
                start = end;
                i = end;
            } else {
                i += 1;
            }
        }
        push_trimmed(text, start..text.len(), &mut out);
        out
    }

    /// Texts from pieces that exercise every branch: joiners, decimals, non-ASCII letters and
    /// punctuation, curly and straight quotes, closers, blank lines.
    fn texts() -> impl Iterator<Item = String> {
        const PIECES: [&str; 28] = [
            "word", "It", "wasn't", "Tom’s", "1.4", "03:12", "e.g.", "re-run", "-", "'", "’", "‘",
            "“", "”", "\"", "café", "naïve", "日本", "—", ".", "!", "?", ")", " ", " ", "\n",
            "\n\n", "x.5",
        ];
        let mut next = crate::evaluator::test_rng(0x9e37_79b9_7f4a_7c15_u64);
        (0..2000).map(move |_| (0..next(60)).map(|_| PIECES[next(PIECES.len())]).collect())
    }

    #[test]
    fn skipping_scans_agree_with_byte_loops() {
        for t in texts() {
            assert_eq!(words(&t), byte_loop_words(&t), "words of {t:?}");
            assert_eq!(sentences(&t), byte_loop_sentences(&t), "sentences of {t:?}");
        }
    }

    #[test]
    fn find_any_finds_the_first_needle() {
        let long = format!("{}?{}", "a".repeat(37), "b.".repeat(20));
        assert_eq!(find_any(long.as_bytes(), *b"\n!?."), Some(37));
        assert_eq!(find_any(b"abc.", *b"\n!?."), Some(3));
        assert_eq!(find_any(&[b'x'; 40], *b"\n!?."), None);
        assert_eq!(find_any(b"", *b"\n!?."), None);
    }
}
