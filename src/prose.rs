//! User-facing prose in one place, so the wording can be reviewed together: banners, help
//! texts and coaching lines shared across commands.

/// Shown under `debrief score` when nothing was found at all.
pub const SCORE_NOTHING_FOUND: &str = "nothing to flag: plain, blameless wording";

/// Shown when `score` is given no text at all.
pub const SCORE_EMPTY: &str =
    "nothing to score: the text is empty (pass TEXT, or pipe it on stdin)";

/// The one-line explanation of the three scores.
pub const SCORE_LEGEND: &str =
    "scores are 0-100; 60 or more is what a trained facilitator would accept";

// ---- drill ----

/// Shown when the interactive drill starts.
pub const DRILL_BANNER: &str =
    "debrief drill: answer with the term, or the letter of a choice (:help for commands)\n\
progress is saved after every answer; :quit or Ctrl-C stops";

/// `:help` in the drill REPL.
pub const DRILL_REPL_HELP: &str =
    "answer with the term (aliases and acronyms count; longer terms forgive a small typo)\n\
or, when choices are shown, with their letter, number or text\n\
  :skip   show the answer without grading\n\
  :right  the last answer was marked wrong but you were right: count it as right\n\
  :quit   stop here (Ctrl-C and Ctrl-D too); every answer is already saved";

/// After `debrief drill --help`.
pub const DRILL_HELP: &str = "Modes:\n\
\x20 recall   definition shown, type the term\n\
\x20 reverse  term shown, choose the definition\n\
\x20 choice   definition shown, choose the term among near misses\n\
\x20 apply    a situation shown, name the concept it calls for\n\
\x20 misuse   a sentence that misuses a term: type that term\n\
\x20 mixed    all of the above (default)\n\
Answers: aliases count; acronyms must match exactly; longer terms forgive a small typo.\n\
At a question: :skip shows the answer, :right says the last verdict was wrong, :quit stops.\n\
Due and missed cards come first; a missed card comes back later in the same session.\n\
Progress: DATA_DIR/drill/progress.json. DEBRIEF_TODAY=YYYY-MM-DD pretends today is that date.";

/// The prompt after the last question when its answer was marked wrong.
pub const DRILL_LAST_CHANCE: &str = "graded wrongly? type :right, or press Enter to finish > ";

// ---------------------------------------------------------------------------------------------
// Rehearse: the simulated post-mortem (src/rehearse/).
// ---------------------------------------------------------------------------------------------

/// An empty answer in the meeting.
pub const REHEARSE_EMPTY_ANSWER: &str =
    "say something to the room, or :skip to let the moment pass";

/// An answer when no turn is pending.
pub const REHEARSE_NOT_ASKED: &str = "nobody is waiting for an answer right now";

/// `:skip` when no turn is pending.
pub const REHEARSE_NOTHING_TO_SKIP: &str = "there is nothing to skip";

/// Any command after the end.
pub const REHEARSE_OVER: &str = "the meeting is over";

/// The transcript line for a skipped moment, and its verdict.
pub const REHEARSE_SILENCE: &str = "(says nothing)";
pub const REHEARSE_SKIPPED: &str = "you let the moment pass";

/// `:hint` when the floor is open (no beat kind to coach).
pub const REHEARSE_OPEN_FLOOR_MOVE: &str = "keep the meeting moving";
pub const REHEARSE_OPEN_FLOOR_HINT: &str =
    "the floor is open: sum up briefly, cite the facts sheet, and say what comes next";
pub const REHEARSE_OPEN_FLOOR_EXAMPLE: &str =
    "We have the timeline and two contributing factors; next, action items with owners.";

/// Scorecard tips for a weak dimension (blamelessness, data, concision).
pub const REHEARSE_TIP_BLAMELESSNESS: &str =
    "talk about the system and the conditions, not the person";
pub const REHEARSE_TIP_DATA: &str = "cite the facts sheet: times, percentages, counts, dashboards";
pub const REHEARSE_TIP_CONCISION: &str = "say it in one or two plain sentences";

/// Scorecard tips when there is nothing left to fix.
pub const REHEARSE_TIPS_NEXT: [&str; 3] = [
    "run it again with another --seed: the characters say different lines",
    "try a harder scenario (debrief scenarios list)",
    "lead a real post-mortem with the same moves",
];

// ---- lint ----

/// `lint` found no Markdown file under a directory it was given.
pub const LINT_NO_MARKDOWN: &str = "no Markdown files (*.md, *.markdown) found here";

/// `lint -` with stdin on a terminal.
pub const LINT_STDIN_TERMINAL: &str =
    "'-' reads the post-mortem from stdin, but stdin is a terminal (pipe a file in)";

/// The text summary when nothing was found.
pub const LINT_CLEAN: &str = "no findings: blameless, evidenced and complete";
