//! Include specs → the files a package carries, under the rules every archive entry follows.

use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::path::{Component, Path, PathBuf};

use super::PackError;
use crate::error::{Location, Result, io};
use crate::project::IncludeSpec;

/// One file to put in the zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Path inside the zip, `/`-separated.
    pub name: String,
    pub source: PathBuf,
    pub executable: bool,
    pub size: u64,
}

/// Where assets may come from, and what must never be swept in.
#[derive(Debug, Clone)]
pub struct AssetRoots {
    /// Paths in `include` are relative to this folder (the package's).
    pub base: PathBuf,
    /// Nothing may come from outside this folder (the workspace), symlinks included.
    pub project: PathBuf,
    /// The cargo target directory, never packed.
    pub target_dir: PathBuf,
}

/// Where an include spec came from, for error messages.
#[derive(Debug, Clone)]
pub enum Origin {
    /// The `include` setting, where it is written.
    Manifest(Option<Box<Location>>),
    CommandLine,
}

/// Expands the include specs into files, checking every rule an archive entry must follow.
pub fn resolve_assets(roots: &AssetRoots, specs: &[(IncludeSpec, Origin)]) -> Result<Vec<Entry>> {
    let project = canonical(&roots.project)?;
    let target_dir = roots
        .target_dir
        .canonicalize()
        .unwrap_or_else(|_| roots.target_dir.clone());
    let mut entries: BTreeMap<String, Entry> = BTreeMap::new();
    for (spec, origin) in specs {
        let fail = |problem: String, help: &'static str| -> crate::error::Error {
            PackError::Include {
                spec: display_spec(spec),
                problem,
                help,
                at: match origin {
                    Origin::Manifest(at) => at.clone(),
                    Origin::CommandLine => None,
                },
            }
            .into()
        };
        if let Some(dest) = &spec.dest {
            check_entry_name(dest).map_err(|m| fail(format!("destination {m}"), "destinations are relative paths inside the zip, such as `static` or `lib/libfoo.so`"))?;
        }
        // `..` is resolved in the path as written, as cargo resolves paths: `static/../conf`
        // is `conf`, whatever `static` is.
        let src = normalize(&spec.src);
        let is_glob = src.contains(['*', '?', '[']);
        let mut matches = Vec::new();
        if is_glob {
            let pattern = roots.base.join(&src);
            let paths = glob::glob(&pattern.to_string_lossy()).map_err(|e| {
                fail(
                    format!("is not a valid glob ({e})"),
                    "use *, ** and ? as in .gitignore",
                )
            })?;
            for path in paths {
                let path = path.map_err(|e| fail(e.to_string(), "check the file's permissions"))?;
                matches.push(path);
            }
        } else {
            let path = roots.base.join(&src);
            if std::fs::symlink_metadata(&path).is_err() {
                return Err(fail(
                    "no such file or folder".into(),
                    "paths are relative to the package folder (where its Cargo.toml is)",
                ));
            }
            matches.push(path);
        }
        let mut added = 0;
        for matched in matches {
            let mut walk = walkdir::WalkDir::new(&matched)
                .follow_links(true)
                .sort_by_file_name()
                .into_iter();
            // Where each folder on the way down really is: a file reached through a symlinked
            // folder is judged by its real place, so a link to target/ or into .git/ brings
            // nothing of theirs in.
            let mut real_dirs: Vec<PathBuf> = Vec::new();
            while let Some(item) = walk.next() {
                let item = item.map_err(|e| {
                    fail(e.to_string(), "fix or remove the link or file named there")
                })?;
                real_dirs.truncate(item.depth());
                let real = if item.path_is_symlink() || item.depth() == 0 {
                    let real = item.path().canonicalize().map_err(|e| {
                        fail(
                            format!("{}: {e}", item.path().display()),
                            "fix or remove the broken symlink",
                        )
                    })?;
                    if !real.starts_with(&project) {
                        return Err(fail(
                            format!(
                                "{} points outside the project, to {}",
                                item.path().display(),
                                real.display()
                            ),
                            "copy what it points to into the project, or leave it out",
                        ));
                    }
                    real
                } else {
                    real_dirs[item.depth() - 1].join(item.file_name())
                };
                let is_dir = item.file_type().is_dir();
                if is_excluded(&real, &project, &target_dir) {
                    if is_dir {
                        walk.skip_current_dir();
                    }
                    continue;
                }
                if is_dir {
                    real_dirs.push(real);
                    continue;
                }
                if !item.file_type().is_file() {
                    continue;
                }
                let name = entry_name(spec, is_glob, &matched, item.path(), &roots.base)
                    .map_err(|m| fail(m, "give it a destination inside the zip: SRC:DEST"))?;
                check_entry_name(&name).map_err(|m| {
                    fail(
                        format!("entry {m}"),
                        "give it a destination inside the zip: SRC:DEST",
                    )
                })?;
                let metadata = item
                    .metadata()
                    .map_err(|e| fail(e.to_string(), "check the file's permissions"))?;
                let entry = Entry {
                    name: name.clone(),
                    source: item.path().to_path_buf(),
                    executable: metadata.permissions().mode() & 0o111 != 0,
                    size: metadata.len(),
                };
                if name == "bootstrap" {
                    return Err(fail(
                        format!(
                            "{} would replace the bootstrap cargo fc builds",
                            item.path().display()
                        ),
                        "give the asset another destination",
                    ));
                }
                added += 1;
                if let Some(previous) = entries.get(&name) {
                    if previous.source != entry.source {
                        return Err(fail(
                            format!(
                                "{} and {} both map to `{name}` in the zip",
                                previous.source.display(),
                                entry.source.display()
                            ),
                            "give one of them another destination with SRC:DEST",
                        ));
                    }
                    continue;
                }
                entries.insert(name, entry);
            }
        }
        if added == 0 {
            return Err(fail(
                "matched no files".into(),
                "the target directory and .git are never packed; check the path, which is relative to the package folder",
            ));
        }
    }
    Ok(entries.into_values().collect())
}

