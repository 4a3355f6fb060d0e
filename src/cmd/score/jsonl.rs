//! `score --jsonl`: the streaming contract (DESIGN.md, "The command line").

use std::borrow::Cow;
use std::fmt;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::sync::Arc;

use serde::de::{self, Deserialize, Deserializer, Error as _, MapAccess, SeqAccess, Visitor};
use serde::Serialize;
use serde_json::Value;

use crate::beat::BeatKind;
use crate::error::{Error, Outcome, Result};
use crate::evaluator::{Evaluation, Evaluator, Finding};
use crate::phrasebank::{Dimension, Polarity};

/// A bad line's answer: `{"id": ..., "error": "..."}`.
#[derive(Serialize)]
struct Failure {
    id: Value,
    error: String,
}

/// `score --jsonl`: one output line per input line, in order; a bad line gets an `error` object
/// and the stream goes on. Output is flushed whenever the input has nothing more buffered, so a
/// driver that waits for each answer never deadlocks.
///
/// Lines already in the buffer are answered together (`Evaluator::evaluate_all`, the same
/// answers read in one pass); a batch never waits for input that has not arrived.
pub fn stream(evaluator: &Evaluator, input: impl Read, output: impl Write) -> Result<Outcome> {
    let mut input = BufReader::with_capacity(1 << 16, input);
    let mut out = BufWriter::with_capacity(1 << 16, output);
    // The batch's lines, one after another, and where each ends.
    let mut lines = Vec::new();
    let mut ends = Vec::new();
    // Each reply is built here, then handed to `out` in one write.
    let mut reply = Vec::new();
    let mut number = 0usize;
    let mut replies = ReplyWriter::default();
    loop {
        lines.clear();
        ends.clear();
        loop {
            let n = input
                .read_until(b'\n', &mut lines)
                .map_err(|e| Error::io("<stdin>", e))?;
            if n == 0 {
                break;
            }
            ends.push(lines.len());
            let more = input.buffer().contains(&b'\n');
            if !more || ends.len() == BATCH_LINES || lines.len() >= BATCH_BYTES {
                break;
            }
        }
        if ends.is_empty() {
            break;
        }
        let requests: Vec<std::result::Result<Request<'_>, Failure>> = ends
            .iter()
            .scan(0, |start, &end| {
                let raw = &lines[*start..end];
                *start = end;
                number += 1;
                Some(Request::quick(raw).map_or_else(|| Request::checked(raw, number), Ok))
            })
            .collect();
        let batch: Vec<(&str, Option<BeatKind>)> = requests
            .iter()
            .flatten()
            .map(|r| (&*r.text, r.after))
            .collect();
        let mut evaluations = evaluator.evaluate_all(&batch).into_iter();
        for request in &requests {
            reply.clear();
            match request {
                Ok(request) => {
                    let evaluation = evaluations.next().expect("one evaluation per request");
                    replies.write(&mut reply, &request.id, &evaluation)?;
                }
                Err(failure) => {
                    serde_json::to_writer(&mut reply, failure).map_err(io::Error::from)?;
                }
            }
            reply.push(b'\n');
            out.write_all(&reply)?;
        }
        if input.buffer().is_empty() {
            out.flush()?;
        }
    }
    out.flush()?;
    Ok(Outcome::Success)
}

/// At most this many lines, or lines up to about this many bytes, are answered together:
/// enough to keep the matching steps warm across texts (`evaluate_all`), little enough that
/// a batch's text stays in the CPU caches.
const BATCH_LINES: usize = 256;
const BATCH_BYTES: usize = 64 << 10;

/// What one line asks for.
struct Request<'a> {
    /// Echoed as given (`null` when absent).
    id: Value,
    /// Borrowed from the line unless it holds escapes.
    text: Cow<'a, str>,
    after: Option<BeatKind>,
}

