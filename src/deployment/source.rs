//! Where templates are and how their text is read: the file names looked for next to a
//! package, the `template` setting, and reading a file without mistaking a directory, a named
//! pipe or a symbolic-link loop for a missing file.

use std::io;
use std::path::{Component, Path, PathBuf};

use super::error::{FileKind, TemplateError};
use crate::project::{self, Project};

/// The file names looked for next to a package, in this order.
pub const TEMPLATE_NAMES: &[&str] = &["template.yml", "template.yaml", "s.yaml", "s.yml"];

/// A template file's text, read.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: PathBuf,
    /// The path as the user would type it (relative to the current folder when inside it).
    pub display: String,
    pub text: String,
}

/// What `path` is when it is not a regular file (following symbolic links), or `None` when it
/// is one. Looks without opening it: opening a FIFO waits for a writer.
pub fn file_kind(path: &Path) -> Result<Option<FileKind>, io::Error> {
    use std::os::unix::fs::FileTypeExt;
    match std::fs::metadata(path) {
        Ok(meta) => {
            let kind = meta.file_type();
            Ok(if kind.is_file() {
                None
            } else if kind.is_dir() {
                Some(FileKind::Directory)
            } else if kind.is_fifo() {
                Some(FileKind::Fifo)
            } else if kind.is_socket() {
                Some(FileKind::Socket)
            } else {
                Some(FileKind::Device)
            })
        }
        Err(error) if error.raw_os_error() == Some(libc::ELOOP) => Ok(Some(FileKind::SymlinkLoop)),
        Err(error) if error.kind() == io::ErrorKind::NotFound => match std::fs::read_link(path) {
            Ok(target) => Ok(Some(FileKind::DanglingSymlink(target))),
            Err(_) => Ok(Some(FileKind::Missing)),
        },
        Err(error) => Err(error),
    }
}

/// Reads a template file named by the user (`--template`).
pub fn load(path: &Path) -> Result<Source, TemplateError> {
    match file_kind(path) {
        Ok(None) => {}
        Ok(Some(kind)) => {
            return Err(TemplateError::NotAFile {
                path: path.to_path_buf(),
                kind,
            });
        }
        Err(source) => {
            return Err(TemplateError::Read {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    let bytes = std::fs::read(path).map_err(|source| TemplateError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|e| TemplateError::NotUtf8 {
        path: path.to_path_buf(),
        offset: e.utf8_error().valid_up_to(),
    })?;
    Ok(Source {
        path: path.to_path_buf(),
        display: display_path(path),
        text,
    })
}

/// A template found for a set of functions.
#[derive(Debug, Clone)]
pub struct Found {
    pub path: PathBuf,
    /// Indexes into `project.functions` of the functions it is expected to declare.
    pub functions: Vec<usize>,
}

/// The templates of the project's functions: each package's configured `template`, else the
/// template files in its folder, else in the workspace root. Several packages may share one.
pub fn find_templates(project: &Project) -> Result<Vec<Found>, TemplateError> {
    let mut found: Vec<Found> = Vec::new();
    let mut add = |path: PathBuf, index: usize| match found.iter_mut().find(|f| f.path == path) {
        Some(entry) => entry.functions.push(index),
        None => found.push(Found {
            path,
            functions: vec![index],
        }),
    };
    for (index, function) in project.functions.iter().enumerate() {
        if let Some(configured) = &function.config.template {
            let problem = match file_kind(configured) {
                Ok(None) => None,
                Ok(Some(kind)) => Some(kind),
                Err(source) => {
                    return Err(TemplateError::Read {
                        path: configured.clone(),
                        source,
                    });
                }
            };
            if let Some(kind) = problem {
                return Err(TemplateError::ConfiguredNotAFile {
                    path: configured.clone(),
                    kind,
                    manifest: function.manifest_path.clone(),
                    line: project::locate_key(
                        &function.manifest_path,
                        &["package", "metadata", "fc"],
                        "template",
                    )
                    .and_then(|at| at.line),
                });
            }
            add(normalize(configured), index);
            continue;
        }
        let mut paths = templates_in(&function.package_dir)?;
        if paths.is_empty() {
            paths = templates_in(&project.workspace_root)?;
        }
        for path in paths {
            add(path, index);
        }
    }
    Ok(found)
}

/// The template files in `dir`. An entry with a template's name that is not a file (a
/// directory, a FIFO, a looping link) is an error rather than something to skip silently.
pub fn templates_in(dir: &Path) -> Result<Vec<PathBuf>, TemplateError> {
    let mut paths = Vec::new();
    for name in TEMPLATE_NAMES {
        let path = dir.join(name);
        if std::fs::symlink_metadata(&path).is_err() {
            continue;
        }
        match file_kind(&path) {
            Ok(None) => paths.push(normalize(&path)),
            Ok(Some(kind)) => return Err(TemplateError::NotAFile { path, kind }),
            Err(source) => return Err(TemplateError::Read { path, source }),
        }
    }
    Ok(paths)
}

/// `path` made absolute and free of `.` and `..`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut out = PathBuf::new();
    for component in absolute.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// The path as the user would type it: relative to the current folder when inside it.
pub fn display_path(path: &Path) -> String {
    let cwd = std::env::current_dir().ok();
    cwd.and_then(|cwd| path.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| path.to_path_buf())
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_fifos_and_link_loops_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("s.yaml");
        std::fs::create_dir(&folder).unwrap();
        assert_eq!(file_kind(&folder).unwrap(), Some(FileKind::Directory));
        let fifo = dir.path().join("fifo.yml");
        let name = std::ffi::CString::new(fifo.as_os_str().as_encoded_bytes()).unwrap();
        // SAFETY: `name` is a NUL-terminated path that lives across the call.
        assert_eq!(unsafe { libc::mkfifo(name.as_ptr(), 0o600) }, 0);
        assert_eq!(file_kind(&fifo).unwrap(), Some(FileKind::Fifo));
        let a = dir.path().join("a.yml");
        let b = dir.path().join("b.yml");
        std::os::unix::fs::symlink(&b, &a).unwrap();
        std::os::unix::fs::symlink(&a, &b).unwrap();
        assert_eq!(file_kind(&a).unwrap(), Some(FileKind::SymlinkLoop));
        let dangling = dir.path().join("gone.yml");
        std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
        assert!(matches!(
            file_kind(&dangling).unwrap(),
            Some(FileKind::DanglingSymlink(_))
        ));
        assert_eq!(
            file_kind(&dir.path().join("absent.yml")).unwrap(),
            Some(FileKind::Missing)
        );
        // Refused without opening: reading the FIFO would block this test forever.
        let error = load(&fifo).unwrap_err();
        assert!(error.to_string().contains("is a FIFO"), "{error}");
        assert!(matches!(
            templates_in(dir.path()),
            Err(TemplateError::NotAFile {
                kind: FileKind::Directory,
                ..
            })
        ));
    }
}
