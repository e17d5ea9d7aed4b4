//! What the dynamic loader does when the bootstrap starts, done ahead of time over a [`View`]:
//! find its loader (`PT_INTERP`), then every `DT_NEEDED` library in the folders the loader
//! searches, transitively, and check that each library defines every symbol version that is
//! needed from it (`GLIBC_2.34`, `GLIBCXX_3.4.29`, `GCC_7.0.0`, …).
//!
//! The same walk serves twice. Over the build environment (this machine, or the builder image)
//! it collects the libraries a minimal image must carry; over the image itself it is the verify
//! step of a custom container, which judges the image's own libraries rather than a runtime's
//! glibc ceiling.

use std::collections::BTreeSet;

use super::error::LoadProblem;
use super::files::{self, View};
use crate::error::Result;
use crate::verify::{self, ElfFacts};

/// The folders glibc's loader searches after `LD_LIBRARY_PATH` and `DT_RUNPATH`: Debian's
/// multiarch folders and the traditional ones (`ld.so --help` lists them), plus those other
/// distributions use.
pub const SYSTEM_FOLDERS: &[&str] = &[
    "/lib/x86_64-linux-gnu",
    "/usr/lib/x86_64-linux-gnu",
    "/lib64",
    "/usr/lib64",
    "/lib",
    "/usr/lib",
    "/usr/local/lib",
];

/// docs/platform.md#the-package. Where a package's own libraries go, and where the image's
/// `LD_LIBRARY_PATH` points, as FC's runtimes do for a zip.
pub const CODE_LIBRARY_PATH: &[&str] = &["/code", "/code/lib"];

/// glibc loads these with dlopen, so no `DT_NEEDED` names them: name service modules for
/// `/etc/passwd` and DNS lookups (built into libc itself from glibc 2.34 on).
pub const DLOPENED: &[&str] = &["libnss_files.so.2", "libnss_dns.so.2"];

/// One object the loader would load.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The name it was asked for by (`libc.so.6`), or the loader's path.
    pub name: String,
    /// Where the search found it (the path before following links).
    pub found_at: String,
    /// The file it is, after following links.
    pub real_path: String,
    pub bytes: Vec<u8>,
    pub linking: ElfFacts,
}

/// What the walk found: the loader, the libraries, and what did not resolve.
#[derive(Debug, Default)]
pub struct Walk {
    pub loader: Option<Loaded>,
    pub libraries: Vec<Loaded>,
    pub problems: Vec<LoadProblem>,
}

impl Walk {
    /// The loaded object a `DT_NEEDED` name or a verneed file name refers to.
    fn find(&self, name: &str) -> Option<&Loaded> {
        let matches = |object: &&Loaded| {
            object.name == name || object.linking.soname.as_deref() == Some(name)
        };
        self.libraries
            .iter()
            .find(matches)
            .or_else(|| self.loader.as_ref().filter(matches))
    }
}

/// Resolves `executable`'s loader and libraries in `view`. `library_path` plays the part of
/// `LD_LIBRARY_PATH`; `extra` are libraries to load as if needed (the dlopened ones), which are
/// skipped quietly when absent.
pub fn walk(
    view: &mut dyn View,
    executable: &str,
    linking: &ElfFacts,
    library_path: &[&str],
    extra: &[&str],
) -> Result<Walk> {
    let mut walk = Walk::default();
    if let Some(interpreter) = &linking.interpreter {
        match files::read(view, interpreter)? {
            Some((real_path, bytes)) => match verify::read_elf(&bytes) {
                Ok(facts) => {
                    walk.loader = Some(Loaded {
                        // The loader answers to its soname and to the path it was started as.
                        name: interpreter.clone(),
                        found_at: interpreter.clone(),
                        real_path,
                        bytes,
                        linking: facts,
                    })
                }
                Err(why) => walk.problems.push(LoadProblem::NotLoadable {
                    path: interpreter.clone(),
                    why: why.to_string(),
                }),
            },
            None => walk.problems.push(LoadProblem::NoLoader {
                path: interpreter.clone(),
            }),
        }
    }
    // Breadth first, as the loader orders its search list.
    let mut queue: Vec<(String, String, Vec<String>, bool)> = linking
        .needed
        .iter()
        .map(|name| {
            (
                name.clone(),
                executable.to_string(),
                linking.runpath.clone(),
                true,
            )
        })
        .collect();
    queue.extend(
        extra
            .iter()
            .map(|name| (name.to_string(), executable.to_string(), Vec::new(), false)),
    );
    let mut asked: BTreeSet<String> = BTreeSet::new();
    let mut next = 0;
    while next < queue.len() {
        let (name, needed_by, runpath, required) = queue[next].clone();
        next += 1;
        if walk.find(&name).is_some() || !asked.insert(name.clone()) {
            continue;
        }
        match search(view, &name, &needed_by, &runpath, library_path)? {
            Some((found_at, real_path, bytes)) => match verify::read_elf(&bytes) {
                Ok(facts) => {
                    for needed in &facts.needed {
                        queue.push((
                            needed.clone(),
                            found_at.clone(),
                            facts.runpath.clone(),
                            true,
                        ));
                    }
                    walk.libraries.push(Loaded {
                        name,
                        found_at,
                        real_path,
                        bytes,
                        linking: facts,
                    });
                }
                Err(why) => walk.problems.push(LoadProblem::NotLoadable {
                    path: found_at,
                    why: why.to_string(),
                }),
            },
            None if required => walk.problems.push(LoadProblem::MissingLibrary {
                library: name,
                needed_by,
            }),
            None => {}
        }
    }
    let mut version_problems = Vec::new();
    let mut check = |who: &str, facts: &ElfFacts| {
        for ((library, version), symbols) in &facts.needs {
            // A library that is not there is reported once, above.
            let Some(provider) = walk.find(library) else {
                continue;
            };
            if !provider.linking.defines.contains(version) {
                version_problems.push(LoadProblem::MissingVersion {
                    library: library.clone(),
                    path: provider.real_path.clone(),
                    version: version.clone(),
                    needed_by: who.to_string(),
                    symbols: symbols.iter().cloned().collect(),
                });
            }
        }
    };
    check(executable, linking);
    for library in &walk.libraries {
        check(&library.found_at, &library.linking);
    }
    walk.problems.extend(version_problems);
    Ok(walk)
}

