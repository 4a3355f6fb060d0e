//! Context and scoring settings: the negation cues, scope terminators and score arithmetic. Data,
//! so tuning the evaluator's reading of context needs no code change.

use serde::{Deserialize, Serialize};

/// NegEx-style cues. All lowercase; multi-word cues are matched as word sequences.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextSettings {
    /// Cues before a match that cancel it ("not", "nobody", "set aside").
    pub negation: Vec<String>,
    /// Cues right after a match that cancel it ("... is not the answer").
    pub post_negation: Vec<String>,
    /// Look-alikes that are not negation ("not only", "no doubt").
    pub pseudo_negation: Vec<String>,
    /// Words that end a negation's scope ("but", "however").
    pub terminators: Vec<String>,
    /// How many words before a match a negation cue reaches.
    pub window: usize,
    /// How many words after a match a post-negation cue may start.
    pub post_window: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scoring {
    /// A score at or above this passes.
    pub pass: u8,
    pub blamelessness: DimensionScoring,
    pub data: DimensionScoring,
    pub concision: ConcisionScoring,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DimensionScoring {
    /// The score of a response with no findings on this dimension.
    pub base: u32,
    /// Credits add at most this much in all.
    pub credit_cap: u32,
    /// Credits inside a sentence with a blame penalty of at least this weight do not count
    /// (a figure used to accuse someone is not evidence about the system); 0 turns it off.
    #[serde(default)]
    pub void_credits_near_blame: u32,
    /// Credit rules that count even in such a sentence: a record cited by name or a
    /// timestamp ("the audit log shows the purge ran at 02:14") is evidence whoever it
    /// is aimed at, where a count of someone's failures ("broke it three times") is not.
    #[serde(default)]
    pub kept_near_blame: Vec<String>,
    /// Credits do not count at all once a single penalty of at least this weight is found
    /// (a kind word does not undo an accusation); 0 turns it off.
    #[serde(default)]
    pub credits_void_at: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConcisionScoring {
    pub base: u32,
    /// Words a response may use before length costs anything.
    pub free_words: usize,
    /// Points per word past `free_words`.
    pub per_extra_word: f32,
    /// A sentence longer than this is a run-on.
    pub run_on_words: usize,
    /// A content word used this often in one sentence is repetition.
    pub repeat_times: usize,
    /// Filler density: at least this many filler or hedge matches...
    pub density_min: usize,
    /// ...and at least one per this many words.
    pub density_words: usize,
    /// Across the whole response: one word (with its -s/-ed/-ing forms) said this often...
    /// (0 turns the measure off)
    #[serde(default)]
    pub echo_times: usize,
    /// ...and at least once per this many words is an idea said over and over.
    #[serde(default)]
    pub echo_words: usize,
    /// A sentence cut into this many comma pieces or more is rambling (0 turns it off).
    #[serde(default)]
    pub fragment_commas: usize,
}
