//! The interactive meeting in a real pseudo-terminal: the prompt appears, an answer gets a
//! verdict, `:facts` works (tab-completed), and Ctrl-C ends the meeting with the transcript saved.
//! The workshop's prompt names who has the floor and passes the seat on.

use std::process::Command;

use rexpect::session::spawn_command;

#[test]
fn repl_answers_facts_and_ctrl_c_keeps_the_transcript() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_debrief"));
    cmd.args(["--color", "never", "--data-dir"])
        .arg(dir.path())
        .args(["rehearse", "--seed", "4"]);
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn debrief in a pty");
    p.exp_string("Around the table").unwrap();
    p.exp_string("you> ").unwrap();
    p.send_line("Welcome. This is a blameless review of the system, not of people. Agenda: timeline, causes, actions, 35 minutes.")
        .unwrap();
    p.exp_string("move made").unwrap();
    p.exp_string("you> ").unwrap();
    p.send(":fa\t").unwrap(); // tab completes the command
    p.send_line("").unwrap();
    p.exp_string("MTTR 20 min").unwrap();
    p.exp_string("you> ").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("Scorecard (meeting ended early)").unwrap();
    p.exp_string("saved to").unwrap();
    p.exp_eof().unwrap();
    let saved: Vec<_> = std::fs::read_dir(dir.path().join("sessions"))
        .expect("sessions dir")
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(saved.len(), 1, "{saved:?}");
    let text = std::fs::read_to_string(&saved[0]).unwrap();
    assert!(
        text.contains("Welcome. This is a blameless review"),
        "{text}"
    );
}

#[test]
fn workshop_prompt_names_the_player_in_the_seat() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_debrief"));
    cmd.args(["--color", "never", "--data-dir"])
        .arg(dir.path())
        .args(["workshop", "--players", "Ana,Ben", "--seed", "2"]);
    let mut p = spawn_command(cmd, Some(20_000)).expect("spawn debrief in a pty");
    p.exp_string("Ana has the floor").unwrap();
    p.exp_string("Ana> ").unwrap();
    p.send_line("Thanks all. This is blameless; we look at systems, not people. Agenda: timeline, causes, actions.")
        .unwrap();
    p.exp_string("move made").unwrap();
    p.exp_string("Ben> ").unwrap();
    p.send_control('c').unwrap();
    p.exp_string("Leaderboard").unwrap();
    p.exp_string("(no turns)").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(
        std::fs::read_dir(dir.path().join("workshops"))
            .expect("workshops dir")
            .count(),
        1
    );
}
