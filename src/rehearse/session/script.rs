//! Running the script: beats in order, line variants picked by the seeded RNG (random,
//! sequence, shuffle, once), conditions, moods (a withdrawn character stays quiet and its
//! facts stay off the sheet), escalation ladders, the tension meter, flags and jumps.

use rand::seq::SliceRandom;
use rand::Rng;

use super::{
    speaking_s, Frame, Line, Pending, Session, DEFAULT_TAKES_S, LINE_FLOOR_S, MAX_JUMPS,
    TENSION_ESCALATE,
};
use crate::rehearse::event::Event;
use crate::scenario::{Beat, Cond, Mood, Vary};

impl Session {
    pub(super) fn push_frame(&mut self, beats: Vec<Beat>) {
        if !beats.is_empty() {
            self.frames.push(Frame { beats, at: 0 });
        }
    }

    /// Execute beats until a turn waits for the user or the meeting ends.
    pub(super) fn run(&mut self, out: &mut Vec<Event>) {
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

    pub(super) fn exec(&mut self, beat: Beat, out: &mut Vec<Event>) {
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

    pub(super) fn holds(&self, cond: &Cond) -> bool {
        match cond {
            Cond::Flag(f) => self.flags.contains(f),
            Cond::NotFlag(f) => !self.flags.contains(f),
            Cond::Mood(who, m) => self.moods.get(who) == Some(m),
            Cond::NotMood(who, m) => self.moods.get(who) != Some(m),
            Cond::TensionAtLeast(n) => self.tension >= *n,
        }
    }

    pub(super) fn say(
        &mut self,
        who: &str,
        text: String,
        cue: Option<&'static str>,
        out: &mut Vec<Event>,
    ) {
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

    pub(super) fn narrate(&mut self, text: String, out: &mut Vec<Event>) {
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

    pub(super) fn set_mood(&mut self, who: &str, to: Mood, out: &mut Vec<Event>) {
        if self.moods.get(who) != Some(&to) {
            self.moods.insert(who.to_string(), to);
            out.push(Event::Mood {
                who: who.to_string(),
                name: self.scenario.cast[who].name.clone(),
                mood: to,
            });
        }
    }

    pub(super) fn adjust_tension(&mut self, delta: i32, out: &mut Vec<Event>) {
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
}
