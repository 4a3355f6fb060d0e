//! Concision findings computed from the text's shape: a response longer than it needs to be, a
//! run-on sentence, the same word again and again in one sentence. Their rules live in the
//! phrasebank like any other (with `measure: Length` and so on), so `explain` documents them.

use std::borrow::Cow;
use std::collections::HashMap;

use regex_automata::util::pool::Pool;
use rustc_hash::FxBuildHasher;

use super::text::Text;
use super::Finding;
use crate::phrasebank::{Measure, Phrasebank};

/// What is being measured: a spoken response, or a written document (lint), where length
/// is the document's business and commas mostly separate list items.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    Response,
    Document,
}

/// The measured rules and the stop words, looked up once.
pub struct Measures {
    /// (rule index, measure), in phrasebank order.
    rules: Vec<(usize, Measure)>,
    /// Sorted by length, then text, for binary search (most probes differ in length).
    stopwords: Vec<String>,
    /// Per thread, the words met so far (see `Lexicon`).
    lexicons: Pool<Lexicon, fn() -> Lexicon>,
}

impl Measures {
    pub fn new(bank: &Phrasebank) -> Self {
        let rules = bank
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, r)| r.measure.map(|m| (i, m)))
            .collect();
        let mut stopwords = bank.lexicon.get("stopwords").cloned().unwrap_or_default();
        stopwords.sort_unstable_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.cmp(b)));
        Measures {
            rules,
            stopwords,
            lexicons: Pool::new(Lexicon::default),
        }
    }

    fn is_stopword(&self, word: &str) -> bool {
        self.stopwords
            .binary_search_by(|s| s.len().cmp(&word.len()).then_with(|| s.as_str().cmp(word)))
            .is_ok()
    }
}

/// `fillers` is how many filler, hedge and wordiness matches the text had (before overlapping
/// ones were merged), for the density measure. `make` gives the finding template of rule `i`.
pub fn measures(
    bank: &Phrasebank,
    prepared: &Measures,
    text: &Text<'_>,
    fillers: usize,
    reading: Reading,
    make: impl Fn(usize) -> Finding,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut vocab = None;
    let scoring = &bank.scoring.concision;
    for &(rule, measure) in &prepared.rules {
        let spoken_only = matches!(measure, Measure::Length | Measure::Fragmented);
        if spoken_only && reading == Reading::Document {
            continue;
        }
        let template = make(rule);
        match measure {
            Measure::Length => {
                let words = text.words.len();
                if words > scoring.free_words {
                    let extra = (words - scoring.free_words) as f32;
                    let start = text.words[scoring.free_words].start;
                    out.push(Finding {
                        start,
                        end: text.original.trim_end().len().max(start),
                        weight: (extra * scoring.per_extra_word).round() as u32,
                        ..template
                    });
                }
            }
            Measure::Density => {
                let words = text.words.len().max(1);
                if fillers >= scoring.density_min && fillers * scoring.density_words >= words {
                    let end = text.original.trim_end().len();
                    out.push(Finding {
                        start: 0,
                        end,
                        ..template
                    });
                }
            }
            Measure::RunOn => {
                for (s, words) in text.sentence_words() {
                    if words.len() > scoring.run_on_words {
                        out.push(Finding {
                            start: s.start,
                            end: s.end,
                            ..template.clone()
                        });
                    }
                }
            }
            Measure::Fragmented => {
                let least = scoring.fragment_commas;
                if least == 0 {
                    continue;
                }
                for s in &text.sentences {
                    let commas = text.original.as_bytes()[s.clone()]
                        .iter()
                        .filter(|&&b| b == b',')
                        .count();
                    if commas >= least {
                        out.push(Finding {
                            start: s.start,
                            end: s.end,
                            ..template.clone()
                        });
                    }
                }
            }
            Measure::Echo => {
                let (times, per) = (scoring.echo_times, scoring.echo_words);
                if times == 0 || text.sentences.len() < 2 || text.words.len() < times {
                    continue;
                }
                let vocab = vocab.get_or_insert_with(|| Vocab::new(prepared, text));
                if let Some(i) = echo(vocab, times, per, text.words.len()) {
                    out.push(at_word(text, i, &template));
                }
            }
            Measure::Repetition => {
                // Per sentence: a content word's `repeat_times`-th occurrence.
                let times = scoring.repeat_times;
                if times == 0 {
                    continue;
                }
                let vocab = vocab.get_or_insert_with(|| Vocab::new(prepared, text));
                repeats(text, vocab, times, |i| {
                    out.push(at_word(text, i, &template))
                });
            }
        }
    }
    out
}

