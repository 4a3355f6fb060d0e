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
