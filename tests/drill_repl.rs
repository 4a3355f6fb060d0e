//! The interactive drill in a pseudo-terminal: answers, `:help`, and Ctrl-C ending the
//! session with every answer already saved.

use std::process::Command;

use rexpect::session::spawn_command;

#[test]
fn ctrl_c_ends_the_session_and_keeps_progress() {
    let data = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("debrief"));
    cmd.arg("--data-dir")
        .arg(data.path())
        .args(["drill", "--mode", "recall", "--count", "3", "--seed", "1"])
        .env("NO_COLOR", "1")
        .env("DEBRIEF_TODAY", "2026-11-27");
    let mut p = spawn_command(cmd, Some(10_000)).unwrap();
    p.exp_string("[1/3] recall").unwrap();
    p.send_line(":help").unwrap();
    p.exp_string(":right").unwrap();
    p.send_line("definitely not a term").unwrap();
    p.exp_string("not quite: the answer is").unwrap();
    p.exp_string("[2/4] recall").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("drill done: 0 of 1 right").unwrap();
    p.exp_eof().unwrap();
    let progress: serde_json::Value =
        serde_json::from_slice(&std::fs::read(data.path().join("drill/progress.json")).unwrap())
            .unwrap();
    assert_eq!(
        progress["cards"].as_object().unwrap().len(),
        1,
        "{progress}"
    );
}
