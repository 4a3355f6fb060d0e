//! `drill stats` (cards per box, due today, accuracy per term, streaks) and `drill deck`
//! (the cards, as text or JSON).

use colored::Colorize;
use serde::Serialize;

use crate::ctx::Ctx;
use crate::drill::deck::{Card, Deck, CORE};
use crate::drill::emit;
use crate::drill::leitner::{Day, Progress, BOXES};
use crate::error::{Error, Outcome, Result};

#[derive(Debug, Serialize)]
pub struct Stats {
    pub today: Day,
    pub cards: usize,
    pub new: usize,
    /// Cards in box 1..=5.
    pub boxes: Vec<usize>,
    pub due_today: usize,
    pub day_streak: u32,
    pub answer_streak: u32,
    pub best_answer_streak: u32,
    /// Seen cards, worst accuracy first.
    pub terms: Vec<TermStats>,
}

#[derive(Debug, Serialize)]
pub struct TermStats {
    pub id: String,
    pub term: String,
    #[serde(rename = "box")]
    pub box_: u8,
    pub seen: u32,
    pub correct: u32,
    pub accuracy: f64,
    pub due: Day,
}

pub fn compute(deck: &Deck, progress: &Progress, today: Day) -> Stats {
    let mut boxes = vec![0; usize::from(BOXES)];
    let mut terms = Vec::new();
    let mut new = 0;
    let mut due_today = 0;
    for card in &deck.cards {
        let Some(r) = progress.cards.get(&card.id) else {
            new += 1;
            continue;
        };
        let b = r.box_.clamp(1, BOXES);
        boxes[usize::from(b) - 1] += 1;
        due_today += usize::from(r.due <= today);
        terms.push(TermStats {
            id: card.id.clone(),
            term: card.term.clone(),
            box_: b,
            seen: r.seen,
            correct: r.correct,
            accuracy: if r.seen == 0 {
                0.0
            } else {
                f64::from(r.correct) / f64::from(r.seen)
            },
            due: r.due,
        });
    }
    terms.sort_by(|a, b| a.accuracy.total_cmp(&b.accuracy).then(b.seen.cmp(&a.seen)));
    Stats {
        today,
        cards: deck.cards.len(),
        new,
        boxes,
        due_today,
        day_streak: progress.day_streak(today),
        answer_streak: progress.answer_streak,
        best_answer_streak: progress.best_answer_streak,
        terms,
    }
}

pub fn print_stats(
    deck: &Deck,
    progress: &Progress,
    today: Day,
    json: bool,
    _ctx: &Ctx,
) -> Result<Outcome> {
    let s = compute(deck, progress, today);
    if json {
        let text = serde_json::to_string_pretty(&s).map_err(|e| Error::Other(e.to_string()))?;
        emit(&format!("{text}\n"))?;
        return Ok(Outcome::Success);
    }
    let mut out = format!("{} ({today})\n", "drill progress".bold());
    out.push_str(&format!("  {:<9}{:>3}  never asked\n", "new", s.new));
    for (i, n) in s.boxes.iter().enumerate() {
        let label = format!("box {}", i + 1);
        out.push_str(&format!("  {label:<9}{n:>3}  {}\n", "■".repeat(*n)));
    }
    out.push_str(&format!(
        "  due today: {} (plus {} new)\n",
        s.due_today, s.new
    ));
    out.push_str(&format!(
        "  streak: {} day(s) in a row; {} right answer(s) in a row (best {})\n",
        s.day_streak, s.answer_streak, s.best_answer_streak
    ));
    if s.terms.is_empty() {
        out.push_str("  no answers yet: start with `debrief drill`\n");
    } else {
        out.push_str("  accuracy per term, weakest first:\n");
        for t in &s.terms {
            out.push_str(&format!(
                "    {:<28} {:>3}/{:<3} {:>4.0}%  box {}  due {}\n",
                t.term,
                t.correct,
                t.seen,
                t.accuracy * 100.0,
                t.box_,
                t.due
            ));
        }
    }
    emit(&out)?;
    Ok(Outcome::Success)
}

#[derive(Serialize)]
struct DeckEntry<'a> {
    #[serde(flatten)]
    card: &'a Card,
    core: bool,
}

pub fn print_deck(deck: &Deck, json: bool, _ctx: &Ctx) -> Result<Outcome> {
    if json {
        let entries: Vec<DeckEntry> = deck
            .cards
            .iter()
            .map(|card| DeckEntry {
                card,
                core: CORE.contains(&card.id.as_str()),
            })
            .collect();
        let text =
            serde_json::to_string_pretty(&entries).map_err(|e| Error::Other(e.to_string()))?;
        emit(&format!("{text}\n"))?;
        return Ok(Outcome::Success);
    }
    let mut out = format!("{} cards\n", deck.cards.len());
    for card in &deck.cards {
        let aliases = if card.aliases.is_empty() {
            String::new()
        } else {
            format!(" ({})", card.aliases.join(", "))
        };
        out.push_str(&format!("\n{}{aliases}  [{}]\n", card.term.bold(), card.id));
        for range in crate::style::wrap(&card.definition, 72) {
            out.push_str(&format!("  {}\n", card.definition[range].trim()));
        }
    }
    emit(&out)?;
    Ok(Outcome::Success)
}
