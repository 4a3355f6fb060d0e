//! The meeting as a pure state machine: `Session::step(Command) -> Vec<Event>`. It walks the
//! scenario's beats, picks line variants with a seeded RNG, keeps a simulated clock (speaking
//! time at about 150 words a minute, with a floor per turn), judges answers with the
//! evaluator and applies the consequences: moods, escalation, tension, flags, overruns that
//! squeeze later phases. No I/O, no wall clock: `--realtime` passes elapsed time in.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use super::event::{AgendaItem, CastMember, Command, Event, FactSheet, PhaseState, COMMANDS};
use super::scorecard::{self, DimScores, PhaseTime, Scorecard, Time, TurnRecord};
use crate::beat::BeatKind;
use crate::evaluator::{Evaluation, Evaluator, MoveVerdict, Scores};
use crate::prose;
use crate::scenario::{Beat, Cond, Mood, Scenario, Trigger, Vary};
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

    fn hint(&self) -> Event {
        let after = self.pending.as_ref().and_then(|p| p.after);
        match after.and_then(|k| self.judge().phrasebank().move_spec(k).cloned()) {
            Some(spec) => Event::Hint {
                after,
                expected: spec.expected.clone(),
                hint: spec.hint.clone(),
                example: spec.example.clone(),
            },
            None => Event::Hint {
                after,
                expected: prose::REHEARSE_OPEN_FLOOR_MOVE.into(),
                hint: prose::REHEARSE_OPEN_FLOOR_HINT.into(),
                example: prose::REHEARSE_OPEN_FLOOR_EXAMPLE.into(),
            },
        }
    }

    fn why(&self) -> Event {
        let Some((answer, e)) = &self.last else {
            return Event::Why {
                text: vec!["no answer judged yet".into()],
            };
        };
        let mut text = Vec::new();
        if let Some(m) = &e.move_verdict {
            let state = if m.met { "made" } else { "missed" };
            text.push(format!("move {state}: {}", m.expected));
            text.extend(m.missing.iter().map(|s| format!("  missing: {s}")));
            text.extend(m.could_add.iter().map(|s| format!("  could add: {s}")));
        }
        for f in &e.findings {
            let quote = crate::style::excerpt(answer, f.span(), 40);
            let sign = match f.polarity {
                crate::phrasebank::Polarity::Penalty => "-",
                crate::phrasebank::Polarity::Credit => "+",
            };
            let mut line = format!("{sign} [{}] {}", f.rule, f.message);
            if !quote.is_empty() {
                line.push_str(&format!(" (\"{quote}\")"));
            }
            text.push(line);
            if f.polarity == crate::phrasebank::Polarity::Penalty && !f.suggestion.is_empty() {
                text.push(format!("    instead: {}", f.suggestion));
            }
        }
        if text.is_empty() {
            text.push(prose::SCORE_NOTHING_FOUND.into());
        }
        Event::Why { text }
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

    fn push_frame(&mut self, beats: Vec<Beat>) {
        if !beats.is_empty() {
            self.frames.push(Frame { beats, at: 0 });
        }
    }

    /// Execute beats until a turn waits for the user or the meeting ends.
    fn run(&mut self, out: &mut Vec<Event>) {
        while self.pending.is_none() && self.ended.is_none() {
            let Some(frame) = self.frames.last_mut() else {
                let next = self.phase + 1;
                self.leave_phase(out);
                if next < self.scenario.phases.len() {
                    self.enter_phase(next, out);
                    continue;
                }
                self.end(true, out);
                return;
            };
            let Some(beat) = frame.beats.get(frame.at).cloned() else {
                self.frames.pop();
                continue;
            };
            frame.at += 1;
            self.exec(beat, out);
        }
    }

    fn exec(&mut self, beat: Beat, out: &mut Vec<Event>) {
        match beat {
            Beat::Say {
                who,
                lines,
                vary,
                when,
                reveals,
                uid,
            } => {
                if when.as_ref().is_some_and(|c| !self.holds(c)) {
                    return;
                }
                let visit = {
                    let v = self.visits.entry(uid).or_insert(0);
                    *v += 1;
                    *v - 1
                };
                let pick = match vary {
                    Vary::Random => self.rng.random_range(0..lines.len()),
                    Vary::Sequence => visit.min(lines.len() - 1),
                    Vary::Once if visit > 0 => return,
                    Vary::Once => self.rng.random_range(0..lines.len()),
                    Vary::Shuffle => {
                        let round = visit % lines.len();
                        if round == 0 {
                            let mut order: Vec<usize> = (0..lines.len()).collect();
                            order.shuffle(&mut self.rng);
                            self.orders.insert(uid, order);
                        }
                        self.orders[&uid][round]
                    }
                };
                // A withdrawn character speaks only lines written for that state.
                let for_withdrawn =
                    matches!(&when, Some(Cond::Mood(w, Mood::Withdrawn)) if *w == who);
                if self.moods.get(&who) == Some(&Mood::Withdrawn) && !for_withdrawn {
                    let name = self.scenario.cast[&who].name.clone();
                    let text = if reveals.is_some() {
                        format!(
                            "{name} stays quiet; whatever {name} knows stays off the facts sheet"
                        )
                    } else {
                        format!("{name} stays quiet")
                    };
                    self.narrate(text, out);
                    return;
                }
                self.say(&who, lines[pick].clone(), None, out);
                if let Some(fact) = reveals {
                    if !self.offered.contains(&fact) {
                        self.offered.push(fact);
                    }
                }
            }
            Beat::Turn {
                after,
                when,
                takes_min,
                on_pass,
                on_fail,
            } => {
                if when.is_some_and(|c| !self.holds(&c)) {
                    return;
                }
                let takes_s = takes_min.map_or(DEFAULT_TAKES_S, |m| (m * 60.0).round() as u32);
                self.pending = Some(Pending {
                    after,
                    takes_s,
                    on_pass,
                    on_fail,
                });
                out.push(Event::Await {
                    after,
                    phase: self.phase_id(),
                    time_left_s: self.phase_left_s(),
                    tension: self.tension,
                });
            }
            Beat::Mood { who, to } => self.set_mood(&who, to, out),
            Beat::Escalate { who } => {
                let ladder = &self.scenario.cast[&who].escalation;
                let rung = self.ladder.entry(who.clone()).or_insert(0);
                let line = ladder[(*rung).min(ladder.len() - 1)].clone();
                *rung += 1;
                let top = *rung >= ladder.len();
                if self.moods.get(&who) != Some(&Mood::Withdrawn) {
                    self.say(&who, line, Some("escalation"), out);
                    self.set_mood(&who, if top { Mood::Angry } else { Mood::Tense }, out);
                }
                self.adjust_tension(TENSION_ESCALATE, out);
            }
            Beat::Tension(delta) => self.adjust_tension(delta, out),
            Beat::Spend { min, why } => {
                let seconds = (min * 60.0).round() as u32;
                out.push(Event::Spend {
                    seconds,
                    why: why.clone(),
                });
                self.tick(seconds, out);
            }
            Beat::Narrate(text) => self.narrate(text, out),
            Beat::Set(flag) => {
                self.flags.insert(flag);
            }
            Beat::Clear(flag) => {
                self.flags.remove(&flag);
            }
            Beat::If {
                when,
                then,
                otherwise,
            } => {
                let branch = if self.holds(&when) { then } else { otherwise };
                self.push_frame(branch);
            }
            Beat::Jump(target) => {
                self.jumps += 1;
                if self.jumps > MAX_JUMPS {
                    self.end(true, out);
                    return;
                }
                let Some(i) = self.scenario.phase_index(&target) else {
                    return; // checked at load
                };
                self.frames.clear();
                self.leave_phase(out);
                self.enter_phase(i, out);
            }
            Beat::End => self.end(true, out),
        }
    }

    fn holds(&self, cond: &Cond) -> bool {
        match cond {
            Cond::Flag(f) => self.flags.contains(f),
            Cond::NotFlag(f) => !self.flags.contains(f),
            Cond::Mood(who, m) => self.moods.get(who) == Some(m),
            Cond::NotMood(who, m) => self.moods.get(who) != Some(m),
            Cond::TensionAtLeast(n) => self.tension >= *n,
        }
    }

    fn say(&mut self, who: &str, text: String, cue: Option<&'static str>, out: &mut Vec<Event>) {
        let c = &self.scenario.cast[who];
        self.transcript.push(Line {
            t_s: self.clock_s,
            phase: self.phase_id(),
            who: who.to_string(),
            name: c.name.clone(),
            text: text.clone(),
            after: None,
            scores: None,
            pass: None,
        });
        out.push(Event::Say {
            who: who.to_string(),
            name: c.name.clone(),
            role: c.role.clone(),
            text: text.clone(),
            cue,
        });
        self.tick(speaking_s(&text, LINE_FLOOR_S), out);
    }

    fn narrate(&mut self, text: String, out: &mut Vec<Event>) {
        self.transcript.push(Line {
            t_s: self.clock_s,
            phase: self.phase_id(),
            who: "narrator".into(),
            name: String::new(),
            text: text.clone(),
            after: None,
            scores: None,
            pass: None,
        });
        out.push(Event::Narrate { text });
    }

    fn set_mood(&mut self, who: &str, to: Mood, out: &mut Vec<Event>) {
        if self.moods.get(who) != Some(&to) {
            self.moods.insert(who.to_string(), to);
            out.push(Event::Mood {
                who: who.to_string(),
                name: self.scenario.cast[who].name.clone(),
                mood: to,
            });
        }
    }

    fn adjust_tension(&mut self, delta: i32, out: &mut Vec<Event>) {
        let value = (i32::from(self.tension) + delta).clamp(0, 100) as u8;
        if value != self.tension {
            let delta = i32::from(value) - i32::from(self.tension);
            self.tension = value;
            // Two moves of the meter in a row read as one.
            match out.last_mut() {
                Some(Event::Tension { value: v, delta: d }) => {
                    *v = value;
                    *d += delta;
                }
                _ => out.push(Event::Tension { value, delta }),
            }
        }
    }

    /// Advance the clock; a phase running low may draw an interjection.
    fn tick(&mut self, seconds: u32, out: &mut Vec<Event>) {
        self.clock_s += seconds;
        if self.ended.is_some() {
            return;
        }
        let left = self.phase_left_s();
        let s = Arc::clone(&self.scenario);
        for (i, ij) in s.interjections.iter().enumerate() {
            if let Trigger::TimeLeftInPhase { min } = ij.when {
                if left <= (min * 60.0) as i64 && self.may_fire(i) {
                    self.fired.insert((i, self.phase));
                    self.interject(i, out);
                }
            }
        }
    }

    fn may_fire(&self, i: usize) -> bool {
        let ij = &self.scenario.interjections[i];
        !self.fired.contains(&(i, self.phase))
            && (ij.phases.is_empty() || ij.phases.contains(&self.phase_id()))
            && self.moods.get(&ij.who) != Some(&Mood::Withdrawn)
    }

    fn interject(&mut self, i: usize, out: &mut Vec<Event>) {
        let ij = &self.scenario.interjections[i];
        let pick = self.rng.random_range(0..ij.lines.len());
        let (who, line) = (ij.who.clone(), ij.lines[pick].clone());
        self.say(&who, line, Some("interjection"), out);
    }

    /// Keyword interjections fire once per meeting (stored under phase usize::MAX).
    fn mentions(&mut self, answer: &str, out: &mut Vec<Event>) {
        let lower = answer.to_lowercase();
        let s = Arc::clone(&self.scenario);
        for (i, ij) in s.interjections.iter().enumerate() {
            if let Trigger::Mentions(words) = &ij.when {
                let hit = words
                    .iter()
                    .any(|w| contains_word(&lower, &w.to_lowercase()));
                let phase_ok = ij.phases.is_empty() || ij.phases.contains(&self.phase_id());
                if hit
                    && phase_ok
                    && !self.fired.contains(&(i, usize::MAX))
                    && self.moods.get(&ij.who) != Some(&Mood::Withdrawn)
                {
                    self.fired.insert((i, usize::MAX));
                    self.interject(i, out);
                }
            }
        }
    }

    fn phase_id(&self) -> String {
        self.scenario.phases[self.phase].id.clone()
    }

    fn timebox_s(&self, i: usize) -> u32 {
        (self.scenario.phases[i].timebox_min * 60).saturating_sub(self.squeezed[i])
    }

    fn enter_phase(&mut self, i: usize, out: &mut Vec<Event>) {
        self.phase = i;
        self.visited[i] = true;
        self.phase_start_s = self.clock_s;
        self.fired.retain(|(_, p)| *p != i);
        let p = &self.scenario.phases[i];
        out.push(Event::Phase {
            id: p.id.clone(),
            title: p.title.clone(),
            timebox_s: self.timebox_s(i),
            squeezed_s: self.squeezed[i],
        });
        self.frames = vec![Frame {
            beats: p.beats.clone(),
            at: 0,
        }];
    }

    /// Book the phase's time; an overrun is reported and taken from later phases, the last
    /// one first, down to a floor each.
    fn leave_phase(&mut self, out: &mut Vec<Event>) {
        let i = self.phase;
        let spent = self.clock_s - self.phase_start_s;
        self.spent[i] += spent;
        let over = spent.saturating_sub(self.timebox_s(i));
        if over == 0 {
            return;
        }
        out.push(Event::Overrun {
            phase: self.phase_id(),
            title: self.scenario.phases[i].title.clone(),
            by_s: over,
        });
        let mut left = over;
        for j in (i + 1..self.scenario.phases.len()).rev() {
            let room = self.timebox_s(j).saturating_sub(SQUEEZE_FLOOR_S);
            let take = room.min(left);
            self.squeezed[j] += take;
            left -= take;
            if left == 0 {
                break;
            }
        }
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

    fn agenda(&self) -> Vec<AgendaItem> {
        self.scenario
            .phases
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let state = if i == self.phase && self.visited[i] && self.ended.is_none() {
                    PhaseState::Current
                } else if self.visited[i] {
                    PhaseState::Done
                } else {
                    PhaseState::Upcoming
                };
                let spent_s = if state == PhaseState::Current {
                    self.spent[i] + (self.clock_s - self.phase_start_s)
                } else {
                    self.spent[i]
                };
                AgendaItem {
                    id: p.id.clone(),
                    title: p.title.clone(),
                    timebox_s: self.timebox_s(i),
                    spent_s,
                    state,
                }
            })
            .collect()
    }

    fn facts(&self) -> FactSheet {
        let f = &self.scenario.facts;
        FactSheet {
            started: f.started.clone(),
            resolved: f.resolved.clone(),
            mttr_min: f.mttr_min,
            blast_radius: f.blast_radius.clone(),
            slo: f.slo.clone(),
            timeline: f.timeline.clone(),
            figures: f.figures.clone(),
            offered: self.offered.clone(),
        }
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
