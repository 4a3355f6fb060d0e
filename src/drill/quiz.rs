//! One drill session as a pure state machine: `Quiz::step(Command) -> Vec<Event>`. It picks
//! due and missed cards first, builds questions with a seeded RNG (near-miss distractors come
//! from the cards' confusables), grades answers, moves cards between Leitner boxes, and brings
//! a missed card back later in the same session. No I/O: the shell renders events and saves
//! each `Record` as it comes, so nothing earned is lost on Ctrl-C.

use std::collections::VecDeque;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::drill::deck::{Card, Deck, Misuse};
use crate::drill::grade::{self, normalize, Named};
use crate::drill::leitner::{CardRecord, Day, Progress};

pub use crate::drill::event::{Answered, Event, Question, Summary};
pub use crate::drill::mode::{Command, Mode, Options};

/// How often one card may come back in a session after a miss.
const MAX_REPEATS: u8 = 2;
/// A missed card comes back after this many other questions (or at the end).
const REQUEUE_GAP: usize = 2;

#[derive(Debug, Clone)]
struct Slot {
    id: String,
    repeats: u8,
}

#[derive(Debug, Clone)]
struct Pending {
    slot: Slot,
    question: Question,
    /// The card behind each choice, in order.
    choice_ids: Vec<String>,
    /// For misuse: the sentence asked about.
    misuse: Option<Misuse>,
}

#[derive(Debug, Clone)]
struct Last {
    id: String,
    before: Option<CardRecord>,
    streak_before: u32,
    correct: bool,
    result: usize,
}

pub struct Quiz {
    deck: Deck,
    progress: Progress,
    today: Day,
    mode: Mode,
    rng: StdRng,
    queue: VecDeque<Slot>,
    number: usize,
    current: Option<Pending>,
    last: Option<Last>,
    results: Vec<Answered>,
    done: bool,
}

impl Quiz {
    /// A session over `deck` given what `progress` knows on `today`.
    pub fn new(deck: Deck, progress: Progress, today: Day, options: Options) -> Quiz {
        let mut rng = StdRng::seed_from_u64(options.seed);
        let queue = plan(&deck, &progress, today, options, &mut rng);
        Quiz {
            deck,
            progress,
            today,
            mode: options.mode,
            rng,
            queue,
            number: 0,
            current: None,
            last: None,
            results: Vec::new(),
            done: false,
        }
    }

    /// The first question (or the end, for an empty deck).
    pub fn start(&mut self) -> Vec<Event> {
        self.next()
    }

    pub fn results(&self) -> &[Answered] {
        &self.results
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary::default();
        for r in &self.results {
            if r.skipped {
                s.skipped += 1;
                continue;
            }
            s.asked += 1;
            if r.correct {
                s.correct += 1;
            } else if !s.missed.contains(&r.term) {
                s.missed.push(r.term.clone());
            }
            s.overridden += usize::from(r.overridden);
        }
        s
    }

    pub fn step(&mut self, command: Command) -> Vec<Event> {
        match command {
            Command::Right => return self.overturn(),
            Command::Quit => {
                if self.done {
                    return Vec::new();
                }
                self.done = true;
                self.current = None;
                return vec![Event::End(self.summary())];
            }
            _ => {}
        }
        let Some(pending) = self.current.take() else {
            return Vec::new();
        };
        let mut events = Vec::new();
        match command {
            Command::Skip => {
                let card = self.card(&pending.slot.id).clone();
                let mut result = self.result(&card, &pending, String::new(), false);
                result.skipped = true;
                result.set_notes(vec![format!("skipped: the answer is {}", card.term)]);
                self.results.push(result.clone());
                events.push(Event::Result(result));
            }
            Command::Answer(text) => events.extend(self.answer(pending, text)),
            Command::Right | Command::Quit => unreachable!(),
        }
        events.extend(self.next());
        events
    }