impl<'a> Request<'a> {
    /// The request on a well-formed line, read without building a `Value` tree: the common case,
    /// and most of the per-line cost outside the evaluator when it went through `Value`.
    ///
    /// `None` for anything [`Request::checked`] might answer differently or reject: bad UTF-8, a
    /// syntax error, a wrong type, a missing or blank text, an unknown beat kind, a repeated key
    /// (a `Value` keeps the last one). Every line that this accepts, `checked` accepts with the
    /// same request, so the fast path changes no output; `checked` alone words the errors.
    fn quick(raw: &'a [u8]) -> Option<Request<'a>> {
        let line = std::str::from_utf8(raw)
            .ok()?
            .trim_end_matches(['\n', '\r']);
        let mut de = serde_json::Deserializer::from_str(line);
        let fields = serde::Deserializer::deserialize_map(&mut de, FieldsVisitor).ok()?;
        de.end().ok()?;
        let text = fields.text?;
        if text.trim().is_empty() {
            return None;
        }
        let after = match fields.after.flatten() {
            None => None,
            Some(name) => Some(name.parse::<BeatKind>().ok()?),
        };
        Some(Request {
            id: fields.id.unwrap_or(Value::Null),
            text,
            after,
        })
    }

    /// The request on any line, or what is wrong with it. A line is read as a JSON value first,
    /// so an `id` is echoed even when another field is wrong, and an array is not taken for an
    /// object (serde reads a struct from a sequence). Unknown keys are ignored (more keys are
    /// welcome).
    fn checked(raw: &[u8], number: usize) -> std::result::Result<Request<'static>, Failure> {
        let fail = |id: Value, error: String| Failure { id, error };
        let text = match std::str::from_utf8(raw) {
            Ok(t) => t.trim_end_matches(['\n', '\r']),
            Err(e) => {
                // The bad bytes are usually inside the text; the id can still be read around
                // them.
                let id = serde_json::from_str::<Value>(&String::from_utf8_lossy(raw))
                    .ok()
                    .and_then(|mut v| v.get_mut("id").map(Value::take))
                    .unwrap_or(Value::Null);
                return Err(fail(
                    id,
                    format!(
                        "line {number}: not valid UTF-8 at byte {}",
                        e.valid_up_to() + 1
                    ),
                ));
            }
        };
        if text.trim().is_empty() {
            return Err(fail(
                Value::Null,
                format!("line {number}: empty line (expected a JSON object)"),
            ));
        }
        let mut request = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(map)) => map,
            Ok(other) => {
                return Err(fail(
                    Value::Null,
                    format!(
                        "line {number}: expected a JSON object, found {}",
                        json_kind(&other)
                    ),
                ))
            }
            Err(e) => {
                // serde_json ends its message with " at line 1 column N": the line is ours.
                let message = e.to_string();
                let message = message
                    .rsplit_once(" at line ")
                    .map_or(message.as_str(), |(m, _)| m);
                return Err(fail(
                    Value::Null,
                    format!("line {number}:{}: {message}", e.column()),
                ));
            }
        };
        let id = request.remove("id").unwrap_or(Value::Null);
        let after = match request.get("after") {
            None | Some(Value::Null) => None,
            Some(Value::String(name)) => match name.parse::<BeatKind>() {
                Ok(kind) => Some(kind),
                Err(e) => return Err(fail(id, format!("line {number}: {e}"))),
            },
            Some(other) => {
                let error = format!(
                    "line {number}: \"after\" must be a string naming a beat kind, found {}",
                    json_kind(other)
                );
                return Err(fail(id, error));
            }
        };
        let body = match request.remove("text") {
            None | Some(Value::Null) => {
                return Err(fail(id, format!("line {number}: missing \"text\"")))
            }
            Some(Value::String(body)) => body,
            Some(other) => {
                let error = format!(
                    "line {number}: \"text\" must be a string, found {}",
                    json_kind(&other)
                );
                return Err(fail(id, error));
            }
        };
        if body.trim().is_empty() {
            return Err(fail(id, format!("line {number}: \"text\" is empty")));
        }
        Ok(Request {
            id,
            text: Cow::Owned(body),
            after,
        })
    }
}

