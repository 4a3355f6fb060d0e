//! `debrief workshop`: a team takes turns in the seat. Driven through `--jsonl` like a front
//! end would, and through a scripted run like a facilitator would: the seat rotates, each
//! answer counts for the player who gave it, and the leaderboard ranks them best first.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use assert_cmd::cargo::CommandCargoExt;
use serde_json::Value;

const GOOD: &str = "Let's focus on what happened rather than who. What in the deploy process let that change reach production without a check? The deploy log shows the 09:10 change.";
const BAD: &str = "Honestly, she pushed it without testing. She should have known better.";

/// Play a whole meeting: Ana always answers well, Ben always blames.
fn drive(seed: &str) -> (Vec<Value>, tempfile::TempDir) {
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::cargo_bin("debrief")
        .unwrap()
        .args([
            "workshop",
            "--players",
            "Ana,Ben",
            "--jsonl",
            "--seed",
            seed,
        ])
        .env("DEBRIEF_HOME", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = BufReader::new(child.stdout.take().unwrap());
    let mut events = Vec::new();
    let mut seat = String::new();
    for line in stdout.lines() {
        let event: Value = serde_json::from_str(&line.unwrap()).expect("each line is JSON");
        match event["type"].as_str().unwrap() {
            "seat" => seat = event["player"].as_str().unwrap().to_string(),
            "await" => {
                let answer = if seat == "Ana" { GOOD } else { BAD };
                writeln!(stdin, "{answer}").unwrap();
            }
            _ => {}
        }
        events.push(event);
    }
    assert!(child.wait().unwrap().success());
    (events, home)
}

#[test]
fn the_seat_rotates_and_each_answer_counts_for_its_player() {
    let (events, home) = drive("7");
    let seats: Vec<&str> = events
        .iter()
        .filter(|e| e["type"] == "seat")
        .map(|e| e["player"].as_str().unwrap())
        .collect();
    assert!(seats.len() >= 4, "{seats:?}");
    for (i, p) in seats.iter().enumerate() {
        assert_eq!(*p, ["Ana", "Ben"][i % 2], "seat {i}: {seats:?}");
    }
    // Every await is announced by the seat event just before it.
    for (i, _) in events
        .iter()
        .enumerate()
        .filter(|(_, e)| e["type"] == "await")
    {
        assert_eq!(events[i - 1]["type"], "seat", "await at {i}");
    }
    for f in events.iter().filter(|e| e["type"] == "feedback") {
        let player = f["player"].as_str().expect("feedback names its player");
        let blameless = f["scores"]["blamelessness"].as_u64().unwrap();
        match player {
            "Ana" => assert!(blameless >= 60, "{f}"),
            _ => assert!(blameless < 60, "{f}"),
        }
    }
    let end = events.last().unwrap();
    assert_eq!(end["type"], "end");
    let board = end["leaderboard"]
        .as_array()
        .expect("end carries the leaderboard");
    let order: Vec<&str> = board
        .iter()
        .map(|b| b["player"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["Ana", "Ben"]);
    for b in board {
        for key in ["overall", "scores", "moves"] {
            assert!(!b[key].is_null(), "{key} missing in {b}");
        }
    }
    assert!(board[0]["overall"].as_u64() > board[1]["overall"].as_u64());
    let saved: Vec<_> = std::fs::read_dir(home.path().join("workshops"))
        .expect("the workshop record is saved")
        .collect();
    assert_eq!(saved.len(), 1);
}

#[test]
fn same_seed_same_stream() {
    let strip = |events: Vec<Value>| {
        events
            .into_iter()
            .filter(|e| e["type"] != "end")
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(drive("11").0), strip(drive("11").0));
}

/// `debrief --color never workshop --players PLAYERS --seed SEED`, with its own home.
fn scripted(home: &std::path::Path, players: &str, seed: &str) -> Command {
    let mut cmd = Command::cargo_bin("debrief").unwrap();
    cmd.args([
        "--color",
        "never",
        "workshop",
        "--players",
        players,
        "--seed",
        seed,
    ])
    .env("DEBRIEF_HOME", home);
    cmd
}

#[test]
fn a_scripted_workshop_prints_the_floor_and_the_leaderboard() {
    let home = tempfile::tempdir().unwrap();
    let out = scripted(home.path(), "Ana, Ben ,Chen", "3")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin
                .take()
                .unwrap()
                .write_all(format!("{GOOD}\n{BAD}\n").as_bytes())?;
            c.wait_with_output()
        })
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("── Ana has the floor"), "{text}");
    assert!(text.contains("Ben: Honestly"), "{text}");
    let board = &text[text.find("Leaderboard").expect("a leaderboard")..];
    let rows: Vec<&str> = board.lines().skip(2).collect();
    assert!(rows[0].contains("Ana"), "{board}");
    assert!(
        rows[2].contains("Chen") && rows[2].contains("(no turns)"),
        "{board}"
    );
}

#[test]
fn players_are_checked_before_the_meeting() {
    for players in ["Ana", "Ana,ana", " , "] {
        let out = Command::cargo_bin("debrief")
            .unwrap()
            .args(["workshop", "--players", players])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "--players {players:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("player"), "{err}");
    }
}

#[test]
fn answer_lines_the_meeting_did_not_reach_are_reported() {
    let home = tempfile::tempdir().unwrap();
    let answers = home.path().join("answers.txt");
    // Far more answers than any scenario has beats; blank lines do not count.
    let lines: Vec<&str> = std::iter::repeat_n([GOOD, "", BAD], 40).flatten().collect();
    std::fs::write(&answers, lines.join("\n")).unwrap();
    let out = scripted(home.path(), "Ana,Ben", "5")
        .arg("--answers")
        .arg(&answers)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let answered = stdout.matches(" has the floor").count();
    assert!(answered > 0 && answered < 80, "{stdout}");
    let note = format!(
        "the meeting ended with {} answer line(s) unused",
        80 - answered
    );
    assert!(stderr.contains(&note), "want {note:?} in:\n{stderr}");
    // ... said before where the meeting was saved.
    assert!(stderr.find(&note) < stderr.find("saved to"), "{stderr}");
}
