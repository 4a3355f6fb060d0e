//! The shipped phrasebank: it loads, every rule's examples behave, it is big enough, and every
//! data file on disk is embedded in the binary.

use std::collections::BTreeSet;
use std::path::Path;

use debrief::beat::BeatKind;
use debrief::embedded;
use debrief::evaluator::Evaluator;
use debrief::phrasebank::{Dimension, Phrasebank};

fn evaluator() -> Evaluator {
    let bank = Phrasebank::embedded()
        .unwrap_or_else(|d| panic!("phrasebank does not load:\n{}", render(&d)));
    Evaluator::new(bank).unwrap_or_else(|d| panic!("phrasebank does not compile:\n{}", render(&d)))
}

fn render(d: &[debrief::diag::Diagnostic]) -> String {
    d.iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_rule_example_behaves() {
    let problems = evaluator().check_examples();
    assert!(
        problems.is_empty(),
        "{} rule examples misbehave:\n{}",
        problems.len(),
        render(&problems)
    );
}

#[test]
fn phrasebank_covers_every_dimension_and_move() {
    let e = evaluator();
    let bank = e.phrasebank();
    assert!(bank.rules.len() >= 60, "only {} rules", bank.rules.len());
    for d in [
        Dimension::Blamelessness,
        Dimension::Data,
        Dimension::Concision,
        Dimension::Move,
    ] {
        let n = bank.rules.iter().filter(|r| r.dimension == d).count();
        assert!(n >= 5, "only {n} rules for {d:?}");
    }
    for kind in BeatKind::ALL {
        assert!(bank.move_spec(kind).is_some(), "no move for {kind}");
    }
    for rule in &bank.rules {
        assert!(
            rule.examples.matches.len() >= 2 && rule.examples.no_match.len() >= 2,
            "{} lacks examples",
            rule.id
        );
    }
}

#[test]
fn rule_ids_are_unique() {
    let e = evaluator();
    let mut seen = BTreeSet::new();
    for r in &e.phrasebank().rules {
        assert!(seen.insert(&r.id), "duplicate id {}", r.id);
    }
}

fn walk(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "ron") {
            let rel = path.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap();
            out.insert(rel.to_string_lossy().replace('\\', "/"));
        }
    }
}

#[test]
fn every_data_file_on_disk_is_embedded() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut on_disk = BTreeSet::new();
    for top in ["phrasebank", "scenarios"] {
        if root.join(top).is_dir() {
            walk(&root.join(top), &mut on_disk);
        }
    }
    let embedded: BTreeSet<String> = embedded::FILES.iter().map(|(p, _)| p.to_string()).collect();
    assert_eq!(on_disk, embedded);
    for (path, text) in embedded::FILES {
        let disk = std::fs::read_to_string(root.join(path)).unwrap();
        assert_eq!(&disk, text, "{path} on disk differs from the embedded copy");
    }
}
