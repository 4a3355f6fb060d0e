//! The meeting as a pure state machine: `Session::step(Command) -> Vec<Event>`. It walks the
//! scenario's beats, picks line variants with a seeded RNG, keeps a simulated clock (speaking
//! time at about 150 words a minute, with a floor per turn), judges answers with the
//! evaluator and applies the consequences: moods, escalation, tension, flags, overruns that
//! squeeze later phases. No I/O, no wall clock: `--realtime` passes elapsed time in.
//!
//! This file holds the state and judges answers; `script.rs` runs the beats (variants,
//! moods, escalation, flags, jumps); `clock.rs` keeps phase time (overruns,
//! squeezes, interjections when time runs low or on a keyword); `consult.rs` answers the
//! `:` commands that only read the state (facts, agenda, hint, why).

mod clock;
mod consult;
mod script;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

use super::event::{CastMember, Command, Event, COMMANDS};
use super::scorecard::{self, DimScores, PhaseTime, Scorecard, Time, TurnRecord};
use crate::beat::BeatKind;
use crate::evaluator::{Evaluation, Evaluator, MoveVerdict, Scores};
use crate::prose;
use crate::scenario::{Beat, Mood, Scenario};
use crate::style::PASS;

/// Speaking rate of the simulated clock.
const WORDS_PER_MIN: u32 = 150;
/// The least a character's line costs, in seconds.
const LINE_FLOOR_S: u32 = 4;
/// The least an answer costs: nobody answers in no time.
const ANSWER_FLOOR_S: u32 = 10;
/// The room's own discussion around a moment when the scenario does not say.
const DEFAULT_TAKES_S: u32 = 60;
/// A squeezed phase keeps at least this much of its timebox.
const SQUEEZE_FLOOR_S: u32 = 60;
/// A guard against scripts that jump in circles.
const MAX_JUMPS: u32 = 50;
const TENSION_PASS: i32 = -8;
const TENSION_FAIL: i32 = 12;
const TENSION_ESCALATE: i32 = 10;

struct Frame {
    beats: Vec<Beat>,
    at: usize,
}

struct Pending {
    after: Option<BeatKind>,
    takes_s: u32,
    on_pass: Vec<Beat>,
    on_fail: Vec<Beat>,
}

/// One line of the transcript, as saved.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Line {
    pub t_s: u32,
    pub phase: String,
    /// A cast key, `"you"`, or `"narrator"`.
    pub who: String,
    /// The speaker's name as shown ("You" for the user, empty for narration).
    #[serde(default)]
    pub name: String,
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub after: Option<BeatKind>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub scores: Option<DimScores>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pass: Option<bool>,
}

pub struct Session {
    scenario: Arc<Scenario>,
    /// Set before the first `step`; `start` does not need it, so a shell can build the
    /// evaluator while the brief is on screen.
    evaluator: Option<Arc<Evaluator>>,
    seed: u64,
    rng: StdRng,
    phase: usize,
    frames: Vec<Frame>,
    pending: Option<Pending>,
    clock_s: u32,
    phase_start_s: u32,
    spent: Vec<u32>,
    squeezed: Vec<u32>,
    visited: Vec<bool>,
    moods: BTreeMap<String, Mood>,
    ladder: BTreeMap<String, usize>,
    flags: BTreeSet<String>,
    tension: u8,
    visits: HashMap<usize, usize>,
    orders: HashMap<usize, Vec<usize>>,
    jumps: u32,
    fired: BTreeSet<(usize, usize)>,
    offered: Vec<String>,
    last: Option<(String, Evaluation)>,
    turns: Vec<TurnRecord>,
    transcript: Vec<Line>,
    ended: Option<Scorecard>,
}

impl Session {
    pub fn new(scenario: Arc<Scenario>, seed: u64) -> Self {
        let n = scenario.phases.len();
        let moods = scenario
            .cast
            .keys()
            .map(|k| (k.clone(), Mood::Calm))
            .collect();
        let tension = scenario.tension.min(100);
        Session {
            scenario,
            evaluator: None,
            seed,
            rng: StdRng::seed_from_u64(seed),
            phase: 0,
            frames: Vec::new(),
            pending: None,
            clock_s: 0,
            phase_start_s: 0,
            spent: vec![0; n],
            squeezed: vec![0; n],
            visited: vec![false; n],
            moods,
            ladder: BTreeMap::new(),
            flags: BTreeSet::new(),
            tension,
            visits: HashMap::new(),
            orders: HashMap::new(),
            jumps: 0,
            fired: BTreeSet::new(),
            offered: Vec::new(),
            last: None,
            turns: Vec::new(),
            transcript: Vec::new(),
            ended: None,
        }
    }

    /// The judge of answers; needed before the first `step`.
    pub fn set_evaluator(&mut self, evaluator: Arc<Evaluator>) {
        self.evaluator = Some(evaluator);
    }

