//! Checks a built executable against the runtime it will run on: an x86-64 ELF executable whose
//! glibc (and libstdc++) symbol versions and shared libraries the runtime's OS provides.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use object::elf;
use object::read::elf::{Dyn, FileHeader, ProgramHeader, Sym};
use object::{Endianness, SymbolIndex};

use crate::error::{Error, ErrorKind, Result};
use crate::runtime::{RUNTIMES, Runtime, SymbolVersion};

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
    let linking = linking(data)?;
    if !linking.is_executable {
        return Err("is not an executable (a shared library or object file?)".into());
    }
    let mut facts = ElfFacts {
        needed: linking.needed,
        is_static: linking.is_static,
        ..ElfFacts::default()
    };
    // Keyed by version name: the runtime's ceilings are per family, whichever library it is.
    for ((library, version), symbols) in linking.needs {
        facts
            .versions
            .entry(version)
            .or_insert_with(|| VersionNeed {
                library,
                symbols: BTreeSet::new(),
            })
            .symbols
            .extend(symbols);
    }
    Ok(facts)
}

/// How an ELF object (an executable or a shared library) links at run time: what the dynamic
/// loader must find for it and what it offers others. A custom container's image carries its
/// own libraries, so its check resolves these facts against the files in the image, as the
/// loader will, instead of against a runtime's table.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Linking {
    /// `DT_SONAME`: the name other objects link it by.
    pub soname: Option<String>,
    /// `PT_INTERP`: the loader the kernel starts an executable with.
    pub interpreter: Option<String>,
    /// `DT_NEEDED` entries, in order.
    pub needed: Vec<String>,
    /// `DT_RUNPATH` / `DT_RPATH` folders, searched before the system folders.
    pub runpath: Vec<String>,
    /// (library, version name) it needs → the symbols that need it (none for a version only the
    /// version table names).
    pub needs: BTreeMap<(String, String), BTreeSet<String>>,
    /// Version names it defines (`GLIBC_2.36`), its own base version excluded.
    pub defines: BTreeSet<String>,
    /// Whether it has no dynamic section (a static executable).
    pub is_static: bool,
    /// Whether it is an executable rather than a shared library or an object file.
    pub is_executable: bool,
}

/// Reads how a 64-bit x86-64 ELF object links; the error says what it is instead.
pub fn linking(data: &[u8]) -> std::result::Result<Linking, String> {
    if data.get(..4) != Some(b"\x7fELF") {
        return Err("is not an ELF executable or library".into());
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
    let mut facts = Linking::default();
    let mut pie_flag = false;
    for segment in segments {
        if segment.p_type(endian) != elf::PT_INTERP {
            continue;
        }
        let bytes = segment
            .data(endian, data)
            .map_err(|()| "is a malformed ELF file (PT_INTERP out of bounds)".to_string())?;
        let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
        facts.interpreter = Some(String::from_utf8_lossy(&bytes[..end]).into_owned());
    }
    let dynamic = sections.dynamic(endian, data).map_err(malformed)?;
    facts.is_static = dynamic.is_none();
    if let Some((entries, strings_index)) = dynamic {
        let strings = sections
            .strings(endian, data, strings_index)
            .map_err(malformed)?;
        for entry in entries {
            let text = || {
                entry
                    .string(endian, strings)
                    .map(|bytes| String::from_utf8_lossy(bytes).into_owned())
                    .map_err(malformed)
            };
            match entry.d_tag(endian) {
                elf::DT_NEEDED => facts.needed.push(text()?),
                elf::DT_SONAME => facts.soname = Some(text()?),
                elf::DT_FLAGS_1 => {
                    pie_flag = Into::<u64>::into(entry.d_val(endian)) & elf::DF_1_PIE.0 != 0;
                }
                elf::DT_RUNPATH | elf::DT_RPATH => facts.runpath.extend(
                    text()?
                        .split(':')
                        .filter(|folder| !folder.is_empty())
                        .map(str::to_string),
                ),
                _ => {}
            }
        }
    }
    facts.is_executable = match header.e_type(endian) {
        elf::ET_EXEC => true,
        elf::ET_DYN => facts.interpreter.is_some() || pie_flag,
        _ => false,
    };
    let lossy = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    if let Some((mut needs, strings_index)) =
        sections.gnu_verneed(endian, data).map_err(malformed)?
    {
        let strings = sections
            .strings(endian, data, strings_index)
            .map_err(malformed)?;
        while let Some((need, mut auxes)) = needs.next().map_err(malformed)? {
            let library = lossy(need.file(endian, strings).map_err(malformed)?);
            while let Some(aux) = auxes.next().map_err(malformed)? {
                let version = lossy(aux.name(endian, strings).map_err(malformed)?);
                facts.needs.entry((library.clone(), version)).or_default();
            }
        }
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
                .needs
                .entry((lossy(library), lossy(version.name())))
                .or_default()
                .insert(lossy(name));
        }
    }
    if let Some((mut definitions, strings_index)) =
        sections.gnu_verdef(endian, data).map_err(malformed)?
    {
        let strings = sections
            .strings(endian, data, strings_index)
            .map_err(malformed)?;
        while let Some((definition, mut auxes)) = definitions.next().map_err(malformed)? {
            // The base definition is the object's own name, not a version others can need.
            if definition.vd_flags.get(endian).0 & elf::VER_FLG_BASE.0 != 0 {
                continue;
            }
            if let Some(aux) = auxes.next().map_err(malformed)? {
                facts
                    .defines
                    .insert(lossy(aux.name(endian, strings).map_err(malformed)?));
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
