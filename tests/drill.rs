//! `debrief drill` end to end: a bot answering through `--jsonl`, progress across sessions,
//! a corrupt progress file, the deck listing, scripted runs and usage errors. Every run uses
//! a temporary data dir, NO_COLOR and a fixed DEBRIEF_TODAY.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command as StdCommand, Stdio};

use assert_cmd::Command;
use debrief::drill::deck::Deck;
use serde_json::Value;

const TODAY: &str = "2026-11-27";
const TOMORROW: &str = "2026-11-28";

fn terms() -> BTreeMap<String, String> {
    Deck::embedded()
        .expect("the shipped deck loads")
        .cards
        .into_iter()
        .map(|c| (c.id, c.term))
        .collect()
}

/// `debrief drill --jsonl ARGS` on `data` as of `today`, its streams piped.
fn spawn_jsonl(data: &Path, today: &str, args: &[&str]) -> std::process::Child {
    StdCommand::new(assert_cmd::cargo::cargo_bin("debrief"))
        .arg("--data-dir")
        .arg(data)
        .args(["drill", "--jsonl"])
        .args(args)
        .env("NO_COLOR", "1")
        .env("DEBRIEF_TODAY", today)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("debrief runs")
}

/// Run a JSON Lines session, answering each question with `answer(question)`; returns every
/// event and what was printed on stderr.
fn bot(
    data: &Path,
    today: &str,
    args: &[&str],
    mut answer: impl FnMut(&Value) -> String,
) -> (Vec<Value>, String) {
    let mut child = spawn_jsonl(data, today, args);
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut events = Vec::new();
    for line in stdout.lines() {
        let line = line.unwrap();
        let event: Value =
            serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        let kind = event["type"].as_str().unwrap_or_default().to_string();
        if kind == "question" {
            writeln!(stdin, "{}", answer(&event)).unwrap();
        }
        events.push(event);
        if kind == "end" {
            break;
        }
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "exit {:?}", out.status);
    (events, String::from_utf8_lossy(&out.stderr).into_owned())
}

fn of_type<'a>(events: &'a [Value], kind: &str) -> Vec<&'a Value> {
    events.iter().filter(|e| e["type"] == kind).collect()
}

fn right_term(q: &Value) -> String {
    terms()[q["card"].as_str().unwrap()].clone()
}

#[test]
fn a_bot_with_the_right_terms_scores_all_correct_in_every_mode() {
    let data = tempfile::tempdir().unwrap();
    let terms = terms();
    let (events, _) = bot(data.path(), TODAY, &["--count", "60", "--seed", "7"], |q| {
        terms[q["card"].as_str().unwrap()].clone()
    });
    let questions = of_type(&events, "question");
    assert_eq!(questions.len(), terms.len(), "every card asked once");
    let modes: std::collections::BTreeSet<&str> = questions
        .iter()
        .map(|q| q["mode"].as_str().unwrap())
        .collect();
    for m in ["recall", "reverse", "choice", "apply", "misuse"] {
        assert!(modes.contains(m), "mixed mode never asked {m}: {modes:?}");
    }
    for q in &questions {
        let has_choices = q.get("choices").is_some();
        let expects = matches!(q["mode"].as_str(), Some("reverse" | "choice" | "apply"));
        assert_eq!(has_choices, expects, "{q}");
    }
    for r in of_type(&events, "result") {
        assert_eq!(r["correct"], true, "{r}");
    }
    let end = events.last().unwrap();
    assert_eq!(end["type"], "end");
    assert_eq!(end["summary"]["asked"], terms.len());
    assert_eq!(end["summary"]["correct"], terms.len());
}

const MODES: [&str; 6] = ["recall", "choice", "reverse", "apply", "misuse", "mixed"];

