//! Embeds every data file under `phrasebank/` and `scenarios/` into the binary, so the list of
//! embedded files can never drift from what is on disk; and works out the anchors of the
//! embedded phrasebank's patterns ahead of time, so start-up need not parse every pattern.

use std::collections::BTreeMap;
use std::env;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

#[allow(dead_code)]
#[path = "src/evaluator/anchors.rs"]
mod anchors;

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
    fs::write(
        out_dir.join("anchors.rs"),
        precomputed(&root.join("phrasebank")),
    )
    .unwrap();
}

/// The fields of a rule that anchors need (the others are ignored).
#[derive(Deserialize)]
struct RulePatterns {
    #[serde(default)]
    patterns: Vec<String>,
    #[serde(default)]
    exceptions: Vec<ExceptionPattern>,
}

#[derive(Deserialize)]
struct ExceptionPattern {
    pattern: String,
}

fn read_ron<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    let text = fs::read_to_string(path).ok()?;
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str(&text)
        .ok()
}

/// The tables `evaluator::compile` includes: each pattern skeleton with its anchors, and the
/// expanded exceptions that parse. A phrasebank that does not load here (a syntax error the
/// tests will name) gets empty tables: start-up then works everything out itself.
fn precomputed(dir: &Path) -> String {
    let mut skeletons: BTreeMap<String, Option<anchors::Anchors>> = BTreeMap::new();
    let mut exceptions: Vec<String> = Vec::new();
    let lexicon: Option<anchors::Lexicon> = read_ron(&dir.join("lexicon.ron"));
    let mut rule_files = Vec::new();
    collect(&dir.join("rules"), &mut rule_files);
    let rules: Option<Vec<Vec<RulePatterns>>> = rule_files.iter().map(|p| read_ron(p)).collect();
    if let (Some(lexicon), Some(rules)) = (lexicon, rules) {
        let mut expander = anchors::Expander::default();
        for rule in rules.iter().flatten() {
            for pattern in &rule.patterns {
                let Ok(skeleton) = anchors::skeleton(&lexicon, pattern) else {
                    continue;
                };
                if let Ok(hir) = anchors::parse(&skeleton) {
                    skeletons.insert(skeleton, anchors::anchors_of(&hir));
                }
            }
            for exception in &rule.exceptions {
                if let Ok(expanded) = expander.expand(&lexicon, &exception.pattern) {
                    if anchors::parse(&expanded).is_ok() {
                        exceptions.push(expanded);
                    }
                }
            }
        }
    }
    exceptions.sort();
    exceptions.dedup();
    let mut code = String::from("/// Pattern skeletons (sorted) and their anchors.\n");
    code.push_str("static SKELETONS: &[(&str, Option<StaticAnchors>)] = &[\n");
    for (skeleton, anchors) in &skeletons {
        let anchors = match anchors {
            None => "None".to_string(),
            Some((prefix, literals, edge)) => {
                let literals: Vec<String> = literals.iter().map(|l| format!("&{l:?}")).collect();
                format!("Some(({prefix}, &[{}], {edge}))", literals.join(", "))
            }
        };
        code.push_str(&format!("    ({skeleton:?}, {anchors}),\n"));
    }
    code.push_str("];\n/// Expanded exceptions that parse (sorted).\n");
    code.push_str("static VALID_EXCEPTIONS: &[&str] = &[\n");
    for e in &exceptions {
        code.push_str(&format!("    {e:?},\n"));
    }
    code.push_str("];\n");
    code
}
