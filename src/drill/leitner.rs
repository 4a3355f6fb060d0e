//! Spaced repetition by Leitner boxes: a card answered right moves up a box and comes back
//! later; a card missed drops to box 1 and is due again today. Dates are plain days passed in
//! by the shell (the core reads no clock), stored as `YYYY-MM-DD` so the file reads well.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// How many boxes; a card in the top box is well learned.
pub const BOXES: u8 = 5;

/// Days until a card in box `b` (1-based) is due again after it landed there.
pub fn interval(b: u8) -> i64 {
    match b {
        0 | 1 => 0,
        2 => 1,
        3 => 3,
        4 => 7,
        _ => 16,
    }
}

/// A calendar day (UTC), counted in days since 1970-01-01.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Day(pub i64);

impl Day {
    pub fn from_ymd(y: i64, m: u32, d: u32) -> Option<Day> {
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let y2 = if m <= 2 { y - 1 } else { y };
        let era = if y2 >= 0 { y2 } else { y2 - 399 } / 400;
        let yoe = y2 - era * 400;
        let mp = i64::from((m + 9) % 12);
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        let day = Day(era * 146_097 + doe - 719_468);
        // Reject 2026-02-30 and friends: the round trip must give the same date back.
        (day.ymd() == (y, m, d)).then_some(day)
    }

    pub fn ymd(self) -> (i64, u32, u32) {
        let z = self.0 + 719_468;
        let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        (if m <= 2 { y + 1 } else { y }, m, d)
    }

    pub fn plus(self, days: i64) -> Day {
        Day(self.0 + days)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

impl FromStr for Day {
    type Err = String;
    fn from_str(s: &str) -> Result<Day, String> {
        let bad = || format!("'{s}' is not a date (expected YYYY-MM-DD)");
        let mut parts = s.trim().splitn(3, '-');
        let y = parts.next().and_then(|p| p.parse::<i64>().ok());
        let m = parts.next().and_then(|p| p.parse::<u32>().ok());
        let d = parts.next().and_then(|p| p.parse::<u32>().ok());
        match (y, m, d) {
            (Some(y), Some(m), Some(d)) => Day::from_ymd(y, m, d).ok_or_else(bad),
            _ => Err(bad()),
        }
    }
}

impl TryFrom<String> for Day {
    type Error = String;
    fn try_from(s: String) -> Result<Day, String> {
        s.parse()
    }
}

impl From<Day> for String {
    fn from(d: Day) -> String {
        d.to_string()
    }
}

/// What we know about one card.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CardRecord {
    #[serde(rename = "box")]
    pub box_: u8,
    pub due: Day,
    pub seen: u32,
    pub correct: u32,
    pub last_seen: Day,
    pub last_correct: bool,
}

impl CardRecord {
    /// The record after one more answer. A new card starts in box 1.
    pub fn answered(prev: Option<&CardRecord>, correct: bool, today: Day) -> CardRecord {
        let (box_, seen, right) =
            prev.map_or((1, 0, 0), |r| (r.box_.clamp(1, BOXES), r.seen, r.correct));
        let box_ = if correct { (box_ + 1).min(BOXES) } else { 1 };
        CardRecord {
            box_,
            due: today.plus(interval(box_)),
            seen: seen + 1,
            correct: right + u32::from(correct),
            last_seen: today,
            last_correct: correct,
        }
    }
}

/// The whole drill progress file (`drill/progress.json` under the data dir).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    pub version: u32,
    pub cards: BTreeMap<String, CardRecord>,
    /// Days with at least one answer, for the day streak.
    pub days: BTreeSet<Day>,
    /// Right answers in a row, across sessions.
    pub answer_streak: u32,
    pub best_answer_streak: u32,
}

impl Progress {
    pub fn new() -> Progress {
        Progress {
            version: 1,
            ..Progress::default()
        }
    }

    pub fn is_due(&self, id: &str, today: Day) -> bool {
        self.cards.get(id).is_some_and(|r| r.due <= today)
    }

    /// Days in a row with practice, ending today (or yesterday: today's may not have started).
    pub fn day_streak(&self, today: Day) -> u32 {
        let mut day = if self.days.contains(&today) {
            today
        } else {
            today.plus(-1)
        };
        let mut n = 0;
        while self.days.contains(&day) {
            n += 1;
            day = day.plus(-1);
        }
        n
    }

    /// Fold one recorded answer in (the shell does this on a freshly read file, under a lock).
    pub fn apply(&mut self, card: &str, record: CardRecord, answer_streak: u32, today: Day) {
        self.version = 1;
        self.cards.insert(card.to_string(), record);
        self.days.insert(today);
        self.answer_streak = answer_streak;
        self.best_answer_streak = self.best_answer_streak.max(answer_streak);
    }
}

impl Progress {
    /// Fold a session's record onto a freshly read file: the schedule comes from the session,
    /// the counts add `deltas` (seen, right) to whatever is stored, so answers given to the same
    /// card by another session in the meantime still count.
    pub fn merge(
        &mut self,
        card: &str,
        record: &CardRecord,
        deltas: (u32, u32),
        answer_streak: u32,
        today: Day,
    ) {
        let mut merged = record.clone();
        if let Some(stored) = self.cards.get(card) {
            merged.seen = stored.seen + deltas.0;
            merged.correct = (stored.correct + deltas.1).min(merged.seen);
        }
        self.apply(card, merged, answer_streak, today);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip() {
        assert_eq!(Day(0).to_string(), "1970-01-01");
        let d: Day = "2026-11-27".parse().unwrap();
        assert_eq!(d.to_string(), "2026-11-27");
        assert_eq!(
            "2024-02-29".parse::<Day>().unwrap().plus(1).to_string(),
            "2024-03-01"
        );
        assert!("2026-02-30".parse::<Day>().is_err());
        assert!("tomorrow".parse::<Day>().is_err());
    }

    #[test]
    fn right_moves_up_wrong_drops_to_box_one_due_today() {
        let today = Day(100);
        let r = CardRecord::answered(None, true, today);
        assert_eq!((r.box_, r.due), (2, Day(101)));
        let r = CardRecord::answered(Some(&r), true, today);
        assert_eq!((r.box_, r.due), (3, Day(103)));
        let r = CardRecord::answered(Some(&r), false, today);
        assert_eq!((r.box_, r.due, r.seen, r.correct), (1, today, 3, 2));
    }

    #[test]
    fn merge_keeps_answers_another_session_saved() {
        let today = Day(100);
        let mut file = Progress::new();
        let before = CardRecord::answered(None, true, today);
        file.apply("mttr", before.clone(), 1, today);
        // Another session answered the same card meanwhile (now seen twice).
        let other = CardRecord::answered(Some(&before), false, today);
        file.apply("mttr", other, 0, today);
        // This session, still holding `before`, answers it right.
        let mine = CardRecord::answered(Some(&before), true, today);
        file.merge("mttr", &mine, (1, 1), 2, today);
        let r = &file.cards["mttr"];
        assert_eq!((r.seen, r.correct, r.box_), (3, 2, 3));
    }

    #[test]
    fn day_streak_counts_back_from_today_or_yesterday() {
        let mut p = Progress::new();
        for d in [5, 6, 7, 9] {
            p.days.insert(Day(d));
        }
        assert_eq!(p.day_streak(Day(7)), 3);
        assert_eq!(p.day_streak(Day(8)), 3);
        assert_eq!(p.day_streak(Day(9)), 1);
        assert_eq!(p.day_streak(Day(11)), 0);
    }
}
