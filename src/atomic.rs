//! Write-then-rename, so a destination is either the old file or the complete new one.
//! A leaf: every stage that writes a file (outputs, the cache, lexicons, manifests)
//! goes through it.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file that could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {path}: {source}")]
pub struct OutputError {
    /// The destination.
    pub path: PathBuf,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

/// A file being written under a temporary name beside its destination. [`commit`]
/// flushes, syncs and renames it into place; dropping it without committing removes it.
///
/// [`commit`]: AtomicFile::commit
pub struct AtomicFile {
    path: PathBuf,
    tmp: tempfile::NamedTempFile,
    writer: BufWriter<File>,
}

impl AtomicFile {
    /// Starts writing `path`.
    pub fn create(path: &Path) -> Result<AtomicFile, OutputError> {
        let err = |source| OutputError {
            path: path.to_path_buf(),
            source,
        };
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("output");
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".part");
        // Temporary files are private (0600); an episode is an ordinary file.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let tmp = builder.tempfile_in(dir).map_err(err)?;
        let writer = BufWriter::with_capacity(256 * 1024, tmp.as_file().try_clone().map_err(err)?);
        Ok(AtomicFile {
            path: path.to_path_buf(),
            tmp,
            writer,
        })
    }

    /// The writer for the file's contents.
    pub fn writer(&mut self) -> &mut BufWriter<File> {
        &mut self.writer
    }

    /// Flushes what was written so far to the temporary file, so that it can be read.
    pub fn flush(&mut self) -> std::io::Result<()> {
        self.writer.flush()
    }

    /// The temporary file itself, for writers that place their bytes (after flushing
    /// the buffered writer, or instead of it).
    pub fn file(&self) -> &File {
        self.tmp.as_file()
    }

    /// The temporary file's path, to read back what was written before committing.
    pub fn temp_path(&self) -> &Path {
        self.tmp.path()
    }

    /// The destination.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Makes the file appear at its destination.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let err = |source| OutputError {
            path: self.path.clone(),
            source,
        };
        self.writer.flush().map_err(err)?;
        self.tmp.as_file().sync_all().map_err(err)?;
        let path = self.path.clone();
        self.tmp.persist(&path).map_err(|e| OutputError {
            path,
            source: e.error,
        })?;
        Ok(())
    }
}

/// Writes `path` through `write`, atomically.
pub fn write_atomic(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> std::io::Result<()>,
) -> Result<(), OutputError> {
    let mut file = AtomicFile::create(path)?;
    write(file.writer()).map_err(|source| OutputError {
        path: path.to_path_buf(),
        source,
    })?;
    file.commit()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        let r = write_atomic(&path, |w| {
            w.write_all(b"half")?;
            Err(std::io::Error::other("boom"))
        });
        assert!(r.is_err());
        assert!(!path.exists());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            0,
            "temporary file removed"
        );
    }

    #[test]
    fn success_replaces() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        std::fs::write(&path, "old").unwrap();
        write_atomic(&path, |w| w.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }
}
