//! The pure core, driven directly: consequences (a blamed character withdraws and offers no
//! facts, a guess left standing comes back as a fact, a followed tangent overruns and squeezes
//! later phases), line-variant modes, the clock, and determinism.

use std::sync::{Arc, OnceLock};

use debrief::evaluator::Evaluator;
use debrief::rehearse::{Command, Event, Session};
use debrief::ronfile::Source;
use debrief::scenario::{self, Scenario};

fn evaluator() -> Arc<Evaluator> {
    static E: OnceLock<Arc<Evaluator>> = OnceLock::new();
    Arc::clone(E.get_or_init(|| Arc::new(Evaluator::embedded().unwrap())))
}

const TABLE: &str = r#"(
    id: "table",
    title: "Table",
    brief: "A small meeting for tests.",
    facts: (started: "10:00 UTC", resolved: "10:10 UTC", mttr_min: 10, blast_radius: "2% of requests", slo: "99.9%", timeline: [("10:00", "deploy")]),
    cast: {
        "bo": (name: "Bo", role: "Manager", persona: Blamer, escalation: ["Who was it?", "I want a name."]),
        "cy": (name: "Cy", role: "Engineer", persona: SelfBlamer),
    },
    phases: [
        (id: "one", title: "One", timebox_min: 6, beats: [
            Say(who: "bo", lines: ["Cy broke it."]),
            Turn(after: FingerPointing, takes_min: 1, on_fail: [Mood(who: "cy", to: Withdrawn), Escalate(who: "bo")]),
            Say(who: "cy", reveals: "the deploy tool hides config diffs", lines: ["The deploy tool hid the config diff."]),
            Say(who: "bo", lines: ["It's the cache, obviously."]),
            Turn(after: Speculation, on_fail: [Set("cache")]),
            Say(who: "bo", lines: ["Let's discuss the reorg."]),
            Turn(after: Tangent, takes_min: 0.5, on_fail: [Spend(min: 5, why: "the reorg")]),
        ]),
        (id: "two", title: "Two", timebox_min: 5, beats: [
            If(when: Flag("cache"), then: [Say(who: "bo", lines: ["Action one: fix the cache, since that was the cause."])]),
            Turn(after: None),
            End,
        ]),
    ],
)"#;

fn table() -> Arc<Scenario> {
    Arc::new(scenario::load(&Source::new("table.ron", TABLE)).unwrap_or_else(|d| panic!("{d:?}")))
}

fn answer(text: &str) -> Command {
    Command::Answer {
        text: text.into(),
        elapsed_s: None,
    }
}

fn play(scenario: Arc<Scenario>, seed: u64, answers: &[&str]) -> (Session, Vec<Event>) {
    let mut s = Session::new(scenario, seed).with_evaluator(evaluator());
    let mut events = s.start();
    for a in answers {
        events.extend(s.step(answer(a)));
    }
    (s, events)
}

fn says(events: &[Event]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            Event::Say { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

const BLAME: &str = "Cy pushed it without testing. That was careless.";
const GUESS: &str = "Yeah, it's probably the cache, I bet.";
const RAMBLE: &str = "Um, yeah, basically, you know, let's talk about the reorg for a bit, I mean it's kind of interesting, sort of, whatever.";
const REDIRECT: &str = "Let's focus on what happened, not who. What did the deploy tool show before the change went out?";
const EVIDENCE: &str =
    "That's one hypothesis. What do the cache hit-rate dashboards show for 10:00?";
const PARK: &str = "Good point, let's park the reorg and get back to the agenda.";

#[test]
fn blame_silences_the_blamed_and_their_facts() {
    let (s, events) = play(table(), 1, &[BLAME]);
    assert!(
        says(&events).contains(&"Who was it?".to_string()),
        "Bo escalates"
    );
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Narrate { text } if text.contains("Cy stays quiet"))));
    assert!(!says(&events)
        .iter()
        .any(|t| t.contains("hid the config diff")));
    let mut s = s;
    let facts = s.step(Command::Facts);
    assert!(matches!(&facts[0], Event::Facts { facts } if facts.offered.is_empty()));

    let (mut s, events) = play(table(), 1, &[REDIRECT]);
    assert!(says(&events)
        .iter()
        .any(|t| t.contains("hid the config diff")));
    let facts = s.step(Command::Facts);
    assert!(
        matches!(&facts[0], Event::Facts { facts } if facts.offered == ["the deploy tool hides config diffs"])
    );
}

