//! The evaluator never panics and keeps its promises on any text: spans on char boundaries and
//! inside the text, scores within 0..=100. Regression: a match starting inside a word ("That's
//! on the backend team") once sliced the text backwards in the negation check.

use debrief::beat::BeatKind;
use debrief::evaluator::Evaluator;
use proptest::prelude::*;
use std::sync::OnceLock;

fn evaluator() -> &'static Evaluator {
    static E: OnceLock<Evaluator> = OnceLock::new();
    E.get_or_init(|| Evaluator::embedded().expect("phrasebank loads"))
}

/// Pieces that exercise the matcher: names, blame verbs, negations, quotes, numbers,
/// apostrophes (straight and curly), non-ASCII letters and punctuation.
const PIECES: &[&str] = &[
    "That's",
    "on",
    "the",
    "backend",
    "team",
    ",",
    " not",
    "us",
    ".",
    "Raj",
    "broke",
    "it",
    "nobody",
    "isn't",
    "'",
    "’",
    "\"",
    "“",
    "”",
    "human error",
    "should have",
    "12%",
    "14:02",
    "Lucía",
    "deleted",
    "wrong",
    "bucket",
    "why did you",
    "?",
    "\n",
    "\n\n",
    "é",
    "—",
    "I'm",
    "not blaming anyone, but",
    "was botched by",
    "whoever",
    "3x",
    "1.4",
    "million",
    "p99",
    "at",
    "least",
    "you're",
    "honest",
    "  ",
    "ß",
    "日本",
    "🙂",
    "-",
    "…",
    ";",
    ":",
];

fn text_from(picks: &[usize]) -> String {
    picks
        .iter()
        .map(|&i| PIECES[i % PIECES.len()])
        .collect::<Vec<_>>()
        .join(" ")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn any_mix_of_tricky_pieces_is_judged_without_panic(picks in prop::collection::vec(0usize..1000, 0..40), kind in 0usize..9) {
        let text = text_from(&picks);
        let after = BeatKind::ALL.get(kind).copied();
        let e = evaluator().evaluate(&text, after);
        for f in &e.findings {
            prop_assert!(f.start <= f.end && f.end <= text.len());
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
        for s in [e.scores.blamelessness, e.scores.data, e.scores.concision] {
            prop_assert!(s <= 100);
        }
        prop_assert_eq!(e.move_verdict.is_some(), after.is_some());
    }

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,200}") {
        let e = evaluator().evaluate(&text, Some(BeatKind::FingerPointing));
        for f in &e.findings {
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
        let _ = evaluator().scan(&text);
    }
}

#[test]
fn match_starting_inside_a_word_does_not_panic() {
    let e = evaluator().evaluate("That's on the backend team, not us.", None);
    assert!(e.scores.blamelessness < 60, "{:?}", e.scores);
}
