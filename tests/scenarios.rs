//! The shipped scenarios and the scenario checks: every built-in scenario loads, their facts
//! agree with each other, together they exercise every beat kind; `scenarios list|show`
//! print the documented shapes; `validate` finds every kind of problem with file:line:col.

use std::process::Command;

use debrief::beat::BeatKind;
use debrief::ronfile::Source;
use debrief::scenario;
use serde_json::Value;

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_debrief"));
    c.env("NO_COLOR", "1");
    c
}

#[test]
fn built_in_scenarios_load_and_cover_every_beat_kind() {
    let all = scenario::builtin().unwrap_or_else(|e| panic!("{}", e.render(false)));
    assert!(all.len() >= 2);
    let mut ids: Vec<&str> = all.iter().map(|s| s.id.as_str()).collect();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "ids are unique");
    let covered: Vec<BeatKind> = all.iter().flat_map(|s| s.beat_kinds()).collect();
    for kind in BeatKind::ALL {
        assert!(covered.contains(&kind), "no scenario exercises {kind}");
    }
    assert_eq!(all[0].id, "ios-login", "the seed's story is the default");
}

fn minutes(hhmm: &str) -> u32 {
    let t = hhmm.split_whitespace().next().unwrap();
    let (h, m) = t.split_once(':').unwrap();
    h.parse::<u32>().unwrap() * 60 + m.parse::<u32>().unwrap()
}

#[test]
fn facts_agree_with_each_other() {
    for s in scenario::builtin().unwrap() {
        let f = &s.facts;
        assert_eq!(
            minutes(&f.resolved) - minutes(&f.started),
            f.mttr_min,
            "{}: MTTR is resolved minus started",
            s.id
        );
        let times: Vec<u32> = f.timeline.iter().map(|(t, _)| minutes(t)).collect();
        assert!(
            times.windows(2).all(|w| w[0] <= w[1]),
            "{}: timeline in order",
            s.id
        );
        assert!(
            times.contains(&minutes(&f.resolved)),
            "{}: the timeline shows the resolution",
            s.id
        );
        let planned: u32 = s.phases.iter().map(|p| p.timebox_min).sum();
        assert_eq!(planned, 35, "{}: the default agenda is 35 minutes", s.id);
    }
}

#[test]
fn list_json_has_the_documented_shape() {
    let out = bin()
        .args(["scenarios", "list", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2);
    for s in list {
        for key in ["id", "title", "difficulty", "beat_kinds"] {
            assert!(s.get(key).is_some(), "{key} missing in {s}");
        }
        assert!(s["beat_kinds"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k.is_string()));
    }
    assert_eq!(list[0]["id"], "ios-login");
    assert_eq!(list[1]["difficulty"], "hard");
}

#[test]
fn show_prints_brief_cast_agenda_and_facts() {
    let out = bin()
        .args(["scenarios", "show", "checkout-retry-storm"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in [
        "retried timed-out calls",
        "Cast",
        "Victor",
        "Agenda",
        "15 min",
        "MTTR 48 min",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    let out = bin().args(["scenarios", "show", "nope"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

const GOOD: &str = r#"(
    id: "tiny",
    title: "Tiny",
    brief: "A tiny meeting.",
    facts: (started: "10:00 UTC", resolved: "10:05 UTC", mttr_min: 5, blast_radius: "1%", slo: "99%", timeline: []),
    cast: {"ann": (name: "Ann", role: "SRE", persona: Speculator)},
    phases: [
        (id: "only", title: "Only", timebox_min: 2, beats: [
            Say(who: "ann", lines: ["It's the DNS."]),
            Turn(after: Speculation),
            End,
        ]),
    ],
)
"#;

fn check(text: &str) -> Vec<String> {
    scenario::validate_source(&Source::new("t.ron", text), None)
        .iter()
        .map(|d| d.to_string())
        .collect()
}

#[test]
fn a_small_scenario_is_valid() {
    assert_eq!(check(GOOD), Vec::<String>::new());
}

#[test]
fn every_kind_of_problem_is_found_with_its_place() {
    let cases = [
        (
            GOOD.replace("who: \"ann\"", "who: \"bob\""),
            "t.ron:9:22: unknown character 'bob'",
        ),
        (
            GOOD.replace(
                "Turn(after: Speculation),",
                "Turn(after: Speculation, colour: 1),",
            ),
            "t.ron:10:38: unexpected field named `colour`",
        ),
        (
            GOOD.replace("Turn(after: Speculation),", "End,"),
            "t.ron:10:13: beats after this End are never reached",
        ),
        (
            GOOD.replace("End,", "Jump(\"nowhere\"),"),
            "unknown phase 'nowhere' in Jump",
        ),
        (
            GOOD.replace("End,", "Jump(\"only\"),"),
            "loops through jumps with no way to an End",
        ),
        (
            GOOD.replace(
                "Turn(after: Speculation)",
                "Turn(after: Speculation, when: Flag(\"x\"))",
            ),
            "flag 'x' is tested but never set",
        ),
        (
            GOOD.replace("Speculation)", "Speculashun)"),
            "t.ron:10:25: unexpected variant named `Speculashun`",
        ),
        (
            GOOD.replace("timebox_min: 2", "timebox_min: 0"),
            "a phase needs a timebox",
        ),
    ];
    for (text, wanted) in cases {
        let found = check(&text);
        assert!(
            found.iter().any(|d| d.contains(wanted)),
            "wanted {wanted:?}, found {found:#?}"
        );
    }
}

#[test]
fn validate_reports_a_broken_scenario_with_file_line_col_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.ron");
    std::fs::write(&path, GOOD.replace("who: \"ann\"", "who: \"bob\"")).unwrap();
    let out = bin().arg("validate").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("broken.ron:9:22"), "{text}");
    assert!(text.contains("unknown character 'bob'"), "{text}");
}

#[test]
fn validate_passes_the_shipped_scenarios() {
    let out = bin().arg("validate").output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = bin()
        .arg("validate")
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios"))
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}

/// The rendered scenario sheet, pinned: it depends on the scenario data only.
#[test]
fn show_output_snapshot() {
    let out = bin()
        .args(["scenarios", "show", "ios-login"])
        .output()
        .unwrap();
    insta::assert_snapshot!(String::from_utf8(out.stdout).unwrap());
}
