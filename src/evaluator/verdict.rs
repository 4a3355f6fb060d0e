//! The move verdict: did the response make the move its beat kind called for? Read from the
//! signals the findings carry and the scores, per the phrasebank's `moves.ron`.

use std::collections::BTreeSet;
use std::sync::Arc;

use serde::Serialize;

use super::Scores;
use crate::beat::BeatKind;
use crate::phrasebank::{Check, Phrasebank};

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MoveVerdict {
    pub kind: BeatKind,
    pub met: bool,
    /// What the move lacked, or what spoiled it, in a few words each.
    pub missing: Vec<String>,
    /// What would make a made move stronger.
    pub could_add: Vec<String>,
    /// The move in a phrase, for display.
    pub expected: String,
}

fn holds(check: &Check, scores: &Scores, signals: &BTreeSet<Arc<str>>) -> bool {
    match check {
        Check::Signal(name) => signals.contains(name.as_str()),
        Check::AtLeast(d, n) => scores.get(*d).is_some_and(|s| s >= *n),
        Check::Below(d, n) => scores.get(*d).is_some_and(|s| s < *n),
    }
}

pub fn judge(
    bank: &Phrasebank,
    kind: BeatKind,
    scores: &Scores,
    signals: &BTreeSet<Arc<str>>,
) -> Option<MoveVerdict> {
    let spec = bank.move_spec(kind)?;
    let mut missing: Vec<String> = spec
        .requires
        .iter()
        .filter(|r| !r.any.iter().any(|c| holds(c, scores, signals)))
        .map(|r| r.missing.clone())
        .collect();
    missing.extend(
        spec.spoilers
            .iter()
            .filter(|s| {
                holds(&s.when, scores, signals)
                    && !s.unless.iter().any(|c| holds(c, scores, signals))
            })
            .map(|s| s.missing.clone()),
    );
    missing.dedup();
    let could_add = spec
        .better_with
        .iter()
        .filter(|r| !r.any.iter().any(|c| holds(c, scores, signals)))
        .map(|r| r.missing.clone())
        .collect();
    Some(MoveVerdict {
        kind,
        met: missing.is_empty(),
        missing,
        could_add,
        expected: spec.expected.clone(),
    })
}
