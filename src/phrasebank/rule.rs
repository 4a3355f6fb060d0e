//! One phrasebank rule: what it matches, what it means, how to say it better, and the examples
//! that prove it (each example is a test).

use serde::{Deserialize, Serialize};

/// The quality a rule speaks to. `Move` rules carry only signals for the move verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    #[serde(alias = "Blamelessness")]
    Blamelessness,
    #[serde(alias = "Data")]
    Data,
    #[serde(alias = "Concision")]
    Concision,
    #[serde(alias = "Move")]
    Move,
}

impl Dimension {
    pub fn as_str(self) -> &'static str {
        match self {
            Dimension::Blamelessness => "blamelessness",
            Dimension::Data => "data",
            Dimension::Concision => "concision",
            Dimension::Move => "move",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    #[serde(alias = "Penalty")]
    Penalty,
    #[serde(alias = "Credit")]
    Credit,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Penalty => "penalty",
            Polarity::Credit => "credit",
        }
    }
}

/// Rules whose finding is computed from the shape of the text rather than matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Measure {
    /// The whole response is longer than the scoring's `free_words`.
    Length,
    /// One sentence runs past the scoring's `run_on_words`.
    RunOn,
    /// One sentence holds the scoring's `fragment_commas` commas or more: asides and
    /// afterthoughts strung together ("well, I mean, honestly, it's, you know, ...").
    Fragmented,
    /// The same content words come back again and again.
    Repetition,
    /// One word (and its -s, -ed, -ing forms) comes back across the whole response, often
    /// enough to be the response's main content: saying one thing over and over.
    Echo,
    /// Filler and hedges are dense: at least `density_min` of them, and one per
    /// `density_words` words or more.
    Density,
}

/// A pattern that voids a match it overlaps, with the reason it is not the rule's case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exception {
    pub pattern: String,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Texts in which the rule must find something.
    pub matches: Vec<String>,
    /// Texts in which it must find nothing.
    pub no_match: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub dimension: Dimension,
    pub polarity: Polarity,
    /// Points taken or given per finding; 0 for signal-only rules.
    #[serde(default)]
    pub weight: u32,
    /// Literal phrases, matched on whole words, ignoring ASCII case.
    #[serde(default)]
    pub phrases: Vec<String>,
    /// Regular expressions over the lowercased text; `{name}` expands a lexicon entry.
    #[serde(default)]
    pub patterns: Vec<String>,
    /// Run the patterns over the text as written, so capitals count (a name mid-sentence).
    #[serde(default)]
    pub case_sensitive: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub measure: Option<Measure>,
    #[serde(default)]
    pub exceptions: Vec<Exception>,
    /// Whether a negation before the match ("not", "nobody", "set aside") cancels it.
    #[serde(default)]
    pub negatable: bool,
    /// Whether the rule also fires inside quotes (a mention is not the speaker's claim).
    #[serde(default)]
    pub in_quotes: bool,
    /// Names the move verdict reads (e.g. "redirect", "owner", "guarantee").
    #[serde(default)]
    pub signals: Vec<String>,
    pub message: String,
    pub rationale: String,
    #[serde(default)]
    pub suggestion: String,
    pub examples: Examples,
}