fn display_spec(spec: &IncludeSpec) -> String {
    match &spec.dest {
        Some(dest) => format!("{}:{dest}", spec.src),
        None => spec.src.clone(),
    }
}

fn canonical(path: &Path) -> Result<PathBuf> {
    path.canonicalize().map_err(io("read", path))
}

/// Whether `real`, a canonical path inside `project`, is in the target directory or in a `.git`.
fn is_excluded(real: &Path, project: &Path, target_dir: &Path) -> bool {
    real.starts_with(target_dir)
        || real
            .strip_prefix(project)
            .unwrap_or(real)
            .components()
            .any(|c| c.as_os_str() == ".git")
}

/// `path` with `.` and `name/..` taken out, without looking at the file system; leading `..`
/// stay.
fn normalize(path: &str) -> String {
    let mut parts: Vec<Component> = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    let normal: PathBuf = parts.iter().collect();
    if normal.as_os_str().is_empty() {
        ".".into()
    } else {
        normal.to_string_lossy().into_owned()
    }
}

/// The zip path of `file`, found while walking `matched` (a match of `spec.src`).
fn entry_name(
    spec: &IncludeSpec,
    is_glob: bool,
    matched: &Path,
    file: &Path,
    base: &Path,
) -> std::result::Result<String, String> {
    let within_match = file
        .strip_prefix(matched)
        .expect("walked files are under their root");
    let name = match &spec.dest {
        None => {
            let relative = file.strip_prefix(base).map_err(|_| {
                format!(
                    "{} is outside the package folder, so it has no place in the zip",
                    file.display()
                )
            })?;
            path_to_name(relative)?
        }
        Some(dest) => {
            let into_folder = dest.ends_with('/');
            let dest = dest.trim_end_matches('/');
            let matched_name = matched
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let tail = path_to_name(within_match)?;
            // A single named file goes exactly to DEST, or into DEST/ when written with the
            // slash; a folder's contents and glob matches go under DEST.
            if !is_glob && within_match.as_os_str().is_empty() {
                if into_folder {
                    join_names(&[dest, &matched_name])
                } else {
                    dest.to_string()
                }
            } else if is_glob {
                join_names(&[dest, &matched_name, &tail])
            } else {
                join_names(&[dest, &tail])
            }
        }
    };
    Ok(name)
}

