//! Formatted chunks remembered between runs, so a regen after a small spec or template change
//! re-formats only the items whose rendered text changed.
//!
//! Entries map a chunk's rendered text (compared in full, so no hash can collide) to what
//! prettyplease printed for it. The file is only valid for the binary that wrote it: it records
//! the generator's version and the executable's size and modification time, and a file written
//! by any other build (say, after a prettyplease upgrade) is ignored. A missing, unreadable or
//! damaged file is an empty cache, never an error: the cache can only cost speed, not change
//! output.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::error::GenError;

const MAGIC: &str = "mfa-codegen format cache 1";

#[derive(Debug)]
pub struct FormatCache {
    file: PathBuf,
    /// `None` when the running binary cannot be identified: nothing is read or written then.
    fingerprint: Option<String>,
    entries: BTreeMap<String, Entry>,
    /// An entry was added this run: the file needs writing.
    added: bool,
}

#[derive(Debug)]
struct Entry {
    formatted: String,
    /// Looked up or added this run: only such entries are saved, so the file never keeps
    /// chunks of code that is no longer generated.
    used: bool,
}

impl FormatCache {
    /// The cache stored in `file` if the running binary wrote it, else an empty one.
    pub fn open(file: PathBuf) -> Self {
        Self::open_as(file, binary_fingerprint())
    }

    pub(super) fn open_as(file: PathBuf, fingerprint: Option<String>) -> Self {
        let entries = match &fingerprint {
            Some(fingerprint) => std::fs::read_to_string(&file)
                .ok()
                .and_then(|text| parse(&text, fingerprint))
                .unwrap_or_default(),
            None => BTreeMap::new(),
        };
        Self {
            file,
            fingerprint,
            entries,
            added: false,
        }
    }

    /// What an earlier run printed for `text`.
    pub fn get(&mut self, text: &str) -> Option<&str> {
        let entry = self.entries.get_mut(text)?;
        entry.used = true;
        Some(&entry.formatted)
    }

    /// Remembers what was printed for `text`.
    pub fn insert(&mut self, text: &str, formatted: String) {
        self.added = true;
        self.entries.insert(
            text.to_owned(),
            Entry {
                formatted,
                used: true,
            },
        );
    }

    /// Writes this run's chunks (through a temporary file and a rename, so a concurrent
    /// reader never sees half a cache); skipped when the file already holds exactly them.
    pub fn save(&self) -> Result<(), GenError> {
        let Some(fingerprint) = &self.fingerprint else {
            return Ok(());
        };
        if !self.added && self.entries.values().all(|e| e.used) {
            return Ok(());
        }
        let mut text = format!("{MAGIC}\n{fingerprint}\n");
        for (input, entry) in self.entries.iter().filter(|(_, e)| e.used) {
            let output = &entry.formatted;
            text.push_str(&format!("{} {}\n", input.len(), output.len()));
            text.push_str(input);
            text.push_str(output);
        }
        if let Some(dir) = self.file.parent() {
            std::fs::create_dir_all(dir).map_err(|e| GenError::io(dir, e))?;
        }
        let temporary = self
            .file
            .with_extension(format!("tmp{}", std::process::id()));
        std::fs::write(&temporary, text).map_err(|e| GenError::io(&temporary, e))?;
        std::fs::rename(&temporary, &self.file).map_err(|e| GenError::io(&self.file, e))
    }
}

/// The generator's version and the identity of the executable running it.
fn binary_fingerprint() -> Option<String> {
    let exe = std::env::current_exe().ok()?;
    let meta = std::fs::metadata(exe).ok()?;
    let modified = meta
        .modified()
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    Some(format!(
        "{} {} {}",
        env!("CARGO_PKG_VERSION"),
        meta.len(),
        modified.as_nanos()
    ))
}

