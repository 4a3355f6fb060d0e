//! `debrief score`, `explain` and `validate` through the real binary, as a user or a script
//! calls them: the readable verdict and its colors, the JSON shape, the move after each beat
//! kind, the `--jsonl` stream contract (one line out per line in, bad lines answered in place),
//! bad input and broken data files with their exit codes (DESIGN.md, "The command line").

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

mod common;
use common::phrasebank_copy;

const KINDS: [&str; 8] = [
    "opening",
    "finger_pointing",
    "self_blame",
    "speculation",
    "reassurance",
    "tangent",
    "impact",
    "action_items",
];

/// A response that blames a person by name, so it has a penalty with a span and a suggestion.
const BLAME: &str = "Honestly, Ravi broke the staging cluster twice this week.";

/// The real binary, with a throwaway data dir and no color from the environment.
fn debrief() -> Command {
    let mut cmd = Command::cargo_bin("debrief").unwrap();
    cmd.env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RAYON_NUM_THREADS")
        .env(
            "DEBRIEF_HOME",
            std::env::temp_dir().join("debrief-score-cli-unused"),
        );
    cmd
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[&str], stdin: Option<&[u8]>) -> Run {
    let mut cmd = debrief();
    cmd.args(args);
    if let Some(bytes) = stdin {
        cmd.write_stdin(bytes.to_vec());
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `score --format json TEXT [--after KIND]`, parsed.
fn score_json(text: &str, after: Option<&str>) -> Value {
    let mut args = vec!["score", "--format", "json", text];
    if let Some(kind) = after {
        args.extend(["--after", kind]);
    }
    let r = run(&args, None);
    assert_eq!(r.code, 0, "{args:?}\n{}\n{}", r.stdout, r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {}", r.stdout))
}

/// `score --jsonl` over raw bytes: exit code and the output lines.
fn jsonl(input: &[u8]) -> (i32, Vec<String>) {
    let r = run(&["score", "--jsonl"], Some(input));
    assert!(r.stderr.is_empty(), "stderr: {}", r.stderr);
    (r.code, r.stdout.lines().map(str::to_string).collect())
}

fn parse(line: &str) -> Value {
    serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

/// The scores, move and findings of one verdict obey the contract for `text`.
fn assert_verdict_shape(v: &Value, text: &str) {
    let scores = v["scores"].as_object().unwrap_or_else(|| panic!("{v}"));
    for key in ["blamelessness", "data", "concision"] {
        let s = scores[key].as_u64().unwrap_or_else(|| panic!("{key}: {v}"));
        assert!(s <= 100, "{key} = {s}: {v}");
    }
    assert!(v.get("move").is_some(), "no move key: {v}");
    for f in v["findings"].as_array().unwrap_or_else(|| panic!("{v}")) {
        for key in ["rule", "dimension", "message", "suggestion"] {
            assert!(f[key].is_string(), "{key}: {f}");
        }
        // "move" marks the credits that only feed the move verdict (weight 0).
        assert!(
            ["blamelessness", "data", "concision", "move"]
                .contains(&f["dimension"].as_str().unwrap()),
            "{f}"
        );
        assert!(
            ["penalty", "credit"].contains(&f["polarity"].as_str().unwrap()),
            "{f}"
        );
        let start = f["start"].as_u64().unwrap() as usize;
        let end = f["end"].as_u64().unwrap() as usize;
        assert!(
            start <= end && end <= text.len(),
            "{start}..{end} in {text:?}"
        );
        assert!(
            text.is_char_boundary(start) && text.is_char_boundary(end),
            "{start}..{end} splits a char in {text:?}: {f}"
        );
    }
}

fn findings(v: &Value) -> &Vec<Value> {
    v["findings"].as_array().unwrap()
}

fn rule_ids(v: &Value) -> Vec<&str> {
    findings(v)
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// The readable verdict

#[test]
fn text_verdict_shows_three_scores_the_span_the_message_and_the_suggestion() {
    let r = run(&["--color", "never", "score", BLAME], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    assert!(!out.contains('\x1b'), "color with --color never: {out:?}");
    let v = score_json(BLAME, None);
    for key in ["blamelessness", "data", "concision"] {
        let score = v["scores"][key].as_u64().unwrap();
        let row = out
            .lines()
            .find(|l| l.trim_start().starts_with(key))
            .unwrap_or_else(|| panic!("no {key} row in\n{out}"));
        assert!(row.contains(&format!(" {score:>3}")), "{row} vs {score}");
    }
    let blame = findings(&v)
        .iter()
        .find(|f| f["rule"] == "blame-agentive")
        .unwrap_or_else(|| panic!("blame-agentive not found: {v}"));
    let (start, end) = (
        blame["start"].as_u64().unwrap() as usize,
        blame["end"].as_u64().unwrap() as usize,
    );
    let span = &BLAME[start..end];
    assert!(span.contains("Ravi broke"), "{span:?}");
    assert!(out.contains("blame-agentive"), "{out}");
    assert!(out.contains(blame["message"].as_str().unwrap()), "{out}");
    assert!(out.contains(&format!("at \"{span}")), "{out}");
    assert!(
        out.contains(&format!("try: {}", blame["suggestion"].as_str().unwrap())),
        "{out}"
    );
}

#[test]
fn a_clean_answer_says_nothing_was_found() {
    let text = "The 14:02 config change disabled the breaker; error rate hit 38% for 20 minutes.";
    let v = score_json(text, None);
    assert!(
        !findings(&v).iter().any(|f| f["polarity"] == "penalty"),
        "{v}"
    );
    let r = run(&["--color", "never", "score", text], None);
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains(debrief::prose::SCORE_NOTHING_FOUND),
        "{}",
        r.stdout
    );
    let blamed = run(&["--color", "never", "score", BLAME], None);
    assert!(!blamed.stdout.contains(debrief::prose::SCORE_NOTHING_FOUND));
}

#[test]
fn color_always_colors_and_never_does_not() {
    let always = run(&["--color", "always", "score", BLAME], None);
    assert_eq!(always.code, 0);
    assert!(always.stdout.contains("\x1b["), "{:?}", always.stdout);
    let never = run(&["--color", "never", "score", BLAME], None);
    assert!(!never.stdout.contains('\x1b'), "{:?}", never.stdout);
    // Piped output is plain by default.
    let auto = run(&["score", BLAME], None);
    assert!(!auto.stdout.contains('\x1b'), "{:?}", auto.stdout);
    assert_eq!(auto.stdout, never.stdout);
    // An explicit --color always is the user's word and beats NO_COLOR (no-color.org).
    let forced = debrief()
        .env("NO_COLOR", "1")
        .args(["--color", "always", "score", BLAME])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains("\x1b["));
}

/// On a terminal the verdict is colored, unless NO_COLOR is set.
#[test]
fn no_color_is_honored_on_a_terminal() {
    fn on_a_tty(no_color: bool) -> String {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_debrief"));
        cmd.env_remove("NO_COLOR").args(["score", BLAME]);
        if no_color {
            cmd.env("NO_COLOR", "1");
        }
        let mut p = rexpect::session::spawn_command(cmd, Some(20_000)).unwrap();
        let out = p.exp_eof().unwrap();
        assert!(out.contains("blame-agentive"), "{out:?}");
        out
    }
    assert!(on_a_tty(false).contains("\x1b["), "no color on a terminal");
    let plain = on_a_tty(true);
    assert!(!plain.contains('\x1b'), "color despite NO_COLOR: {plain:?}");
}

#[test]
fn text_is_read_from_stdin_when_absent_or_dash() {
    let arg = run(&["--color", "never", "score", BLAME], None);
    let piped = run(&["--color", "never", "score"], Some(BLAME.as_bytes()));
    assert_eq!(piped.code, 0, "{}", piped.stderr);
    assert_eq!(piped.stdout, arg.stdout);
    let dash = run(
        &["score", "--format", "json", "-"],
        Some(format!("{BLAME}\n").as_bytes()),
    );
    assert_eq!(dash.code, 0, "{}", dash.stderr);
    assert_eq!(
        rule_ids(&parse(&dash.stdout)),
        rule_ids(&score_json(BLAME, None))
    );
}

// ---------------------------------------------------------------------------------------------
// JSON

#[test]
fn json_has_the_contract_shape_and_move_is_null_without_after() {
    let v = score_json(BLAME, None);
    assert_verdict_shape(&v, BLAME);
    assert!(v["move"].is_null(), "{v}");
    let f = &findings(&v)[0];
    for key in [
        "rule",
        "dimension",
        "polarity",
        "start",
        "end",
        "message",
        "suggestion",
    ] {
        assert!(f.get(key).is_some(), "{key} missing: {f}");
    }
    assert!(v["scores"]["blamelessness"].as_u64().unwrap() < 60, "{v}");
}

#[test]
fn spans_are_char_boundaries_in_non_ascii_text() {
    let texts = [
        "Zoë's deploy broke prod — again",
        "Zoë broke prod — again. Honestly, it's Zoë's fault, obviously.",
        "Ça a planté — probably the CDN again, I bet 💥 everyone knows it's always the CDN",
        "😬😬 Um, basically, you know, kind of, Jürgen ignored the page — he should have checked.",
        "Ünïcödé everywhere: Ravi broke it — 100% fixed now, I promise ✅",
    ];
    let mut found = 0;
    for text in texts {
        let v = score_json(text, None);
        assert_verdict_shape(&v, text);
        found += findings(&v).len();
        // The readable verdict slices the text at the same offsets: it must not panic.
        let r = run(&["--color", "never", "score", text], None);
        assert_eq!(r.code, 0, "{text}: {}", r.stderr);
    }
    assert!(
        found >= texts.len(),
        "too few findings to check spans: {found}"
    );
}

// ---------------------------------------------------------------------------------------------
// Moves

#[test]
fn after_each_kind_gives_a_move_object() {
    for kind in KINDS {
        let v = score_json(
            "Let's look at what the dashboards showed at 14:02.",
            Some(kind),
        );
        let m = &v["move"];
        assert_eq!(m["kind"], kind, "{v}");
        assert!(m["met"].is_boolean(), "{m}");
        let missing = m["missing"].as_array().unwrap_or_else(|| panic!("{m}"));
        assert!(missing.iter().all(Value::is_string), "{m}");
        assert_eq!(m["met"] == false, !missing.is_empty(), "{kind}: {m}");
    }
}

/// The worked example each move ships with (moves.ron) makes that move.
#[test]
fn the_example_answer_for_each_kind_makes_the_move() {
    let moves =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("phrasebank/moves.ron"))
            .unwrap();
    let examples: Vec<&str> = moves
        .lines()
        .filter_map(|l| l.trim().strip_prefix("example: \""))
        .map(|l| l.trim_end_matches("\","))
        .collect();
    assert_eq!(examples.len(), KINDS.len(), "{examples:?}");
    for (kind, example) in KINDS.iter().zip(examples) {
        let v = score_json(example, Some(kind));
        assert_eq!(v["move"]["met"], true, "{kind}: {example}\n{v}");
    }
}

#[test]
fn good_and_bad_answers_meet_and_miss_the_move() {
    let cases = [
        (
            "finger_pointing",
            "Let's leave names out of it. What did the deploy pipeline let through, and what did the dashboards show?",
            "Yeah, Ravi broke it. He should have tested it first.",
        ),
        (
            "self_blame",
            "Thanks for being open about it. What made the command look safe at the time?",
            "Well, you should have been more careful.",
        ),
        (
            "speculation",
            "That's one hypothesis. What does the gateway latency graph show? Let's pull it.",
            "Yeah, it's always the CDN, everyone knows that.",
        ),
        (
            "action_items",
            "Lee adds a jittered backoff to the payment client by Friday; I'll check it at Monday's stand-up.",
            "We should all be more careful next time.",
        ),
    ];
    for (kind, good, bad) in cases {
        let v = score_json(good, Some(kind));
        assert_eq!(v["move"]["met"], true, "{kind} good: {v}");
        let v = score_json(bad, Some(kind));
        assert_eq!(v["move"]["met"], false, "{kind} bad: {v}");
        assert!(
            !v["move"]["missing"].as_array().unwrap().is_empty(),
            "a missed move says what is missing: {v}"
        );
    }
}

/// An action item that changes the system keeps its verdict when a blaming aside comes with it
/// (the aside fails blamelessness on its own); an "action" that is the blame does not count.
#[test]
fn a_blaming_aside_does_not_spoil_an_action_item_that_changes_the_system() {
    let v = score_json(
        "Ines adds a second approver to schema changes by Friday, since the DBAs clearly can't be trusted.",
        Some("action_items"),
    );
    assert_eq!(v["move"]["met"], true, "{v}");
    assert!(v["scores"]["blamelessness"].as_u64().unwrap() < 60, "{v}");
    let v = score_json(
        "Owner: Tom. Due: Friday. Tom double-checks his configs before merging from now on.",
        Some("action_items"),
    );
    assert_eq!(v["move"]["met"], false, "{v}");
}

#[test]
fn text_verdict_shows_the_move() {
    let r = run(
        &[
            "--color",
            "never",
            "score",
            "--after",
            "finger_pointing",
            "Yeah, Ravi broke it.",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("move after finger_pointing"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("missed"), "{}", r.stdout);
}
/// The readable verdict with a move, pinned (plain, as piped output is).
#[test]
fn text_verdict_snapshot() {
    let r = run(
        &[
            "score",
            "--after",
            "finger_pointing",
            "Honestly, Ravi broke the staging cluster; he should have checked the dashboard first.",
        ],
        None,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    insta::assert_snapshot!(r.stdout);
}

// ---------------------------------------------------------------------------------------------
// --jsonl

#[test]
fn jsonl_answers_each_line_in_order_and_echoes_ids() {
    let input = [
        r#"{"id": "a", "text": "Ravi broke it."}"#,
        r#"{"id": 2, "text": "The error rate hit 38% at 14:02.", "after": "impact"}"#,
        r#"{"text": "Let's leave names out of it; what did the pipeline allow?", "after": "finger_pointing"}"#,
        r#"{"id": {"n": [1, 2]}, "text": "Zoë's deploy broke prod — again"}"#,
        r#"{"id": "z", "text": "Probably the CDN.", "extra": "more keys are welcome"}"#,
    ];
    let (code, out) = jsonl(format!("{}\n", input.join("\n")).as_bytes());
    assert_eq!(code, 0);
    assert_eq!(out.len(), input.len(), "{out:#?}");
    let v: Vec<Value> = out.iter().map(|l| parse(l)).collect();
    assert_eq!(v[0]["id"], "a");
    assert_eq!(v[1]["id"], 2);
    assert!(v[2]["id"].is_null(), "{}", v[2]);
    assert_eq!(v[3]["id"], serde_json::json!({"n": [1, 2]}));
    assert_eq!(v[4]["id"], "z");
    for (line, req) in v.iter().zip(input) {
        let req = parse(req);
        assert!(line.get("error").is_none(), "{line}");
        assert_verdict_shape(line, req["text"].as_str().unwrap());
        match req.get("after") {
            Some(kind) => assert_eq!(&line["move"]["kind"], kind, "{line}"),
            None => assert!(line["move"].is_null(), "{line}"),
        }
        // Each line carries the same verdict as a one-off `score --format json`.
        let single = score_json(
            req["text"].as_str().unwrap(),
            req.get("after").and_then(Value::as_str),
        );
        assert_eq!(line["scores"], single["scores"], "{line}");
        assert_eq!(line["findings"], single["findings"], "{line}");
        assert_eq!(line["move"], single["move"], "{line}");
    }
    assert_eq!(v[0]["findings"][0]["rule"], "blame-agentive", "{}", v[0]);
    assert_eq!(v[2]["move"]["met"], true, "{}", v[2]);
}

#[test]
fn jsonl_answers_bad_lines_in_place_and_goes_on() {
    use serde_json::json;
    // (line, the id the answer must echo, what the error must say); `None` marks a good line.
    let cases: [(&[u8], Value, Option<&str>); 11] = [
        (br#"{"id": 1, "text": "#, Value::Null, Some("EOF")),
        (
            b"{\"id\": 2, \"text\": \"caf\xe9 \xff broke\"}",
            json!(2),
            Some("UTF-8"),
        ),
        (br#"{"id": 3, "text": "   "}"#, json!(3), Some("empty")),
        (
            br#"{"id": 4, "text": "fine", "after": "blame"}"#,
            json!(4),
            Some("finger_pointing"),
        ),
        (br#"{"id": 5}"#, json!(5), Some("text")),
        (
            br#"[{"id": 6, "text": "an array"}]"#,
            Value::Null,
            Some("object"),
        ),
        (
            br#"{"id": "ok", "text": "Ravi broke it."}"#,
            json!("ok"),
            None,
        ),
        (br#""just a string""#, Value::Null, Some("object")),
        // An array shaped like the fields in order is still not an object.
        (
            br#"[9, "Ravi broke it.", "tangent"]"#,
            Value::Null,
            Some("object"),
        ),
        (
            br#"{"id": 10, "text": "a"} {"id": 11, "text": "b"}"#,
            Value::Null,
            Some("trailing"),
        ),
        (
            br#"{"id": 12, "text": "Ravi broke it.", "after": "tangent"}"#,
            json!(12),
            None,
        ),
    ];
    let mut input: Vec<u8> = Vec::new();
    for (line, _, _) in &cases {
        input.extend_from_slice(line);
        input.push(b'\n');
    }
    let (code, out) = jsonl(&input);
    assert_eq!(code, 0);
    assert_eq!(out.len(), cases.len(), "{out:#?}");
    for (n, ((_, id, error), line)) in cases.iter().zip(&out).enumerate() {
        let v = parse(line);
        assert_eq!(&v["id"], id, "line {}: {v}", n + 1);
        match error {
            None => {
                assert!(v.get("error").is_none(), "line {}: {v}", n + 1);
                assert_verdict_shape(&v, "Ravi broke it.");
            }
            Some(want) => {
                let e = v["error"]
                    .as_str()
                    .unwrap_or_else(|| panic!("line {}: {v}", n + 1));
                assert!(e.contains(want), "line {}: {e:?} lacks {want:?}", n + 1);
                assert!(e.starts_with(&format!("line {}", n + 1)), "{e}");
                assert!(!e.contains("struct"), "serde internals leak: {e}");
                assert!(v.get("scores").is_none(), "{v}");
            }
        }
    }
    assert_eq!(parse(&out[10])["move"]["kind"], "tangent");
}

/// A wrongly typed field does not lose an id that is there to read.
#[test]
fn jsonl_echoes_the_id_when_another_field_has_the_wrong_type() {
    let input = concat!(
        r#"{"id": "t", "text": 42}"#,
        "\n",
        r#"{"id": 8, "text": "fine", "after": 3}"#,
        "\n",
        r#"{"text": "fine", "id": "late", "after": ["x"]}"#,
        "\n",
    );
    let (code, out) = jsonl(input.as_bytes());
    assert_eq!(code, 0);
    assert_eq!(out.len(), 3, "{out:#?}");
    for (line, id) in out
        .iter()
        .zip([serde_json::json!("t"), 8.into(), "late".into()])
    {
        let v = parse(line);
        assert!(v["error"].is_string(), "{v}");
        assert_eq!(v["id"], id, "{v}");
    }
}

/// One output line per input line, so a blank line (a gap a script left, or a trailing "\n\n")
/// is answered with an error line, not skipped: callers pair answers with questions by position.
#[test]
fn jsonl_answers_blank_lines_so_positions_stay_paired() {
    let input =
        "\n{\"id\": 1, \"text\": \"Ravi broke it.\"}\n   \n\r\n{\"id\": 2, \"text\": \"ok\"}\n";
    let (code, out) = jsonl(input.as_bytes());
    assert_eq!(code, 0);
    assert_eq!(out.len(), 5, "{out:#?}");
    let v: Vec<Value> = out.iter().map(|l| parse(l)).collect();
    for i in [0, 2, 3] {
        assert!(v[i]["error"].is_string(), "line {}: {}", i + 1, v[i]);
        assert!(v[i]["id"].is_null(), "{}", v[i]);
    }
    assert_eq!(v[1]["id"], 1);
    assert_eq!(v[4]["id"], 2);
    assert!(v[1].get("error").is_none() && v[4].get("error").is_none());
}

#[test]
fn jsonl_handles_crlf_a_missing_final_newline_and_empty_input() {
    let input = "{\"id\": 1, \"text\": \"Ravi broke it.\"}\r\n{\"id\": 2, \"text\": \"ok\"}";
    let (code, out) = jsonl(input.as_bytes());
    assert_eq!(code, 0);
    assert_eq!(out.len(), 2, "{out:#?}");
    assert_eq!(parse(&out[0])["id"], 1);
    assert_eq!(parse(&out[1])["id"], 2);
    assert!(parse(&out[0]).get("error").is_none(), "{}", out[0]);
    let (code, out) = jsonl(b"");
    assert_eq!(code, 0);
    assert!(out.is_empty(), "{out:?}");
}

/// A driver that writes one line and waits for its answer gets it before closing stdin.
#[test]
fn jsonl_answers_each_line_before_the_input_ends() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_debrief"))
        .args(["score", "--jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    // A hang guard, not a timing assertion: a missing flush would block forever.
    let wait = std::time::Duration::from_secs(60);
    for (i, text) in ["Ravi broke it.", "The error rate hit 38% at 14:02."]
        .iter()
        .enumerate()
    {
        writeln!(stdin, "{}", serde_json::json!({"id": i, "text": text})).unwrap();
        stdin.flush().unwrap();
        let answer = rx
            .recv_timeout(wait)
            .expect("no answer while stdin is open");
        assert_eq!(parse(&answer)["id"], i, "{answer}");
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn jsonl_does_not_mix_with_text_after_or_format() {
    for extra in [
        &["some text"][..],
        &["--after", "impact"],
        &["--format", "json"],
    ] {
        let mut args = vec!["score", "--jsonl"];
        args.extend_from_slice(extra);
        let r = run(&args, Some(b"{\"text\": \"x\"}\n"));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        assert!(r.stderr.contains("cannot be used with"), "{}", r.stderr);
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input

#[test]
fn empty_text_is_a_usage_error() {
    for (args, stdin) in [
        (&["score", ""][..], None),
        (&["score", "  \t "], None),
        (&["score"], Some(&b""[..])),
        (&["score", "-"], Some(&b"\n\n  \n"[..])),
        (&["score", "--format", "json", ""], None),
    ] {
        let r = run(args, stdin);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(r.stdout.is_empty(), "{args:?}: {}", r.stdout);
        assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
        assert!(
            r.stderr.contains(debrief::prose::SCORE_EMPTY),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn unknown_after_is_a_usage_error_naming_the_kinds() {
    let mut names_every_kind = predicate::str::contains("'blame'").boxed();
    for kind in KINDS {
        names_every_kind = names_every_kind.and(predicate::str::contains(kind)).boxed();
    }
    debrief()
        .args(["score", "--after", "blame", "Ravi broke it."])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(names_every_kind);
}

#[test]
fn ten_megabytes_on_one_line_gives_a_verdict() {
    let unit =
        "Ravi broke the deploy, probably the CDN, um, basically — Zoë saw 38% errors at 14:02. ";
    let mut text = String::with_capacity(10 << 20);
    while text.len() < 10 << 20 {
        text.push_str(unit);
    }
    let r = run(&["score", "--format", "json"], Some(text.as_bytes()));
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let v = parse(&r.stdout);
    assert_verdict_shape(&v, &text);
    assert!(
        v["scores"]["concision"].as_u64().unwrap() < 60,
        "{}",
        v["scores"]
    );
    // The same line through the stream.
    let line = serde_json::to_string(&serde_json::json!({"id": "big", "text": text})).unwrap();
    let (code, out) = jsonl(format!("{line}\n{{\"id\": \"next\", \"text\": \"ok\"}}\n").as_bytes());
    assert_eq!(code, 0);
    assert_eq!(out.len(), 2);
    assert_eq!(parse(&out[0])["id"], "big");
    assert_eq!(parse(&out[1])["id"], "next");
}

#[test]
fn invalid_utf8_on_stdin_is_a_usage_error() {
    let r = run(&["score"], Some(b"Ravi broke \xff\xfe it"));
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(r.stderr.contains("UTF-8"), "{}", r.stderr);
    assert!(r.stderr.contains("<stdin>"), "{}", r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn invalid_utf8_in_the_text_argument_is_a_usage_error() {
    use std::os::unix::ffi::OsStrExt;
    let out = debrief()
        .arg("score")
        .arg(std::ffi::OsStr::from_bytes(b"Ravi \xff broke it"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(String::from_utf8_lossy(&out.stderr).contains("UTF-8"));
}

// ---------------------------------------------------------------------------------------------
// Broken phrasebanks

/// Replace the first `from` in `file` under `bank`; returns the 1-based line and column of the
/// replacement in the new text.
fn break_file(bank: &Path, file: &str, from: &str, to: &str) -> (usize, usize) {
    let path = bank.join(file);
    let text = fs::read_to_string(&path).unwrap();
    let at = text
        .find(from)
        .unwrap_or_else(|| panic!("{from:?} not in {file}"));
    let new = text.replacen(from, to, 1);
    fs::write(&path, &new).unwrap();
    let line = new[..at].matches('\n').count() + 1;
    let col = new[..at].rsplit('\n').next().unwrap().chars().count() + 1;
    (line, col)
}

/// `path:LINE:` followed by a column number.
fn names_place(out: &str, file: &str, line: usize) -> bool {
    let needle = format!("{file}:{line}:");
    out.match_indices(&needle).any(|(i, _)| {
        out[i + needle.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit())
    })
}

#[test]
fn a_missing_phrasebank_dir_or_file_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let gone = dir.path().join("nowhere");
    debrief()
        .arg("--phrasebank")
        .arg(&gone)
        .args(["score", "Ravi broke it."])
        .assert()
        .code(2)
        .stdout(predicate::str::is_empty())
        .stderr(predicate::str::contains(gone.to_str().unwrap()));
    let (_dir, bank) = phrasebank_copy();
    fs::remove_file(bank.join("lexicon.ron")).unwrap();
    debrief()
        .arg("--phrasebank")
        .arg(&bank)
        .args(["score", "Ravi broke it."])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("lexicon.ron").and(predicate::str::contains("missing")));
}

#[test]
fn a_ron_syntax_error_in_the_phrasebank_names_file_line_col() {
    let (_dir, bank) = phrasebank_copy();
    // Drop the comma after a rule's weight.
    let (line, _) = break_file(&bank, "rules/data.ron", "weight: ", "weight: : ");
    let r = run(
        &[
            "--phrasebank",
            bank.to_str().unwrap(),
            "score",
            "Ravi broke it.",
        ],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        names_place(&r.stderr, "data.ron", line),
        "line {line}: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
}

#[test]
fn a_regex_that_does_not_compile_names_file_line_col() {
    let (_dir, bank) = phrasebank_copy();
    let (line, _) = break_file(
        &bank,
        "rules/blame.ron",
        r#"r"\b{person}"#,
        r#"r"\b{person}(?:unclosed"#,
    );
    for args in [
        &["score", "Ravi broke it."][..],
        &["score", "--format", "json", "The weather is nice."],
        &["explain", "blame-agentive"],
    ] {
        let mut all = vec!["--phrasebank", bank.to_str().unwrap()];
        all.extend_from_slice(args);
        let r = run(&all, None);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stdout);
        assert!(
            names_place(&r.stderr, "blame.ron", line),
            "{args:?} line {line}: {}",
            r.stderr
        );
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
}

#[test]
fn jsonl_with_a_broken_phrasebank_fails_up_front() {
    let (_dir, bank) = phrasebank_copy();
    let (line, _) = break_file(&bank, "rules/data.ron", "weight: ", "weight: : ");
    let r = run(
        &["--phrasebank", bank.to_str().unwrap(), "score", "--jsonl"],
        Some(b"{\"text\": \"x\"}\n"),
    );
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(names_place(&r.stderr, "data.ron", line), "{}", r.stderr);
}

// ---------------------------------------------------------------------------------------------
// explain

#[test]
fn explain_prints_the_rules_own_record() {
    let r = run(&["--color", "never", "explain", "blame-agentive"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let out = &r.stdout;
    let rules = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("phrasebank/rules/blame.ron"),
    )
    .unwrap();
    let record = &rules[rules.find("id: \"blame-agentive\"").unwrap()..];
    let record = &record[..record.find("\n    ),").unwrap()];
    let field = |name: &str| -> String {
        let at = record.find(&format!("{name}: \"")).unwrap() + name.len() + 3;
        let body = &record[at..];
        body[..body.find("\",\n").unwrap()].replace("\\\"", "\"")
    };
    assert!(out.starts_with("blame-agentive"), "{out}");
    for name in ["message", "rationale", "suggestion"] {
        let value = field(name);
        assert!(out.contains(&value), "{name} {value:?} not in\n{out}");
    }
    for example in [
        "Honestly, Ravi broke the staging cluster twice this week.",
        "Dana's change took down checkout.",
        "The config change broke the login flow for iOS users.",
        "I'm not saying Ravi broke it.",
    ] {
        assert!(out.contains(example), "{example} not in\n{out}");
    }
    assert!(!out.contains('\x1b'));
}

#[test]
fn explain_list_names_every_rule_with_its_message() {
    let r = run(&["explain", "--list"], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let listed: Vec<&str> = r.stdout.lines().collect();
    // Every rule record in phrasebank/rules: its id and its message, in order.
    let field = |line: &str, name: &str| -> Option<String> {
        let rest = line.strip_prefix(&format!("        {name}: \""))?;
        Some(rest.trim_end_matches("\",").to_string())
    };
    let rules_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("phrasebank/rules");
    let mut expected = Vec::new();
    for entry in fs::read_dir(rules_dir).unwrap() {
        let text = fs::read_to_string(entry.unwrap().path()).unwrap();
        let ids = text.lines().filter_map(|l| field(l, "id"));
        let messages: Vec<String> = text.lines().filter_map(|l| field(l, "message")).collect();
        let ids: Vec<String> = ids.collect();
        assert_eq!(ids.len(), messages.len(), "one message per rule");
        expected.extend(ids.into_iter().zip(messages));
    }
    assert!(expected.len() > 20, "{expected:?}");
    assert_eq!(listed.len(), expected.len(), "{}", r.stdout);
    for (id, message) in &expected {
        let line = listed
            .iter()
            .find(|l| l.split_whitespace().next() == Some(id.as_str()))
            .unwrap_or_else(|| panic!("{id} not listed:\n{}", r.stdout));
        assert!(line.ends_with(message.as_str()), "{line:?} vs {message:?}");
    }
}

#[test]
fn explain_unknown_rule_exits_2_and_suggests_the_nearest() {
    let r = run(&["explain", "blame-agentiv"], None);
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr.contains("unknown rule 'blame-agentiv'"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean 'blame-agentive'"),
        "{}",
        r.stderr
    );
    let r = run(&["explain", "zzzz"], None);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown rule 'zzzz'"), "{}", r.stderr);
    assert!(!r.stderr.contains("did you mean"), "{}", r.stderr);
    assert!(r.stderr.contains("explain --list"), "{}", r.stderr);
    let r = run(&["explain"], None);
    assert_eq!(r.code, 2, "a rule or --list is required");
}

// ---------------------------------------------------------------------------------------------
// validate

#[test]
fn validate_passes_the_shipped_phrasebank_as_a_directory_and_via_the_flag() {
    let (_dir, bank) = phrasebank_copy();
    let r = run(&["validate", bank.to_str().unwrap()], None);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("no problems"), "{}", r.stdout);
    let r = run(&["--phrasebank", bank.to_str().unwrap(), "validate"], None);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
}

#[test]
fn validate_reports_every_phrasebank_problem_with_a_place_and_exits_1() {
    let (_dir, bank) = phrasebank_copy();
    // An example that must match but does not, and one that must not match but does.
    let (l1, _) = break_file(
        &bank,
        "rules/blame.ron",
        "\"Dana's change took down checkout.\",",
        "\"Dana's change took down checkout.\",\n                \"The weather was lovely all week.\",",
    );
    let l1 = l1 + 1;
    let (l2, _) = break_file(
        &bank,
        "rules/blame.ron",
        "\"I'm not saying Ravi broke it.\",",
        "\"I'm not saying Ravi broke it.\",\n                \"Ravi broke the build again.\",",
    );
    let l2 = l2 + 1;
    // A regex that does not compile in another file.
    let data = fs::read_to_string(bank.join("rules/data.ron")).unwrap();
    let first_pattern = data.find("r\"").expect("a raw-string pattern in data.ron");
    let l3 = data[..first_pattern].matches('\n').count() + 1;
    let broken = format!(
        "{}r\"(?:unclosed{}",
        &data[..first_pattern],
        &data[first_pattern + 2..]
    );
    fs::write(bank.join("rules/data.ron"), broken).unwrap();

    // The directory, the directory as the phrasebank in use, and the two files on their own
    // (checked in the company of the built-in phrasebank).
    let dir = bank.to_str().unwrap();
    let blame = bank.join("rules/blame.ron");
    let data = bank.join("rules/data.ron");
    for args in [
        vec!["validate", dir],
        vec!["--phrasebank", dir, "validate"],
        vec!["validate", blame.to_str().unwrap(), data.to_str().unwrap()],
    ] {
        let r = run(&args, None);
        assert_eq!(r.code, 1, "{args:?}\n{}\n{}", r.stdout, r.stderr);
        let out = &r.stdout;
        assert!(
            out.contains("should flag this example but does not"),
            "{args:?}\n{out}"
        );
        assert!(
            out.contains("flags this example but should not"),
            "{args:?}\n{out}"
        );
        assert!(out.contains("pattern does not compile"), "{args:?}\n{out}");
        assert!(
            names_place(out, "blame.ron", l1),
            "line {l1}: {args:?}\n{out}"
        );
        assert!(
            names_place(out, "blame.ron", l2),
            "line {l2}: {args:?}\n{out}"
        );
        assert!(
            names_place(out, "data.ron", l3),
            "line {l3}: {args:?}\n{out}"
        );
        assert!(out.contains("3 problem(s)"), "{args:?}\n{out}");
    }
}

#[test]
fn validate_reports_a_ron_syntax_error_with_a_place_and_exits_1() {
    let (_dir, bank) = phrasebank_copy();
    let (line, _) = break_file(&bank, "rules/concision.ron", "weight: ", "weight: : ");
    let r = run(&["validate", bank.to_str().unwrap()], None);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(
        names_place(&r.stdout, "concision.ron", line),
        "{}",
        r.stdout
    );
    // The same file on its own.
    let r = run(
        &[
            "validate",
            bank.join("rules/concision.ron").to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    assert!(
        names_place(&r.stdout, "concision.ron", line),
        "{}",
        r.stdout
    );
}

#[test]
fn validate_reports_every_problem_in_a_broken_scenario_and_exits_1() {
    let dir = tempfile::tempdir().unwrap();
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/checkout-retry-storm.ron");
    let text = fs::read_to_string(src).unwrap();
    let path = dir.path().join("scenario.ron");
    fs::write(&path, &text).unwrap();
    let ok = run(&["validate", path.to_str().unwrap()], None);
    assert_eq!(ok.code, 0, "{}", ok.stdout);

    // Unrelated problems in two places: every one is reported.
    let line_of = |t: &str, needle: &str| t[..t.find(needle).unwrap()].matches('\n').count() + 1;
    let bad = text
        .replacen("Say(who: \"victor\"", "Say(who: \"vicky\"", 1)
        .replacen("timebox_min: 5", "timebox_min: 0", 1);
    let places = [line_of(&bad, "\"vicky\""), line_of(&bad, "timebox_min: 0")];
    fs::write(&path, &bad).unwrap();
    let r = run(&["validate", path.to_str().unwrap()], None);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let out = &r.stdout;
    assert!(out.contains("unknown character 'vicky'"), "{out}");
    assert!(out.contains("2 problem(s)"), "{out}");
    for line in places {
        assert!(
            names_place(out, "scenario.ron", line),
            "line {line}:\n{out}"
        );
    }
    // A value the parser cannot read stops the parse; it is reported at its place.
    let bad = text.replacen("FingerPointing", "FingerPoking", 1);
    fs::write(&path, &bad).unwrap();
    let r = run(&["validate", path.to_str().unwrap()], None);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let line = line_of(&bad, "FingerPoking");
    assert!(
        names_place(&r.stdout, "scenario.ron", line),
        "line {line}:\n{}",
        r.stdout
    );
    assert!(r.stdout.contains("FingerPoking"), "{}", r.stdout);
}

#[test]
fn validate_exit_code_is_never_a_count() {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..3 {
        fs::write(
            dir.path().join(format!("s{i}.ron")),
            "(id: \"x\", cast: [,,]",
        )
        .unwrap();
    }
    let r = run(&["validate", dir.path().to_str().unwrap()], None);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    for i in 0..3 {
        assert!(
            names_place(&r.stdout, &format!("s{i}.ron"), 1),
            "{}",
            r.stdout
        );
    }
    let r = run(
        &["validate", dir.path().join("missing.ron").to_str().unwrap()],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("missing.ron"), "{}", r.stderr);
}

/// Regression: a rule file given on its own was checked on top of the built-in rules, so the
/// shipped `rules/blame.ron` reported every one of its rules as a duplicate.
#[test]
fn validate_a_shipped_rule_file_on_its_own_finds_no_duplicates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    for file in ["rules/blame.ron", "rules/data.ron", "lexicon.ron"] {
        let path = root.join("phrasebank").join(file);
        let r = run(&["validate", path.to_str().unwrap()], None);
        assert_eq!(r.code, 0, "{file}:\n{}{}", r.stdout, r.stderr);
    }
    // A new rule file still adds its rules, and a duplicate of a built-in id is still caught.
    let dir = tempfile::tempdir().unwrap();
    let blame = fs::read_to_string(root.join("phrasebank/rules/blame.ron")).unwrap();
    let extra = dir.path().join("rules");
    fs::create_dir(&extra).unwrap();
    fs::write(extra.join("extra.ron"), &blame).unwrap();
    let r = run(
        &["validate", extra.join("extra.ron").to_str().unwrap()],
        None,
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("duplicate rule id 'blame-agentive'"),
        "{}",
        r.stdout
    );
}

// ---------------------------------------------------------------------------------------------
// Evaluator edge cases found from the command line

/// Names and teams with non-ASCII letters are blamed like ASCII ones: "José broke prod." is
/// flagged as "Jose broke prod." is.
#[test]
fn non_ascii_names_are_blamed_like_ascii_ones() {
    for (ascii, accented) in [
        ("Jose broke prod.", "José broke prod."),
        ("Zoe broke prod.", "Zoë broke prod."),
        ("It was Jose's fault.", "It was José's fault."),
        ("The Zurich team broke it.", "The Zürich team broke it."),
    ] {
        let plain = score_json(ascii, None);
        let v = score_json(accented, None);
        for (text, verdict) in [(ascii, &plain), (accented, &v)] {
            let blame = verdict["findings"]
                .as_array()
                .unwrap()
                .iter()
                .any(|f| f["dimension"] == "blamelessness" && f["polarity"] == "penalty");
            assert!(blame, "{text}: {verdict}");
        }
        // The accented name may be caught by a different rule (the name lexicon is ASCII;
        // case-sensitive rules read capitalized names), but the verdict is the same.
        assert_eq!(v["scores"], plain["scores"], "{accented}: {v}");
    }
}

/// A pattern that parses but is too big to compile: built-in patterns compile on first use,
/// but a user's `--phrasebank` is compiled in full up front, so `score` refuses it (exit 2,
/// file:line:col) instead of silently dropping the rule.
#[test]
fn a_pattern_too_big_to_compile_fails_score_up_front() {
    let (_dir, bank) = phrasebank_copy();
    let data = fs::read_to_string(bank.join("rules/data.ron")).unwrap();
    let at = data.find("r\"").unwrap();
    let line = data[..at].matches('\n').count() + 1;
    let broken = format!(
        "{}r\"(?:[a-z]{{1000}}){{1000}}\", {}",
        &data[..at],
        &data[at..]
    );
    fs::write(bank.join("rules/data.ron"), broken).unwrap();
    let v = run(&["validate", bank.to_str().unwrap()], None);
    assert_eq!(v.code, 1, "{}", v.stdout);
    assert!(names_place(&v.stdout, "data.ron", line), "{}", v.stdout);
    let r = run(
        &[
            "--phrasebank",
            bank.to_str().unwrap(),
            "score",
            "The error rate hit 38%.",
        ],
        None,
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(names_place(&r.stderr, "data.ron", line), "{}", r.stderr);
}
