//! Checks a built executable against the runtime it will run on: an x86-64 ELF executable whose
//! glibc (and libstdc++) symbol versions and shared libraries the runtime's OS provides.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use object::elf;
use object::read::elf::{Dyn, FileHeader, ProgramHeader, Sym};
use object::{Endianness, SymbolIndex};

use crate::error::{Error, ErrorKind, Result};
use crate::platform::{RUNTIMES, Runtime, SymbolVersion};

/// What an executable asks of the system that loads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ElfFacts {
    /// `DT_NEEDED` entries: the shared libraries it links.
    pub needed: Vec<String>,
    /// Version name (`GLIBC_2.34`) → library that must define it and the symbols that need it.
    pub versions: BTreeMap<String, VersionNeed>,
    /// Whether it is statically linked (no dynamic section).
    pub is_static: bool,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionNeed {
    pub library: String,
    pub symbols: BTreeSet<String>,
}

/// The symbol-version families a runtime's ceilings apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Family {
    Glibc,
    Glibcxx,
    Cxxabi,
}

impl Family {
    fn split(version_name: &str) -> Option<(Family, SymbolVersion)> {
        let (family, number) = if let Some(n) = version_name.strip_prefix("GLIBC_") {
            (Family::Glibc, n)
        } else if let Some(n) = version_name.strip_prefix("GLIBCXX_") {
            (Family::Glibcxx, n)
        } else if let Some(n) = version_name.strip_prefix("CXXABI_") {
            (Family::Cxxabi, n)
        } else {
            return None;
        };
        // GLIBC_PRIVATE and the like have no number and no ceiling.
        Some((family, SymbolVersion::parse(number)?))
    }

    fn ceiling(self, runtime: &Runtime) -> SymbolVersion {
        match self {
            Family::Glibc => runtime.glibc,
            Family::Glibcxx => runtime.glibcxx,
            Family::Cxxabi => runtime.cxxabi,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Family::Glibc => "glibc",
            Family::Glibcxx => "libstdc++ (GLIBCXX)",
            Family::Cxxabi => "libstdc++ (CXXABI)",
        }
    }
}

impl ElfFacts {
    /// The highest version of a family the executable needs.
    pub fn highest(&self, family: Family) -> Option<SymbolVersion> {
        self.versions
            .keys()
            .filter_map(|name| Family::split(name))
            .filter(|(f, _)| *f == family)
            .map(|(_, v)| v)
            .max()
    }
}

/// Reads an executable's ELF facts, refusing anything that is not an x86-64 ELF executable.
pub fn inspect(path: &Path) -> Result<ElfFacts> {
    let data = std::fs::read(path).map_err(|e| Error::io("read", path, e))?;
    inspect_bytes(&data).map_err(|problem| {
        Error::new(ErrorKind::Verify, format!("{}: {problem}", path.display())).help(
            "FC custom runtimes run x86-64 Linux executables: build for x86_64-unknown-linux-gnu",
        )
    })
}

