//! Concision findings computed from the text's shape: a response longer than it needs to be, a
//! run-on sentence, the same word again and again in one sentence. Their rules live in the
//! phrasebank like any other (with `measure: Length` and so on), so `explain` documents them.

use std::borrow::Cow;

use super::text::Text;
use super::Finding;
use crate::phrasebank::{Measure, Phrasebank};

pub const LENGTH_RULE: &str = "concision-too-long";

/// The measured rules and the stop words, looked up once.
pub struct Measures {
    /// (rule index, measure), in phrasebank order.
    rules: Vec<(usize, Measure)>,
    /// Sorted by length, then text, for binary search (most probes differ in length).
    stopwords: Vec<String>,
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
        Measures { rules, stopwords }
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
    make: impl Fn(usize) -> Finding,
) -> Vec<Finding> {
    let mut out = Vec::new();
    let scoring = &bank.scoring.concision;
    for &(rule, measure) in &prepared.rules {
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
                for s in &text.sentences {
                    let n = text.word_index_at(s.end) - text.word_index_at(s.start);
                    if n > scoring.run_on_words {
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
                let mut seen: Vec<(String, usize)> = (0..text.words.len())
                    .filter_map(|i| {
                        let w = text.word(i);
                        (w.len() >= 4 && !prepared.is_stopword(&w)).then(|| (stem(&w), i))
                    })
                    .collect();
                let words = text.words.len();
                let echoed = nth_repeats(&mut seen, times, |n| n * per >= words).min();
                if let Some(i) = echoed {
                    out.push(at_word(text, i, &template));
                }
            }
            Measure::Repetition => {
                // Per sentence: a content word's `repeat_times`-th occurrence.
                let times = scoring.repeat_times;
                let mut seen: Vec<(Cow<'_, str>, usize)> = Vec::new();
                let mut found: Vec<usize> = Vec::new();
                for s in &text.sentences {
                    let (first, last) = (text.word_index_at(s.start), text.word_index_at(s.end));
                    seen.clear();
                    for i in first..last {
                        let w = text.word(i);
                        if w.len() < 4 || prepared.is_stopword(&w) {
                            continue;
                        }
                        seen.push((w, i));
                    }
                    if times == 0 || seen.len() < times {
                        continue;
                    }
                    found.clear();
                    found.extend(nth_repeats(&mut seen, times, |_| true));
                    found.sort_unstable();
                    out.extend(found.iter().map(|&i| at_word(text, i, &template)));
                }
            }
        }
    }
    out
}

/// Sorts `(word, place)` pairs and gives, for each word seen at least `times` times (and as
/// often as `often_enough` asks), the place of its `times`-th occurrence: repetition found
/// without hashing every word.
fn nth_repeats<'a, K: Ord>(
    seen: &'a mut [(K, usize)],
    times: usize,
    often_enough: impl Fn(usize) -> bool + 'a,
) -> impl Iterator<Item = usize> + 'a {
    seen.sort_unstable();
    seen.chunk_by(|a, b| a.0 == b.0)
        .filter(move |group| group.len() >= times && often_enough(group.len()))
        .map(move |group| group[times - 1].1)
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
fn stem(word: &str) -> String {
    let w = word.trim_end_matches("'s");
    let base = ["ing", "ed", "es", "s"]
        .iter()
        .find_map(|suffix| w.strip_suffix(suffix).filter(|b| b.len() >= 4))
        .unwrap_or(w);
    // "assume" and "assuming" meet at "assum".
    match base.strip_suffix('e') {
        Some(b) if b.len() >= 4 => b.to_string(),
        _ => base.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::stem;

    #[test]
    fn stems_fold_the_common_endings() {
        assert_eq!(stem("parked"), "park");
        assert_eq!(stem("parking"), "park");
        assert_eq!(stem("assuming"), "assum");
        assert_eq!(stem("assume"), "assum");
        assert_eq!(stem("alerts"), "alert");
        assert_eq!(stem("uses"), "uses");
    }
}
