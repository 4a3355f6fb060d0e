//! Embeds every data file under `phrasebank/` and `scenarios/` into the binary, so the list of
//! embedded files can never drift from what is on disk; and works out the anchors of the
//! embedded phrasebank's patterns ahead of time, so start-up need not parse every pattern.

use std::collections::BTreeMap;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use phrasebank::rule::Rule;
use phrasebank::snapshot::{rule_offsets, RuleFile, Snapshot};

#[allow(dead_code)]
#[path = "src/evaluator/anchors.rs"]
mod anchors;
#[allow(dead_code)]
#[path = "src/beat.rs"]
mod beat;
#[allow(dead_code)]
#[path = "src/evaluator/literal_table.rs"]
mod literal_table;
/// The phrasebank's own types, to read it as start-up would and write the snapshot.
#[allow(dead_code)]
mod phrasebank {
    #[path = "../src/phrasebank/moves.rs"]
    pub mod moves;
    #[path = "../src/phrasebank/rule.rs"]
    pub mod rule;
    #[path = "../src/phrasebank/settings.rs"]
    pub mod settings;
    #[path = "../src/phrasebank/snapshot.rs"]
    pub mod snapshot;
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "ron") {
            out.push(path);
        }
    }
}

fn main() {
    let root = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap());
    let mut code = String::from(
        "/// Every embedded data file: (path relative to the crate root, contents).\n",
    );
    code.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    println!("cargo:rerun-if-changed=src/evaluator/anchors.rs");
    println!("cargo:rerun-if-changed=src/evaluator/literal_table.rs");
    for types in [
        "beat.rs",
        "phrasebank/moves.rs",
        "phrasebank/rule.rs",
        "phrasebank/settings.rs",
        "phrasebank/snapshot.rs",
    ] {
        println!("cargo:rerun-if-changed=src/{types}");
    }
    for top in ["phrasebank", "scenarios"] {
        println!("cargo:rerun-if-changed={top}");
        let mut files = Vec::new();
        collect(&root.join(top), &mut files);
        for path in files {
            let rel = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            if let Some(parent) = path.parent() {
                println!("cargo:rerun-if-changed={}", parent.display());
            }
            code.push_str(&format!(
                "    ({rel:?}, include_str!({:?})),\n",
                path.display().to_string()
            ));
        }
    }
    code.push_str("];\n");
    let out_dir = PathBuf::from(env::var("OUT_DIR").unwrap());
    fs::write(out_dir.join("embedded.rs"), code).unwrap();
    // The rule files and the lexicon are read once, for the anchor tables and the snapshot.
    let dir = root.join("phrasebank");
    let rule_files = read_rule_files(&root);
    let lexicon: Option<anchors::Lexicon> = read_ron(&dir.join("lexicon.ron"));
    fs::write(
        out_dir.join("anchors.rs"),
        precomputed(rule_files.as_deref(), lexicon.as_ref(), &out_dir),
    )
    .unwrap();
    fs::write(
        out_dir.join("phrasebank.json"),
        snapshot(&dir, rule_files, lexicon),
    )
    .unwrap();
}

/// The embedded phrasebank's rule files, each with where its rules' records start; `None`
/// when one does not load here.
fn read_rule_files(root: &Path) -> Option<Vec<RuleFile>> {
    let mut paths = Vec::new();
    collect(&root.join("phrasebank/rules"), &mut paths);
    paths
        .iter()
        .map(|path| {
            let text = fs::read_to_string(path).ok()?;
            let rules: Vec<Rule> = ron_from_str(&text)?;
            Some(RuleFile {
                path: path
                    .strip_prefix(root)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/"),
                offsets: rule_offsets(&text, &rules),
                rules,
            })
        })
        .collect()
}

/// The embedded phrasebank as JSON (`src/phrasebank/snapshot.rs`); empty when a file does not
/// load here (start-up then reads the files and reports what is wrong with them).
fn snapshot(
    dir: &Path,
    rule_files: Option<Vec<RuleFile>>,
    lexicon: Option<anchors::Lexicon>,
) -> String {
    let (Some(rule_files), Some(lexicon), Some(context), Some(scoring), Some(moves)) = (
        rule_files,
        lexicon,
        read_ron(&dir.join("context.ron")),
        read_ron(&dir.join("scoring.ron")),
        read_ron(&dir.join("moves.ron")),
    ) else {
        return String::new();
    };
    let snapshot = Snapshot {
        rule_files,
        lexicon,
        context,
        scoring,
        moves,
    };
    serde_json::to_string(&snapshot).unwrap_or_default()
}

fn read_ron<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    ron_from_str(&fs::read_to_string(path).ok()?)
}

/// RON read with the options every data file uses (`ronfile::options`).
fn ron_from_str<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(text)
        .ok()
}