#[test]
fn mttd_for_mttr_and_sla_for_slo_are_wrong_with_the_difference_explained_in_every_mode() {
    for mode in MODES {
        let data = tempfile::tempdir().unwrap();
        let (events, _) = bot(
            data.path(),
            TODAY,
            &["--mode", mode, "--count", "60", "--seed", "1"],
            |q| match q["card"].as_str().unwrap() {
                "mttr" => "MTTD".into(),
                "slo" => "SLA".into(),
                _ => right_term(q),
            },
        );
        let results = of_type(&events, "result");
        for (card, wrong, right, word) in [
            ("mttr", "MTTD", "MTTR", "noticed"),
            ("slo", "SLA", "SLO", "contract"),
        ] {
            let r = results
                .iter()
                .find(|r| r["card"] == card)
                .unwrap_or_else(|| panic!("{card} not asked in {mode}"));
            assert_eq!(r["correct"], false, "{mode}: {r}");
            assert_eq!(r["expected"], right);
            let note = r["note"].as_str().unwrap();
            assert!(
                note.starts_with(&format!("{wrong} is not {right}:")) && note.contains(word),
                "{mode}: {note}"
            );
            assert!(r["difference"].is_string(), "{mode}: {r}");
            assert!(
                r["example"].as_str().unwrap().contains(right),
                "{mode}: {r}"
            );
        }
        // A missed card comes back in the same session; everything else was right.
        let asked_mttr = of_type(&events, "question")
            .iter()
            .filter(|q| q["card"] == "mttr")
            .count();
        assert!(asked_mttr >= 2, "{mode}: mttr was not asked again");
        for r in &results {
            let fooled = r["card"] == "mttr" || r["card"] == "slo";
            assert_eq!(r["correct"], !fooled, "{mode}: {r}");
        }
    }
}

#[test]
fn a_one_letter_typo_in_a_long_term_is_right_with_a_note_in_every_mode() {
    for mode in MODES {
        let data = tempfile::tempdir().unwrap();
        let (events, _) = bot(
            data.path(),
            TODAY,
            &["--mode", mode, "--count", "60", "--seed", "2"],
            |q| match q["card"].as_str().unwrap() {
                "circuit-breaker" => "circiut breaker".into(),
                "backpressure" => "backpresure".into(),
                _ => right_term(q),
            },
        );
        for card in ["circuit-breaker", "backpressure"] {
            let r = of_type(&events, "result")
                .into_iter()
                .find(|r| r["card"] == card)
                .unwrap()
                .clone();
            assert_eq!(r["correct"], true, "{mode}: {r}");
            assert_eq!(r["typo"], true, "{mode}: {r}");
            assert!(
                r["note"].as_str().unwrap().contains("spelled"),
                "{mode}: {r}"
            );
        }
    }
}

#[test]
fn acronym_typos_are_not_forgiven_and_choices_take_letters() {
    let data = tempfile::tempdir().unwrap();
    let (events, _) = bot(
        data.path(),
        TODAY,
        &["--mode", "choice", "--count", "3", "--seed", "4"],
        |q| {
            let choices = q["choices"].as_array().unwrap();
            let term = right_term(q);
            let i = choices
                .iter()
                .position(|c| c == &Value::String(term.clone()))
                .unwrap();
            char::from(b'a' + i as u8).to_string()
        },
    );
    assert!(of_type(&events, "result")
        .iter()
        .all(|r| r["correct"] == true));

    let (events, _) = bot(
        data.path(),
        TODAY,
        &["--mode", "recall", "--count", "60", "--seed", "4"],
        |q| {
            if q["card"] == "mtbf" {
                "MTBR".into()
            } else {
                right_term(q)
            }
        },
    );
    let r = of_type(&events, "result")
        .into_iter()
        .find(|r| r["card"] == "mtbf")
        .unwrap();
    assert_eq!(r["correct"], false, "{r}");
}

#[test]
fn override_skip_and_quit_work_in_jsonl() {
    let data = tempfile::tempdir().unwrap();
    let mut n = 0;
    let (events, _) = bot(
        data.path(),
        TODAY,
        &["--mode", "recall", "--count", "5", "--seed", "9"],
        |q| {
            n += 1;
            match n {
                1 => ":right".into(),
                2 => "no idea".into(),
                3 => ":right".into(),
                4 => "{\"answer\": 3".into(),
                5 => ":skip".into(),
                6 => format!("{{\"answer\": {:?}}}", right_term(q)),
                _ => ":quit".into(),
            }
        },
    );
    let kinds: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    #[rustfmt::skip]
    let expected = [
        "question", "notice", "question", "result", "question", "override", "question",
        "error", "question", "result", "question", "result", "question", "end",
    ];
    assert_eq!(kinds, expected, "{events:?}");
    for (again, first) in [(2, 0), (6, 4), (8, 4)] {
        let key = |e: &Value| (e["card"].clone(), e["number"].clone(), e["prompt"].clone());
        assert_eq!(
            key(&events[again]),
            key(&events[first]),
            "the pending question is sent again"
        );
    }
    assert_eq!(events[9]["skipped"], true);
    assert_eq!(events[11]["correct"], true, "a JSON answer line works");
    let summary = &events.last().unwrap()["summary"];
    assert_eq!(
        (
            summary["asked"].as_u64(),
            summary["correct"].as_u64(),
            summary["skipped"].as_u64()
        ),
        (Some(2), Some(2), Some(1))
    );
    assert_eq!(summary["overridden"], 1);
}

