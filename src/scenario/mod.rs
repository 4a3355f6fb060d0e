//! Scenarios: the RON files that script a rehearsal. This file owns the types (what a
//! facilitator writes), loading them from the embedded set or a path, and the hook
//! `debrief validate` calls. Semantic checks live in `check.rs`.

pub mod check;
pub mod cli;

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::beat::BeatKind;
use crate::diag::Diagnostic;
use crate::embedded;
use crate::error::{Error, Result};
use crate::evaluator::Evaluator;
use crate::ronfile::{self, Source};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub title: String,
    #[serde(default)]
    pub difficulty: Difficulty,
    pub brief: String,
    pub facts: Facts,
    /// Characters by key (`"dana"`); beats name them by that key.
    pub cast: BTreeMap<String, Character>,
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub interjections: Vec<Interjection>,
    /// Where the tension meter starts, 0..=100.
    #[serde(default = "default_tension")]
    pub tension: u8,
}

fn default_tension() -> u8 {
    30
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Difficulty {
    #[serde(alias = "Intro")]
    Intro,
    #[default]
    #[serde(alias = "Standard")]
    Standard,
    #[serde(alias = "Hard")]
    Hard,
}

impl Difficulty {
    pub fn as_str(self) -> &'static str {
        match self {
            Difficulty::Intro => "intro",
            Difficulty::Standard => "standard",
            Difficulty::Hard => "hard",
        }
    }
}

/// The facts sheet the user may cite; `:facts` prints it.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    pub started: String,
    pub resolved: String,
    pub mttr_min: u32,
    pub blast_radius: String,
    pub slo: String,
    /// `("14:02", "config push reaches production")`
    pub timeline: Vec<(String, String)>,
    /// Other figures: `("orders lost", "about 8,400")`
    #[serde(default)]
    pub figures: Vec<(String, String)>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Character {
    pub name: String,
    pub role: String,
    pub persona: Persona,
    /// Ever-sharper lines, said one by one on `Escalate`.
    #[serde(default)]
    pub escalation: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Persona {
    #[serde(alias = "Blamer")]
    Blamer,
    #[serde(alias = "SelfBlamer")]
    SelfBlamer,
    #[serde(alias = "Speculator")]
    Speculator,
    #[serde(alias = "Executive")]
    Executive,
    #[serde(alias = "Wanderer")]
    Wanderer,
    #[serde(alias = "Expert")]
    Expert,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: String,
    pub title: String,
    pub timebox_min: u32,
    pub beats: Vec<Beat>,
}

/// A character's mood; `Withdrawn` characters stop speaking and offering facts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Mood {
    #[serde(alias = "Calm")]
    Calm,
    #[serde(alias = "Open")]
    Open,
    #[serde(alias = "Tense")]
    Tense,
    #[serde(alias = "Defensive")]
    Defensive,
    #[serde(alias = "Angry")]
    Angry,
    #[serde(alias = "Withdrawn")]
    Withdrawn,
}

impl Mood {
    pub fn as_str(self) -> &'static str {
        match self {
            Mood::Calm => "calm",
            Mood::Open => "open",
            Mood::Tense => "tense",
            Mood::Defensive => "defensive",
            Mood::Angry => "angry",
            Mood::Withdrawn => "withdrawn",
        }
    }
}

/// How a `Say` picks among its line variants.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum Vary {
    /// A seeded random choice each time.
    #[default]
    Random,
    /// In order, one per visit (the last one repeats).
    Sequence,
    /// A seeded order with no repeat until every variant was said.
    Shuffle,
    /// Said on the first visit only.
    Once,
}

/// A condition on the state of the meeting.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Cond {
    Flag(String),
    NotFlag(String),
    /// `Mood("raj", Withdrawn)`
    Mood(String, Mood),
    NotMood(String, Mood),
    /// The tension meter is at least this.
    TensionAtLeast(u8),
}

