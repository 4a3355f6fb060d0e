//! Beat kinds: the situations a character creates at the table, each with the move a good
//! facilitator makes (DESIGN.md). The names on the command line and in JSON are snake_case.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BeatKind {
    #[serde(alias = "Opening")]
    Opening,
    #[serde(alias = "FingerPointing")]
    FingerPointing,
    #[serde(alias = "SelfBlame")]
    SelfBlame,
    #[serde(alias = "Speculation")]
    Speculation,
    #[serde(alias = "Reassurance")]
    Reassurance,
    #[serde(alias = "Tangent")]
    Tangent,
    #[serde(alias = "Impact")]
    Impact,
    #[serde(alias = "ActionItems")]
    ActionItems,
}

impl BeatKind {
    pub const ALL: [BeatKind; 8] = [
        BeatKind::Opening,
        BeatKind::FingerPointing,
        BeatKind::SelfBlame,
        BeatKind::Speculation,
        BeatKind::Reassurance,
        BeatKind::Tangent,
        BeatKind::Impact,
        BeatKind::ActionItems,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BeatKind::Opening => "opening",
            BeatKind::FingerPointing => "finger_pointing",
            BeatKind::SelfBlame => "self_blame",
            BeatKind::Speculation => "speculation",
            BeatKind::Reassurance => "reassurance",
            BeatKind::Tangent => "tangent",
            BeatKind::Impact => "impact",
            BeatKind::ActionItems => "action_items",
        }
    }

    /// The situation in a few words, for help and scorecards.
    pub fn situation(self) -> &'static str {
        match self {
            BeatKind::Opening => "opening the meeting",
            BeatKind::FingerPointing => "someone points a finger",
            BeatKind::SelfBlame => "someone blames themself",
            BeatKind::Speculation => "a guess stated as fact",
            BeatKind::Reassurance => "\"will this happen again?\"",
            BeatKind::Tangent => "the talk drifts off-topic",
            BeatKind::Impact => "\"how bad was it?\"",
            BeatKind::ActionItems => "\"so what are we doing about it?\"",
        }
    }
}

impl fmt::Display for BeatKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The error for a name that is not a beat kind; lists the ones that are.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown beat kind '{0}' (expected one of: {list})", list = BeatKind::ALL.map(|k| k.as_str()).join(", "))]
pub struct UnknownBeatKind(pub String);

impl FromStr for BeatKind {
    type Err = UnknownBeatKind;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let named = |name: &str| BeatKind::ALL.into_iter().find(|k| k.as_str() == name);
        // The exact snake_case name (what streams send, line after line) needs no
        // normalizing copy.
        named(s)
            .or_else(|| named(&s.trim().to_ascii_lowercase().replace(['-', ' '], "_")))
            .ok_or_else(|| UnknownBeatKind(s.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for k in BeatKind::ALL {
            assert_eq!(k.as_str().parse::<BeatKind>().unwrap(), k);
            assert_eq!(serde_json::to_string(&k).unwrap(), format!("\"{k}\""));
        }
        assert_eq!(
            "finger-pointing".parse::<BeatKind>().unwrap(),
            BeatKind::FingerPointing
        );
        assert!("blame"
            .parse::<BeatKind>()
            .unwrap_err()
            .to_string()
            .contains("finger_pointing"));
    }
}
