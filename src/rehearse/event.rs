//! The closed vocabulary between the session and its shells: `Command`s in, `Event`s out.
//! Events serialize as the `--jsonl` machine interface (one object per line, `type` first).

use serde::Serialize;

use super::scorecard::Scorecard;
use crate::beat::BeatKind;
use crate::evaluator::{Finding, MoveVerdict, Scores};

/// What the user (or a bot) does next.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// An answer to the pending turn; `elapsed_s` is the wall time it took (`--realtime`).
    Answer {
        text: String,
        elapsed_s: Option<u32>,
    },
    Help,
    Facts,
    Agenda,
    Time,
    Hint,
    Why,
    /// Let the moment pass without a word (counts as a missed move).
    Skip,
    /// End the meeting now (also Ctrl-C / Ctrl-D / end of input).
    Quit,
}

/// The `:` commands, for help and tab completion.
pub const COMMANDS: [(&str, &str); 8] = [
    (":help", "list these commands"),
    (
        ":facts",
        "the facts sheet: timeline, blast radius, MTTR, SLO",
    ),
    (":agenda", "the phases and their timeboxes"),
    (":time", "the meeting clock"),
    (":hint", "what a good facilitator does at this moment"),
    (":why", "the reasons behind the last verdict"),
    (":skip", "let this moment pass (counts as a missed move)"),
    (":quit", "end the meeting now; the scorecard is still saved"),
];

impl Command {
    /// A line as typed: `:` commands, else an answer. `Err` names an unknown command.
    pub fn parse(line: &str) -> Result<Command, String> {
        let t = line.trim();
        let Some(cmd) = t.strip_prefix(':') else {
            return Ok(Command::Answer {
                text: t.to_string(),
                elapsed_s: None,
            });
        };
        Ok(match cmd.trim().to_ascii_lowercase().as_str() {
            "help" | "h" | "?" => Command::Help,
            "facts" | "f" => Command::Facts,
            "agenda" | "a" => Command::Agenda,
            "time" | "t" => Command::Time,
            "hint" => Command::Hint,
            "why" | "w" => Command::Why,
            "skip" | "s" => Command::Skip,
            "quit" | "q" | "exit" => Command::Quit,
            other => return Err(format!("unknown command ':{other}' (try :help)")),
        })
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct CastMember {
    pub who: String,
    pub name: String,
    pub role: String,
    pub persona: crate::scenario::Persona,
}

#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    pub id: String,
    pub title: String,
    pub timebox_s: u32,
    /// Seconds spent so far (0 for phases not reached).
    pub spent_s: u32,
    pub state: PhaseState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PhaseState {
    Done,
    Current,
    Upcoming,
}

#[derive(Debug, Clone, Serialize)]
pub struct FactSheet {
    pub started: String,
    pub resolved: String,
    pub mttr_min: u32,
    pub blast_radius: String,
    pub slo: String,
    pub timeline: Vec<(String, String)>,
    pub figures: Vec<(String, String)>,
    /// Facts people offered during the meeting (a withdrawn character offers none).
    pub offered: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    Start {
        scenario: String,
        title: String,
        seed: u64,
        brief: String,
        cast: Vec<CastMember>,
        agenda: Vec<AgendaItem>,
        tension: u8,
    },
    Phase {
        id: String,
        title: String,
        timebox_s: u32,
        /// Seconds taken from this phase by earlier overruns.
        squeezed_s: u32,
    },
    Say {
        who: String,
        name: String,
        role: String,
        text: String,
        /// An escalation-ladder line or an interjection, rather than a scripted beat.
        #[serde(skip_serializing_if = "Option::is_none")]
        cue: Option<&'static str>,
    },
    Narrate {
        text: String,
    },
    /// The next input line answers this moment (`after` is null when the floor is open).
    Await {
        after: Option<BeatKind>,
        phase: String,
        time_left_s: i64,
        tension: u8,
    },
    Feedback {
        after: Option<BeatKind>,
        pass: bool,
        skipped: bool,
        scores: Scores,
        #[serde(rename = "move")]
        move_verdict: Option<MoveVerdict>,
        findings: Vec<Finding>,
        cost_s: u32,
    },
    Mood {
        who: String,
        name: String,
        mood: crate::scenario::Mood,
    },
    Tension {
        value: u8,
        delta: i32,
    },
    /// The room spent time on something (a tangent, an argument).
    Spend {
        seconds: u32,
        why: String,
    },
    Overrun {
        phase: String,
        title: String,
        by_s: u32,
    },
    Facts {
        facts: FactSheet,
    },
    Agenda {
        agenda: Vec<AgendaItem>,
    },
    Time {
        elapsed_s: u32,
        planned_s: u32,
        phase: String,
        phase_left_s: i64,
    },
    Hint {
        after: Option<BeatKind>,
        expected: String,
        hint: String,
        example: String,
    },
    Why {
        text: Vec<String>,
    },
    Help {
        commands: Vec<(String, String)>,
    },
    /// A command that does not fit the moment (or an unknown one).
    Notice {
        text: String,
    },
    End {
        completed: bool,
        scorecard: Scorecard,
    },
}
