//! NegEx-style scope: a cue ("not", "nobody", "set aside") within a few words before a match,
//! with no terminator ("but", a comma, a clause break) between them, cancels the match; so does
//! a post-cue right after it ("... is not the answer").

use std::borrow::Cow;
use std::ops::Range;

use super::text::Text;
use crate::phrasebank::ContextSettings;

/// Prepared cues: each is a sequence of words; a cue word starting with `*` matches a suffix
/// ("*n't" matches "didn't").
pub struct Negation {
    cues: Vec<Vec<String>>,
    post: Vec<Vec<String>>,
    pseudo: Vec<Vec<String>>,
    terminators: Vec<String>,
    window: usize,
    post_window: usize,
}

fn split(list: &[String]) -> Vec<Vec<String>> {
    list.iter()
        .map(|c| c.split_whitespace().map(str::to_string).collect())
        .collect()
}

fn word_matches(cue: &str, word: &str) -> bool {
    match cue.strip_prefix('*') {
        Some(suffix) => word.ends_with(suffix),
        None => cue == word,
    }
}

fn seq_at(words: &[Cow<'_, str>], at: usize, cue: &[String]) -> bool {
    at + cue.len() <= words.len()
        && cue
            .iter()
            .zip(&words[at..])
            .all(|(c, w)| word_matches(c, w))
}

/// Whether clause-breaking punctuation lies in `between`.
fn breaks_clause(between: &str) -> bool {
    if between == " " {
        return false;
    }
    between.contains([',', ';', ':', '.', '!', '?', '(', ')', '\n', '—', '–'])
        || between.contains(" - ")
}

impl Negation {
    pub fn new(settings: &ContextSettings) -> Self {
        Negation {
            cues: split(&settings.negation),
            post: split(&settings.post_negation),
            pseudo: split(&settings.pseudo_negation),
            terminators: settings.terminators.clone(),
            window: settings.window,
            post_window: settings.post_window,
        }
    }

    /// Whether the match at `span` is inside a negation's scope.
    pub fn negated(&self, text: &Text<'_>, span: &Range<usize>) -> bool {
        self.negated_before(text, span) || self.negated_after(text, span)
    }

    fn negated_before(&self, text: &Text<'_>, span: &Range<usize>) -> bool {
        let first = text.word_index_at(span.start);
        // Walk back word by word while in the same clause, up to the window.
        // The words before the match (nearest last), then up to three of the match's own:
        // they can complete a cue ("not about" + "who").
        let mut with_match: Vec<Cow<'_, str>> = Vec::with_capacity(self.window + 3);
        let mut boundary = span.start;
        let mut k = first;
        while k > 0 && with_match.len() < self.window {
            let w = &text.words[k - 1];
            if breaks_clause(text.original.get(w.end..boundary).unwrap_or("")) {
                break;
            }
            let word = text.word(k - 1);
            if self.terminators.iter().any(|t| *t == word) {
                break;
            }
            with_match.push(word);
            boundary = w.start;
            k -= 1;
        }
        if with_match.is_empty() {
            return false;
        }
        with_match.reverse();
        let scope = with_match.len();
        let mut m = first;
        while m < text.words.len() && text.words[m].start < span.end && with_match.len() < scope + 3
        {
            with_match.push(text.word(m));
            m += 1;
        }
        // A pseudo-negation cancels a cue it covers, whether it starts with the cue ("not
        // only") or before it ("just call it" covers "call it").
        (0..scope).any(|at| {
            self.cues.iter().any(|cue| seq_at(&with_match, at, cue))
                && !self.pseudo.iter().any(|p| {
                    (at.saturating_sub(p.len().saturating_sub(1))..=at)
                        .any(|from| seq_at(&with_match, from, p))
                })
        })
    }

    fn negated_after(&self, text: &Text<'_>, span: &Range<usize>) -> bool {
        if self.post.is_empty() {
            return false;
        }
        let first = text.word_index_at(span.end);
        let mut scope: Vec<Cow<'_, str>> = Vec::with_capacity(self.post_window + 3);
        let mut boundary = span.end;
        let mut k = first;
        while k < text.words.len() && scope.len() < self.post_window + 3 {
            let w = &text.words[k];
            if breaks_clause(text.original.get(boundary..w.start).unwrap_or("")) {
                break;
            }
            scope.push(text.word(k));
            boundary = w.end;
            k += 1;
        }
        (0..scope.len().min(self.post_window + 1))
            .any(|at| self.post.iter().any(|cue| seq_at(&scope, at, cue)))
    }
}
