//! Semantic checks on a parsed scenario: every reference resolves (characters, phases, flags),
//! every beat can be reached, every path can reach an end. Problems point at the place in the
//! file with file:line:col; all of them are collected before the file is rejected.

use std::collections::BTreeSet;

use super::{Beat, Cond, Scenario, Trigger};
use crate::diag::Diagnostic;
use crate::ronfile::Source;

struct Checker<'a> {
    scenario: &'a Scenario,
    source: &'a Source,
    problems: Vec<Diagnostic>,
    set_flags: BTreeSet<String>,
    used_flags: Vec<String>,
    /// Byte offset of the phase being checked, so searches start there.
    at: usize,
}

pub fn check(scenario: &Scenario, source: &Source) -> Vec<Diagnostic> {
    let mut c = Checker {
        scenario,
        source,
        problems: Vec::new(),
        set_flags: BTreeSet::new(),
        used_flags: Vec::new(),
        at: 0,
    };
    c.top_level();
    let mut seen = BTreeSet::new();
    for phase in &scenario.phases {
        c.at = source.find_key("id", &phase.id).unwrap_or(0);
        if !seen.insert(phase.id.as_str()) {
            c.error(&format!("\"{}\"", phase.id), "duplicate phase id");
        }
        if phase.timebox_min == 0 {
            c.error(
                "timebox_min",
                "a phase needs a timebox of at least 1 minute",
            );
        }
        if phase.beats.is_empty() {
            c.error("beats", &format!("phase '{}' has no beats", phase.id));
        }
        c.beats(&phase.beats);
    }
    c.at = 0;
    for i in &scenario.interjections {
        c.who(&i.who);
        if i.lines.is_empty() || i.lines.iter().any(|l| l.trim().is_empty()) {
            c.error("lines", "an interjection needs at least one non-empty line");
        }
        for p in &i.phases {
            if scenario.phase_index(p).is_none() {
                c.error(&format!("\"{p}\""), &format!("unknown phase '{p}'"));
            }
        }
        if let Trigger::Mentions(words) = &i.when {
            if words.is_empty() {
                c.error("Mentions", "Mentions needs at least one word");
            }
        }
    }
    let used = std::mem::take(&mut c.used_flags);
    for flag in used {
        if !c.set_flags.contains(&flag) {
            c.error(
                &format!("\"{flag}\""),
                &format!("flag '{flag}' is tested but never set (add Set(\"{flag}\") somewhere)"),
            );
        }
    }
    c.flow();
    c.problems
}