    fn card(&self, id: &str) -> &Card {
        self.deck.get(id).expect("planned cards come from the deck")
    }

    fn next(&mut self) -> Vec<Event> {
        if self.done {
            return Vec::new();
        }
        let Some(slot) = self.queue.pop_front() else {
            self.done = true;
            return vec![Event::End(self.summary())];
        };
        self.number += 1;
        let pending = self.ask(slot);
        let event = Event::Question(pending.question.clone());
        self.current = Some(pending);
        vec![event]
    }

    fn ask(&mut self, slot: Slot) -> Pending {
        let card = self.card(&slot.id).clone();
        let mode = match self.mode {
            Mode::Mixed => {
                let mut modes = vec![Mode::Recall, Mode::Reverse, Mode::Choice, Mode::Apply];
                if !card.misuse.is_empty() {
                    modes.push(Mode::Misuse);
                }
                modes[self.rng.random_range(0..modes.len())]
            }
            Mode::Misuse if card.misuse.is_empty() => Mode::Apply,
            m => m,
        };
        let mut misuse = None;
        let (ask, prompt) = match mode {
            Mode::Recall => (
                "which term fits this definition? (type it)".to_string(),
                card.definition.clone(),
            ),
            Mode::Choice => (
                "which term fits this definition?".to_string(),
                card.definition.clone(),
            ),
            Mode::Reverse => (
                "which definition fits this term?".to_string(),
                card.term.clone(),
            ),
            Mode::Apply => {
                let i = self.rng.random_range(0..card.vignettes.len().max(1));
                (
                    "name the concept in this situation".to_string(),
                    card.vignettes.get(i).cloned().unwrap_or_default(),
                )
            }
            _ => {
                let i = self.rng.random_range(0..card.misuse.len());
                misuse = Some(card.misuse[i].clone());
                (
                    "which term is used wrongly here? (type that term)".to_string(),
                    card.misuse[i].sentence.clone(),
                )
            }
        };
        let choice_ids = match mode {
            Mode::Reverse | Mode::Choice | Mode::Apply => self.distractors(&card.id),
            _ => Vec::new(),
        };
        let choices = (!choice_ids.is_empty()).then(|| {
            choice_ids
                .iter()
                .map(|id| {
                    let c = self.card(id);
                    if mode == Mode::Reverse {
                        c.definition.clone()
                    } else {
                        c.term.clone()
                    }
                })
                .collect()
        });
        let question = Question {
            card: card.id.clone(),
            mode,
            ask,
            prompt,
            choices,
            number: self.number,
            total: self.number + self.queue.len(),
            repeat: slot.repeats > 0,
        };
        Pending {
            slot,
            question,
            choice_ids,
            misuse,
        }
    }

    /// Four choices: the answer, its confusables first (near misses), then others.
    fn distractors(&mut self, id: &str) -> Vec<String> {
        let mut near: Vec<String> = self
            .deck
            .confusables(id)
            .into_iter()
            .map(str::to_string)
            .collect();
        near.shuffle(&mut self.rng);
        near.truncate(3);
        let mut others: Vec<String> = self
            .deck
            .cards
            .iter()
            .map(|c| c.id.clone())
            .filter(|c| c != id && !near.contains(c))
            .collect();
        others.shuffle(&mut self.rng);
        let fill = 3 - near.len();
        near.extend(others.into_iter().take(fill));
        near.push(id.to_string());
        near.shuffle(&mut self.rng);
        near
    }

    fn result(&self, card: &Card, pending: &Pending, answer: String, correct: bool) -> Answered {
        Answered {
            card: card.id.clone(),
            term: card.term.clone(),
            mode: pending.question.mode,
            answer,
            correct,
            expected: card.term.clone(),
            note: None,
            difference: None,
            definition: card.definition.clone(),
            example: card.example.clone(),
            typo: false,
            skipped: false,
            overridden: false,
            notes: Vec::new(),
        }
    }