#[test]
fn progress_is_saved_and_the_next_session_asks_missed_and_due_cards_first() {
    let data = tempfile::tempdir().unwrap();
    let mut missed = None;
    let (events, _) = bot(
        data.path(),
        TODAY,
        &["--mode", "recall", "--count", "3", "--seed", "11"],
        |q| {
            let card = q["card"].as_str().unwrap().to_string();
            if missed.is_none() {
                missed = Some(card.clone());
            }
            if Some(&card) == missed.as_ref() {
                "wrong answer".into()
            } else {
                right_term(q)
            }
        },
    );
    let missed = missed.unwrap();
    let first: Vec<String> = of_type(&events, "question")
        .iter()
        .map(|q| q["card"].as_str().unwrap().to_string())
        .collect();
    let progress: Value =
        serde_json::from_slice(&std::fs::read(data.path().join("drill/progress.json")).unwrap())
            .unwrap();
    assert_eq!(progress["cards"][&missed]["box"], 1);
    assert_eq!(progress["cards"][&missed]["due"], TODAY);
    assert_eq!(progress["cards"].as_object().unwrap().len(), 3);

    // Same day: the missed card is due again and comes first.
    let (events, _) = bot(
        data.path(),
        TODAY,
        &["--mode", "recall", "--count", "1", "--seed", "99"],
        right_term,
    );
    assert_eq!(of_type(&events, "question")[0]["card"], missed.as_str());

    // Next day: the cards answered right are due too, and all three come before new cards.
    let (events, _) = bot(
        data.path(),
        TOMORROW,
        &["--mode", "recall", "--count", "3", "--seed", "5"],
        right_term,
    );
    let second: std::collections::BTreeSet<String> = of_type(&events, "question")
        .iter()
        .map(|q| q["card"].as_str().unwrap().to_string())
        .collect();
    let first: std::collections::BTreeSet<String> = first.into_iter().collect();
    assert_eq!(second, first);
}

