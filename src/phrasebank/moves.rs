//! The move model: for each beat kind, what a response must contain (signals from rules, or a
//! score) for the move to count as made, and what makes it fail regardless.

use serde::{Deserialize, Serialize};

use super::rule::Dimension;
use crate::beat::BeatKind;

/// A fact about a scored response that the move model can ask for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    /// Some finding carries this signal.
    Signal(String),
    /// The dimension scored at least this much.
    AtLeast(Dimension, u8),
    /// The dimension scored below this.
    Below(Dimension, u8),
}

/// A part of the move: met when any of its checks holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Requirement {
    pub any: Vec<Check>,
    /// What to tell the user when it is absent, e.g. "name an owner".
    pub missing: String,
}

/// Something that spoils the move even when every part is there, unless one of `unless`
/// holds (a blaming aside does not spoil an action item that changes the system).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Spoiler {
    pub when: Check,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unless: Vec<Check>,
    pub missing: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveSpec {
    pub kind: BeatKind,
    /// The move in a phrase: "redirect from who to what and how".
    pub expected: String,
    /// Every one of these must hold.
    pub requires: Vec<Requirement>,
    /// Named when absent but not needed for the move to count.
    #[serde(default)]
    pub better_with: Vec<Requirement>,
    #[serde(default)]
    pub spoilers: Vec<Spoiler>,
    /// A coaching tip shown by `:hint` and in scorecards.
    pub hint: String,
    /// A model answer for this kind of moment.
    pub example: String,
}
