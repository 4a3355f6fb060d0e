//! The `:` commands that only read the meeting: the facts sheet (with what people offered),
//! the agenda with time spent, the coaching hint for the pending moment, and why the last
//! answer was judged as it was.

use super::Session;
use crate::prose;
use crate::rehearse::event::{AgendaItem, Event, FactSheet, PhaseState};

impl Session {
    pub(super) fn hint(&self) -> Event {
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

    pub(super) fn why(&self) -> Event {
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

    pub(super) fn agenda(&self) -> Vec<AgendaItem> {
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

    pub(super) fn facts(&self) -> FactSheet {
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