fn inspect_bytes(data: &[u8]) -> std::result::Result<ElfFacts, String> {
    if data.get(..4) != Some(b"\x7fELF") {
        return Err("is not an ELF executable".into());
    }
    // Byte 4 of the identification is the file class.
    if data.get(4) != Some(&elf::ELFCLASS64.0) {
        return Err("is a 32-bit ELF file, but FC runs x86-64 executables".into());
    }
    let malformed = |e: object::Error| format!("is a malformed ELF file ({e})");
    let header = elf::FileHeader64::<Endianness>::parse(data).map_err(malformed)?;
    let endian = header.endian().map_err(malformed)?;
    let machine = header.e_machine(endian);
    if machine != elf::EM_X86_64 {
        return Err(format!(
            "is built for another architecture (ELF machine {}), but FC runs x86-64 executables",
            machine.0
        ));
    }
    let sections = header.sections(endian, data).map_err(malformed)?;
    let segments = header.program_headers(endian, data).map_err(malformed)?;
    let has_interpreter = segments.iter().any(|s| s.p_type(endian) == elf::PT_INTERP);

    let mut facts = ElfFacts::default();
    let mut pie_flag = false;
    match sections.dynamic(endian, data).map_err(malformed)? {
        Some((entries, strings_index)) => {
            let strings = sections
                .strings(endian, data, strings_index)
                .map_err(malformed)?;
            for entry in entries {
                match entry.d_tag(endian) {
                    elf::DT_NEEDED => {
                        let name = entry.string(endian, strings).map_err(malformed)?;
                        facts
                            .needed
                            .push(String::from_utf8_lossy(name).into_owned());
                    }
                    elf::DT_FLAGS_1 => {
                        pie_flag = Into::<u64>::into(entry.d_val(endian)) & elf::DF_1_PIE.0 != 0;
                    }
                    _ => {}
                }
            }
        }
        None => facts.is_static = true,
    }
    let executable = match header.e_type(endian) {
        elf::ET_EXEC => true,
        elf::ET_DYN => has_interpreter || pie_flag,
        _ => false,
    };
    if !executable {
        return Err("is not an executable (a shared library or object file?)".into());
    }

    if let Some(versions) = sections.versions(endian, data).map_err(malformed)? {
        let symbols = sections
            .symbols(endian, data, elf::SHT_DYNSYM)
            .map_err(malformed)?;
        for (index, symbol) in symbols.enumerate() {
            if !symbol.is_undefined(endian) {
                continue;
            }
            let version_index = versions.version_index(endian, SymbolIndex(index.0));
            let Ok(Some(version)) = versions.version(version_index.index()) else {
                continue;
            };
            let Some(library) = version.file() else {
                continue;
            };
            let name = symbols.symbol_name(endian, symbol).map_err(malformed)?;
            facts
                .versions
                .entry(String::from_utf8_lossy(version.name()).into_owned())
                .or_insert_with(|| VersionNeed {
                    library: String::from_utf8_lossy(library).into_owned(),
                    symbols: BTreeSet::new(),
                })
                .symbols
                .insert(String::from_utf8_lossy(name).into_owned());
        }
    }
    // Version requirements no symbol refers to still have to be met by the loader.
    if let Some((mut needs, strings_index)) =
        sections.gnu_verneed(endian, data).map_err(malformed)?
    {
        let strings = sections
            .strings(endian, data, strings_index)
            .map_err(malformed)?;
        while let Some((need, mut auxes)) = needs.next().map_err(malformed)? {
            let library = String::from_utf8_lossy(need.file(endian, strings).map_err(malformed)?)
                .into_owned();
            while let Some(aux) = auxes.next().map_err(malformed)? {
                let name = String::from_utf8_lossy(aux.name(endian, strings).map_err(malformed)?)
                    .into_owned();
                facts.versions.entry(name).or_insert_with(|| VersionNeed {
                    library: library.clone(),
                    symbols: BTreeSet::new(),
                });
            }
        }
    }
    Ok(facts)
}

/// One way an executable does not fit a runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// It needs symbol versions newer than the runtime's library defines.
    TooNew {
        family: Family,
        ceiling: SymbolVersion,
        /// Offending version name → symbols needing it, highest first.
        offending: Vec<(String, Vec<String>)>,
    },
    /// It links a shared library the runtime's OS does not have and the package does not ship.
    MissingLibrary(String),
}

/// Judges facts against a runtime; `vendored` are library file names the package ships.
pub fn problems(facts: &ElfFacts, runtime: &Runtime, vendored: &[String]) -> Vec<Problem> {
    let mut problems = Vec::new();
    for family in [Family::Glibc, Family::Glibcxx, Family::Cxxabi] {
        let ceiling = family.ceiling(runtime);
        let mut offending: Vec<(SymbolVersion, String, Vec<String>)> = facts
            .versions
            .iter()
            .filter_map(|(name, need)| {
                let (f, version) = Family::split(name)?;
                (f == family && version > ceiling).then(|| {
                    (
                        version,
                        name.clone(),
                        need.symbols.iter().cloned().collect(),
                    )
                })
            })
            .collect();
        if !offending.is_empty() {
            offending.sort_by_key(|o| std::cmp::Reverse(o.0));
            problems.push(Problem::TooNew {
                family,
                ceiling,
                offending: offending.into_iter().map(|(_, n, s)| (n, s)).collect(),
            });
        }
    }
    for library in &facts.needed {
        if !runtime.provides_library(library) && !vendored.iter().any(|v| v == library) {
            problems.push(Problem::MissingLibrary(library.clone()));
        }
    }
    problems
}

