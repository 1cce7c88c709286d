//! Writing reports: to stdout, or atomically to `--output FILE` so a
//! reader never sees a half-written SARIF or JSON file.

use std::io::Write;
use std::path::Path;

crate::layer_error!(
    /// A report or file cannot be written.
    OutputError,
    "tracklint::output"
);

/// Writes `bytes` to `path` via a temporary file in the same directory and
/// a rename: the file is complete or absent, never truncated.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_atomically_with(path, |w| w.write_all(bytes))
}

/// Like [`write_atomically`], for content that `write` produces piece by
/// piece into a buffered writer (a streamed report): the file is complete
/// or absent, and the content never has to be in memory at once.
pub fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let tmp = dir.join(format!(".{name}.tracklint-{}.tmp", std::process::id()));
    let fail =
        |e: std::io::Error| OutputError::new(format!("cannot write {}: {e}", path.display()));
    let result = (|| {
        let mut w = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&tmp)?);
        write(&mut w)?;
        let f = w
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = std::fs::remove_file(&tmp);
        return Err(fail(e));
    }
    Ok(())
}
