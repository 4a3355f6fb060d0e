//! Evaluator throughput: `cargo bench --bench evaluator -- CORPUS [RESPONSES.jsonl]`.
//! Prints MB/s for `scan` over a document and for `evaluate` over many short responses, one
//! at a time and read together (`evaluate_all`).

use std::time::Instant;

use debrief::evaluator::Evaluator;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let corpus_path = args.first().expect("usage: evaluator CORPUS [RESPONSES]");
    let corpus = std::fs::read_to_string(corpus_path).expect("read corpus");
    let t = Instant::now();
    let bank = debrief::phrasebank::Phrasebank::embedded().expect("phrasebank loads");
    eprintln!("load phrasebank: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let evaluator = Evaluator::new(bank).expect("phrasebank compiles");
    eprintln!("compile: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);

    let t = Instant::now();
    let text = debrief::evaluator::text::Text::new(&corpus);
    eprintln!(
        "prepare text: {:.1} ms ({} words, {} sentences)",
        t.elapsed().as_secs_f64() * 1e3,
        text.words.len(),
        text.sentences.len()
    );
    drop(text);

    // The first scan compiles every pattern it needs (they are compiled on first use); the
    // second runs on what is compiled, as a long-running linter or stream does.
    for label in ["scan (first, compiling)", "scan (again)"] {
        let t = Instant::now();
        let findings = evaluator.scan(&corpus);
        let secs = t.elapsed().as_secs_f64();
        println!(
            "{label}: {} bytes, {} findings, {:.1} ms, {:.1} MB/s",
            corpus.len(),
            findings.len(),
            secs * 1e3,
            corpus.len() as f64 / secs / 1e6
        );
    }

    // Paragraph by paragraph, as a linter or a stream of responses sees it.
    let paras: Vec<&str> = corpus
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .collect();
    let t = Instant::now();
    let mut n = 0;
    for p in &paras {
        n += evaluator.evaluate(p, None).findings.len();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "evaluate per paragraph: {} paragraphs, {} findings, {:.1} MB/s",
        paras.len(),
        n,
        corpus.len() as f64 / secs / 1e6
    );

    // The same paragraphs read together, as `score --jsonl` reads the lines it has buffered.
    let batch: Vec<(&str, Option<debrief::beat::BeatKind>)> =
        paras.iter().map(|p| (*p, None)).collect();
    let t = Instant::now();
    let mut n = 0;
    for chunk in batch.chunks(64) {
        n += evaluator
            .evaluate_all(chunk)
            .iter()
            .map(|e| e.findings.len())
            .sum::<usize>();
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "evaluate_all, 64 paragraphs at a time: {} findings, {:.1} MB/s",
        n,
        corpus.len() as f64 / secs / 1e6
    );
}
