//! `score --jsonl`: the streaming contract (DESIGN.md, "The command line").

use std::collections::hash_map::{Entry, HashMap};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::beat::BeatKind;
use crate::error::{Error, Outcome, Result};
use crate::evaluator::{Evaluation, Evaluator, Finding};
use crate::phrasebank::{Dimension, Polarity};

#[derive(Serialize)]
struct Failure<'a> {
    id: &'a Value,
    error: String,
}

/// `score --jsonl`: one output line per input line, in order; a bad line gets an `error` object
/// and the stream goes on. Output is flushed whenever the input has nothing more buffered, so a
/// driver that waits for each answer never deadlocks.
pub fn stream(evaluator: &Evaluator, input: impl Read, output: impl Write) -> Result<Outcome> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let mut out = BufWriter::with_capacity(1 << 16, output);
    let mut line = Vec::new();
    let mut number = 0usize;
    let mut replies = ReplyWriter::default();
    loop {
        line.clear();
        let n = input
            .read_until(b'\n', &mut line)
            .map_err(|e| Error::io("<stdin>", e))?;
        if n == 0 {
            break;
        }
        number += 1;
        answer(evaluator, &line, number, &mut replies, &mut out)?;
        out.write_all(b"\n")?;
        if input.buffer().is_empty() {
            out.flush()?;
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

fn answer(
    evaluator: &Evaluator,
    raw: &[u8],
    number: usize,
    replies: &mut ReplyWriter,
    out: &mut impl Write,
) -> Result<()> {
    let fail = |out: &mut dyn Write, id: &Value, error: String| -> Result<()> {
        serde_json::to_writer(out, &Failure { id, error }).map_err(io::Error::from)?;
        Ok(())
    };
    let null = Value::Null;
    let text = match std::str::from_utf8(raw) {
        Ok(t) => t.trim_end_matches(['\n', '\r']),
        Err(e) => {
            // The bad bytes are usually inside the text; the id can still be read around them.
            let id = serde_json::from_str::<Value>(&String::from_utf8_lossy(raw))
                .ok()
                .and_then(|v| v.get("id").cloned())
                .unwrap_or(Value::Null);
            return fail(
                out,
                &id,
                format!(
                    "line {number}: not valid UTF-8 at byte {}",
                    e.valid_up_to() + 1
                ),
            );
        }
    };
    if text.trim().is_empty() {
        return fail(
            out,
            &null,
            format!("line {number}: empty line (expected a JSON object)"),
        );
    }
    // A line is read as a JSON value first, so an `id` is echoed even when another field is
    // wrong, and an array is not taken for an object (serde reads a struct from a sequence).
    // Unknown keys are ignored (more keys are welcome).
    let request = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(map)) => map,
        Ok(other) => {
            return fail(
                out,
                &null,
                format!(
                    "line {number}: expected a JSON object, found {}",
                    json_kind(&other)
                ),
            )
        }
        Err(e) => {
            // serde_json ends its message with " at line 1 column N": the line is ours.
            let message = e.to_string();
            let message = message
                .rsplit_once(" at line ")
                .map_or(message.as_str(), |(m, _)| m);
            return fail(
                out,
                &null,
                format!("line {number}:{}: {message}", e.column()),
            );
        }
    };
    let id = request.get("id").unwrap_or(&null);
    let after = match request.get("after") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => match name.parse::<BeatKind>() {
            Ok(kind) => Some(kind),
            Err(e) => return fail(out, id, format!("line {number}: {e}")),
        },
        Some(other) => {
            return fail(
                out,
                id,
                format!(
                    "line {number}: \"after\" must be a string naming a beat kind, found {}",
                    json_kind(other)
                ),
            )
        }
    };
    let body = match request.get("text") {
        None | Some(Value::Null) => {
            return fail(out, id, format!("line {number}: missing \"text\""))
        }
        Some(Value::String(body)) => body,
        Some(other) => {
            return fail(
                out,
                id,
                format!(
                    "line {number}: \"text\" must be a string, found {}",
                    json_kind(other)
                ),
            )
        }
    };
    if body.trim().is_empty() {
        return fail(out, id, format!("line {number}: \"text\" is empty"));
    }
    let evaluation = evaluator.evaluate(body, after);
    replies.write(out, id, &evaluation)?;
    Ok(())
}

