//! `rehearse --jsonl`: the machine interface. One JSON event per line on stdout, flushed as
//! it happens; one stdin line is read only after an `await` event. End of input ends the
//! meeting (the scorecard is still printed and saved).

use std::io::{self, BufRead, Write};
use std::time::Instant;

use super::event::{Command, Event};
use super::{Session, Shell};
use crate::error::{Error, Outcome, Result};

pub fn run(mut session: Session, shell: &Shell<'_, '_>) -> Result<Outcome> {
    let played = play(&mut session, shell);
    shell.salvage(&mut session, played)?;
    if let Some(path) = shell.save(&session)? {
        shell.note(&format!(
            "transcript and scorecard saved to {}",
            path.display()
        ));
    }
    Ok(Outcome::Success)
}

fn play(session: &mut Session, shell: &Shell<'_, '_>) -> Result<()> {
    let mut out = io::stdout().lock();
    let stdin = io::stdin();
    let mut input = stdin.lock();
    emit(&mut out, &session.start())?;
    let mut line = String::new();
    while !session.is_over() {
        line.clear();
        let asked = Instant::now();
        let read = input
            .read_line(&mut line)
            .map_err(|e| Error::io("<stdin>", e))?;
        let events = if read == 0 {
            shell.step(session, Command::Quit)?
        } else {
            match Command::parse(line.trim_end_matches(['\n', '\r'])) {
                Ok(Command::Answer { text, .. }) => {
                    let elapsed_s = shell.elapsed_s(asked);
                    shell.step(session, Command::Answer { text, elapsed_s })?
                }
                Ok(cmd) => shell.step(session, cmd)?,
                Err(text) => {
                    let mut v = vec![Event::Notice { text }];
                    v.extend(shell.step(session, Command::Help)?);
                    v
                }
            }
        };
        emit(&mut out, &events)?;
    }
    Ok(())
}

fn emit(out: &mut impl Write, events: &[Event]) -> Result<()> {
    for e in events {
        let json = serde_json::to_string(e).map_err(|e| Error::Other(e.to_string()))?;
        writeln!(out, "{json}")?;
    }
    out.flush()?;
    Ok(())
}