#[test]
fn a_corrupt_progress_file_is_set_aside_with_a_message() {
    let data = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(data.path().join("drill")).unwrap();
    let garbage = b"{\"cards\": {\"mttr\": oops";
    std::fs::write(data.path().join("drill/progress.json"), garbage).unwrap();
    let (_, stderr) = bot(
        data.path(),
        TODAY,
        &["--count", "1", "--seed", "1"],
        right_term,
    );
    assert!(
        stderr.contains("drill progress could not be read"),
        "{stderr}"
    );
    let moved: Vec<_> = std::fs::read_dir(data.path().join("drill"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().contains("progress.json.corrupt"))
        .collect();
    assert_eq!(moved.len(), 1, "{moved:?}");
    assert!(
        stderr.contains(&*moved[0].to_string_lossy()),
        "the message names the moved file: {stderr}"
    );
    assert_eq!(std::fs::read(&moved[0]).unwrap(), garbage);
    let fresh: Value =
        serde_json::from_slice(&std::fs::read(data.path().join("drill/progress.json")).unwrap())
            .unwrap();
    assert_eq!(fresh["cards"].as_object().unwrap().len(), 1);
}

fn debrief(data: &Path) -> Command {
    let mut cmd = Command::cargo_bin("debrief").unwrap();
    cmd.arg("--data-dir")
        .arg(data)
        .env("NO_COLOR", "1")
        .env("DEBRIEF_TODAY", TODAY);
    cmd
}

#[test]
fn the_deck_has_every_required_term_and_lists_as_json() {
    let data = tempfile::tempdir().unwrap();
    let out = debrief(data.path())
        .args(["drill", "deck", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let deck: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert!(deck.len() >= 40, "only {} cards", deck.len());
    for card in &deck {
        for key in ["id", "term", "definition", "example"] {
            assert!(
                card[key].as_str().is_some_and(|s| !s.is_empty()),
                "{key} in {card}"
            );
        }
        assert!(card["aliases"].is_array(), "{card}");
        assert!(!card["vignettes"].as_array().unwrap().is_empty(), "{card}");
    }
    let ids: Vec<&str> = deck.iter().map(|c| c["id"].as_str().unwrap()).collect();
    let required = [
        "rca",
        "blast-radius",
        "mttr",
        "slo",
        "telemetry",
        "circuit-breaker",
        "backpressure",
        "dependency-injection",
        "eventual-consistency",
        "sli",
        "sla",
        "error-budget",
        "mttd",
        "mtbf",
        "mtta",
        "incident-commander",
        "runbook",
        "canary-release",
        "feature-flag",
        "rollback",
        "rate-limiting",
        "bulkhead",
        "retry-storm",
        "jitter",
        "thundering-herd",
        "idempotency",
        "graceful-degradation",
        "toil",
        "contributing-factors",
        "five-whys",
        "counterfactual",
        "hindsight-bias",
        "second-story",
        "blameless",
        "severity-levels",
        "on-call",
    ];
    for id in required {
        assert!(ids.contains(&id), "missing card {id}");
    }
    let core: Vec<&str> = deck
        .iter()
        .filter(|c| c["core"] == true)
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(core.len(), 9, "{core:?}");
    let text = debrief(data.path())
        .args(["drill", "deck"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("MTTR (mean time to recovery"));
}

#[test]
fn a_scripted_run_reads_answers_from_a_file_and_saves_progress() {
    let data = tempfile::tempdir().unwrap();
    let answers = data.path().join("answers.txt");
    std::fs::write(&answers, "MTTD\n\n:skip\nnonsense\n:right\n").unwrap();
    let out = debrief(data.path())
        .args([
            "drill",
            "--mode",
            "recall",
            "--count",
            "3",
            "--seed",
            "3",
            "--answers",
        ])
        .arg(&answers)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("[1/3] recall"), "{stdout}");
    assert!(stdout.contains("skipped: the answer is"), "{stdout}");
    assert!(stdout.contains("overturned:"), "{stdout}");
    assert!(
        stdout.contains("drill done: 1 of 2 right, 1 skipped"),
        "{stdout}"
    );
    assert!(data.path().join("drill/progress.json").is_file());

    let out = debrief(data.path())
        .args([
            "drill",
            "--mode",
            "choice",
            "--count",
            "2",
            "--seed",
            "3",
            "--json",
            "--answers",
        ])
        .arg(&answers)
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["summary"]["asked"], 2, "{doc}");
    assert_eq!(doc["results"].as_array().unwrap().len(), 3, "{doc}");

    let stats = debrief(data.path())
        .args(["drill", "stats", "--json"])
        .output()
        .unwrap();
    let stats: Value = serde_json::from_slice(&stats.stdout).unwrap();
    let in_boxes: u64 = stats["boxes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b.as_u64().unwrap())
        .sum();
    assert_eq!(in_boxes as usize, stats["terms"].as_array().unwrap().len());
    let due = stats["terms"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["due"].as_str().unwrap() <= TODAY)
        .count();
    assert_eq!(stats["due_today"], due, "{stats}");
    assert_eq!(stats["day_streak"], 1);
    let text = debrief(data.path())
        .args(["drill", "stats"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("box 1") && text.contains("due today") && text.contains("streak"),
        "{text}"
    );
}

#[test]
fn usage_errors_exit_2_with_a_clear_message() {
    let data = tempfile::tempdir().unwrap();
    debrief(data.path())
        .args(["drill", "--mode", "flashcards"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("unknown drill mode 'flashcards' (expected recall, reverse, choice, apply, misuse or mixed)"));
    debrief(data.path())
        .args(["drill", "--count", "0"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--count must be at least 1"));
    debrief(data.path())
        .args(["drill", "--answers", "/nonexistent/answers.txt"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("/nonexistent/answers.txt"));
    debrief(data.path())
        .env("DEBRIEF_TODAY", "someday")
        .args(["drill", "stats"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("DEBRIEF_TODAY"));
}

#[test]
fn validate_reports_deck_problems_with_a_place() {
    let data = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string("phrasebank/deck.ron")
        .unwrap()
        .replacen("(id: \"rca\", difference:", "(id: \"rcaa\", difference:", 1)
        .replacen("        id: \"mttd\",", "        id: \"mttr\",", 1);
    let path = data.path().join("deck.ron");
    std::fs::write(&path, &text).unwrap();
    let out = debrief(data.path())
        .arg("validate")
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("unknown card 'rcaa'"), "{stdout}");
    assert!(stdout.contains("duplicate card id 'mttr'"), "{stdout}");
    assert!(stdout.contains("deck.ron:"), "{stdout}");
}

/// A JSON Lines session we drive by hand, to interleave two of them.
struct Live {
    child: std::process::Child,
    stdin: std::process::ChildStdin,
    stdout: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Live {
    fn start(data: &Path, seed: &str) -> Live {
        let mut child = spawn_jsonl(
            data,
            TODAY,
            &["--mode", "recall", "--count", "2", "--seed", seed],
        );
        let stdin = child.stdin.take().unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        Live {
            child,
            stdin,
            stdout,
        }
    }

    fn read(&mut self) -> Value {
        serde_json::from_str(&self.stdout.next().unwrap().unwrap()).unwrap()
    }

    fn answer(&mut self, text: &str) -> Value {
        writeln!(self.stdin, "{text}").unwrap();
        self.read()
    }
}

#[test]
fn two_sessions_at_once_lose_no_update() {
    let data = tempfile::tempdir().unwrap();
    let mut a = Live::start(data.path(), "1");
    let mut b = Live::start(data.path(), "2");
    let qa = a.read();
    let qb = b.read();
    assert_ne!(
        qa["card"], qb["card"],
        "pick seeds that start on different cards"
    );
    // Both loaded the empty progress before either answered.
    assert_eq!(b.answer(&right_term(&qb))["type"], "result");
    assert_eq!(a.answer(&right_term(&qa))["type"], "result");
    for mut s in [a, b] {
        drop(s.stdin);
        s.child.wait().unwrap();
    }
    let progress: Value =
        serde_json::from_slice(&std::fs::read(data.path().join("drill/progress.json")).unwrap())
            .unwrap();
    for card in [&qa["card"], &qb["card"]] {
        assert_eq!(
            progress["cards"][card.as_str().unwrap()]["correct"],
            1,
            "{progress}"
        );
    }
}

#[test]
fn a_scripted_session_reads_well() {
    let data = tempfile::tempdir().unwrap();
    let answers = data.path().join("answers.txt");
    std::fs::write(&answers, "MTTD\nb\ncirciut breaker\n:skip\n:quit\n").unwrap();
    let out = debrief(data.path())
        .args(["drill", "--count", "4", "--seed", "21", "--answers"])
        .arg(&answers)
        .output()
        .unwrap();
    assert!(out.status.success());
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stdout));
}

/// A client reads until `end`; a `:right` sent after it still overturns the last answer
/// (as `--answers` and the REPL allow), answered with `override` and a fresh `end`, and the
/// overturned card is saved as answered right.
#[test]
fn right_after_the_end_of_a_jsonl_session_overturns_the_last_answer() {
    let data = tempfile::tempdir().unwrap();
    let mut child = spawn_jsonl(
        data.path(),
        TODAY,
        &["--mode", "recall", "--count", "1", "--seed", "4"],
    );
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
    // Reads events until `end`, answering every question with `reply`.
    let mut until_end = |reply: &str| -> Vec<Value> {
        writeln!(stdin, "{reply}").unwrap();
        let mut events = Vec::new();
        for line in stdout.by_ref() {
            let event: Value = serde_json::from_str(&line.unwrap()).unwrap();
            let kind = event["type"].as_str().unwrap().to_string();
            events.push(event);
            match kind.as_str() {
                "end" => break,
                "question" if events.len() > 1 => writeln!(stdin, "{reply}").unwrap(),
                _ => {}
            }
        }
        events
    };
    let kinds = |events: &[Value]| -> Vec<String> {
        events
            .iter()
            .map(|e| e["type"].as_str().unwrap().to_string())
            .collect()
    };
    // Every question (the card, and its repeat after a miss) is answered wrong.
    let first = until_end("certainly not the right term");
    let results = of_type(&first, "result");
    assert!(!results.is_empty() && results.iter().all(|r| r["correct"] == false));
    assert_eq!(first.last().unwrap()["summary"]["correct"], 0, "{first:?}");
    let card = results[0]["card"].clone();

    let overturned = until_end(":right");
    assert_eq!(kinds(&overturned), ["override", "end"], "{overturned:?}");
    assert_eq!(overturned[0]["card"], card);
    let summary = &overturned[1]["summary"];
    assert_eq!(
        (&summary["correct"], &summary["overridden"]),
        (&1.into(), &1.into())
    );

    // Nothing more to overturn: a notice, and the end again (a client waits for it).
    let again = until_end(":right");
    assert_eq!(kinds(&again), ["notice", "end"], "{again:?}");
    drop(stdin);
    assert!(child.wait().unwrap().success());

    let stats = debrief(data.path())
        .args(["drill", "stats", "--json"])
        .output()
        .unwrap();
    let stats: Value = serde_json::from_slice(&stats.stdout).unwrap();
    let term = stats["terms"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == card)
        .unwrap_or_else(|| panic!("{card} saved: {stats}"));
    assert_eq!(term["correct"], 1, "{term}");
}