    fn answer(&mut self, pending: Pending, text: String) -> Vec<Event> {
        let card = self.card(&pending.slot.id).clone();
        let (correct, typo, named) = self.judge(&card, &pending, &text);
        let mut result = self.result(&card, &pending, text, correct);
        result.typo = typo.is_some();
        let mut notes = Vec::new();
        if let Some(form) = &typo {
            notes.push(format!("right, with a typo: it is spelled \"{form}\""));
        }
        if !correct {
            match named.as_deref().and_then(|n| self.deck.get(n)) {
                Some(other) => match self.deck.difference(&card.id, &other.id) {
                    Some(diff) => {
                        notes.push(format!("{} is not {}: {diff}", other.term, card.term));
                        result.difference = Some(diff.to_string());
                    }
                    None => notes.push(format!(
                        "{} is something else: {}",
                        other.term,
                        first_sentence(&other.definition)
                    )),
                },
                None => notes.push(format!("the answer is {}", card.term)),
            }
        }
        let meant = pending.misuse.as_ref().and_then(|m| m.meant.as_deref());
        if !correct && named.is_some() && named.as_deref() == meant {
            // Naming the word the speaker should have used is half the insight; the question
            // asks for the misused word, so say so (and `:right` is there if that felt unfair).
            let meant_term = self
                .deck
                .get(meant.unwrap_or_default())
                .map_or("", |c| &c.term);
            notes.push(format!(
                "{meant_term} is what the sentence describes, but the question asks for the word used wrongly: {}",
                card.term
            ));
        }
        if let Some(m) = &pending.misuse {
            notes.push(format!(
                "why \"{}\" is misused here: {}",
                card.term, m.explanation
            ));
        }
        result.set_notes(notes);

        let before = self.progress.cards.get(&card.id).cloned();
        let streak_before = self.progress.answer_streak;
        let record = CardRecord::answered(before.as_ref(), correct, self.today);
        let streak = if correct { streak_before + 1 } else { 0 };
        self.progress
            .apply(&card.id, record.clone(), streak, self.today);
        if !correct && pending.slot.repeats < MAX_REPEATS {
            let at = REQUEUE_GAP.min(self.queue.len());
            self.queue.insert(
                at,
                Slot {
                    id: card.id.clone(),
                    repeats: pending.slot.repeats + 1,
                },
            );
        }
        self.last = Some(Last {
            id: card.id.clone(),
            before,
            streak_before,
            correct,
            result: self.results.len(),
        });
        self.results.push(result.clone());
        vec![
            Event::Result(result),
            Event::Record {
                card: card.id,
                record,
                seen_delta: 1,
                correct_delta: u32::from(correct),
                answer_streak: streak,
            },
        ]
    }

    /// (correct, the spelling when a typo was forgiven, the card the answer named instead)
    fn judge(
        &self,
        card: &Card,
        pending: &Pending,
        text: &str,
    ) -> (bool, Option<String>, Option<String>) {
        if pending.choice_ids.is_empty() {
            let g = grade::grade(&self.deck, &card.id, text);
            return (g.correct, g.typo, g.named);
        }
        let choices = pending.question.choices.as_deref().unwrap_or_default();
        let t = text.trim();
        let mut typo = None;
        let mut picked = None;
        if let Ok(n) = t.parse::<usize>() {
            picked = (1..=choices.len()).contains(&n).then(|| n - 1);
        } else if t.len() == 1 {
            let c = t.chars().next().unwrap_or(' ').to_ascii_lowercase();
            let i = (c as usize).wrapping_sub('a' as usize);
            picked = (i < choices.len()).then_some(i);
        }
        if picked.is_none() {
            let key = normalize(t);
            picked = choices.iter().position(|c| normalize(c) == key);
        }
        let mut named = None;
        if picked.is_none() {
            // A term typed instead of a letter: it picks the choice that belongs to that term.
            let who = grade::identify(&self.deck, t, &card.id);
            if let Named::Typo { form, .. } = &who {
                typo = Some(form.clone());
            }
            named = who.id().map(str::to_string);
            picked = named
                .as_ref()
                .and_then(|n| pending.choice_ids.iter().position(|c| c == n));
        }
        match picked {
            Some(i) if pending.choice_ids[i] == card.id => (true, typo, None),
            Some(i) => (false, None, Some(pending.choice_ids[i].clone())),
            None => (false, None, named),
        }
    }

