//! The scripted run: answers come from `--answers FILE` or piped stdin, one per line (`:`
//! lines are commands, blank lines are skipped). No prompts; a readable transcript goes to
//! stdout, or with `--json` the final transcript and scorecard as one JSON document.

use std::io::{self, BufRead, Write};

use serde::Serialize;

use super::event::{Command, Event};
use super::render;
use super::scorecard::Scorecard;
use super::session::Line;
use super::{Session, Shell};
use crate::error::{Error, Outcome, Result};

pub enum Input {
    Text(String),
    Stdin,
}

#[derive(Serialize)]
struct Final<'a> {
    scenario: &'a str,
    seed: u64,
    transcript: &'a [Line],
    scorecard: &'a Scorecard,
}

pub fn run(
    mut session: Session,
    shell: &Shell<'_, '_>,
    input: Input,
    json: bool,
) -> Result<Outcome> {
    let mut out = io::stdout().lock();
    let from_file = matches!(input, Input::Text(_));
    let mut lines: Box<dyn Iterator<Item = io::Result<String>>> = match input {
        Input::Text(t) => Box::new(
            t.lines()
                .map(|l| Ok(l.to_string()))
                .collect::<Vec<_>>()
                .into_iter(),
        ),
        Input::Stdin => Box::new(io::stdin().lock().lines()),
    };
    let played = play(&mut session, shell, &mut lines, &mut out, json);
    shell.salvage(&mut session, played)?;
    // Only a file is read to its end: stdin may be a pipe someone still holds open.
    let unused = if from_file {
        lines
            .filter(|l| l.as_ref().is_ok_and(|l| !l.trim().is_empty()))
            .count()
    } else {
        0
    };
    let saved = shell.save(&session)?;
    if json {
        if let Some(card) = session.scorecard() {
            let doc = Final {
                scenario: &session.scenario().id,
                seed: card.seed,
                transcript: session.transcript(),
                scorecard: card,
            };
            let text =
                serde_json::to_string_pretty(&doc).map_err(|e| Error::Other(e.to_string()))?;
            writeln!(out, "{text}")?;
        }
    }
    out.flush()?;
    if unused > 0 {
        shell.note(&format!(
            "the meeting ended with {unused} answer line(s) unused"
        ));
    }
    if let Some(path) = saved {
        shell.note(&format!("saved to {}", path.display()));
    }
    Ok(Outcome::Success)
}

fn show(out: &mut impl Write, events: &[Event], json: bool) -> Result<()> {
    if !json {
        render::write_events(out, events)?;
    }
    Ok(())
}

/// The meeting from the brief to the end (or the end of the input).
fn play(
    session: &mut Session,
    shell: &Shell<'_, '_>,
    lines: &mut dyn Iterator<Item = io::Result<String>>,
    out: &mut impl Write,
    json: bool,
) -> Result<()> {
    show(out, &session.start(), json)?;
    while !session.is_over() {
        let line = loop {
            match lines.next() {
                None => break None,
                Some(Err(e)) => return Err(Error::io("<stdin>", e)),
                Some(Ok(l)) if l.trim().is_empty() => continue,
                Some(Ok(l)) => break Some(l),
            }
        };
        let events = match line {
            None => shell.step(session, Command::Quit)?,
            Some(l) => {
                if !json {
                    writeln!(out, "you: {}", l.trim())?;
                }
                match Command::parse(&l) {
                    Ok(cmd) => shell.step(session, cmd)?,
                    Err(text) => vec![Event::Notice { text }],
                }
            }
        };
        show(out, &events, json)?;
    }
    Ok(())
}