#[test]
fn a_guess_left_standing_comes_back_as_a_fact() {
    let (_, events) = play(table(), 1, &[REDIRECT, GUESS, PARK]);
    assert!(says(&events)
        .iter()
        .any(|t| t.contains("since that was the cause")));
    let (_, events) = play(table(), 1, &[REDIRECT, EVIDENCE, PARK]);
    assert!(!says(&events)
        .iter()
        .any(|t| t.contains("since that was the cause")));
}

#[test]
fn a_followed_tangent_overruns_and_squeezes_the_next_phase() {
    let (_, events) = play(table(), 1, &[REDIRECT, EVIDENCE, RAMBLE]);
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Overrun { phase, .. } if phase == "one")));
    let squeezed = events.iter().find_map(|e| match e {
        Event::Phase { id, squeezed_s, .. } if id == "two" => Some(*squeezed_s),
        _ => None,
    });
    assert!(squeezed.unwrap() > 0, "phase two is squeezed");

    let (_, events) = play(table(), 1, &[REDIRECT, EVIDENCE, PARK]);
    assert!(!events.iter().any(|e| matches!(e, Event::Overrun { .. })));
}

#[test]
fn the_clock_counts_speaking_time_with_a_floor_or_the_wall_clock() {
    let (_, events) = play(table(), 1, &["Okay."]);
    let cost = events.iter().find_map(|e| match e {
        Event::Feedback { cost_s, .. } => Some(*cost_s),
        _ => None,
    });
    assert_eq!(
        cost,
        Some(10 + 60),
        "a one-word answer costs the floor plus the room's minute"
    );
    let mut s = Session::new(table(), 1).with_evaluator(evaluator());
    s.start();
    let events = s.step(Command::Answer {
        text: REDIRECT.into(),
        elapsed_s: Some(300),
    });
    assert!(events
        .iter()
        .any(|e| matches!(e, Event::Feedback { cost_s: 360, .. })));
}

#[test]
fn same_seed_same_events_and_quit_still_scores() {
    let json = |events: &[Event]| serde_json::to_string(events).unwrap();
    let a = play(table(), 9, &[REDIRECT, GUESS]).1;
    let b = play(table(), 9, &[REDIRECT, GUESS]).1;
    assert_eq!(json(&a), json(&b));
    let (mut s, _) = play(table(), 9, &[REDIRECT]);
    let end = s.step(Command::Quit);
    match end.last() {
        Some(Event::End {
            completed,
            scorecard,
        }) => {
            assert!(!completed);
            assert_eq!(
                (scorecard.moves.met, scorecard.moves.total),
                (1, 3),
                "unreached moments count as missed"
            );
        }
        other => panic!("expected end, got {other:?}"),
    }
    assert!(s.is_over());
    assert!(matches!(&s.step(answer("hello"))[0], Event::Notice { .. }));
}

const LOOP: &str = r#"(
    id: "loop",
    title: "Loop",
    brief: "b",
    facts: (started: "1:00", resolved: "1:01", mttr_min: 1, blast_radius: "x", slo: "y", timeline: []),
    cast: {"al": (name: "Al", role: "R", persona: Wanderer)},
    phases: [
        (id: "a", title: "A", timebox_min: 30, beats: [
            Say(who: "al", vary: Shuffle, lines: ["one", "two", "three"]),
            Say(who: "al", vary: Once, lines: ["only once"]),
            Say(who: "al", vary: Sequence, lines: ["first", "second"]),
            Turn(after: None, on_pass: [Jump("a")], on_fail: [End]),
        ]),
    ],
)"#;

#[test]
fn line_variants_shuffle_once_and_sequence() {
    let scenario = Arc::new(scenario::load(&Source::new("loop.ron", LOOP)).unwrap());
    let (_, events) = play(scenario, 3, &["Thanks.", "Thanks."]);
    let lines = says(&events);
    let shuffled: Vec<&String> = lines
        .iter()
        .filter(|l| ["one", "two", "three"].contains(&l.as_str()))
        .collect();
    assert_eq!(shuffled.len(), 3);
    assert!(
        shuffled[0] != shuffled[1] && shuffled[1] != shuffled[2] && shuffled[0] != shuffled[2],
        "{shuffled:?}"
    );
    assert_eq!(lines.iter().filter(|l| *l == "only once").count(), 1);
    let seq: Vec<&String> = lines
        .iter()
        .filter(|l| *l == "first" || *l == "second")
        .collect();
    assert_eq!(seq, ["first", "second", "second"]);
}