/// The keys [`Request::quick`] reads, each at most once.
#[derive(Default)]
struct Fields<'a> {
    id: Option<Value>,
    text: Option<Cow<'a, str>>,
    /// `Some(None)` for `"after": null`.
    after: Option<Option<Cow<'a, str>>>,
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Fields<'de>, A::Error> {
        let mut fields = Fields::default();
        let repeated = || A::Error::custom("a repeated key");
        while let Some(key) = map.next_key::<Key>()? {
            match key {
                Key::Id if fields.id.is_none() => fields.id = Some(map.next_value()?),
                Key::Text if fields.text.is_none() => {
                    fields.text = Some(map.next_value::<Text>()?.0);
                }
                Key::After if fields.after.is_none() => {
                    fields.after = Some(map.next_value::<Option<Text>>()?.map(|t| t.0));
                }
                Key::Id | Key::Text | Key::After => return Err(repeated()),
                Key::Other => {
                    map.next_value::<Unread>()?;
                }
            }
        }
        Ok(fields)
    }
}

/// A key of the request object, matched without allocating.
enum Key {
    Id,
    Text,
    After,
    Other,
}

impl<'de> Deserialize<'de> for Key {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Key, D::Error> {
        struct KeyVisitor;
        impl Visitor<'_> for KeyVisitor {
            type Value = Key;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, key: &str) -> std::result::Result<Key, E> {
                Ok(match key {
                    "id" => Key::Id,
                    "text" => Key::Text,
                    "after" => Key::After,
                    _ => Key::Other,
                })
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// A JSON string, borrowed from the line when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Text<'de>, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(
                self,
                s: &'de str,
            ) -> std::result::Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> std::result::Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

/// A value under a key the request does not use: parsed and dropped without being built, but
/// through `deserialize_any` as a `Value` is, so it fails exactly where a `Value` would (a number
/// out of range, nesting too deep), which serde's `IgnoredAny` does not.
struct Unread;

impl<'de> Deserialize<'de> for Unread {
    fn deserialize<D: Deserializer<'de>>(d: D) -> std::result::Result<Unread, D::Error> {
        d.deserialize_any(UnreadVisitor)
    }
}

struct UnreadVisitor;

