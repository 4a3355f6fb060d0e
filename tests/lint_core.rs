//! The lint core through the library: any text (Markdown or not) lints without a panic, and
//! every finding's position lies inside the file, with the end not before the start.

use std::sync::{Arc, OnceLock};

use debrief::evaluator::Evaluator;
use debrief::lint::config::Config;
use debrief::lint::document;
use proptest::prelude::*;

fn evaluator() -> &'static Evaluator {
    static E: OnceLock<Evaluator> = OnceLock::new();
    E.get_or_init(|| Evaluator::embedded().expect("embedded phrasebank"))
}

/// Markdown-ish pieces, so the generator reaches lists, tables, code, quotes and comments.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("# Timeline\n".to_string()),
        Just("## Action items\n".to_string()),
        Just("- ".to_string()),
        Just("  - ".to_string()),
        Just("| a | Owner |\n|---|---|\n| x | |\n".to_string()),
        Just("```\n".to_string()),
        Just("> ".to_string()),
        Just("`code`".to_string()),
        Just("<!-- debrief-disable blame-*: why -->\n".to_string()),
        Just("<!-- debrief-enable blame-* -->".to_string()),
        Just("<!-- debrief-disable-next-line -->\n".to_string()),
        Just("Ravi broke it. ".to_string()),
        Just("He should have checked. ".to_string()),
        Just("human error".to_string()),
        Just("\"quoted\" ".to_string()),
        Just("https://example.com/x ".to_string()),
        Just("**Impact:** ".to_string()),
        Just("\r\n".to_string()),
        Just("\n\n".to_string()),
        Just("é’—\u{1F600} ".to_string()),
        "[ -~]{0,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn any_text_lints_and_positions_stay_in_the_file(parts in proptest::collection::vec(piece(), 0..30)) {
        let text: String = parts.concat();
        let lines: Vec<&str> = text.split('\n').collect();
        let report = document::lint("t.md".into(), Arc::from(text.as_str()), evaluator(), &Config::default());
        for f in &report.findings {
            prop_assert!(f.line >= 1 && f.line <= lines.len(), "{f:?}");
            prop_assert!(f.end_line >= f.line, "{f:?}");
            prop_assert!(f.end_line > f.line || f.end_col >= f.col, "{f:?}");
            let width = lines[f.line - 1].chars().count() + 1;
            prop_assert!(f.col <= width, "{f:?} in {:?}", lines[f.line - 1]);
            prop_assert!(f.span.start <= f.span.end && f.span.end <= text.len(), "{f:?}");
        }
    }
}

#[test]
fn the_same_text_gives_the_same_report() {
    let text: Arc<str> = std::fs::read_to_string("tests/fixtures/lint/blameful.md")
        .unwrap()
        .into();
    let a = document::lint("a.md".into(), text.clone(), evaluator(), &Config::default());
    let b = document::lint("a.md".into(), text, evaluator(), &Config::default());
    assert_eq!(a.findings, b.findings);
    assert_eq!(a.missing_sections, b.missing_sections);
}
