//! The meeting clock: entering and leaving phases, timeboxes squeezed by earlier overruns,
//! and the interjections that fire when a phase runs low or the user says a keyword.

use std::sync::Arc;

use rand::Rng;

use super::{contains_word, Frame, Session, SQUEEZE_FLOOR_S};
use crate::rehearse::event::Event;
use crate::scenario::{Mood, Trigger};

impl Session {
    /// Advance the clock; a phase running low may draw an interjection.
    pub(super) fn tick(&mut self, seconds: u32, out: &mut Vec<Event>) {
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

    pub(super) fn may_fire(&self, i: usize) -> bool {
        let ij = &self.scenario.interjections[i];
        !self.fired.contains(&(i, self.phase))
            && (ij.phases.is_empty() || ij.phases.contains(&self.phase_id()))
            && self.moods.get(&ij.who) != Some(&Mood::Withdrawn)
    }

    pub(super) fn interject(&mut self, i: usize, out: &mut Vec<Event>) {
        let ij = &self.scenario.interjections[i];
        let pick = self.rng.random_range(0..ij.lines.len());
        let (who, line) = (ij.who.clone(), ij.lines[pick].clone());
        self.say(&who, line, Some("interjection"), out);
    }

    /// Keyword interjections fire once per meeting (stored under phase usize::MAX).
    pub(super) fn mentions(&mut self, answer: &str, out: &mut Vec<Event>) {
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

    pub(super) fn timebox_s(&self, i: usize) -> u32 {
        (self.scenario.phases[i].timebox_min * 60).saturating_sub(self.squeezed[i])
    }

    pub(super) fn enter_phase(&mut self, i: usize, out: &mut Vec<Event>) {
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
    pub(super) fn leave_phase(&mut self, out: &mut Vec<Event>) {
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
}
