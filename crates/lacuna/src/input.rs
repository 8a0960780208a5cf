//! Reading the inputs of a run from the environment, files and standard
//! input, the same way in every program built on the facade: the `lacuna`
//! binary and the Python module. The library's other modules do no I/O;
//! these functions are for the programs at the edge to call.

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::{env, fmt, fs};

use crate::Date;
use crate::config::PathKind;

/// The largest file lacuna reads unless [`MAX_FILE_SIZE_VAR`] says
/// otherwise: 64 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 64 * 1024 * 1024;

/// The environment variable that sets the largest file lacuna reads, in
/// bytes or with a suffix `K`, `M` or `G` (powers of 1024).
pub const MAX_FILE_SIZE_VAR: &str = "LACUNA_MAX_FILE_SIZE";

/// Why a file could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// The file or stream could not be read.
    Io(io::Error),
    /// The file has more than `limit` bytes.
    TooLarge {
        /// The limit in force, in bytes.
        limit: u64,
    },
    /// The limit itself is malformed.
    BadLimit(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(error) => error.fmt(f),
            ReadError::TooLarge { limit } => write!(
                f,
                "it is larger than {}, the largest file lacuna reads; \
                 set {MAX_FILE_SIZE_VAR} to raise the limit",
                show_size(*limit)
            ),
            ReadError::BadLimit(text) => write!(
                f,
                "`{MAX_FILE_SIZE_VAR}={text}` is not a size: write a number of bytes, \
                 or one ending in K, M or G"
            ),
        }
    }
}

impl std::error::Error for ReadError {}

impl ReadError {
    /// The error as an [`io::Error`], for callers that report only those.
    pub fn into_io(self) -> io::Error {
        match self {
            ReadError::Io(error) => error,
            other => io::Error::other(other.to_string()),
        }
    }
}

/// The size limit in force.
pub fn max_file_size() -> Result<u64, ReadError> {
    match env::var(MAX_FILE_SIZE_VAR) {
        Ok(text) => parse_size(&text).ok_or(ReadError::BadLimit(text)),
        Err(_) => Ok(DEFAULT_MAX_FILE_SIZE),
    }
}

fn parse_size(text: &str) -> Option<u64> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        Some((at, _)) => text.split_at(at),
        None => (text, ""),
    };
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        _ => return None,
    };
    digits.parse::<u64>().ok()?.checked_mul(1 << shift)
}

fn show_size(bytes: u64) -> String {
    for (unit, shift) in [("GiB", 30), ("MiB", 20), ("KiB", 10)] {
        if bytes >= 1 << shift && bytes.is_multiple_of(1 << shift) {
            return format!("{} {unit}", bytes >> shift);
        }
    }
    format!("{bytes} bytes")
}

/// Reads a file of at most [`max_file_size`] bytes. A larger file is not
/// read at all, and neither is more than the limit of a file that grows or
/// never ends (`/dev/zero`).
pub fn read_file(path: &Path) -> Result<Vec<u8>, ReadError> {
    let limit = max_file_size()?;
    let file = fs::File::open(path).map_err(ReadError::Io)?;
    // A regular file's length sizes the buffer, so that a large file is
    // read into place rather than into a buffer that doubles; the length
    // is only a hint, as the file may change while it is read.
    let mut expected = 0;
    if let Ok(meta) = file.metadata()
        && meta.is_file()
    {
        if meta.len() > limit {
            return Err(ReadError::TooLarge { limit });
        }
        expected = meta.len();
    }
    #[cfg(unix)]
    if let Some(bytes) = read_in_parts(&file, expected) {
        return Ok(bytes);
    }
    read_into(
        file,
        limit,
        Vec::with_capacity(usize::try_from(expected).unwrap_or(0).saturating_add(1)),
    )
}

/// Files at least this long are read in parts on several threads.
const PARALLEL_READ: u64 = 16 << 20;
/// The part of a file one thread reads at a time.
const READ_PART: usize = 4 << 20;

/// The `len` bytes of a regular file, read in parts on every thread, when
/// the file is large and rayon has several. `None` leaves the file to the
/// usual reading: when it is small, and when it did not hold exactly `len`
/// bytes as it was read (it changed), or a part could not be read.
#[cfg(unix)]
fn read_in_parts(file: &fs::File, len: u64) -> Option<Vec<u8>> {
    use rayon::prelude::*;
    use std::os::unix::fs::FileExt;
    if len < PARALLEL_READ || rayon::current_num_threads() == 1 {
        return None;
    }
    // A zeroed buffer this large is fresh pages from the system: each is
    // first touched by the thread that reads into it.
    let mut bytes = vec![0; usize::try_from(len).ok()?];
    let read = bytes
        .par_chunks_mut(READ_PART)
        .enumerate()
        .try_for_each(|(i, part)| file.read_exact_at(part, (i * READ_PART) as u64));
    let mut more = [0];
    match (read, file.read_at(&mut more, len)) {
        (Ok(()), Ok(0)) => Some(bytes),
        _ => None,
    }
}