/// Where the loader would find `name`: a name with a slash is a path; otherwise
/// `LD_LIBRARY_PATH`, the needing object's `DT_RUNPATH` (with `$ORIGIN`), then the system folders.
fn search(
    view: &mut dyn View,
    name: &str,
    needed_by: &str,
    runpath: &[String],
    library_path: &[&str],
) -> Result<Option<(String, String, Vec<u8>)>> {
    if name.contains('/') {
        return Ok(files::read(view, name)?.map(|(real, bytes)| (name.to_string(), real, bytes)));
    }
    let origin = files::parent(needed_by);
    let mut folders: Vec<String> = library_path.iter().map(|f| f.to_string()).collect();
    folders.extend(runpath.iter().map(|folder| {
        folder
            .replace("${ORIGIN}", &origin)
            .replace("$ORIGIN", &origin)
    }));
    folders.extend(SYSTEM_FOLDERS.iter().map(|f| f.to_string()));
    for folder in folders {
        let candidate = files::join(&folder, name);
        if let Some((real, bytes)) = files::read(view, &candidate)? {
            // The loader skips files of another class or machine and keeps searching.
            if verify::read_elf(&bytes).is_ok() {
                return Ok(Some((candidate, real, bytes)));
            }
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::files::Host;

    /// The host's own `ls`, a dynamically linked x86-64 executable on any Debian.
    fn host_executable() -> (String, ElfFacts) {
        let path = "/bin/ls".to_string();
        let facts = verify::read_elf(&std::fs::read(&path).unwrap()).unwrap();
        (path, facts)
    }

    #[test]
    fn the_host_resolves_a_host_executable_completely() {
        let (path, facts) = host_executable();
        let walk = walk(&mut Host, &path, &facts, &[], DLOPENED).unwrap();
        assert!(walk.problems.is_empty(), "{:?}", walk.problems);
        let loader = walk
            .loader
            .as_ref()
            .expect("a dynamic executable has a loader");
        assert_eq!(loader.name, "/lib64/ld-linux-x86-64.so.2");
        let names: Vec<&str> = walk.libraries.iter().map(|l| l.name.as_str()).collect();
        assert!(names.contains(&"libc.so.6"), "{names:?}");
        let libc = walk.find("libc.so.6").unwrap();
        assert!(libc.linking.defines.contains("GLIBC_2.2.5"));
        // libc's own DT_NEEDED on the loader is the loader, not a second copy.
        assert!(!names.contains(&"ld-linux-x86-64.so.2"), "{names:?}");
    }

    #[test]
    fn a_version_the_library_lacks_is_reported_with_its_symbols() {
        let (path, mut facts) = host_executable();
        facts
            .needs
            .entry(("libc.so.6".into(), "GLIBC_9.99".into()))
            .or_default()
            .insert("future_call".into());
        facts.needed.push("libcargo-fc-absent.so.1".into());
        let walk = walk(&mut Host, &path, &facts, &[], &[]).unwrap();
        assert!(walk.problems.contains(&LoadProblem::MissingLibrary {
            library: "libcargo-fc-absent.so.1".into(),
            needed_by: path.clone(),
        }));
        let missing = walk
            .problems
            .iter()
            .find_map(|p| match p {
                LoadProblem::MissingVersion {
                    version, symbols, ..
                } => Some((version.clone(), symbols.clone())),
                _ => None,
            })
            .expect("the missing version is reported");
        assert_eq!(
            missing,
            ("GLIBC_9.99".to_string(), vec!["future_call".to_string()])
        );
    }
}