/// The error for an executable that does not fit its runtime, naming what and the ways out.
pub fn rejection(
    bin: &str,
    path: &Path,
    runtime: &Runtime,
    facts: &ElfFacts,
    problems: &[Problem],
) -> Error {
    let mut error = Error::new(
        ErrorKind::Verify,
        format!(
            "`{bin}` will not start on FC runtime `{runtime}` (Debian {}, glibc {})",
            runtime.debian_version, runtime.glibc
        ),
    )
    .note(format!("executable: {}", path.display()));
    let mut ways_out = Vec::new();
    for problem in problems {
        match problem {
            Problem::TooNew {
                family,
                ceiling,
                offending,
            } => {
                error = error.note(format!(
                    "it needs {} symbol version {}, newer than the {ceiling} the runtime has:",
                    family.label(),
                    offending
                        .first()
                        .map(|(name, _)| name.as_str())
                        .unwrap_or_default()
                ));
                for (name, symbols) in offending {
                    let shown: Vec<&str> = symbols.iter().take(6).map(String::as_str).collect();
                    let more = symbols.len().saturating_sub(shown.len());
                    let tail = if more > 0 {
                        format!(" and {more} more")
                    } else {
                        String::new()
                    };
                    let list = if shown.is_empty() {
                        "(no symbol names; required by the version table)".to_string()
                    } else {
                        shown.join(", ")
                    };
                    error = error.note(format!("  {name}: {list}{tail}"));
                }
                if *family == Family::Glibc {
                    ways_out.push(format!(
                        "build with `--builder zig` (links against glibc {}) or in Docker with the runtime's Debian",
                        runtime.glibc
                    ));
                    let highest = facts.highest(Family::Glibc);
                    if let Some(newer) = RUNTIMES.iter().find(|r| Some(r.glibc) >= highest) {
                        ways_out.push(format!(
                            "target a newer runtime: `--runtime {newer}` has glibc {}",
                            newer.glibc
                        ));
                    }
                } else {
                    ways_out.push(
                        "ship the libstdc++ the code was built against under `lib/` (include = [\"vendor/libstdc++.so.6:lib/libstdc++.so.6\"]) or build in Docker with the runtime's Debian".to_string(),
                    );
                }
            }
            Problem::MissingLibrary(library) => {
                error = error.note(format!(
                    "it links {library}, which Debian {} on FC does not provide",
                    runtime.debian_version
                ));
                ways_out.push(format!(
                    "vendor the library under `lib/` in the package (include = [\"path/to/{library}:lib/{library}\"]), or link it statically"
                ));
            }
        }
    }
    ways_out.dedup();
    error.help(format!(
        "{}; or skip this check with --no-verify",
        ways_out.join("; ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// Compiles a C program with the host's gcc into `dir`, returning the executable.
    fn compile_c(dir: &Path, name: &str, source: &str, extra: &[&str]) -> std::path::PathBuf {
        let c = dir.join(format!("{name}.c"));
        std::fs::write(&c, source).unwrap();
        let out = dir.join(name);
        let status = Command::new("gcc")
            .arg(&c)
            .arg("-o")
            .arg(&out)
            .args(extra)
            .status()
            .expect("gcc runs");
        assert!(status.success(), "gcc failed");
        out
    }

    #[test]
    fn a_host_build_needs_the_hosts_glibc_and_names_the_symbols() {
        let dir = tempfile::tempdir().unwrap();
        // Debian 12's gcc links __libc_start_main@GLIBC_2.34.
        let exe = compile_c(
            dir.path(),
            "hello",
            "#include <stdio.h>\nint main(){puts(\"hi\");return 0;}\n",
            &[],
        );
        let facts = inspect(&exe).unwrap();
        assert!(facts.needed.contains(&"libc.so.6".to_string()), "{facts:?}");
        let highest = facts.highest(Family::Glibc).unwrap();
        assert!(highest >= SymbolVersion::new(2, 34, 0), "{highest}");
        assert!(
            facts.versions["GLIBC_2.34"]
                .symbols
                .contains("__libc_start_main")
        );

        let custom = Runtime::find("custom").unwrap();
        let found = problems(&facts, custom, &[]);
        let Some(Problem::TooNew {
            family, offending, ..
        }) = found.first()
        else {
            panic!("expected a glibc problem, got {found:?}");
        };
        assert_eq!(*family, Family::Glibc);
        assert!(
            offending
                .iter()
                .any(|(n, s)| n == "GLIBC_2.34" && s.contains(&"__libc_start_main".to_string()))
        );
        let message = rejection("hello", &exe, custom, &facts, &found).to_string();
        assert!(message.contains("glibc 2.24"), "{message}");
        assert!(message.contains("--builder zig"), "{message}");
        assert!(message.contains("custom.debian12"), "{message}");

        let debian12 = Runtime::find("custom.debian12").unwrap();
        assert_eq!(problems(&facts, debian12, &[]), vec![]);
    }

    #[test]
    fn libraries_the_runtime_lacks_are_reported_unless_vendored() {
        let dir = tempfile::tempdir().unwrap();
        let lib_c = dir.path().join("extra.c");
        std::fs::write(&lib_c, "int extra(void){return 7;}\n").unwrap();
        let lib = dir.path().join("libextra.so");
        let status = Command::new("gcc")
            .args(["-shared", "-fPIC", "-o"])
            .arg(&lib)
            .arg(&lib_c)
            .status()
            .unwrap();
        assert!(status.success());
        let exe = compile_c(
            dir.path(),
            "uses_extra",
            "int extra(void);\nint main(){return extra();}\n",
            &["-L", dir.path().to_str().unwrap(), "-lextra"],
        );
        let facts = inspect(&exe).unwrap();
        let debian12 = Runtime::find("custom.debian12").unwrap();
        assert_eq!(
            problems(&facts, debian12, &[]),
            vec![Problem::MissingLibrary("libextra.so".into())]
        );
        assert_eq!(problems(&facts, debian12, &["libextra.so".into()]), vec![]);
    }

    #[test]
    fn static_executables_need_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let exe = compile_c(
            dir.path(),
            "static",
            "int main(){return 0;}\n",
            &["-static"],
        );
        let facts = inspect(&exe).unwrap();
        assert!(facts.is_static);
        assert!(facts.versions.is_empty());
        assert_eq!(problems(&facts, Runtime::default_runtime(), &[]), vec![]);
    }

    #[test]
    fn non_executables_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("run.sh");
        std::fs::write(&script, "#!/bin/sh\necho hi\n").unwrap();
        let error = inspect(&script).unwrap_err();
        assert!(
            error.to_string().contains("is not an ELF executable"),
            "{error}"
        );

        let lib_c = dir.path().join("lib.c");
        std::fs::write(&lib_c, "int f(void){return 1;}\n").unwrap();
        let lib = dir.path().join("libf.so");
        assert!(
            Command::new("gcc")
                .args(["-shared", "-fPIC", "-o"])
                .arg(&lib)
                .arg(&lib_c)
                .status()
                .unwrap()
                .success()
        );
        let error = inspect(&lib).unwrap_err();
        assert!(error.to_string().contains("not an executable"), "{error}");

        let truncated = dir.path().join("truncated");
        let mut bytes = std::fs::read(&lib).unwrap();
        bytes.truncate(80);
        std::fs::write(&truncated, bytes).unwrap();
        assert!(inspect(&truncated).is_err());
    }

    #[test]
    fn cxx_programs_are_judged_by_libstdcxx_versions_too() {
        let dir = tempfile::tempdir().unwrap();
        let cc = dir.path().join("m.cc");
        // std::string's C++11 ABI symbols come from GLIBCXX_3.4.21; <filesystem> needs newer ones.
        std::fs::write(&cc, "#include <filesystem>\n#include <iostream>\nint main(){std::cout << std::filesystem::current_path() << std::endl; return 0;}\n").unwrap();
        let exe = dir.path().join("m");
        let status = Command::new("g++")
            .args(["-std=c++17", "-o"])
            .arg(&exe)
            .arg(&cc)
            .status()
            .unwrap();
        assert!(status.success());
        let facts = inspect(&exe).unwrap();
        assert!(facts.needed.contains(&"libstdc++.so.6".to_string()));
        let highest = facts.highest(Family::Glibcxx).unwrap();
        assert!(highest > SymbolVersion::new(3, 4, 22), "{highest}");
        let custom = Runtime::default_runtime();
        assert!(problems(&facts, custom, &[]).iter().any(|p| matches!(
            p,
            Problem::TooNew {
                family: Family::Glibcxx,
                ..
            }
        )));
    }
}
