//! What a drill session is asked to do (`Mode`, `Options`) and what the learner can do at a
//! question (`Command`, parsed from a line: `:skip`, `:right`, `:quit`, or an answer).

use std::fmt;
use std::str::FromStr;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Definition shown, type the term.
    Recall,
    /// Term shown, choose the definition.
    Reverse,
    /// Definition shown, choose the term among near misses.
    Choice,
    /// A situation shown, name the concept it calls for.
    Apply,
    /// A sentence that misuses a term: which one?
    Misuse,
    /// A mix of all of the above.
    Mixed,
}

impl Mode {
    pub const NAMES: &'static str = "recall, reverse, choice, apply, misuse or mixed";
}

impl FromStr for Mode {
    type Err = String;
    fn from_str(s: &str) -> Result<Mode, String> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "recall" => Mode::Recall,
            "reverse" => Mode::Reverse,
            "choice" => Mode::Choice,
            "apply" => Mode::Apply,
            "misuse" => Mode::Misuse,
            "mixed" => Mode::Mixed,
            _ => {
                return Err(format!(
                    "unknown drill mode '{s}' (expected {})",
                    Mode::NAMES
                ))
            }
        })
    }
}

impl fmt::Display for Mode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self {
            Mode::Recall => "recall",
            Mode::Reverse => "reverse",
            Mode::Choice => "choice",
            Mode::Apply => "apply",
            Mode::Misuse => "misuse",
            Mode::Mixed => "mixed",
        };
        f.write_str(name)
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    pub mode: Mode,
    pub count: usize,
    pub seed: u64,
}

/// What the learner can do at a question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Answer(String),
    /// Show the answer without grading (no progress change).
    Skip,
    /// "I was right": overturn the last wrong verdict.
    Right,
    Quit,
}

impl Command {
    /// `:skip`, `:right` (or `:override`), `:quit`; anything else is an answer.
    pub fn parse(line: &str) -> Command {
        match line.trim() {
            ":skip" | ":s" => Command::Skip,
            ":right" | ":override" | ":r" => Command::Right,
            ":quit" | ":q" | ":exit" => Command::Quit,
            other => Command::Answer(other.to_string()),
        }
    }
}