/// One step of the script.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Beat {
    /// A character speaks one of `lines`. `reveals` adds a fact to the sheet when spoken.
    Say {
        who: String,
        lines: Vec<String>,
        #[serde(default)]
        vary: Vary,
        #[serde(default)]
        when: Option<Cond>,
        #[serde(default)]
        reveals: Option<String>,
        #[serde(skip)]
        uid: usize,
    },
    /// The user speaks, answering a moment of this kind (None: the floor is open).
    Turn {
        after: Option<BeatKind>,
        #[serde(default)]
        when: Option<Cond>,
        /// Minutes the room spends on this moment besides the user's own words.
        #[serde(default)]
        takes_min: Option<f32>,
        #[serde(default)]
        on_pass: Vec<Beat>,
        #[serde(default)]
        on_fail: Vec<Beat>,
    },
    /// A character's mood changes.
    Mood {
        who: String,
        to: Mood,
    },
    /// A character says the next line of their escalation ladder; tension rises.
    Escalate {
        who: String,
    },
    /// The tension meter moves by this much (negative calms the room).
    Tension(i32),
    /// The room spends this many minutes (on a tangent, an argument...).
    Spend {
        min: f32,
        why: String,
    },
    /// A line of narration.
    Narrate(String),
    Set(String),
    Clear(String),
    /// Run these beats only when the condition holds.
    If {
        when: Cond,
        then: Vec<Beat>,
        #[serde(default, rename = "else")]
        otherwise: Vec<Beat>,
    },
    /// Continue at the start of the phase with this id.
    Jump(String),
    /// The meeting ends here.
    End,
}

/// A line said out of turn: on a keyword in the user's answer, or when the phase runs low.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interjection {
    pub who: String,
    pub when: Trigger,
    pub lines: Vec<String>,
    /// Only in these phases (empty: any).
    #[serde(default)]
    pub phases: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub enum Trigger {
    /// The user's answer mentions one of these words (case-insensitive).
    Mentions(Vec<String>),
    /// At most this many minutes are left in the current phase's timebox.
    TimeLeftInPhase { min: f32 },
}

impl Scenario {
    /// The beat kinds the user's turns answer, in the order of `BeatKind::ALL`.
    pub fn beat_kinds(&self) -> Vec<BeatKind> {
        fn walk(beats: &[Beat], out: &mut Vec<BeatKind>) {
            for b in beats {
                match b {
                    Beat::Turn {
                        after,
                        on_pass,
                        on_fail,
                        ..
                    } => {
                        out.extend(*after);
                        walk(on_pass, out);
                        walk(on_fail, out);
                    }
                    Beat::If {
                        then, otherwise, ..
                    } => {
                        walk(then, out);
                        walk(otherwise, out);
                    }
                    _ => {}
                }
            }
        }
        let mut kinds = Vec::new();
        for p in &self.phases {
            walk(&p.beats, &mut kinds);
        }
        BeatKind::ALL
            .into_iter()
            .filter(|k| kinds.contains(k))
            .collect()
    }