    /// `:right`: the learner says the last wrong verdict was a grading mistake.
    fn overturn(&mut self) -> Vec<Event> {
        let Some(last) = self.last.as_mut().filter(|l| !l.correct) else {
            let mut events = vec![Event::Notice(
                "nothing to overturn: :right applies to the last answer marked wrong".to_string(),
            )];
            // Every front end waits on a question; ask the pending one again.
            events.extend(
                self.current
                    .as_ref()
                    .map(|p| Event::Question(p.question.clone())),
            );
            return events;
        };
        last.correct = true;
        let last = last.clone();
        let record = CardRecord::answered(last.before.as_ref(), true, self.today);
        let streak = last.streak_before + 1;
        self.progress
            .apply(&last.id, record.clone(), streak, self.today);
        if let Some(i) = self
            .queue
            .iter()
            .position(|s| s.id == last.id && s.repeats > 0)
        {
            self.queue.remove(i);
        }
        let r = &mut self.results[last.result];
        r.correct = true;
        r.overridden = true;
        let term = r.term.clone();
        let mut events = vec![
            Event::Overridden {
                card: last.id.clone(),
                term,
            },
            Event::Record {
                card: last.id,
                record,
                seen_delta: 0,
                correct_delta: 1,
                answer_streak: streak,
            },
        ];
        match &mut self.current {
            Some(p) => {
                p.question.total = self.number + self.queue.len();
                events.push(Event::Question(p.question.clone()));
            }
            None => events.push(Event::End(self.summary())),
        }
        events
    }
}

/// Which cards, in which order: due cards first (missed ones before the rest, oldest due
/// first), then new cards, then the rest by due date; `count` of them.
fn plan(
    deck: &Deck,
    progress: &Progress,
    today: Day,
    options: Options,
    rng: &mut StdRng,
) -> VecDeque<Slot> {
    let mut pool: Vec<&Card> = deck.cards.iter().collect();
    if options.mode == Mode::Misuse && pool.iter().any(|c| !c.misuse.is_empty()) {
        pool.retain(|c| !c.misuse.is_empty());
    }
    pool.shuffle(rng);
    let mut due = Vec::new();
    let mut new = Vec::new();
    let mut later = Vec::new();
    for card in pool {
        match progress.cards.get(&card.id) {
            Some(r) if r.due <= today => due.push((r.last_correct, r.due, r.box_, card)),
            Some(r) => later.push((r.due, card)),
            None => new.push(card),
        }
    }
    due.sort_by_key(|&(ok, day, b, _)| (ok, day, b));
    later.sort_by_key(|&(day, _)| day);
    due.into_iter()
        .map(|t| t.3)
        .chain(new)
        .chain(later.into_iter().map(|t| t.1))
        .take(options.count)
        .map(|c| Slot {
            id: c.id.clone(),
            repeats: 0,
        })
        .collect()
}

/// The definition's first sentence, enough to say what a wrongly named term means.
fn first_sentence(text: &str) -> String {
    let sentence = match text.find(". ") {
        Some(i) => &text[..i],
        None => text.trim_end_matches('.'),
    };
    let mut chars = sentence.chars();
    match (chars.next(), chars.next()) {
        // Keep "SLA ..." or "TLS ..." as written; lowercase an ordinary capital.
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => a
            .to_lowercase()
            .chain(sentence[a.len_utf8()..].chars())
            .collect(),
        _ => sentence.to_string(),
    }
}
