//! `score --jsonl`: the streaming contract (DESIGN.md, "The command line").

use std::borrow::Cow;
use std::collections::hash_map::{Entry, HashMap};
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
    let request = match Request::quick(raw) {
        Some(request) => request,
        None => match Request::checked(raw, number) {
            Ok(request) => request,
            Err(failure) => {
                serde_json::to_writer(out, &failure).map_err(io::Error::from)?;
                return Ok(());
            }
        },
    };
    let evaluation = evaluator.evaluate(&request.text, request.after);
    replies.write(out, &request.id, &evaluation)?;
    Ok(())
}

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
            Some(name) => Some(beat_kind(&name)?),
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

/// A beat kind by name: the exact snake_case name without `FromStr`'s normalizing allocations,
/// else whatever `FromStr` accepts.
fn beat_kind(name: &str) -> Option<BeatKind> {
    BeatKind::ALL
        .into_iter()
        .find(|k| k.as_str() == name)
        .or_else(|| name.parse().ok())
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

#[cfg(test)]
mod tests {
    use super::*;

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
