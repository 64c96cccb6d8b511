//! The loader: file I/O with bounds. Reads only regular files of at most [`MAX_SPEC_BYTES`],
//! checks UTF-8 (reporting the line and column of a bad byte), drops a byte-order mark, and
//! resolves `extends` targets with cycle detection on canonical paths.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::diag::{Diagnostic, Error, SourceMap};

/// The largest spec file read, in bytes (16 MiB; the IANA registry is 30 KB).
pub const MAX_SPEC_BYTES: u64 = 16 * 1024 * 1024;
/// How deep `extends` may nest.
pub const MAX_DEPTH: usize = 8;

/// A spec file's text, as read.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The canonical path, to recognise a file met twice.
    pub canonical: PathBuf,
    /// The text, without a byte-order mark.
    pub text: String,
}

/// What an `extends` value names.
pub enum Target {
    /// The bundled IANA spec.
    Iana,
    /// A file, resolved against the extending spec's directory.
    File(PathBuf),
}

/// Resolves `extends = "..."` written in the spec at `from`.
pub fn target(value: &str, from: Option<&Path>) -> Target {
    if value == "iana" {
        return Target::Iana;
    }
    let dir = from.and_then(Path::parent).unwrap_or(Path::new(""));
    Target::File(dir.join(value))
}

/// Reads the spec at `path`, naming it `name` in diagnostics.
///
/// # Errors
/// The file is missing, not a regular file (a FIFO, a device, a directory), larger than
/// [`MAX_SPEC_BYTES`], unreadable, or not UTF-8 (with the line and column of the bad byte).
pub fn read(path: &Path, name: &str) -> Result<Loaded, Error> {
    let fail = |message: String| Error::one(Diagnostic::file(name, message));
    // Ask before opening: opening a FIFO for reading blocks until a writer comes.
    let meta = std::fs::metadata(path).map_err(|e| {
        fail(match e.kind() {
            std::io::ErrorKind::NotFound => {
                format!("spec file not found (looked for {})", path.display())
            }
            _ => format!("spec file could not be read ({}): {e}", path.display()),
        })
    })?;
    if !meta.is_file() {
        return Err(fail(format!(
            "{} is not a regular file (a directory, FIFO, socket or device); a spec must be a regular file",
            path.display()
        )));
    }
    if meta.len() > MAX_SPEC_BYTES {
        return Err(too_large(name, path));
    }
    let file = std::fs::File::open(path).map_err(|e| {
        fail(format!(
            "spec file could not be read ({}): {e}",
            path.display()
        ))
    })?;
    let mut bytes = Vec::new();
    file.take(MAX_SPEC_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| {
            fail(format!(
                "spec file could not be read ({}): {e}",
                path.display()
            ))
        })?;
    if bytes.len() as u64 > MAX_SPEC_BYTES {
        return Err(too_large(name, path));
    }
    let text = utf8(bytes, name)?;
    let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
    Ok(Loaded { canonical, text })
}

fn too_large(name: &str, path: &Path) -> Error {
    Error::one(Diagnostic::file(
        name,
        format!(
            "{} is larger than {} MiB, the limit for a spec file",
            path.display(),
            MAX_SPEC_BYTES >> 20
        ),
    ))
}

/// The text of `bytes` without a byte-order mark, or an error at the first invalid byte.
pub fn utf8(bytes: Vec<u8>, name: &str) -> Result<String, Error> {
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(text)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let bytes = e.into_bytes();
            let valid = std::str::from_utf8(&bytes[..at]).unwrap_or_default();
            let valid = valid.strip_prefix('\u{feff}').unwrap_or(valid);
            let end = valid.len();
            let d = SourceMap::new(name, valid).at(
                end..end,
                format!(
                    "spec file is not valid UTF-8: byte 0x{:02X} at offset {at} starts no character",
                    bytes[at]
                ),
            );
            Err(Error::one(d))
        }
    }
}

/// The files being read, outermost first: canonical path and name.
pub type Chain = Vec<(PathBuf, String)>;

/// Checks that the file `canonical` (named `name`) does not close a cycle in `chain`; the
/// message names every file of the cycle once.
pub fn cycle(chain: &Chain, canonical: &Path, name: &str) -> Option<String> {
    let start = chain.iter().position(|(c, _)| c == canonical)?;
    let names: Vec<&str> = chain[start..]
        .iter()
        .map(|(_, n)| n.as_str())
        .chain(std::iter::once(name))
        .collect();
    Some(format!("`extends` forms a cycle: {}", names.join(" -> ")))
}
