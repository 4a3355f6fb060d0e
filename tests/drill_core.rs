//! The drill's pure core, called as a library: the same seed and answers give the same
//! session; missed cards come back; `:right` restores the schedule; due cards come first.

use debrief::drill::deck::Deck;
use debrief::drill::leitner::{CardRecord, Day, Progress};
use debrief::drill::quiz::{Command, Event, Mode, Options, Quiz};

fn deck() -> Deck {
    Deck::embedded().expect("the shipped deck loads")
}

fn quiz(progress: Progress, mode: Mode, count: usize, seed: u64) -> Quiz {
    Quiz::new(deck(), progress, Day(20_000), Options { mode, count, seed })
}

fn questions(events: &[Event]) -> Vec<&debrief::drill::quiz::Question> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Question(q) => Some(q),
            _ => None,
        })
        .collect()
}

/// Play a whole session, answering every question with `answer(card id)`.
fn play(q: &mut Quiz, mut answer: impl FnMut(&str) -> String) -> Vec<Event> {
    let mut all = q.start();
    while let Some(Event::Question(question)) = all.last().cloned() {
        let events = q.step(Command::Answer(answer(&question.card)));
        all.extend(events);
    }
    all
}

#[test]
fn same_seed_and_answers_give_the_same_session() {
    let run = |seed| {
        play(&mut quiz(Progress::new(), Mode::Mixed, 12, seed), |_| {
            "MTTR".to_string()
        })
    };
    assert_eq!(run(42), run(42));
    assert_ne!(run(42), run(43));
}

#[test]
fn a_missed_card_comes_back_in_the_same_session_a_bounded_number_of_times() {
    let mut q = quiz(Progress::new(), Mode::Recall, 4, 1);
    let first = match &q.start()[0] {
        Event::Question(q) => q.card.clone(),
        e => panic!("{e:?}"),
    };
    let deck = deck();
    let mut events = Vec::new();
    let mut next = q.step(Command::Answer("wrong".into()));
    while let Some(Event::Question(question)) = next.last().cloned() {
        events.extend(next);
        let answer = if question.card == first {
            "still wrong".to_string()
        } else {
            deck.get(&question.card).unwrap().term.clone()
        };
        next = q.step(Command::Answer(answer));
    }
    events.extend(next);
    let again = questions(&events)
        .iter()
        .filter(|x| x.card == first)
        .count();
    assert_eq!(
        again, 2,
        "asked again twice, then left for the next session"
    );
    assert!(questions(&events)
        .iter()
        .filter(|x| x.card == first)
        .all(|x| x.repeat));
    let Some(Event::End(summary)) = events.last() else {
        panic!()
    };
    assert_eq!((summary.asked, summary.correct), (6, 3));
}

#[test]
fn right_overturns_the_last_miss_and_its_schedule() {
    let mut q = quiz(Progress::new(), Mode::Recall, 2, 5);
    q.start();
    let events = q.step(Command::Answer("nonsense".into()));
    let Some(Event::Record { card, record, .. }) =
        events.iter().find(|e| matches!(e, Event::Record { .. }))
    else {
        panic!("{events:?}")
    };
    assert_eq!(record.box_, 1);
    let card = card.clone();
    let events = q.step(Command::Right);
    assert!(
        matches!(&events[0], Event::Overridden { card: c, .. } if *c == card),
        "{events:?}"
    );
    let Event::Record {
        record,
        answer_streak,
        ..
    } = &events[1]
    else {
        panic!("{events:?}")
    };
    assert_eq!(*record, CardRecord::answered(None, true, Day(20_000)));
    assert_eq!(*answer_streak, 1);
    assert!(
        matches!(&events[2], Event::Question(_)),
        "the pending question is asked again"
    );
    // The overturned card is no longer queued to come back.
    let rest = play(&mut q, |_| "x".into());
    assert!(questions(&rest).iter().all(|x| x.card != card));
    // A second :right has nothing to overturn.
    let mut q = quiz(Progress::new(), Mode::Recall, 1, 5);
    q.start();
    assert!(matches!(&q.step(Command::Right)[0], Event::Notice(_)));
}

#[test]
fn due_and_missed_cards_come_before_new_ones() {
    let today = Day(20_000);
    let mut progress = Progress::new();
    let missed = CardRecord::answered(None, false, today.plus(-1));
    let due = CardRecord {
        last_correct: true,
        due: today,
        ..CardRecord::answered(None, true, today.plus(-3))
    };
    let later = CardRecord::answered(Some(&CardRecord::answered(None, true, today)), true, today);
    progress.cards.insert("toil".into(), due);
    progress.cards.insert("jitter".into(), missed);
    progress.cards.insert("mttr".into(), later);
    let mut q = quiz(progress, Mode::Recall, 48, 3);
    let events = play(&mut q, |_| "x".into());
    let order: Vec<&str> = questions(&events)
        .iter()
        .filter(|q| !q.repeat)
        .map(|q| q.card.as_str())
        .collect();
    assert_eq!(&order[..2], ["jitter", "toil"]);
    assert_eq!(order.last(), Some(&"mttr"), "a card not yet due comes last");
}

#[test]
fn choice_questions_offer_near_misses() {
    for seed in 0..5 {
        let mut q = quiz(Progress::new(), Mode::Choice, 48, seed);
        let events = play(&mut q, |_| "a".into());
        let slo = questions(&events)
            .into_iter()
            .find(|x| x.card == "slo")
            .unwrap()
            .clone();
        let choices = slo.choices.unwrap();
        assert_eq!(choices.len(), 4);
        for near in ["SLA", "SLI", "error budget", "SLO"] {
            assert!(choices.contains(&near.to_string()), "{choices:?}");
        }
    }
}