impl Checker<'_> {
    fn error(&mut self, needle: &str, message: &str) {
        let d = self.source.diag_at(needle, self.at, message);
        // Fall back to a search from the top when the needle lies before the current phase.
        let d = if d.source.as_ref().is_some_and(|(_, r)| r.is_empty()) && self.at > 0 {
            self.source.diag_at(needle, 0, message)
        } else {
            d
        };
        self.problems.push(d);
    }

    fn top_level(&mut self) {
        let s = self.scenario;
        if s.id.trim().is_empty() {
            self.error("id", "the scenario id is empty");
        }
        if s.phases.is_empty() {
            self.error("phases", "a scenario needs at least one phase");
        }
        if s.tension > 100 {
            self.error("tension", "tension is a meter from 0 to 100");
        }
        for (key, c) in &s.cast {
            if c.name.trim().is_empty() {
                self.error(&format!("\"{key}\""), "a character needs a name");
            }
        }
    }

    fn who(&mut self, who: &str) {
        if !self.scenario.cast.contains_key(who) {
            let known: Vec<&str> = self.scenario.cast.keys().map(String::as_str).collect();
            self.error(
                &format!("\"{who}\""),
                &format!(
                    "unknown character '{who}' (the cast is: {})",
                    known.join(", ")
                ),
            );
        }
    }

    fn cond(&mut self, cond: &Cond) {
        match cond {
            Cond::Flag(f) | Cond::NotFlag(f) => self.used_flags.push(f.clone()),
            Cond::Mood(who, _) | Cond::NotMood(who, _) => self.who(who),
            Cond::TensionAtLeast(n) if *n > 100 => {
                self.error("TensionAtLeast", "tension is a meter from 0 to 100")
            }
            Cond::TensionAtLeast(_) => {}
        }
    }

    fn beats(&mut self, beats: &[Beat]) {
        let mut ended: Option<&str> = None;
        for beat in beats {
            if let Some(how) = ended {
                self.error(
                    how,
                    &format!("beats after this {how} are never reached (move them before it, or into a branch)"),
                );
                break;
            }
            match beat {
                Beat::Say {
                    who, lines, when, ..
                } => {
                    self.who(who);
                    if lines.is_empty() || lines.iter().any(|l| l.trim().is_empty()) {
                        self.error("lines", "Say needs at least one non-empty line");
                    }
                    if let Some(c) = when {
                        self.cond(c);
                    }
                }
                Beat::Turn {
                    when,
                    takes_min,
                    on_pass,
                    on_fail,
                    ..
                } => {
                    if let Some(c) = when {
                        self.cond(c);
                    }
                    if takes_min.is_some_and(|m| !(0.0..=60.0).contains(&m)) {
                        self.error("takes_min", "takes_min is minutes between 0 and 60");
                    }
                    self.beats(on_pass);
                    self.beats(on_fail);
                }
                Beat::Mood { who, .. } => self.who(who),
                Beat::Escalate { who } => {
                    self.who(who);
                    if self
                        .scenario
                        .cast
                        .get(who)
                        .is_some_and(|c| c.escalation.is_empty())
                    {
                        self.error(
                            &format!("\"{who}\""),
                            &format!("'{who}' has no escalation ladder to climb"),
                        );
                    }
                }
                Beat::Spend { min, .. } => {
                    if !(0.0..=60.0).contains(min) {
                        self.error("Spend", "Spend is minutes between 0 and 60");
                    }
                }
                Beat::Set(f) => {
                    self.set_flags.insert(f.clone());
                }
                Beat::Clear(f) => self.used_flags.push(f.clone()),
                Beat::If {
                    when,
                    then,
                    otherwise,
                } => {
                    self.cond(when);
                    self.beats(then);
                    self.beats(otherwise);
                }
                Beat::Jump(target) => {
                    if self.scenario.phase_index(target).is_none() {
                        self.error(
                            &format!("Jump(\"{target}\")"),
                            &format!("unknown phase '{target}' in Jump"),
                        );
                    }
                    ended = Some("Jump");
                }
                Beat::End => ended = Some("End"),
                Beat::Tension(_) | Beat::Narrate(_) => {}
            }
        }
    }

    /// Phases never reached, and jumps that loop with no way to an end.
    fn flow(&mut self) {
        let phases = &self.scenario.phases;
        let n = phases.len();
        // Successors of each phase: the next one (unless its last top-level beat leaves) and
        // every jump target inside it. `n` stands for "the meeting ends".
        let mut next: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (i, p) in phases.iter().enumerate() {
            let mut jumps = Vec::new();
            let ends = collect_exits(&p.beats, &mut jumps);
            for t in jumps {
                if let Some(j) = self.scenario.phase_index(&t) {
                    next[i].push(j);
                }
            }
            if ends {
                next[i].push(n);
            }
            if !matches!(p.beats.last(), Some(Beat::End | Beat::Jump(_))) {
                next[i].push(i + 1); // i + 1 == n past the last phase: the meeting ends
            }
        }
        let mut reached = vec![false; n + 1];
        let mut stack = vec![0];
        while let Some(i) = stack.pop() {
            if i > n || reached[i] {
                continue;
            }
            reached[i] = true;
            if i < n {
                stack.extend(next[i].iter().copied());
            }
        }
        let mut can_end = vec![false; n + 1];
        can_end[n] = true;
        loop {
            let mut changed = false;
            for i in 0..n {
                if !can_end[i] && next[i].iter().any(|&j| can_end[j]) {
                    can_end[i] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for (i, p) in phases.iter().enumerate() {
            self.at = self.source.find_key("id", &p.id).unwrap_or(0);
            if !reached[i] {
                self.error(
                    &format!("\"{}\"", p.id),
                    &format!("phase '{}' is never reached (no jump leads to it and the phase before always leaves)", p.id),
                );
            } else if !can_end[i] {
                self.error(
                    "Jump",
                    &format!("phase '{}' loops through jumps with no way to an End", p.id),
                );
            }
        }
    }
}

/// Jump targets anywhere in `beats`; true when an `End` appears somewhere in them.
fn collect_exits(beats: &[Beat], jumps: &mut Vec<String>) -> bool {
    let mut ends = false;
    for b in beats {
        match b {
            Beat::Jump(t) => jumps.push(t.clone()),
            Beat::End => ends = true,
            Beat::Turn {
                on_pass, on_fail, ..
            } => {
                ends |= collect_exits(on_pass, jumps);
                ends |= collect_exits(on_fail, jumps);
            }
            Beat::If {
                then, otherwise, ..
            } => {
                ends |= collect_exits(then, jumps);
                ends |= collect_exits(otherwise, jumps);
            }
            _ => {}
        }
    }
    ends
}
