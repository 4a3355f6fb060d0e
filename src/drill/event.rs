//! What a drill session tells its front end: questions, graded results, overrides, records
//! to save and the end summary. Serializable, so `--jsonl` and `--json` show them as they are.

use serde::Serialize;

use crate::drill::leitner::CardRecord;
use crate::drill::mode::Mode;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Question {
    pub card: String,
    pub mode: Mode,
    /// What to do ("which term fits this definition?").
    pub ask: String,
    /// The definition, term, situation or sentence.
    pub prompt: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choices: Option<Vec<String>>,
    pub number: usize,
    pub total: usize,
    /// A missed card coming back.
    pub repeat: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answered {
    pub card: String,
    pub term: String,
    pub mode: Mode,
    pub answer: String,
    pub correct: bool,
    /// The term asked for (in reverse mode, the definition is `definition`).
    pub expected: String,
    pub note: Option<String>,
    /// How the term the learner gave differs from the right one, when they are confusable.
    pub difference: Option<String>,
    pub definition: String,
    pub example: String,
    pub typo: bool,
    pub skipped: bool,
    pub overridden: bool,
    /// The note's parts, one per line on a terminal.
    #[serde(skip)]
    pub notes: Vec<String>,
}

impl Answered {
    pub(crate) fn set_notes(&mut self, notes: Vec<String>) {
        self.note = (!notes.is_empty()).then(|| notes.join("; "));
        self.notes = notes;
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub asked: usize,
    pub correct: usize,
    pub skipped: usize,
    pub overridden: usize,
    /// Terms missed at least once (and not overridden).
    pub missed: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    Question(Question),
    Result(Answered),
    /// The last wrong verdict was overturned by `:right`.
    Overridden {
        card: String,
        term: String,
    },
    /// Save this card's new record (and the running answer streak).
    Record {
        card: String,
        record: CardRecord,
        /// What this event adds to the card's counts (an answer: one seen, maybe one right;
        /// an override: one right), so a save merges onto what another session wrote.
        seen_delta: u32,
        correct_delta: u32,
        answer_streak: u32,
    },
    Notice(String),
    End(Summary),
}
