//! The scorecard at the end of a meeting: the three dimension averages, moves met of total,
//! time per phase against its timebox, the overall score and three things to practise.
//!
//! Overall (0..=100) = half the move rate plus half the mean of the three dimension averages:
//! `(100 * met / total + (blamelessness + data + concision) / 3) / 2`, rounded. The dimension
//! averages are over the answers given (skipped moments are left out of them but count as
//! missed moves). The moves weigh half because they are the point of the meeting: a terse
//! non-answer ("ok") is blameless and concise but handles nothing. No answer at all scores 0.

use serde::{Deserialize, Serialize};

use crate::beat::BeatKind;
use crate::evaluator::Scores;
use crate::phrasebank::Phrasebank;
use crate::prose;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DimScores {
    pub blamelessness: u8,
    pub data: u8,
    pub concision: u8,
}

impl From<Scores> for DimScores {
    fn from(s: Scores) -> Self {
        DimScores {
            blamelessness: s.blamelessness,
            data: s.data,
            concision: s.concision,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Moves {
    pub met: u32,
    pub total: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PhaseTime {
    pub id: String,
    pub title: String,
    pub timebox_s: u32,
    pub spent_s: u32,
    pub over_s: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Time {
    pub elapsed_s: u32,
    pub planned_s: u32,
    pub phases: Vec<PhaseTime>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scorecard {
    pub scenario: String,
    pub title: String,
    pub seed: u64,
    pub completed: bool,
    pub scores: DimScores,
    pub moves: Moves,
    pub time: Time,
    pub overall: u8,
    /// The tension meter at the end (0 calm .. 100 hostile).
    pub tension: u8,
    /// Characters who went quiet.
    pub withdrawn: Vec<String>,
    /// Three things to practise next, most useful first.
    pub practise: Vec<String>,
}

/// One answered (or skipped) moment, as the scorecard needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnRecord {
    pub phase: String,
    pub after: Option<BeatKind>,
    pub text: String,
    pub skipped: bool,
    pub pass: bool,
    pub scores: DimScores,
    pub met: Option<bool>,
    /// Penalty rules that fired, worst first: (rule, message, suggestion).
    pub problems: Vec<(String, String, String)>,
}

#[derive(Clone)]
pub struct Inputs<'a> {
    pub scenario: &'a str,
    pub title: &'a str,
    pub seed: u64,
    pub completed: bool,
    pub turns: &'a [TurnRecord],
    pub time: Time,
    pub tension: u8,
    pub withdrawn: Vec<String>,
    pub bank: Option<&'a Phrasebank>,
    /// For a meeting ended early: the moments it would have met (unreached ones count as
    /// missed moves).
    pub expected_moves: u32,
}

fn mean(values: impl Iterator<Item = u8>) -> Option<u8> {
    let (sum, n) = values.fold((0u32, 0u32), |(s, n), v| (s + u32::from(v), n + 1));
    (n > 0).then(|| ((sum + n / 2) / n) as u8)
}

pub fn build(i: Inputs<'_>) -> Scorecard {
    let (scores, mut moves, answered) = tally(i.turns.iter());
    if !i.completed {
        moves.total = moves.total.max(i.expected_moves);
    }
    let overall = overall(answered, &scores, &moves);
    let practise = practise(&i, &scores);
    Scorecard {
        scenario: i.scenario.to_string(),
        title: i.title.to_string(),
        seed: i.seed,
        completed: i.completed,
        scores,
        moves,
        time: i.time,
        overall,
        tension: i.tension,
        withdrawn: i.withdrawn,
        practise,
    }
}

/// Half the move rate plus half the mean of the three averages; 0 when nothing was answered.
pub fn overall(answered: bool, scores: &DimScores, moves: &Moves) -> u8 {
    if !answered {
        return 0;
    }
    let rate = (moves.met * 100 + moves.total / 2)
        .checked_div(moves.total)
        .unwrap_or(100);
    let dims =
        u32::from(scores.blamelessness) + u32::from(scores.data) + u32::from(scores.concision);
    // (rate + dims / 3) / 2 == (3 * rate + dims) / 6, rounded half up.
    ((3 * rate + dims + 3) / 6) as u8
}

/// One person's standing over the turns they took: the dimension averages over the answers
/// they gave, their moves met of the moments they faced, and the overall on the scorecard's
/// formula.
pub fn standing(turns: &[&TurnRecord]) -> (DimScores, Moves, u8) {
    let (scores, moves, answered) = tally(turns.iter().copied());
    let overall = overall(answered, &scores, &moves);
    (scores, moves, overall)
}

/// The dimension averages over the answers given (skipped moments left out), the moves met
/// of the moments judged, and whether anything was answered at all.
fn tally<'t>(turns: impl Iterator<Item = &'t TurnRecord> + Clone) -> (DimScores, Moves, bool) {
    let answered = turns.clone().filter(|t| !t.skipped);
    let scores = DimScores {
        blamelessness: mean(answered.clone().map(|t| t.scores.blamelessness)).unwrap_or(0),
        data: mean(answered.clone().map(|t| t.scores.data)).unwrap_or(0),
        concision: mean(answered.clone().map(|t| t.scores.concision)).unwrap_or(0),
    };
    let judged = turns.filter(|t| t.after.is_some());
    let moves = Moves {
        met: judged.clone().filter(|t| t.met == Some(true)).count() as u32,
        total: judged.count() as u32,
    };
    (scores, moves, answered.count() > 0)
}

/// "Open with three things" -> "open with three things" (but "I" and "SLO" stay).
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && b.is_lowercase() => {
            a.to_lowercase().chain(s[a.len_utf8()..].chars()).collect()
        }
        _ => s.to_string(),
    }
}

/// Missed moves first (the move's coaching tip), then the most frequent problems, then the
/// clock, then the weakest dimension; three distinct items.
fn practise(i: &Inputs<'_>, scores: &DimScores) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if out.len() < 3 && !out.contains(&s) {
            out.push(s);
        }
    };
    for t in i.turns {
        if let (Some(kind), Some(false)) = (t.after, t.met) {
            if let Some(spec) = i.bank.and_then(|b| b.move_spec(kind)) {
                push(format!("{}: {}", kind.situation(), lower_first(&spec.hint)));
            }
        }
    }
    let mut counts: Vec<(usize, &str, &str, &str)> = Vec::new();
    for t in i.turns {
        for (rule, message, suggestion) in &t.problems {
            match counts.iter_mut().find(|c| c.1 == rule) {
                Some(c) => c.0 += 1,
                None => counts.push((1, rule, message, suggestion)),
            }
        }
    }
    counts.sort_by_key(|c| std::cmp::Reverse(c.0));
    for (_, _, message, suggestion) in counts {
        push(format!("{message}; instead, {suggestion}"));
    }
    for p in &i.time.phases {
        if p.over_s > 0 {
            push(format!(
                "keep '{}' inside its timebox: park tangents and keep answers short",
                p.title
            ));
        }
    }
    let mut dims = [
        (scores.data, prose::REHEARSE_TIP_DATA),
        (scores.concision, prose::REHEARSE_TIP_CONCISION),
        (scores.blamelessness, prose::REHEARSE_TIP_BLAMELESSNESS),
    ];
    dims.sort_by_key(|d| d.0);
    for (score, tip) in dims {
        if score < 90 {
            push(tip.to_string());
        }
    }
    for tip in prose::REHEARSE_TIPS_NEXT {
        push(tip.to_string());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn turn(after: Option<BeatKind>, met: Option<bool>, b: u8, d: u8, c: u8) -> TurnRecord {
        TurnRecord {
            phase: "p".into(),
            after,
            text: "x".into(),
            skipped: false,
            pass: met.unwrap_or(true),
            scores: DimScores {
                blamelessness: b,
                data: d,
                concision: c,
            },
            met,
            problems: Vec::new(),
        }
    }

    fn card(turns: &[TurnRecord]) -> Scorecard {
        build(Inputs {
            scenario: "s",
            title: "S",
            seed: 1,
            completed: true,
            turns,
            time: Time {
                elapsed_s: 0,
                planned_s: 0,
                phases: Vec::new(),
            },
            tension: 0,
            withdrawn: Vec::new(),
            bank: None,
            expected_moves: 0,
        })
    }

    #[test]
    fn overall_is_half_moves_half_dimensions() {
        let k = Some(BeatKind::Impact);
        // moves 1 of 2 = 50; dims (90 + 60 + 90) / 3 = 80; (50 + 80) / 2 = 65
        let c = card(&[
            turn(k, Some(true), 100, 80, 100),
            turn(k, Some(false), 80, 40, 80),
        ]);
        assert_eq!((c.moves.met, c.moves.total), (1, 2));
        assert_eq!(c.scores.data, 60);
        assert_eq!(c.overall, 65);
        assert_eq!(c.practise.len(), 3);
    }

    #[test]
    fn terse_non_answers_do_not_pass() {
        let k = Some(BeatKind::FingerPointing);
        let c = card(&vec![turn(k, Some(false), 100, 45, 100); 4]);
        assert!(c.overall <= 45, "{}", c.overall);
    }

    #[test]
    fn a_meeting_ended_early_counts_unreached_moments_as_missed() {
        let k = Some(BeatKind::Impact);
        let turns = [turn(k, Some(true), 100, 100, 100)];
        let mut inputs = Inputs {
            scenario: "s",
            title: "S",
            seed: 1,
            completed: false,
            turns: &turns,
            time: Time {
                elapsed_s: 0,
                planned_s: 0,
                phases: Vec::new(),
            },
            tension: 0,
            withdrawn: Vec::new(),
            bank: None,
            expected_moves: 4,
        };
        let early = build(inputs.clone());
        assert_eq!((early.moves.met, early.moves.total), (1, 4));
        assert_eq!(early.overall, 63); // (25 + 100) / 2, rounded
        inputs.completed = true;
        assert_eq!(build(inputs).moves.total, 1);
    }

    #[test]
    fn no_answer_scores_zero_and_the_open_floor_needs_no_move() {
        assert_eq!(card(&[]).overall, 0);
        let c = card(&[turn(None, None, 100, 100, 100)]);
        assert_eq!((c.moves.total, c.overall), (0, 100));
    }
}