/// Marks a word of the text that is not a content word (short, or a stop word).
const NOT_CONTENT: u32 = u32::MAX;

/// The text's content words as small integers, so Echo and Repetition count with array
/// indexing instead of sorting strings. Ids are dense and given in order of first occurrence
/// in the text (word ids and stem ids alike).
struct Vocab {
    /// Per word of the text: the id of its lowercased form, or `NOT_CONTENT`.
    ids: Vec<u32>,
    /// Per word id: the id of its stem.
    stems: Vec<u32>,
    /// How many distinct stems.
    stem_count: usize,
}

/// The words one thread has met so far, across texts, each with whether it is a content word
/// and its stem. `lint` measures a document block by block (a paragraph, a list item), and
/// building hash maps and stemming every distinct word afresh for each small block cost more
/// than the measures themselves; with this memory, a word is hashed once per occurrence and
/// only a word never seen before is checked against the stop words and stemmed.
#[derive(Default)]
struct Lexicon {
    /// Lowercased word (curly apostrophes straightened) to its global id, or `NOT_CONTENT`.
    words: HashMap<Box<str>, u32, FxBuildHasher>,
    /// Stem to its global id.
    stems: HashMap<Box<str>, u32, FxBuildHasher>,
    /// Per global word id: its global stem id.
    stem_of: Vec<u32>,
    /// Per global word id and per global stem id: the id in the text being measured, or
    /// `NOT_CONTENT`; reset after each text (only the entries it set).
    local_word: Vec<u32>,
    local_stem: Vec<u32>,
    /// The global word ids the text being measured has set in `local_word`.
    touched: Vec<u32>,
}

impl Lexicon {
    /// Beyond this many distinct words (a long-running process reading many texts), the
    /// memory starts over, so it stays small: a few MB at most (the 2 MB bench text has
    /// about 2,300 distinct words of four letters or more).
    const MAX_WORDS: usize = 1 << 16;

    /// The global id of `word` (4 bytes or longer), learning it on first sight.
    fn global_id(&mut self, prepared: &Measures, word: Cow<'_, str>) -> u32 {
        if let Some(&id) = self.words.get(&*word) {
            return id;
        }
        let id = if prepared.is_stopword(&word) {
            NOT_CONTENT
        } else {
            let next = to_id(self.stems.len());
            let stem = *self.stems.entry(stem(&word).into()).or_insert(next);
            if stem == next {
                self.local_stem.push(NOT_CONTENT);
            }
            self.stem_of.push(stem);
            self.local_word.push(NOT_CONTENT);
            to_id(self.stem_of.len() - 1)
        };
        self.words.insert(word.into_owned().into_boxed_str(), id);
        id
    }
}