    /// Moments every run meets: unconditional top-level turns that call for a move. A meeting
    /// ended early is scored against at least this many.
    pub fn expected_moves(&self) -> u32 {
        let n = self
            .phases
            .iter()
            .flat_map(|p| &p.beats)
            .filter(|b| {
                matches!(
                    b,
                    Beat::Turn {
                        after: Some(_),
                        when: None,
                        ..
                    }
                )
            })
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    pub fn planned_s(&self) -> u32 {
        self.phases.iter().map(|p| p.timebox_min * 60).sum()
    }

    pub fn phase_index(&self, id: &str) -> Option<usize> {
        self.phases.iter().position(|p| p.id == id)
    }

    /// Number every `Say` so the session can count visits (sequence/shuffle/once).
    fn number_beats(&mut self) {
        fn walk(beats: &mut [Beat], next: &mut usize) {
            for b in beats {
                match b {
                    Beat::Say { uid, .. } => {
                        *uid = *next;
                        *next += 1;
                    }
                    Beat::Turn {
                        on_pass, on_fail, ..
                    } => {
                        walk(on_pass, next);
                        walk(on_fail, next);
                    }
                    Beat::If {
                        then, otherwise, ..
                    } => {
                        walk(then, next);
                        walk(otherwise, next);
                    }
                    _ => {}
                }
            }
        }
        let mut next = 0;
        for p in &mut self.phases {
            walk(&mut p.beats, &mut next);
        }
    }
}

/// Parse and check one scenario; every problem with its place.
pub fn load(source: &Source) -> Result<Scenario, Vec<Diagnostic>> {
    let mut scenario: Scenario = ronfile::parse(source).map_err(|d| vec![at_field(source, d)])?;
    let problems = check::check(&scenario, source);
    if !problems.is_empty() {
        return Err(problems);
    }
    scenario.number_beats();
    Ok(scenario)
}

/// RON reports an unknown field or variant just after its name; point at the name itself.
fn at_field(source: &Source, d: Diagnostic) -> Diagnostic {
    let Some(name) = d
        .message
        .strip_prefix("unexpected field named `")
        .or_else(|| d.message.strip_prefix("unexpected variant named `"))
        .and_then(|rest| rest.split('`').next())
    else {
        return d;
    };
    let end = crate::diag::offset_of(&source.text, d.line, d.col);
    match source.text[..end].rfind(name) {
        Some(start) => Diagnostic::at(
            &source.path,
            &source.text,
            start..start + name.len(),
            d.message,
        ),
        None => d,
    }
}

/// Every problem in one scenario file.
/// With an evaluator, also: every moment the scenario asks for has a move the phrasebank can
/// judge (a custom `--phrasebank` may lack one).
pub fn validate_source(source: &Source, evaluator: Option<&Evaluator>) -> Vec<Diagnostic> {
    let scenario = match load(source) {
        Ok(s) => s,
        Err(problems) => return problems,
    };
    let Some(evaluator) = evaluator else {
        return Vec::new();
    };
    scenario
        .beat_kinds()
        .into_iter()
        .filter(|k| evaluator.phrasebank().move_spec(*k).is_none())
        .map(|k| {
            let name = format!("{k:?}");
            let at = source.text.find(&format!("after: {name}")).unwrap_or(0);
            source.diag_at(
                &name,
                at,
                format!("the phrasebank has no move for '{k}', so these answers cannot be judged"),
            )
        })
        .collect()
}

/// Every built-in scenario, parsed and checked, in file-name order.
pub fn builtin() -> Result<Vec<Scenario>> {
    let mut all = Vec::new();
    let mut problems = Vec::new();
    for (path, text) in embedded::files_under("scenarios/") {
        match load(&Source::new(path, text)) {
            Ok(s) => all.push(s),
            Err(d) => problems.extend(d),
        }
    }
    if problems.is_empty() {
        Ok(all)
    } else {
        Err(Error::Invalid(problems))
    }
}

/// A scenario by built-in id, or by path to a `.ron` file (the default: the first built-in).
pub fn resolve(which: Option<&str>) -> Result<Scenario> {
    let all = builtin()?;
    let Some(which) = which else {
        return all
            .into_iter()
            .next()
            .ok_or_else(|| Error::Other("no built-in scenarios".into()));
    };
    if let Some(s) = all.iter().find(|s| s.id == which) {
        return Ok(s.clone());
    }
    let path = Path::new(which);
    if path.exists() || which.ends_with(".ron") {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        return load(&Source::new(which, text)).map_err(Error::Invalid);
    }
    let ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    Err(Error::Usage(format!(
        "unknown scenario '{which}' (built-in: {}; or give a path to a .ron file)",
        ids.join(", ")
    )))
}