/// Reads standard input, at most [`max_file_size`] bytes of it.
pub fn read_stdin() -> Result<Vec<u8>, ReadError> {
    read_limited(io::stdin().lock(), max_file_size()?)
}

/// Reads at most `limit` bytes from `reader`; more is an error.
pub fn read_limited(reader: impl Read, limit: u64) -> Result<Vec<u8>, ReadError> {
    read_into(reader, limit, Vec::new())
}

/// Reads at most `limit` bytes from `reader` into `bytes`, which may have
/// room for them already.
fn read_into(reader: impl Read, limit: u64, mut bytes: Vec<u8>) -> Result<Vec<u8>, ReadError> {
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge { limit });
    }
    Ok(bytes)
}

/// Today's date, for the expiry of suppressions. `LACUNA_TODAY=YYYY-MM-DD`
/// fixes it, so that test suites stay reproducible.
pub fn today() -> Result<Date, String> {
    if let Ok(text) = env::var("LACUNA_TODAY") {
        return Date::parse(&text)
            .ok_or_else(|| format!("`LACUNA_TODAY={text}` is not a date: write YYYY-MM-DD"));
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    Ok(Date::from_days_since_epoch((secs / 86_400) as i64))
}

/// What is at `path` on disk, as [`crate::config`] asks when it looks for
/// `lacuna.toml`. A missing path, or one that runs through a file, is
/// [`PathKind::Missing`]; other errors (permissions) are errors.
pub fn probe(path: &Path) -> io::Result<PathKind> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Ok(PathKind::Dir),
        Ok(_) => Ok(PathKind::File),
        Err(error)
            if matches!(
                error.kind(),
                io::ErrorKind::NotFound | io::ErrorKind::NotADirectory
            ) =>
        {
            Ok(PathKind::Missing)
        }
        Err(error) => Err(error),
    }
}

/// The `*.norm` files directly in `dir`, in file-name order.
pub fn norm_files(dir: &Path) -> io::Result<Vec<PathBuf>> {
    let mut paths: Vec<PathBuf> = fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "norm") && p.is_file())
        .collect();
    paths.sort();
    Ok(paths)
}

/// A path as its user wrote it, with `./` dropped for readability.
pub fn display_path(path: &Path) -> String {
    let shown = path.display().to_string();
    shown.strip_prefix("./").map(str::to_owned).unwrap_or(shown)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    /// A large file read in parts on several threads holds the bytes read
    /// in one piece, the last part short; one that is not regular, or
    /// small, is read the usual way.
    #[cfg(unix)]
    #[test]
    fn large_files_are_read_whole_in_parts() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("large.json");
        let len = (PARALLEL_READ as usize) + 3 * READ_PART / 2 + 7;
        let bytes: Vec<u8> = (0..len).map(|i| (i * 31 % 251) as u8).collect();
        fs::write(&path, &bytes).unwrap();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let file = fs::File::open(&path).unwrap();
        let parts = pool.install(|| read_in_parts(&file, len as u64)).unwrap();
        assert!(parts == bytes, "the parts differ from the file");
        // A length that is no longer the file's is left to the usual reading.
        assert!(
            pool.install(|| read_in_parts(&file, len as u64 - 1))
                .is_none()
        );
        assert!(
            pool.install(|| read_in_parts(&file, len as u64 + 1))
                .is_none()
        );
        assert!(pool.install(|| read_file(&path).unwrap()) == bytes);
    }

    #[test]
    fn sizes_parse_with_binary_suffixes() {
        assert_eq!(parse_size("1000"), Some(1000));
        assert_eq!(parse_size("64M"), Some(64 << 20));
        assert_eq!(parse_size("2 KiB"), Some(2048));
        assert_eq!(parse_size("1g"), Some(1 << 30));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("99999999999999999999G"), None);
        assert_eq!(show_size(DEFAULT_MAX_FILE_SIZE), "64 MiB");
        assert_eq!(show_size(1000), "1000 bytes");
    }

    #[test]
    fn reading_stops_past_the_limit() {
        let endless = io::repeat(0);
        assert!(matches!(
            read_limited(endless, 1 << 20),
            Err(ReadError::TooLarge { .. })
        ));
        assert_eq!(read_limited(&b"abc"[..], 3).unwrap(), b"abc");
    }
}