    pub fn with_evaluator(mut self, evaluator: Arc<Evaluator>) -> Self {
        self.evaluator = Some(evaluator);
        self
    }

    pub fn has_evaluator(&self) -> bool {
        self.evaluator.is_some()
    }

    fn judge(&self) -> Arc<Evaluator> {
        // Shells set it before stepping (see `step`); an absent one is a programming error.
        Arc::clone(self.evaluator.as_ref().expect("set_evaluator before step"))
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn transcript(&self) -> &[Line] {
        &self.transcript
    }

    pub fn turns(&self) -> &[TurnRecord] {
        &self.turns
    }

    /// The scorecard once the meeting is over.
    pub fn scorecard(&self) -> Option<&Scorecard> {
        self.ended.as_ref()
    }

    pub fn is_over(&self) -> bool {
        self.ended.is_some()
    }

    /// The beat kind the pending turn answers (`Some(None)`: the floor is open).
    pub fn awaiting(&self) -> Option<Option<BeatKind>> {
        self.pending.as_ref().map(|p| p.after)
    }

    pub fn phase_title(&self) -> &str {
        &self.scenario.phases[self.phase].title
    }

    pub fn tension(&self) -> u8 {
        self.tension
    }

    /// Seconds left in the current phase's (squeezed) timebox; negative when over.
    pub fn phase_left_s(&self) -> i64 {
        i64::from(self.timebox_s(self.phase)) - i64::from(self.clock_s - self.phase_start_s)
    }

    /// The brief, the cast, the agenda, then the meeting up to the first turn.
    pub fn start(&mut self) -> Vec<Event> {
        let s = Arc::clone(&self.scenario);
        let mut out = vec![Event::Start {
            scenario: s.id.clone(),
            title: s.title.clone(),
            seed: self.seed,
            brief: s.brief.clone(),
            cast: s
                .cast
                .iter()
                .map(|(k, c)| CastMember {
                    who: k.clone(),
                    name: c.name.clone(),
                    role: c.role.clone(),
                    persona: c.persona,
                })
                .collect(),
            agenda: self.agenda(),
            tension: self.tension,
        }];
        self.enter_phase(0, &mut out);
        self.run(&mut out);
        out
    }

    pub fn step(&mut self, command: Command) -> Vec<Event> {
        let mut out = Vec::new();
        if self.ended.is_some() {
            out.push(notice(prose::REHEARSE_OVER));
            return out;
        }
        if self.evaluator.is_none() {
            out.push(notice(
                "nobody is judging yet: set the evaluator before the first step",
            ));
            return out;
        }
        match command {
            Command::Answer { text, elapsed_s } => {
                if text.trim().is_empty() {
                    out.push(notice(prose::REHEARSE_EMPTY_ANSWER));
                } else if let Some(p) = self.pending.take() {
                    self.answer(p, text, elapsed_s, &mut out);
                    self.run(&mut out);
                } else {
                    out.push(notice(prose::REHEARSE_NOT_ASKED));
                }
            }
            Command::Skip => match self.pending.take() {
                Some(p) => {
                    self.skip(p, &mut out);
                    self.run(&mut out);
                }
                None => out.push(notice(prose::REHEARSE_NOTHING_TO_SKIP)),
            },
            Command::Quit => self.end(false, &mut out),
            Command::Help => out.push(Event::Help {
                commands: COMMANDS
                    .iter()
                    .map(|(c, h)| (c.to_string(), h.to_string()))
                    .collect(),
            }),
            Command::Facts => out.push(Event::Facts {
                facts: self.facts(),
            }),
            Command::Agenda => out.push(Event::Agenda {
                agenda: self.agenda(),
            }),
            Command::Time => out.push(Event::Time {
                elapsed_s: self.clock_s,
                planned_s: self.scenario.planned_s(),
                phase: self.scenario.phases[self.phase].id.clone(),
                phase_left_s: self.phase_left_s(),
            }),
            Command::Hint => out.push(self.hint()),
            Command::Why => out.push(self.why()),
        }
        // A command answered while a turn waits: say again that the next line answers it.
        if let (Some(p), false) = (
            &self.pending,
            out.iter().any(|e| matches!(e, Event::Await { .. })),
        ) {
            out.push(Event::Await {
                after: p.after,
                phase: self.phase_id(),
                time_left_s: self.phase_left_s(),
                tension: self.tension,
            });
        }
        out
    }

    fn answer(&mut self, p: Pending, text: String, elapsed_s: Option<u32>, out: &mut Vec<Event>) {
        let e = self.judge().evaluate(&text, p.after);
        let met = e.move_verdict.as_ref().map(|m| m.met);
        let pass =
            met.unwrap_or(true) && e.scores.blamelessness >= PASS && e.scores.concision >= PASS;
        let speaking = elapsed_s.unwrap_or_else(|| speaking_s(&text, ANSWER_FLOOR_S));
        let cost = speaking + p.takes_s;
        let scores = DimScores::from(e.scores);
        self.transcript.push(Line {
            t_s: self.clock_s,
            phase: self.phase_id(),
            who: "you".into(),
            name: "You".into(),
            text: text.clone(),
            after: p.after,
            scores: Some(scores),
            pass: Some(pass),
        });
        self.turns.push(TurnRecord {
            phase: self.phase_id(),
            after: p.after,
            text: text.clone(),
            skipped: false,
            pass,
            scores,
            met,
            problems: e
                .problems()
                .map(|f| {
                    (
                        f.rule.to_string(),
                        f.message.to_string(),
                        f.suggestion.to_string(),
                    )
                })
                .collect(),
        });
        out.push(Event::Feedback {
            after: p.after,
            pass,
            skipped: false,
            scores: e.scores,
            move_verdict: e.move_verdict.clone(),
            findings: e.findings.clone(),
            cost_s: cost,
        });
        self.last = Some((text.clone(), e));
        self.tick(cost, out);
        self.adjust_tension(if pass { TENSION_PASS } else { TENSION_FAIL }, out);
        self.mentions(&text, out);
        let branch = if pass { p.on_pass } else { p.on_fail };
        self.push_frame(branch);
    }

    fn skip(&mut self, p: Pending, out: &mut Vec<Event>) {
        let cost = 5 + p.takes_s;
        let move_verdict = p.after.map(|kind| MoveVerdict {
            kind,
            met: false,
            missing: vec![prose::REHEARSE_SKIPPED.into()],
            could_add: Vec::new(),
            expected: self
                .judge()
                .phrasebank()
                .move_spec(kind)
                .map(|s| s.expected.clone())
                .unwrap_or_default(),
        });
        self.turns.push(TurnRecord {
            phase: self.phase_id(),
            after: p.after,
            text: String::new(),
            skipped: true,
            pass: false,
            scores: DimScores::default(),
            met: p.after.map(|_| false),
            problems: Vec::new(),
        });
        self.transcript.push(Line {
            t_s: self.clock_s,
            phase: self.phase_id(),
            who: "you".into(),
            name: "You".into(),
            text: prose::REHEARSE_SILENCE.into(),
            after: p.after,
            scores: None,
            pass: Some(false),
        });
        out.push(Event::Feedback {
            after: p.after,
            pass: false,
            skipped: true,
            scores: Scores {
                blamelessness: 0,
                data: 0,
                concision: 0,
            },
            move_verdict,
            findings: Vec::new(),
            cost_s: cost,
        });
        self.tick(cost, out);
        self.adjust_tension(TENSION_FAIL, out);
        self.push_frame(p.on_fail);
    }

    fn phase_id(&self) -> String {
        self.scenario.phases[self.phase].id.clone()
    }

    fn end(&mut self, completed: bool, out: &mut Vec<Event>) {
        if self.ended.is_some() {
            return;
        }
        if !completed || !self.frames.is_empty() || self.pending.is_some() {
            self.leave_phase(out);
        }
        self.pending = None;
        self.frames.clear();
        let phases = self
            .scenario
            .phases
            .iter()
            .enumerate()
            .filter(|(i, _)| self.visited[*i])
            .map(|(i, p)| {
                let timebox_s = self.timebox_s(i);
                PhaseTime {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    timebox_s,
                    spent_s: self.spent[i],
                    over_s: self.spent[i].saturating_sub(timebox_s),
                }
            })
            .collect();
        let withdrawn = self
            .moods
            .iter()
            .filter(|(_, m)| **m == Mood::Withdrawn)
            .map(|(k, _)| self.scenario.cast[k].name.clone())
            .collect();
        let judge = self.evaluator.clone();
        let card = scorecard::build(scorecard::Inputs {
            scenario: &self.scenario.id,
            title: &self.scenario.title,
            seed: self.seed,
            completed,
            turns: &self.turns,
            time: Time {
                elapsed_s: self.clock_s,
                planned_s: self.scenario.planned_s(),
                phases,
            },
            tension: self.tension,
            withdrawn,
            bank: judge.as_deref().map(Evaluator::phrasebank),
            expected_moves: self.scenario.expected_moves(),
        });
        self.ended = Some(card.clone());
        out.push(Event::End {
            completed,
            scorecard: card,
        });
    }
}

fn notice(text: &str) -> Event {
    Event::Notice { text: text.into() }
}

/// Seconds it takes to say `text` at the simulated speaking rate, at least `floor`.
pub fn speaking_s(text: &str, floor: u32) -> u32 {
    let words = text.split_whitespace().count() as u32;
    (words * 60).div_ceil(WORDS_PER_MIN).max(floor)
}

/// `word` appears in `text` on word boundaries (both already lowercase).
fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}