impl<'de> Visitor<'de> for UnreadVisitor {
    type Value = Unread;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> std::result::Result<Unread, E> {
        Ok(Unread)
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> std::result::Result<Unread, E> {
        Ok(Unread)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> std::result::Result<Unread, E> {
        Ok(Unread)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> std::result::Result<Unread, E> {
        Ok(Unread)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> std::result::Result<Unread, E> {
        Ok(Unread)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> std::result::Result<Unread, E> {
        Ok(Unread)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> std::result::Result<Unread, A::Error> {
        while seq.next_element::<Unread>()?.is_some() {}
        Ok(Unread)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> std::result::Result<Unread, A::Error> {
        while map.next_entry::<Unread, Unread>()?.is_some() {}
        Ok(Unread)
    }
}

/// Writes `{"id": ..., <the evaluation's fields>}` exactly as serde_json writes the id
/// followed by the flattened `Evaluation` (a test holds it to that), but straight into the reply
/// buffer: scores and move by hand, and each rule's constant part of a finding (rule, dimension,
/// polarity, message, suggestion) escaped once and reused, since findings are most of the output
/// and a stream repeats the same few dozen rules.
#[derive(Default)]
struct ReplyWriter {
    /// Sorted by the address of the finding's rule id (an `Arc` shared by all its findings; the
    /// template keeps it alive, so the address is never reused by another string). A sorted
    /// `Vec` of a few dozen entries is searched faster than a SipHash map.
    templates: Vec<(usize, Template)>,
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
    /// Appends the reply (without its newline) to `out`.
    fn write(&mut self, out: &mut Vec<u8>, id: &Value, e: &Evaluation) -> io::Result<()> {
        let mut numbers = itoa::Buffer::new();
        out.extend_from_slice(br#"{"id":"#);
        serde_json::to_writer(&mut *out, id)?;
        let scores = &e.scores;
        out.extend_from_slice(br#","scores":{"blamelessness":"#);
        out.extend_from_slice(numbers.format(scores.blamelessness).as_bytes());
        out.extend_from_slice(br#","data":"#);
        out.extend_from_slice(numbers.format(scores.data).as_bytes());
        out.extend_from_slice(br#","concision":"#);
        out.extend_from_slice(numbers.format(scores.concision).as_bytes());
        out.extend_from_slice(br#"},"move":"#);
        match &e.move_verdict {
            None => out.extend_from_slice(b"null"),
            Some(m) => {
                out.extend_from_slice(br#"{"kind":""#);
                out.extend_from_slice(m.kind.as_str().as_bytes());
                out.extend_from_slice(br#"","met":"#);
                out.extend_from_slice(if m.met { b"true" } else { b"false" });
                out.extend_from_slice(br#","missing":"#);
                write_strs(out, &m.missing)?;
                out.extend_from_slice(br#","could_add":"#);
                write_strs(out, &m.could_add)?;
                out.extend_from_slice(br#","expected":"#);
                write_str(out, &m.expected)?;
                out.push(b'}');
            }
        }
        out.extend_from_slice(br#","findings":["#);
        for (i, f) in e.findings.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            let template = self.template(f)?;
            out.extend_from_slice(&template.head);
            out.extend_from_slice(numbers.format(f.start).as_bytes());
            out.extend_from_slice(br#","end":"#);
            out.extend_from_slice(numbers.format(f.end).as_bytes());
            out.extend_from_slice(&template.tail);
            out.extend_from_slice(numbers.format(f.weight).as_bytes());
            out.push(b'}');
        }
        out.extend_from_slice(br#"],"words":"#);
        out.extend_from_slice(numbers.format(e.words).as_bytes());
        out.push(b'}');
        Ok(())
    }

    /// The template for `f`'s rule, made on first sight (or remade if the rule's strings
    /// changed, which a single phrasebank never does).
    fn template(&mut self, f: &Finding) -> io::Result<&Template> {
        let key = Arc::as_ptr(&f.rule) as *const u8 as usize;
        let i = match self.templates.binary_search_by_key(&key, |(k, _)| *k) {
            Ok(i) if self.templates[i].1.fits(f) => i,
            Ok(i) => {
                self.templates[i].1 = Template::new(f)?;
                i
            }
            Err(i) => {
                self.templates.insert(i, (key, Template::new(f)?));
                i
            }
        };
        Ok(&self.templates[i].1)
    }
}

/// Appends `s` as a JSON string, byte for byte as serde_json writes it. The strings here rarely
/// need an escape, so a plain one is copied whole; the check has no early exit, so it vectorizes.
fn write_str(out: &mut Vec<u8>, s: &str) -> io::Result<()> {
    let plain = s.bytes().fold(true, |plain, b| {
        plain & (b >= 0x20) & (b != b'"') & (b != b'\\')
    });
    if plain {
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
        Ok(())
    } else {
        serde_json::to_writer(out, s).map_err(io::Error::from)
    }
}

/// Appends `items` as a JSON array of strings.
fn write_strs(out: &mut Vec<u8>, items: &[String]) -> io::Result<()> {
    out.push(b'[');
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        write_str(out, item)?;
    }
    out.push(b']');
    Ok(())
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

#[cfg(test)]
mod tests {
    use super::*;

    /// What `ReplyWriter` stands in for.
    #[derive(Serialize)]
    struct Reply<'a> {
        id: &'a Value,
        #[serde(flatten)]
        evaluation: &'a Evaluation,
    }

    fn assert_same_reply(replies: &mut ReplyWriter, id: &Value, e: &Evaluation) {
        let mut ours = Vec::new();
        replies.write(&mut ours, id, e).unwrap();
        let serde = serde_json::to_vec(&Reply { id, evaluation: e }).unwrap();
        assert_eq!(
            String::from_utf8(ours).unwrap(),
            String::from_utf8(serde).unwrap()
        );
    }

    /// The hand-written reply is the bytes serde_json writes, so a field added to `Evaluation`,
    /// `Scores` or `MoveVerdict` (or a change of their order) fails here, not in the contract.
    #[test]
    fn replies_are_the_bytes_serde_json_writes() {
        let evaluator = Evaluator::embedded().unwrap();
        let mut replies = ReplyWriter::default();
        let texts = [
            "Honestly, Ravi broke the staging cluster twice this week.",
            "It's probably the CDN, it always is. We should have known.",
            "Error rate hit 4.2% at 14:05 UTC per the checkout dashboard; Ana owns the fix by Friday.",
            "Let's park that and come back to the timeline. What does the telemetry show?",
            "um, basically, you know, it was kind of a \"human error\" thing",
            "ok",
        ];
        let (mut findings, mut moves) = (0, 0);
        for (n, text) in texts.iter().enumerate() {
            for after in std::iter::once(None).chain(BeatKind::ALL.map(Some)) {
                let mut e = evaluator.evaluate(text, after);
                findings += e.findings.len();
                let id = if n % 2 == 0 {
                    Value::from(n)
                } else {
                    serde_json::json!({"b": [n, 1.5], "a": "q\"uote"})
                };
                assert_same_reply(&mut replies, &id, &e);
                if let Some(m) = &mut e.move_verdict {
                    moves += 1;
                    m.missing.push("a \"quoted\"\tline \\ end\u{1}".into());
                    m.could_add.push("caf\u{e9} \u{1F600}".into());
                    m.expected.push('\n');
                    assert_same_reply(&mut replies, &id, &e);
                }
            }
        }
        assert!(
            findings > 20 && moves > 20,
            "{findings} findings, {moves} moves"
        );
    }

    /// The fast path reads a line exactly as the checked one does, or leaves it to it.
    #[test]
    fn quick_reads_what_checked_reads_or_leaves_the_line_to_it() {
        let deep = format!(
            r#"{{"text": "hi", "x": {}{}}}"#,
            "[".repeat(200),
            "]".repeat(200)
        );
        let quick = [
            r#"{"id": 1, "text": "hi", "after": "finger_pointing"}"#,
            r#"{"text": "a \"quoted\" caf\u00e9 \ud83d\ude00 word"}"#,
            r#"{"id": "x", "text": "hi", "after": null}"#,
            r#"{"id": 1.50, "text": "hi"}"#,
            r#"{"id": -7, "text": "hi", "after": "Finger-Pointing"}"#,
            r#"{"id": {"b": 1, "a": [1, {"c": null}]}, "text": "hi", "n": 1e3}"#,
            r#"{"text": "hi", "extra": [[[true, false]]], "more": {"k": "\ud83d\ude00"}}"#,
            r#"{"t\u0065xt": "hi", "id": null}"#,
            "{\"text\": \"hi\"}\r\n",
        ];
        let left = [
            r#"{"text": "hi", "x": 1e400}"#,
            r#"{"text": "a", "text": "b"}"#,
            r#"{"id": 1, "id": 2, "text": "b"}"#,
            r#"{"text": "hi", "bad": "\ud800"}"#,
            r#"{"text": " "}"#,
            r#"{"text": 5}"#,
            r#"{"text": null, "after": "tangent"}"#,
            r#"{"id": 3, "after": 7, "text": "hi"}"#,
            r#"{"text": "hi", "after": "blame"}"#,
            r#"[{"text": "hi"}]"#,
            r#"{"text": "hi"} x"#,
            "",
            deep.as_str(),
        ];
        for line in quick.iter().chain(&left) {
            let checked = Request::checked(line.as_bytes(), 1);
            let Some(q) = Request::quick(line.as_bytes()) else {
                assert!(left.contains(line), "quick path refused {line}");
                continue;
            };
            assert!(quick.contains(line), "quick path took {line}");
            let c = checked.unwrap_or_else(|f| panic!("{line}: {}", f.error));
            assert_eq!((q.id, q.text, q.after), (c.id, c.text, c.after), "{line}");
        }
    }
}
