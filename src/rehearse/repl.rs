//! The interactive meeting (rustyline): a status line with the phase, time left and tension
//! before each prompt, `:` commands with tab completion, and line history kept in the data
//! dir (`rehearse-history.txt`). Ctrl-C and Ctrl-D end the meeting like `:quit`, and the
//! transcript and scorecard are still saved.

use std::borrow::Cow;
use std::io::{self, Write};
use std::time::Instant;

use colored::Colorize;
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::history::DefaultHistory;
use rustyline::{Context, Editor, Helper, Highlighter, Hinter, Validator};

use super::event::{Command, Event, COMMANDS};
use super::render;
use super::{Session, Shell};
use crate::error::{Error, Outcome, Result};

#[derive(Helper, Hinter, Highlighter, Validator)]
struct ReplHelper;

impl Completer for ReplHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let typed = &line[..pos];
        if !typed.starts_with(':') || typed.contains(' ') {
            return Ok((pos, Vec::new()));
        }
        let found = COMMANDS
            .iter()
            .filter(|(c, _)| c.starts_with(typed))
            .map(|(c, _)| Pair {
                display: c.to_string(),
                replacement: c.to_string(),
            })
            .collect();
        Ok((0, found))
    }
}

const PROMPT: &str = "you> ";

pub fn run(mut session: Session, shell: &Shell<'_, '_>) -> Result<Outcome> {
    let mut editor: Editor<ReplHelper, DefaultHistory> =
        Editor::new().map_err(|e| Error::Other(format!("cannot start the terminal: {e}")))?;
    editor.set_helper(Some(ReplHelper));
    // Up-arrow history carries over between rehearsals; losing it is no reason to stop.
    let history = shell
        .ctx
        .data_dir()
        .ok()
        .map(|d| d.join("rehearse-history.txt"));
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    let mut out = io::stdout().lock();
    let played = play(&mut session, shell, &mut editor, &mut out);
    if let Some(path) = &history {
        if path
            .parent()
            .is_some_and(|p| std::fs::create_dir_all(p).is_ok())
        {
            let _ = editor.save_history(path);
        }
    }
    shell.salvage(&mut session, played)?;
    out.flush()?;
    if let Some(path) = shell.save(&session)? {
        writeln!(out, "{}", format!("saved to {}", path.display()).dimmed())?;
    }
    Ok(Outcome::Success)
}

fn play(
    session: &mut Session,
    shell: &Shell<'_, '_>,
    editor: &mut Editor<ReplHelper, DefaultHistory>,
    out: &mut impl Write,
) -> Result<()> {
    print(out, &session.start())?;
    while !session.is_over() {
        writeln!(out, "{}", status(session))?;
        out.flush()?;
        let asked = Instant::now();
        let events = match editor.readline(PROMPT) {
            Ok(line) if line.trim().is_empty() => continue,
            Ok(line) => {
                let _ = editor.add_history_entry(line.as_str());
                match Command::parse(&line) {
                    Ok(Command::Answer { text, .. }) => {
                        let elapsed_s = shell.elapsed_s(asked);
                        shell.step(session, Command::Answer { text, elapsed_s })?
                    }
                    Ok(cmd) => shell.step(session, cmd)?,
                    Err(text) => vec![Event::Notice { text }],
                }
            }
            Err(ReadlineError::Interrupted | ReadlineError::Eof) => {
                writeln!(out, "{}", "(the meeting ends here)".dimmed())?;
                shell.step(session, Command::Quit)?
            }
            // `salvage` keeps what was said so far before the failure is reported.
            Err(e) => return Err(Error::Other(format!("cannot read the terminal: {e}"))),
        };
        print(out, &events)?;
    }
    Ok(())
}

fn print(out: &mut impl Write, events: &[Event]) -> Result<()> {
    render::write_events(out, events)?;
    Ok(())
}

/// `[Timeline and blast radius · 3:10 left · tension ███░░ 45] someone points a finger`
fn status(session: &Session) -> String {
    let moment: Cow<'_, str> = match session.awaiting() {
        Some(Some(kind)) => kind.situation().into(),
        _ => "the floor is yours".into(),
    };
    let left = session.phase_left_s();
    let time = if left >= 0 {
        format!("{} left", render::clock(left))
    } else {
        format!("{} over", render::clock(-left)).red().to_string()
    };
    format!(
        "{} {}",
        format!(
            "[{} · {time} · {}]",
            session.phase_title(),
            render::meter(session.tension())
        )
        .dimmed(),
        moment.italic()
    )
}