impl Vocab {
    fn new(prepared: &Measures, text: &Text<'_>) -> Self {
        let mut lexicon = prepared.lexicons.get();
        if lexicon.words.len() > Lexicon::MAX_WORDS {
            *lexicon = Lexicon::default();
        }
        let lex = &mut *lexicon;
        // Global ids to the text's own: dense, in order of first occurrence.
        let mut stems = Vec::new();
        let mut stem_count = 0;
        let ids = (0..text.words.len())
            .map(|i| {
                let w = text.word(i);
                if w.len() < 4 {
                    return NOT_CONTENT;
                }
                let global = lex.global_id(prepared, w);
                if global == NOT_CONTENT {
                    return NOT_CONTENT;
                }
                let local = &mut lex.local_word[global as usize];
                if *local == NOT_CONTENT {
                    *local = to_id(stems.len());
                    lex.touched.push(global);
                    let local_stem = &mut lex.local_stem[lex.stem_of[global as usize] as usize];
                    if *local_stem == NOT_CONTENT {
                        *local_stem = to_id(stem_count);
                        stem_count += 1;
                    }
                    stems.push(*local_stem);
                }
                *local
            })
            .collect::<Vec<u32>>();
        // Reset what this text set, for the next one.
        for &global in &lex.touched {
            lex.local_word[global as usize] = NOT_CONTENT;
            lex.local_stem[lex.stem_of[global as usize] as usize] = NOT_CONTENT;
        }
        lex.touched.clear();
        Vocab {
            ids,
            stems,
            stem_count,
        }
    }
}

fn to_id(n: usize) -> u32 {
    u32::try_from(n).expect("fewer than 2^32 - 1 distinct words")
}

/// The Echo measure: among the stems said at least `times` times and at least once per `per`
/// of the text's `words`, the earliest place one of them reaches its `times`-th occurrence.
fn echo(vocab: &Vocab, times: usize, per: usize, words: usize) -> Option<usize> {
    let mut count = vec![0u32; vocab.stem_count];
    // Where each stem reached `times` occurrences.
    let mut nth = vec![usize::MAX; vocab.stem_count];
    for (i, &id) in vocab.ids.iter().enumerate() {
        if let Some(&stem) = vocab.stems.get(id as usize) {
            let c = &mut count[stem as usize];
            *c += 1;
            if *c as usize == times {
                nth[stem as usize] = i;
            }
        }
    }
    count
        .iter()
        .zip(nth)
        .filter(|&(&c, _)| c as usize >= times && c as usize * per >= words)
        .map(|(_, at)| at)
        .min()
}

/// The Repetition measure: in each sentence, the place of each content word's `times`-th
/// occurrence, in text order (`times` > 0).
fn repeats(text: &Text<'_>, vocab: &Vocab, times: usize, mut found: impl FnMut(usize)) {
    let mut count = vec![0u32; vocab.stems.len()];
    for (_, words) in text.sentence_words() {
        let ids = &vocab.ids[words.clone()];
        for (i, &id) in words.zip(ids) {
            if let Some(c) = count.get_mut(id as usize) {
                *c += 1;
                if *c as usize == times {
                    found(i);
                }
            }
        }
        // Reset only what this sentence touched (`NOT_CONTENT` is out of range).
        for &id in ids {
            if let Some(c) = count.get_mut(id as usize) {
                *c = 0;
            }
        }
    }
}

/// The rule's finding on word `i`.
fn at_word(text: &Text<'_>, i: usize, template: &Finding) -> Finding {
    let span = text.words[i].clone();
    Finding {
        start: span.start,
        end: span.end,
        ..template.clone()
    }
}

/// "parked", "parking", "parks" -> "park": a crude stem, enough to hear one word said again.
/// A prefix of `word`, so a stem can borrow from the text it came from.
fn stem(word: &str) -> &str {
    let w = word.trim_end_matches("'s");
    let base = ["ing", "ed", "es", "s"]
        .iter()
        .find_map(|suffix| w.strip_suffix(suffix).filter(|b| b.len() >= 4))
        .unwrap_or(w);
    // "assume" and "assuming" meet at "assum".
    match base.strip_suffix('e') {
        Some(b) if b.len() >= 4 => b,
        _ => base,
    }
}

#[cfg(test)]
mod tests {
    use std::ops::Range;

    use super::*;

    #[test]
    fn stems_fold_the_common_endings() {
        assert_eq!(stem("parked"), "park");
        assert_eq!(stem("parking"), "park");
        assert_eq!(stem("assuming"), "assum");
        assert_eq!(stem("assume"), "assum");
        assert_eq!(stem("alerts"), "alert");
        assert_eq!(stem("uses"), "uses");
        assert_eq!(stem("tom's's"), "tom");
    }