/// The tables `evaluator::compile` includes: each pattern (as written) with the anchors of
/// its skeleton, the expanded exceptions that parse, and the phrase and anchor automaton (its
/// literals, and its table in `literal_table.bin` beside the code). A phrasebank that does
/// not load here (a syntax error the tests will name) gets empty tables: start-up then works
/// everything out itself.
fn precomputed(
    rule_files: Option<&[RuleFile]>,
    lexicon: Option<&anchors::Lexicon>,
    out_dir: &Path,
) -> String {
    // Keyed by the pattern as written: start-up then finds a pattern's anchors without
    // working out its skeleton (the skeleton does not depend on what the entries hold).
    let mut by_pattern: BTreeMap<String, Option<anchors::Anchors>> = BTreeMap::new();
    let mut exceptions: Vec<String> = Vec::new();
    let mut literals: Option<Vec<Vec<u8>>> = None;
    let mut slots: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    if let (Some(lexicon), Some(rule_files)) = (lexicon, rule_files) {
        let rules: Vec<&Rule> = rule_files.iter().flat_map(|f| &f.rules).collect();
        let mut expander = anchors::Expander::default();
        for rule in &rules {
            for pattern in &rule.patterns {
                let Ok(skeleton) = anchors::skeleton(lexicon, pattern) else {
                    continue;
                };
                if let Ok(hir) = anchors::parse(&skeleton) {
                    by_pattern.insert(pattern.clone(), anchors::anchors_of(&hir));
                }
            }
            for exception in &rule.exceptions {
                if let Ok(expanded) = expander.expand(lexicon, &exception.pattern) {
                    if anchors::parse(&expanded).is_ok() {
                        exceptions.push(expanded);
                    }
                }
            }
        }
        let (list, found) = automaton_literals(&rules, &by_pattern);
        literals = Some(list);
        slots = found;
    }
    exceptions.sort();
    exceptions.dedup();
    let mut code = String::from("/// Patterns as written (sorted) and their anchors.\n");
    code.push_str("static PATTERN_ANCHORS: &[(&str, Option<StaticAnchors>)] = &[\n");
    for (pattern, anchors) in &by_pattern {
        let anchors = match anchors {
            None => "None".to_string(),
            Some((side, literals, edge)) => {
                let literals: Vec<String> = literals.iter().map(|l| format!("&{l:?}")).collect();
                let slots: Vec<String> = slots
                    .get(pattern)
                    .map(|s| s.iter().map(|n| n.to_string()).collect())
                    .unwrap_or_default();
                format!(
                    "Some((Side::{side:?}, &[{}], {edge}, &[{}]))",
                    literals.join(", "),
                    slots.join(", ")
                )
            }
        };
        code.push_str(&format!("    ({pattern:?}, {anchors}),\n"));
    }
    code.push_str("];\n/// Expanded exceptions that parse (sorted).\n");
    code.push_str("static VALID_EXCEPTIONS: &[&str] = &[\n");
    for e in &exceptions {
        code.push_str(&format!("    {e:?},\n"));
    }
    code.push_str("];\n");
    code.push_str(&literal_table(
        literals.as_deref().unwrap_or_default(),
        out_dir,
    ));
    code
}

/// The automaton's literals, listed as `Compiled::new` lists them (`anchors::LiteralList`),
/// and the place among the anchors of each pattern's anchor literals.
fn automaton_literals(
    rules: &[&Rule],
    anchors_by_pattern: &BTreeMap<String, Option<anchors::Anchors>>,
) -> (Vec<Vec<u8>>, BTreeMap<String, Vec<usize>>) {
    let mut list = anchors::LiteralList::default();
    let mut slots = BTreeMap::new();
    for rule in rules {
        for phrase in &rule.phrases {
            list.add_phrase(phrase);
        }
        for pattern in &rule.patterns {
            if let Some(Some((_, literals, _))) = anchors_by_pattern.get(pattern) {
                let found = literals
                    .iter()
                    .map(|literal| list.add_anchor(std::borrow::Cow::Borrowed(literal)))
                    .collect();
                slots.insert(pattern.clone(), found);
            }
        }
    }
    let all = list.all().into_iter().map(<[u8]>::to_vec).collect();
    (all, slots)
}

/// `LITERAL_BYTES`, `LITERAL_ENDS` and `LITERAL_TABLE` (see `evaluator::literal_table`); the
/// literals go to `literals.bin` and the table's rows to `literal_table.bin`. No table (`None`) when there are no literals or too many states.
fn literal_table(literals: &[Vec<u8>], out_dir: &Path) -> String {
    let slices: Vec<&[u8]> = literals.iter().map(Vec::as_slice).collect();
    let dense = (!slices.is_empty())
        .then(|| literal_table::build(&slices))
        .flatten();
    // The literals as one run of bytes and where each ends (a list of slices would cost a
    // relocation each when the binary loads).
    let mut ends = Vec::with_capacity(slices.len());
    let mut bytes = Vec::new();
    for literal in &slices {
        bytes.extend_from_slice(literal);
        ends.push(bytes.len() as u32);
    }
    fs::write(out_dir.join("literals.bin"), &bytes).unwrap();
    let list = |v: &[u32]| {
        v.iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
            .join(",")
    };
    let mut code =
        String::from("/// The phrases and anchors the table was built for, end to end.\n");
    code.push_str(
        "static LITERAL_BYTES: &[u8] = include_bytes!(concat!(env!(\"OUT_DIR\"), \"/literals.bin\"));\n",
    );
    code.push_str(&format!(
        "/// Where each literal ends in `LITERAL_BYTES`.\nstatic LITERAL_ENDS: &[u32] = &[{}];\n",
        list(&ends)
    ));
    code.push_str("/// Their automaton's table.\n");
    let Some(dense) = dense else {
        code.push_str("static LITERAL_TABLE: Option<Table<'static>> = None;\n");
        return code;
    };
    fs::write(out_dir.join("literal_table.bin"), &dense.table).unwrap();
    let classes: Vec<u32> = dense.classes.iter().map(|&c| u32::from(c)).collect();
    code.push_str(&format!(
        "static LITERAL_TABLE: Option<Table<'static>> = Some(Table {{\n    \
         classes: &[{}],\n    stride: {},\n    \
         table: include_bytes!(concat!(env!(\"OUT_DIR\"), \"/literal_table.bin\")),\n    \
         wide: {},\n    first_match: {},\n    starts: &[{}],\n    ends: &[{}],\n}});\n",
        list(&classes),
        dense.stride,
        dense.wide,
        dense.first_match,
        list(&dense.starts),
        list(&dense.ends),
    ));
    code
}