/// Writes `{"id": ..., <the evaluation's fields>}` exactly as serde_json writes the id
/// followed by the flattened `Evaluation`, but with each rule's constant part of a finding
/// (rule, dimension, polarity, message, suggestion) escaped once and reused: findings are most
/// of the output, and a stream repeats the same few dozen rules.
#[derive(Default)]
struct ReplyWriter {
    /// By the address of the finding's rule id (an `Arc` shared by all its findings; the
    /// template keeps it alive, so the address is never reused by another string).
    templates: HashMap<usize, Template>,
}

struct Template {
    rule: Arc<str>,
    message: Arc<str>,
    suggestion: Arc<str>,
    dimension: Dimension,
    polarity: Polarity,
    /// `{"rule":...,"dimension":...,"polarity":...,"start":`
    head: Vec<u8>,
    /// `,"message":...,"suggestion":...,"weight":`
    tail: Vec<u8>,
}

impl Template {
    fn new(f: &Finding) -> io::Result<Template> {
        let mut head = br#"{"rule":"#.to_vec();
        serde_json::to_writer(&mut head, &*f.rule)?;
        head.extend_from_slice(br#","dimension":"#);
        serde_json::to_writer(&mut head, &f.dimension)?;
        head.extend_from_slice(br#","polarity":"#);
        serde_json::to_writer(&mut head, &f.polarity)?;
        head.extend_from_slice(br#","start":"#);
        let mut tail = br#","message":"#.to_vec();
        serde_json::to_writer(&mut tail, &*f.message)?;
        tail.extend_from_slice(br#","suggestion":"#);
        serde_json::to_writer(&mut tail, &*f.suggestion)?;
        tail.extend_from_slice(br#","weight":"#);
        Ok(Template {
            rule: f.rule.clone(),
            message: f.message.clone(),
            suggestion: f.suggestion.clone(),
            dimension: f.dimension,
            polarity: f.polarity,
            head,
            tail,
        })
    }

    fn fits(&self, f: &Finding) -> bool {
        Arc::ptr_eq(&self.rule, &f.rule)
            && Arc::ptr_eq(&self.message, &f.message)
            && Arc::ptr_eq(&self.suggestion, &f.suggestion)
            && self.dimension == f.dimension
            && self.polarity == f.polarity
    }
}

impl ReplyWriter {
    fn write(&mut self, out: &mut impl Write, id: &Value, e: &Evaluation) -> io::Result<()> {
        out.write_all(br#"{"id":"#)?;
        serde_json::to_writer(&mut *out, id)?;
        out.write_all(br#","scores":"#)?;
        serde_json::to_writer(&mut *out, &e.scores)?;
        out.write_all(br#","move":"#)?;
        serde_json::to_writer(&mut *out, &e.move_verdict)?;
        out.write_all(br#","findings":["#)?;
        let mut numbers = itoa::Buffer::new();
        for (i, f) in e.findings.iter().enumerate() {
            if i > 0 {
                out.write_all(b",")?;
            }
            let key = Arc::as_ptr(&f.rule) as *const u8 as usize;
            let template = match self.templates.entry(key) {
                Entry::Occupied(slot) if slot.get().fits(f) => slot.into_mut(),
                Entry::Occupied(mut slot) => {
                    slot.insert(Template::new(f)?);
                    slot.into_mut()
                }
                Entry::Vacant(slot) => slot.insert(Template::new(f)?),
            };
            out.write_all(&template.head)?;
            out.write_all(numbers.format(f.start).as_bytes())?;
            out.write_all(br#","end":"#)?;
            out.write_all(numbers.format(f.end).as_bytes())?;
            out.write_all(&template.tail)?;
            out.write_all(numbers.format(f.weight).as_bytes())?;
            out.write_all(b"}")?;
        }
        out.write_all(br#"],"words":"#)?;
        out.write_all(numbers.format(e.words).as_bytes())?;
        out.write_all(b"}")
    }
}
/// "an array", "a number", ...: what a JSON value is, for error messages.
fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