    /// The content words of `text` as `(key, place)`, keyed as the measures key them.
    fn content(
        prepared: &Measures,
        text: &Text<'_>,
        words: Range<usize>,
        key: impl Fn(&str) -> String,
    ) -> Vec<(String, usize)> {
        words
            .filter_map(|i| {
                let w = text.word(i);
                (w.len() >= 4 && !prepared.is_stopword(&w)).then(|| (key(&w), i))
            })
            .collect()
    }

    /// The measures as they were first written, by sorting `(word, place)` pairs: the
    /// reference the counting versions must agree with.
    fn nth_repeats(
        seen: &mut [(String, usize)],
        times: usize,
        often_enough: impl Fn(usize) -> bool,
    ) -> Vec<usize> {
        seen.sort_unstable();
        seen.chunk_by(|a, b| a.0 == b.0)
            .filter(|group| group.len() >= times && often_enough(group.len()))
            .map(|group| group[times - 1].1)
            .collect()
    }

    fn sorted_echo(
        prepared: &Measures,
        text: &Text<'_>,
        times: usize,
        per: usize,
    ) -> Option<usize> {
        let words = text.words.len();
        let mut seen = content(prepared, text, 0..words, |w| stem(w).to_owned());
        nth_repeats(&mut seen, times, |n| n * per >= words)
            .into_iter()
            .min()
    }

    fn sorted_repeats(prepared: &Measures, text: &Text<'_>, times: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for s in &text.sentences {
            let words = text.word_index_at(s.start)..text.word_index_at(s.end);
            let mut seen = content(prepared, text, words, str::to_owned);
            let mut found = nth_repeats(&mut seen, times, |_| true);
            found.sort_unstable();
            out.extend(found);
        }
        out
    }

    /// Texts from a small vocabulary (stems in several forms, stop words, short words, curly
    /// and straight apostrophes, sentence breaks), so words repeat often.
    fn texts() -> impl Iterator<Item = String> {
        const VOCAB: [&str; 24] = [
            "park",
            "parked",
            "parking",
            "parks",
            "assume",
            "assuming",
            "alert",
            "alerts",
            "Alert",
            "tom's",
            "tom’s",
            "Tom’s's",
            "that",
            "which",
            "about",
            "the",
            "it",
            "a",
            "deploy",
            "deployed",
            "uses",
            "use",
            "x",
            "rollback",
        ];
        const BREAKS: [&str; 6] = [" ", " ", " ", ". ", "! ", "\n"];
        let mut next = crate::evaluator::test_rng(0x2545_f491_4f6c_dd1d_u64);
        (0..400).map(move |_| {
            let len = next(120);
            let mut text = String::new();
            for _ in 0..len {
                text.push_str(VOCAB[next(VOCAB.len())]);
                text.push_str(BREAKS[next(BREAKS.len())]);
            }
            text
        })
    }

    #[test]
    fn counting_agrees_with_sorting() {
        let bank = Phrasebank::embedded().expect("phrasebank loads");
        let prepared = Measures::new(&bank);
        let (mut echoes, mut repeated) = (0, 0);
        for original in texts() {
            let text = Text::new(&original);
            let vocab = Vocab::new(&prepared, &text);
            for times in 1..5 {
                for per in [0, 1, 3, 10] {
                    let expected = sorted_echo(&prepared, &text, times, per);
                    echoes += usize::from(expected.is_some());
                    let got = echo(&vocab, times, per, text.words.len());
                    assert_eq!(got, expected, "echo {times}/{per} in {original:?}");
                }
                let mut got = Vec::new();
                repeats(&text, &vocab, times, |i| got.push(i));
                let expected = sorted_repeats(&prepared, &text, times);
                repeated += expected.len();
                assert_eq!(got, expected, "repetition {times} in {original:?}");
            }
        }
        assert!(echoes > 100, "the texts should echo often ({echoes})");
        assert!(
            repeated > 1000,
            "the texts should repeat often ({repeated})"
        );
    }
}