fn parse(text: &str, fingerprint: &str) -> Option<BTreeMap<String, Entry>> {
    let rest = text.strip_prefix(MAGIC)?.strip_prefix('\n')?;
    let mut rest = rest.strip_prefix(fingerprint)?.strip_prefix('\n')?;
    let mut entries = BTreeMap::new();
    while !rest.is_empty() {
        let (lengths, after) = rest.split_once('\n')?;
        let (input_len, output_len) = lengths.split_once(' ')?;
        let (input_len, output_len): (usize, usize) =
            (input_len.parse().ok()?, output_len.parse().ok()?);
        let input = after.get(..input_len)?;
        let output = after.get(input_len..input_len.checked_add(output_len)?)?;
        entries.insert(
            input.to_owned(),
            Entry {
                formatted: output.to_owned(),
                used: false,
            },
        );
        rest = &after[input_len + output_len..];
    }
    Some(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp_file(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("mfa-format-cache-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    #[test]
    fn saved_entries_are_read_back_by_the_same_binary_only() {
        let file = temp_file("roundtrip");
        let mut cache = FormatCache::open_as(file.clone(), Some("build A".into()));
        assert_eq!(cache.get("fn a(){}"), None);
        cache.insert("fn a(){}", "fn a() {}\n".into());
        // lengths are bytes: multi-byte text and newlines inside entries survive
        cache.insert("/// é\nstruct B;", "/// é\nstruct B;\n".into());
        cache.save().unwrap();

        let mut again = FormatCache::open_as(file.clone(), Some("build A".into()));
        assert_eq!(again.get("fn a(){}"), Some("fn a() {}\n"));
        assert_eq!(again.get("/// é\nstruct B;"), Some("/// é\nstruct B;\n"));
        assert_eq!(again.get("fn c(){}"), None);

        let mut other_build = FormatCache::open_as(file.clone(), Some("build B".into()));
        assert_eq!(other_build.get("fn a(){}"), None);
    }

    #[test]
    fn save_keeps_only_the_chunks_of_this_run() {
        let file = temp_file("prune");
        let mut first = FormatCache::open_as(file.clone(), Some("x".into()));
        first.insert("old", "OLD".into());
        first.save().unwrap();
        let mut second = FormatCache::open_as(file.clone(), Some("x".into()));
        second.insert("new", "NEW".into());
        second.save().unwrap();
        let mut third = FormatCache::open_as(file, Some("x".into()));
        assert_eq!(third.get("old"), None);
        assert_eq!(third.get("new"), Some("NEW"));
    }

    #[test]
    fn a_run_that_reused_exactly_the_cached_chunks_writes_nothing() {
        let file = temp_file("unchanged");
        let mut first = FormatCache::open_as(file.clone(), Some("x".into()));
        first.insert("a", "A".into());
        first.insert("b", "B".into());
        first.save().unwrap();

        let mut same = FormatCache::open_as(file.clone(), Some("x".into()));
        assert_eq!(same.get("a"), Some("A"));
        assert_eq!(same.get("b"), Some("B"));
        std::fs::remove_file(&file).unwrap();
        same.save().unwrap();
        assert!(!file.exists(), "nothing changed, nothing written");

        first.save().unwrap();
        let mut fewer = FormatCache::open_as(file.clone(), Some("x".into()));
        assert_eq!(fewer.get("a"), Some("A"));
        fewer.save().unwrap();
        let mut after = FormatCache::open_as(file, Some("x".into()));
        assert_eq!(after.get("b"), None, "an unused chunk is dropped");
        assert_eq!(after.get("a"), Some("A"));
    }

    #[test]
    fn a_damaged_or_foreign_file_is_an_empty_cache() {
        for (name, content) in [
            ("truncated", format!("{MAGIC}\nx\n10 3\nshort")),
            ("bad-lengths", format!("{MAGIC}\nx\nten 3\n")),
            ("not-a-cache", "hello".to_owned()),
            ("split-char", format!("{MAGIC}\nx\n1 1\néé")),
        ] {
            let file = temp_file(name);
            std::fs::write(&file, content).unwrap();
            let cache = FormatCache::open_as(file, Some("x".into()));
            assert!(cache.entries.is_empty(), "{name}");
        }
    }

    #[test]
    fn without_a_fingerprint_nothing_is_written() {
        let file = temp_file("anonymous");
        let _ = std::fs::remove_file(&file);
        let mut cache = FormatCache::open_as(file.clone(), None);
        cache.insert("a", "b".into());
        cache.save().unwrap();
        assert!(!file.exists());
    }
}
