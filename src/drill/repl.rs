//! The interactive drill: rustyline, `:quit`, `:skip`, `:right`, `:help`. Ctrl-C and Ctrl-D
//! end the session; every answer is already saved, so nothing is lost.

use rustyline::error::ReadlineError;
use rustyline::DefaultEditor;

use crate::drill::quiz::{Command, Event};
use crate::drill::{emit, render, Driver};
use crate::error::{Error, Outcome, Result};
use crate::prose;

pub fn run(driver: &mut Driver) -> Result<Outcome> {
    let mut editor =
        DefaultEditor::new().map_err(|e| Error::Other(format!("cannot start the prompt: {e}")))?;
    emit(&format!("{}\n", prose::DRILL_BANNER))?;
    show(&driver.start()?)?;
    while !driver.quiz.is_done() {
        let line = match editor.readline("> ") {
            Ok(line) => line,
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => {
                show(&driver.step(Command::Quit)?)?;
                break;
            }
            Err(e) => return Err(Error::Other(format!("cannot read the answer: {e}"))),
        };
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let _ = editor.add_history_entry(trimmed);
        if trimmed == ":help" || trimmed == ":h" {
            emit(&format!("{}\n", prose::DRILL_REPL_HELP))?;
            continue;
        }
        let command = Command::parse(trimmed);
        let quitting = command == Command::Quit;
        show(&driver.step(command)?)?;
        if driver.quiz.is_done() && !quitting && last_was_wrong(driver) {
            // The session is over, but the last verdict can still be overturned.
            if let Ok(line) = editor.readline(prose::DRILL_LAST_CHANCE) {
                if Command::parse(&line) == Command::Right {
                    show(&driver.step(Command::Right)?)?;
                }
            }
        }
    }
    Ok(Outcome::Success)
}

fn show(events: &[Event]) -> Result<()> {
    let text: String = events.iter().map(render::event).collect();
    emit(&text)
}

fn last_was_wrong(driver: &Driver) -> bool {
    driver
        .quiz
        .results()
        .last()
        .is_some_and(|r| !r.correct && !r.skipped)
}
