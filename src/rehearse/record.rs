//! A finished (or abandoned) rehearsal as saved under the data dir: `sessions/<id>.json`
//! holds the transcript and the scorecard. `history` and `report` read these back.

use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::scorecard::{Scorecard, TurnRecord};
use super::session::{Line, Session};
use crate::ctx::Ctx;
use crate::error::Result;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub scenario: String,
    pub title: String,
    /// UTC with milliseconds, `2026-11-27T21:26:00.123Z` (sorts in time order).
    pub started: String,
    pub seed: u64,
    pub realtime: bool,
    pub transcript: Vec<Line>,
    pub turns: Vec<TurnRecord>,
    pub scorecard: Scorecard,
}

/// When a rehearsal starts, from the wall clock (the shell's job, never the session's).
pub struct Started {
    pub unix_s: u64,
    pub millis: u32,
}

impl Started {
    pub fn now() -> Self {
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Started {
            unix_s: now.as_secs(),
            millis: now.subsec_millis(),
        }
    }

    pub fn iso(&self) -> String {
        let (y, mo, d, h, mi, s) = civil(self.unix_s);
        format!(
            "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{:03}Z",
            self.millis
        )
    }

    fn compact(&self) -> String {
        let (y, mo, d, h, mi, s) = civil(self.unix_s);
        format!("{y:04}{mo:02}{d:02}-{h:02}{mi:02}{s:02}")
    }
}

/// Save the session's transcript and scorecard (atomic); returns the path written.
pub fn save(
    ctx: &Ctx,
    session: &Session,
    started: &Started,
    realtime: bool,
) -> Result<Option<std::path::PathBuf>> {
    let Some(card) = session.scorecard() else {
        return Ok(None);
    };
    let store = ctx.store()?;
    let base = format!("{}-{}", started.compact(), session.scenario().id);
    // Two rehearsals saved in the same second get distinct ids; the lock makes the choice
    // and the write one step.
    store.with_lock("sessions", || {
        let mut id = base.clone();
        let mut n = 2;
        while store.path(format!("sessions/{id}.json")).exists() {
            id = format!("{base}-{n}");
            n += 1;
        }
        write(&store, id, session, started, realtime, card)
    })
}

fn write(
    store: &crate::store::Store,
    id: String,
    session: &Session,
    started: &Started,
    realtime: bool,
    card: &Scorecard,
) -> Result<Option<std::path::PathBuf>> {
    let record = Record {
        id: id.clone(),
        scenario: session.scenario().id.clone(),
        title: session.scenario().title.clone(),
        started: started.iso(),
        seed: card.seed,
        realtime,
        transcript: session.transcript().to_vec(),
        turns: session.turns().to_vec(),
        scorecard: card.clone(),
    };
    store
        .write_json(format!("sessions/{id}.json"), &record)
        .map(Some)
}

/// (year, month, day, hour, minute, second) in UTC of a Unix time (Hinnant's days-to-civil).
fn civil(unix_s: u64) -> (i64, u32, u32, u32, u32, u32) {
    let days = (unix_s / 86_400) as i64;
    let rem = unix_s % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (
        y,
        m,
        d,
        (rem / 3600) as u32,
        (rem % 3600 / 60) as u32,
        (rem % 60) as u32,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        let at = |unix_s, millis| Started { unix_s, millis }.iso();
        assert_eq!(at(0, 0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(1_709_210_096, 7), "2024-02-29T12:34:56.007Z");
        assert_eq!(at(1_735_689_599, 999), "2024-12-31T23:59:59.999Z");
    }
}
