//! `debrief history` and `debrief report` over sessions saved by `rehearse`: oldest first,
//! the documented JSON shape, Markdown and JSON reports, clear errors, and a corrupt record
//! set aside rather than lost.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

fn run(data: &Path, args: &[&str], stdin: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_debrief"))
        .env("NO_COLOR", "1")
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

const OPENING: &str = "Thanks for coming. This is a blameless review: we look at the system and the process, not at people. Agenda: timeline, causes, actions.\n";

fn two_sessions(data: &Path) {
    let a = run(data, &["rehearse", "--seed", "1"], OPENING);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    let b = run(
        data,
        &[
            "rehearse",
            "--seed",
            "2",
            "--scenario",
            "checkout-retry-storm",
        ],
        "ok\n",
    );
    assert!(b.status.success());
}

#[test]
fn history_lists_sessions_oldest_first_with_the_documented_shape() {
    let dir = tempfile::tempdir().unwrap();
    two_sessions(dir.path());
    let out = run(dir.path(), &["history", "--json"], "");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2);
    for e in list {
        for key in ["id", "scenario", "started", "overall"] {
            assert!(e.get(key).is_some(), "{key} missing in {e}");
        }
        for key in ["blamelessness", "data", "concision"] {
            assert!(e["scores"][key].is_u64(), "{key} missing in {e}");
        }
    }
    assert_eq!(list[0]["scenario"], "ios-login", "oldest first");
    assert_eq!(list[1]["scenario"], "checkout-retry-storm");
    let text = String::from_utf8(run(dir.path(), &["history"], "").stdout).unwrap();
    assert!(
        text.contains("ios-login") && text.contains("ended early"),
        "{text}"
    );
}

#[test]
fn report_prints_markdown_or_json_for_an_id_or_the_latest() {
    let dir = tempfile::tempdir().unwrap();
    two_sessions(dir.path());
    let list: Value =
        serde_json::from_slice(&run(dir.path(), &["history", "--json"], "").stdout).unwrap();
    let first = list[0]["id"].as_str().unwrap();
    let md = String::from_utf8(run(dir.path(), &["report", first], "").stdout).unwrap();
    assert!(md.starts_with("# Rehearsal: iOS login"), "{md}");
    assert!(
        md.contains("## Scorecard") && md.contains("## Transcript"),
        "{md}"
    );
    assert!(
        md.contains("**You** _(opening the meeting)_: Thanks for coming"),
        "{md}"
    );
    let latest = run(dir.path(), &["report", "--format", "json"], "");
    let v: Value = serde_json::from_slice(&latest.stdout).unwrap();
    assert_eq!(v["scenario"], "checkout-retry-storm");
    assert!(v["scorecard"]["overall"].is_u64());
    let missing = run(dir.path(), &["report", "nope"], "");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no saved session 'nope'"));
}

#[test]
fn no_sessions_yet_is_not_an_error_for_history_but_is_for_report() {
    let dir = tempfile::tempdir().unwrap();
    let h = run(dir.path(), &["history"], "");
    assert!(h.status.success());
    assert!(String::from_utf8_lossy(&h.stdout).contains("no rehearsals yet"));
    let h = run(dir.path(), &["history", "--json"], "");
    assert_eq!(String::from_utf8_lossy(&h.stdout).trim(), "[]");
    assert_eq!(run(dir.path(), &["report"], "").status.code(), Some(2));
}

#[test]
fn a_corrupt_session_is_set_aside_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    two_sessions(dir.path());
    let sessions = dir.path().join("sessions");
    std::fs::write(sessions.join("20000101-000000-broken.json"), "{ not json").unwrap();
    let out = run(dir.path(), &["history", "--json"], "");
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v.as_array().unwrap().len(), 2);
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("set aside"), "{err}");
    let names: Vec<String> = std::fs::read_dir(&sessions)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert!(names.iter().any(|n| n.contains(".corrupt-")), "{names:?}");
}
