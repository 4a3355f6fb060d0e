//! The machine interface: JSON events on stdout, one answer per stdin line when a question
//! is pending. Events: `question`, `result`, `override`, `notice`, `error`, `end`. An answer
//! line is plain text, a JSON string, or `{"answer": "..."}`; `:skip`, `:right` and `:quit`
//! work as commands. Whenever a line does not answer the pending question (`:right`, a bad
//! JSON line), that question is sent again, so a client can always read until the next
//! `question` or `end`. End of input ends the session with an `end` event. After the `end`, a
//! `:right` line still overturns the last answer (as in the REPL and with `--answers`): it
//! is answered with `override` (or a `notice` when there is nothing to overturn) and a new
//! `end` with the summary as it now stands; any other line closes the stream.

use std::io::BufRead;

use serde::Serialize;

use crate::drill::quiz::{Answered, Command, Event, Question, Summary};
use crate::drill::{emit, Driver};
use crate::error::{Error, Outcome, Result};

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum Line<'a> {
    Question(&'a Question),
    Result(&'a Answered),
    Override { card: &'a str, term: &'a str },
    Notice { message: &'a str },
    Error { message: String },
    End { summary: &'a Summary },
}

pub fn run(driver: &mut Driver, input: impl BufRead) -> Result<Outcome> {
    let mut pending = None;
    send(&driver.start()?, &mut pending)?;
    for line in input.lines() {
        let line = line.map_err(|e| Error::io("<stdin>", e))?;
        if driver.quiz.is_done() {
            if parse(&line) != Ok(Command::Right) {
                break;
            }
            let mut events = driver.step(Command::Right)?;
            if !events.iter().any(|e| matches!(e, Event::End(_))) {
                events.push(Event::End(driver.quiz.summary()));
            }
            send(&events, &mut pending)?;
            continue;
        }
        let command = match parse(&line) {
            Ok(c) => c,
            Err(message) => {
                // Say what was wrong, then ask the same question again.
                write(&Line::Error { message })?;
                if let Some(q) = &pending {
                    write(&Line::Question(q))?;
                }
                continue;
            }
        };
        send(&driver.step(command)?, &mut pending)?;
    }
    if !driver.quiz.is_done() {
        send(&driver.step(Command::Quit)?, &mut pending)?;
    }
    Ok(Outcome::Success)
}

fn parse(line: &str) -> Result<Command, String> {
    let t = line.trim();
    if t.starts_with('{') || t.starts_with('"') {
        let value: serde_json::Value =
            serde_json::from_str(t).map_err(|e| format!("answer line is not valid JSON: {e}"))?;
        let text = match &value {
            serde_json::Value::String(s) => s.clone(),
            v => v
                .get("answer")
                .or_else(|| v.get("text"))
                .and_then(|a| a.as_str())
                .ok_or("a JSON answer needs a string field \"answer\"")?
                .to_string(),
        };
        return Ok(Command::parse(&text));
    }
    Ok(Command::parse(t))
}

fn send(events: &[Event], pending: &mut Option<Question>) -> Result<()> {
    for e in events {
        match e {
            Event::Question(q) => {
                *pending = Some(q.clone());
                write(&Line::Question(q))?
            }
            Event::Result(r) => write(&Line::Result(r))?,
            Event::Overridden { card, term } => write(&Line::Override { card, term })?,
            Event::Notice(m) => write(&Line::Notice { message: m })?,
            Event::End(s) => write(&Line::End { summary: s })?,
            Event::Record { .. } => {}
        }
    }
    Ok(())
}

fn write(line: &Line) -> Result<()> {
    let text = serde_json::to_string(line).map_err(|e| Error::Other(e.to_string()))?;
    emit(&format!("{text}\n"))
}
