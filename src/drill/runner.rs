//! The scripted drill: answers from `--answers FILE` (or piped stdin), one per line, no
//! prompts. Blank lines are skipped; `:skip`, `:right`, `:quit` work as in the REPL, and a
//! `:right` after the last answer still overturns it. `--json` prints results and summary as
//! one JSON document at the end instead of text.

use std::io::BufRead;
use std::path::Path;

use crate::drill::quiz::{Command, Event};
use crate::drill::{emit, render, Driver};
use crate::error::{Error, Outcome, Result};

pub fn run(driver: &mut Driver, input: impl BufRead, json: bool, path: &Path) -> Result<Outcome> {
    let show = |events: &[Event]| -> Result<()> {
        if !json {
            let text: String = events.iter().map(render::event).collect();
            emit(&text)?;
        }
        Ok(())
    };
    show(&driver.start()?)?;
    let mut lines = input.lines();
    loop {
        let line = match lines.next() {
            Some(Ok(l)) => l,
            Some(Err(e)) => return Err(Error::io(path, e)),
            None => break,
        };
        if line.trim().is_empty() {
            continue;
        }
        let command = Command::parse(&line);
        if driver.quiz.is_done() && command != Command::Right {
            break;
        }
        let events = driver.step(command)?;
        show(&events)?;
    }
    if !driver.quiz.is_done() {
        show(&driver.step(Command::Quit)?)?;
    }
    if json {
        let doc = serde_json::json!({
            "summary": driver.quiz.summary(),
            "results": driver.quiz.results(),
        });
        let text = serde_json::to_string_pretty(&doc).map_err(|e| Error::Other(e.to_string()))?;
        emit(&format!("{text}\n"))?;
    }
    Ok(Outcome::Success)
}
