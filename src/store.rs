//! The data dir: where transcripts, scorecards and drill progress live. Every write is atomic
//! (temp file, fsync, rename); a file that does not parse is set aside under a new name with a
//! message, never overwritten; read-modify-write cycles hold a lock file so two processes at
//! once lose no update.

use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use atomic_write_file::AtomicWriteFile;
use fs4::fs_std::FileExt;
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::{Error, Result};

/// The default data dir: `$DEBRIEF_HOME`, else the platform data dir (XDG on Linux).
pub fn default_data_dir() -> Result<PathBuf> {
    if let Some(home) = std::env::var_os("DEBRIEF_HOME").filter(|v| !v.is_empty()) {
        return Ok(PathBuf::from(home));
    }
    use etcetera::BaseStrategy;
    let strategy = etcetera::choose_base_strategy().map_err(|e| {
        Error::Other(format!(
            "cannot find a data directory ({e}); pass --data-dir DIR or set DEBRIEF_HOME"
        ))
    })?;
    Ok(strategy.data_dir().join("debrief"))
}

#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// What reading a stored file found.
#[derive(Debug)]
pub enum Loaded<T> {
    Missing,
    Found(T),
    /// The file did not parse; it was renamed to `moved_to` and the caller starts afresh.
    SetAside {
        moved_to: PathBuf,
        reason: String,
    },
}

impl Store {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn path(&self, rel: impl AsRef<Path>) -> PathBuf {
        self.root.join(rel)
    }

    /// Make sure `dir` (relative to the root) exists.
    pub fn ensure_dir(&self, rel: impl AsRef<Path>) -> Result<PathBuf> {
        let dir = self.root.join(rel);
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        Ok(dir)
    }

    /// Write `bytes` to `rel` atomically: readers see the old file or the new one, never half.
    pub fn write_atomic(&self, rel: impl AsRef<Path>, bytes: &[u8]) -> Result<PathBuf> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        let mut file = AtomicWriteFile::options()
            .open(&path)
            .map_err(|e| Error::io(&path, e))?;
        file.write_all(bytes).map_err(|e| Error::io(&path, e))?;
        file.commit().map_err(|e| Error::io(&path, e))?;
        Ok(path)
    }

    pub fn write_json(&self, rel: impl AsRef<Path>, value: &impl Serialize) -> Result<PathBuf> {
        let mut bytes = serde_json::to_vec_pretty(value)
            .map_err(|e| Error::Other(format!("cannot encode JSON: {e}")))?;
        bytes.push(b'\n');
        self.write_atomic(rel, &bytes)
    }

    /// Read a JSON file; a file that does not parse is set aside, not lost or overwritten.
    pub fn read_json<T: DeserializeOwned>(&self, rel: impl AsRef<Path>) -> Result<Loaded<T>> {
        let path = self.root.join(rel);
        let bytes = match fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::Missing),
            Err(e) => return Err(Error::io(&path, e)),
        };
        match serde_json::from_slice(&bytes) {
            Ok(v) => Ok(Loaded::Found(v)),
            Err(e) => {
                let reason = format!("{}:{}:{}: {e}", path.display(), e.line(), e.column());
                let moved_to = set_aside(&path)?;
                Ok(Loaded::SetAside { moved_to, reason })
            }
        }
    }

    /// Run `f` while holding an exclusive lock named `name` under the root, so concurrent
    /// read-modify-write cycles (two drill sessions) serialize instead of losing updates.
    pub fn with_lock<T>(&self, name: &str, f: impl FnOnce() -> Result<T>) -> Result<T> {
        fs::create_dir_all(&self.root).map_err(|e| Error::io(&self.root, e))?;
        let lock_path = self.root.join(format!(".{name}.lock"));
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io(&lock_path, e))?;
        lock.lock_exclusive()
            .map_err(|e| Error::io(&lock_path, e))?;
        let result = f();
        let _ = FileExt::unlock(&lock);
        drop::<File>(lock);
        result
    }
}

/// Rename a damaged file to `NAME.corrupt-SECONDS` (or a free variant) and return the new path.
pub fn set_aside(path: &Path) -> Result<PathBuf> {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut target = path.with_file_name(format!("{name}.corrupt-{secs}"));
    let mut n = 1;
    while target.exists() {
        target = path.with_file_name(format!("{name}.corrupt-{secs}-{n}"));
        n += 1;
    }
    fs::rename(path, &target).map_err(|e| Error::io(path, e))?;
    Ok(target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_file_is_set_aside_not_lost() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        store
            .write_atomic("drill/progress.json", b"{not json")
            .unwrap();
        let loaded: Loaded<serde_json::Value> = store.read_json("drill/progress.json").unwrap();
        let Loaded::SetAside { moved_to, reason } = loaded else {
            panic!("expected set aside")
        };
        assert!(reason.contains("progress.json:1:"), "{reason}");
        assert_eq!(fs::read(&moved_to).unwrap(), b"{not json");
        assert!(!dir.path().join("drill/progress.json").exists());
    }

    #[test]
    fn json_round_trips() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::new(dir.path());
        store.write_json("a/b.json", &vec![1, 2, 3]).unwrap();
        let back: Loaded<Vec<u32>> = store.read_json("a/b.json").unwrap();
        assert!(matches!(back, Loaded::Found(v) if v == [1, 2, 3]));
    }
}