fn join_names(parts: &[&str]) -> String {
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join("/")
}

fn path_to_name(path: &Path) -> std::result::Result<String, String> {
    let mut parts = Vec::new();
    for component in path.components() {
        match component {
            Component::Normal(part) => parts.push(
                part.to_str()
                    .ok_or_else(|| format!("{} is not valid UTF-8", path.display()))?
                    .to_string(),
            ),
            Component::CurDir => {}
            _ => return Err(format!("{} leaves the package folder", path.display())),
        }
    }
    Ok(parts.join("/"))
}

/// An entry name must stay inside the archive root once unpacked at /code.
pub fn check_entry_name(name: &str) -> std::result::Result<(), String> {
    if name.starts_with('/') || name.starts_with('\\') {
        return Err(format!("`{name}` is absolute"));
    }
    if name.contains('\\') {
        return Err(format!("`{name}` contains a backslash"));
    }
    if name.len() > super::archive::MAX_NAME {
        return Err(format!(
            "is {} bytes long, over the {} a zip entry name can hold",
            name.len(),
            super::archive::MAX_NAME
        ));
    }
    for part in name.trim_end_matches('/').split('/') {
        match part {
            "" => return Err(format!("`{name}` has an empty path component")),
            ".." => return Err(format!("`{name}` escapes the archive root with `..`")),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roots(dir: &Path) -> AssetRoots {
        AssetRoots {
            base: dir.to_path_buf(),
            project: dir.to_path_buf(),
            target_dir: dir.join("target"),
        }
    }

    fn spec(text: &str) -> (IncludeSpec, Origin) {
        (IncludeSpec::parse(text), Origin::CommandLine)
    }

    fn write(dir: &Path, name: &str, content: &str) {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }

    fn names(entries: &[Entry]) -> Vec<&str> {
        entries.iter().map(|e| e.name.as_str()).collect()
    }

    #[test]
    fn entry_names_never_escape_the_root() {
        assert!(check_entry_name("static/index.html").is_ok());
        assert!(check_entry_name("../etc/passwd").is_err());
        assert!(check_entry_name("a/../../b").is_err());
        assert!(check_entry_name("/etc/passwd").is_err());
        assert!(check_entry_name("a//b").is_err());
        assert!(check_entry_name("a\\b").is_err());
        // A zip header holds 65,535 bytes of name.
        assert!(check_entry_name(&"a".repeat(65_535)).is_ok());
        assert!(check_entry_name(&"a".repeat(65_536)).is_err());
    }

    #[test]
    fn folders_files_and_globs_map_to_their_destinations() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "static/index.html", "<html>");
        write(d, "static/css/site.css", "body{}");
        write(d, "conf/prod.toml", "a = 1");
        write(d, "data/a.json", "{}");
        write(d, "data/b.json", "{}");
        write(d, "data/c.txt", "");
        let entries = resolve_assets(
            &roots(d),
            &[
                spec("static"),
                spec("conf/prod.toml:config.toml"),
                spec("data/*.json:json"),
                spec("static:www"),
            ],
        )
        .unwrap();
        assert_eq!(
            names(&entries),
            [
                "config.toml",
                "json/a.json",
                "json/b.json",
                "static/css/site.css",
                "static/index.html",
                "www/css/site.css",
                "www/index.html"
            ]
        );
    }

    #[test]
    fn git_and_target_are_never_swept_in() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "assets/.git/config", "x");
        write(d, "assets/ok.txt", "x");
        write(d, "target/debug/app", "x");
        let entries = resolve_assets(&roots(d), &[spec("assets"), spec("*")]).unwrap();
        assert!(
            names(&entries)
                .iter()
                .all(|n| !n.contains(".git") && !n.starts_with("target")),
            "{:?}",
            names(&entries)
        );
        assert!(names(&entries).contains(&"assets/ok.txt"));
    }

    #[test]
    fn unsafe_or_ambiguous_inputs_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        write(outside.path(), "secret.txt", "s");
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "a/x.txt", "1");
        write(d, "b/x.txt", "2");
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), d.join("link.txt")).unwrap();

        let error = resolve_assets(&roots(d), &[spec("a:same"), spec("b:same")]).unwrap_err();
        assert!(
            error.to_string().contains("both map to `same/x.txt`"),
            "{error}"
        );
        let error = resolve_assets(&roots(d), &[spec("link.txt")]).unwrap_err();
        assert!(
            error.to_string().contains("points outside the project"),
            "{error}"
        );
        let error = resolve_assets(&roots(d), &[spec("a:../up")]).unwrap_err();
        assert!(
            error.to_string().contains("escapes the archive root"),
            "{error}"
        );
        let error = resolve_assets(&roots(d), &[spec("a:/abs")]).unwrap_err();
        assert!(error.to_string().contains("is absolute"), "{error}");
        let error = resolve_assets(&roots(d), &[spec("a/x.txt:bootstrap")]).unwrap_err();
        assert!(
            error.to_string().contains("would replace the bootstrap"),
            "{error}"
        );
        let error = resolve_assets(&roots(d), &[spec("missing")]).unwrap_err();
        assert!(error.to_string().contains("no such file"), "{error}");
    }

    #[test]
    fn a_destination_ending_in_a_slash_is_a_folder() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "conf/prod.toml", "a = 1");
        write(d, "static/index.html", "<html>");
        let entries = resolve_assets(
            &roots(d),
            &[
                spec("conf/prod.toml:etc/"),
                spec("static:www/"),
                spec("conf/prod.toml:exact.toml"),
            ],
        )
        .unwrap();
        assert_eq!(
            names(&entries),
            ["etc/prod.toml", "exact.toml", "www/index.html"]
        );
    }

    #[test]
    fn symlinks_into_target_or_git_pull_nothing_in() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "target/fc/app.zip", "previous zip");
        write(d, "target/fc/app/bootstrap", "elf");
        write(d, ".git/objects/ab/cdef", "object");
        write(d, "assets/ok.txt", "ok");
        let link = |to: &str, at: &str| std::os::unix::fs::symlink(d.join(to), d.join(at)).unwrap();
        link("target", "assets/build");
        link("target/fc", "assets/fc");
        link(".git", "assets/repo");
        link(".git/objects", "assets/objects");
        link("target/fc/app.zip", "assets/previous.zip");
        let entries = resolve_assets(&roots(d), &[spec("assets")]).unwrap();
        let names = names(&entries);
        assert!(names.contains(&"assets/ok.txt"), "{names:?}");
        for name in &names {
            assert!(
                !name.contains("zip") && !name.contains("bootstrap") && !name.contains("cdef"),
                "{name} was packed: {names:?}"
            );
        }
    }

    #[test]
    fn dot_dot_inside_the_package_folder_is_legal() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "static/index.html", "<html>");
        write(d, "conf/prod.toml", "a = 1");
        let entries = resolve_assets(
            &roots(d),
            &[
                spec("static/../conf"),
                spec("static/../conf/prod.toml:config.toml"),
            ],
        )
        .unwrap();
        assert_eq!(names(&entries), ["conf/prod.toml", "config.toml"]);
        let error = resolve_assets(&roots(d), &[spec("static/../../x")]).unwrap_err();
        assert!(!error.to_string().is_empty());
    }

    #[test]
    fn symlinks_inside_the_project_are_followed() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        write(d, "real/data.txt", "d");
        std::os::unix::fs::symlink(d.join("real"), d.join("alias")).unwrap();
        let entries = resolve_assets(&roots(d), &[spec("alias")]).unwrap();
        assert_eq!(names(&entries), ["alias/data.txt"]);
    }
}
