//! Checks everything a package ships that the runtime's loader will load — the executable and
//! the shared libraries at the package root or under `lib/` — against the runtime it will run
//! on: x86-64 ELF files whose interpreter is the runtime's, whose glibc (and libstdc++) symbol
//! versions the runtime's libraries define, and whose shared libraries the runtime's OS or the
//! package provides.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::{Path, PathBuf};

use object::elf;
use object::read::elf::{Dyn, FileHeader, ProgramHeader, Sym};
use object::{Endianness, SymbolIndex};

use crate::error::{Exit, Failure, Result, failure_any, io};
use crate::platform::{self, RUNTIMES, Runtime, SymbolVersion};

/// What an ELF file asks of the system that loads it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ElfFacts {
    /// `e_type`, as far as loading goes.
    pub kind: ElfKind,
    /// The program interpreter (`PT_INTERP`) an executable names.
    pub interpreter: Option<String>,
    /// `DT_NEEDED` entries: the shared libraries it links.
    pub needed: Vec<String>,
    /// Version name (`GLIBC_2.34`) → library that must define it and the symbols that need it.
    pub versions: BTreeMap<String, VersionNeed>,
    /// Whether it is statically linked (no dynamic section).
    pub is_static: bool,
    /// `DT_SONAME`: the name other objects link a library by.
    pub soname: Option<String>,
    /// `DT_RUNPATH` / `DT_RPATH` folders, searched before the system folders.
    pub runpath: Vec<String>,
    /// (library, version name) → the symbols that need it: `versions` with each version's
    /// library kept, for checking against the very library that will be loaded (two libraries
    /// may define the same version name).
    pub needs: BTreeMap<(String, String), BTreeSet<String>>,
    /// Version names a library defines (`GLIBC_2.36`), its own base version excluded.
    pub defines: BTreeSet<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ElfKind {
    #[default]
    Executable,
    SharedLibrary,
    /// A relocatable object, a core file, or anything else no loader starts.
    Other,
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
    /// The highest version of a family the file needs.
    pub fn highest(&self, family: Family) -> Option<SymbolVersion> {
        self.versions
            .keys()
            .filter_map(|name| Family::split(name))
            .filter(|(f, _)| *f == family)
            .map(|(_, v)| v)
            .max()
    }
}

/// Why a file cannot be loaded at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unloadable {
    NotElf,
    Elf32,
    /// Built for another architecture, named as people name it.
    Architecture(String),
    Malformed(String),
    /// The bootstrap is a shared library or an object file.
    NotExecutable,
}

impl fmt::Display for Unloadable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unloadable::NotElf => f.write_str("is not an ELF executable"),
            Unloadable::Elf32 => f.write_str("is a 32-bit ELF file, but FC runs x86-64 code"),
            Unloadable::Architecture(name) => write!(
                f,
                "is built for {name}, but FC custom runtimes are x86-64 only"
            ),
            Unloadable::Malformed(why) => write!(f, "is a malformed ELF file ({why})"),
            Unloadable::NotExecutable => {
                f.write_str("is not an executable (a shared library or object file?)")
            }
        }
    }
}

/// The architecture an ELF `e_machine` value names.
fn architecture_name(machine: elf::Machine) -> String {
    const NAMES: &[(elf::Machine, &str)] = &[
        (elf::EM_386, "32-bit x86 (i386)"),
        (elf::EM_ARM, "32-bit ARM"),
        (elf::EM_AARCH64, "aarch64 (64-bit ARM)"),
        (elf::EM_RISCV, "RISC-V"),
        (elf::EM_PPC, "32-bit PowerPC"),
        (elf::EM_PPC64, "64-bit PowerPC"),
        (elf::EM_S390, "IBM Z (s390x)"),
        (elf::EM_MIPS, "MIPS"),
        (elf::EM_LOONGARCH, "LoongArch"),
        (elf::EM_SPARCV9, "SPARC"),
    ];
    NAMES
        .iter()
        .find(|(known, _)| *known == machine)
        .map_or_else(
            || format!("another architecture (ELF machine {})", machine.0),
            |(_, name)| name.to_string(),
        )
}

/// Reads an ELF file's facts.
pub fn read_elf(data: &[u8]) -> std::result::Result<ElfFacts, Unloadable> {
    if data.get(..4) != Some(b"\x7fELF") {
        return Err(Unloadable::NotElf);
    }
    // Byte 4 of the identification is the file class.
    if data.get(4) != Some(&elf::ELFCLASS64.0) {
        return Err(match data.get(18..20) {
            // e_machine of a 32-bit file, little-endian: name it when it is not x86.
            Some(&[low, high]) if u16::from_le_bytes([low, high]) != elf::EM_386.0 => {
                Unloadable::Architecture(architecture_name(elf::Machine(u16::from_le_bytes([
                    low, high,
                ]))))
            }
            _ => Unloadable::Elf32,
        });
    }
    let malformed = |e: object::Error| Unloadable::Malformed(e.to_string());
    let header = elf::FileHeader64::<Endianness>::parse(data).map_err(malformed)?;
    let endian = header.endian().map_err(malformed)?;
    let machine = header.e_machine(endian);
    if machine != elf::EM_X86_64 {
        return Err(Unloadable::Architecture(architecture_name(machine)));
    }
    let sections = header.sections(endian, data).map_err(malformed)?;
    let segments = header.program_headers(endian, data).map_err(malformed)?;

    let mut facts = ElfFacts::default();
    for segment in segments {
        if segment.p_type(endian) == elf::PT_INTERP {
            let bytes = segment.data(endian, data).map_err(|()| {
                Unloadable::Malformed("the interpreter segment is out of bounds".into())
            })?;
            let path = bytes.split(|&b| b == 0).next().unwrap_or_default();
            facts.interpreter = Some(String::from_utf8_lossy(path).into_owned());
        }
    }
    let mut pie_flag = false;
    match sections.dynamic(endian, data).map_err(malformed)? {
        Some((entries, strings_index)) => {
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
                    elf::DT_RUNPATH | elf::DT_RPATH => facts.runpath.extend(
                        text()?
                            .split(':')
                            .filter(|folder| !folder.is_empty())
                            .map(str::to_string),
                    ),
                    elf::DT_FLAGS_1 => {
                        pie_flag = Into::<u64>::into(entry.d_val(endian)) & elf::DF_1_PIE.0 != 0;
                    }
                    _ => {}
                }
            }
        }
        None => facts.is_static = true,
    }
    facts.kind = match header.e_type(endian) {
        elf::ET_EXEC => ElfKind::Executable,
        elf::ET_DYN if facts.interpreter.is_some() || pie_flag => ElfKind::Executable,
        elf::ET_DYN => ElfKind::SharedLibrary,
        _ => ElfKind::Other,
    };

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
            let name =
                String::from_utf8_lossy(symbols.symbol_name(endian, symbol).map_err(malformed)?)
                    .into_owned();
            let library = String::from_utf8_lossy(library).into_owned();
            let version = String::from_utf8_lossy(version.name()).into_owned();
            facts
                .needs
                .entry((library.clone(), version.clone()))
                .or_default()
                .insert(name.clone());
            facts
                .versions
                .entry(version)
                .or_insert_with(|| VersionNeed {
                    library,
                    symbols: BTreeSet::new(),
                })
                .symbols
                .insert(name);
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
                facts
                    .needs
                    .entry((library.clone(), name.clone()))
                    .or_default();
                facts.versions.entry(name).or_insert_with(|| VersionNeed {
                    library: library.clone(),
                    symbols: BTreeSet::new(),
                });
            }
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
                facts.defines.insert(
                    String::from_utf8_lossy(aux.name(endian, strings).map_err(malformed)?)
                        .into_owned(),
                );
            }
        }
    }
    Ok(facts)
}

/// Reads an executable's ELF facts, refusing anything that is not an x86-64 ELF executable.
pub fn inspect(path: &Path) -> Result<ElfFacts> {
    let data = std::fs::read(path).map_err(io("read", path))?;
    let problem = match read_elf(&data) {
        Ok(facts) if facts.kind == ElfKind::Executable => return Ok(facts),
        Ok(_) => Unloadable::NotExecutable,
        Err(problem) => problem,
    };
    Err(VerifyError::NotAnExecutable {
        path: path.to_path_buf(),
        problem,
    }
    .into())
}

/// One way a file does not fit a runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The loader cannot load it at all.
    Unloadable(Unloadable),
    /// The executable names another program interpreter than the runtime's glibc loader.
    Interpreter(String),
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
    if facts.kind == ElfKind::Executable
        && let Some(interpreter) = &facts.interpreter
        && interpreter != platform::ELF_INTERPRETER
    {
        problems.push(Problem::Interpreter(interpreter.clone()));
    }
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

/// A shared library the package ships where the runtime's loader looks.
#[derive(Debug, Clone)]
pub struct Shipped {
    /// Its path inside the package.
    pub entry: String,
    pub source: PathBuf,
}

/// A file of a package that does not fit, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileProblems {
    /// `bootstrap`, or the library's path in the package.
    pub entry: String,
    pub source: PathBuf,
    pub problems: Vec<Problem>,
}

/// One function's package that will not start on its runtime.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub bin: String,
    pub runtime: &'static Runtime,
    /// The executable's highest glibc need, for the "target a newer runtime" way out.
    pub highest_glibc: Option<SymbolVersion>,
    pub files: Vec<FileProblems>,
}

/// What verify found of a package that fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// The highest glibc version the executable needs; `None` when it is statically linked.
    pub glibc: Option<SymbolVersion>,
    pub is_static: bool,
}

impl Verdict {
    /// "needs glibc 2.17" or "statically linked", for the status line.
    pub fn describe(&self) -> String {
        match self.glibc {
            Some(version) => format!("needs glibc {version}"),
            None if self.is_static => "statically linked".into(),
            None => "needs no versioned glibc symbol".into(),
        }
    }
}

/// Checks a function's bootstrap and every shared library it ships against `runtime`.
pub fn check_package(
    bin: &str,
    bootstrap: &Path,
    libraries: &[Shipped],
    runtime: &'static Runtime,
) -> Result<std::result::Result<Verdict, Rejection>> {
    let facts = inspect(bootstrap)?;
    let vendored: Vec<String> = libraries
        .iter()
        .map(|library| file_name(&library.entry).to_string())
        .collect();
    let mut files = Vec::new();
    let problems_of_bootstrap = problems(&facts, runtime, &vendored);
    if !problems_of_bootstrap.is_empty() {
        files.push(FileProblems {
            entry: "bootstrap".into(),
            source: bootstrap.to_path_buf(),
            problems: problems_of_bootstrap,
        });
    }
    for library in libraries {
        let data = std::fs::read(&library.source).map_err(io("read", &library.source))?;
        let found = match read_elf(&data) {
            // Not an ELF file (a data file, a linker script): the loader skips it.
            Err(Unloadable::NotElf) => continue,
            Err(problem) => vec![Problem::Unloadable(problem)],
            Ok(lib) if lib.kind != ElfKind::SharedLibrary => continue,
            Ok(lib) => problems(&lib, runtime, &vendored),
        };
        if !found.is_empty() {
            files.push(FileProblems {
                entry: library.entry.clone(),
                source: library.source.clone(),
                problems: found,
            });
        }
    }
    let highest_glibc = facts.highest(Family::Glibc);
    if files.is_empty() {
        return Ok(Ok(Verdict {
            glibc: highest_glibc,
            is_static: facts.is_static,
        }));
    }
    Ok(Err(Rejection {
        bin: bin.to_string(),
        runtime,
        highest_glibc,
        files,
    }))
}

fn file_name(entry: &str) -> &str {
    entry.rsplit_once('/').map_or(entry, |(_, name)| name)
}

/// What verify refuses.
#[derive(Debug)]
pub enum VerifyError {
    /// The file to ship as `bootstrap` is no x86-64 executable.
    NotAnExecutable { path: PathBuf, problem: Unloadable },
    /// Functions whose packages would not start, every one of them.
    Rejected { rejections: Vec<Rejection> },
}

impl fmt::Display for VerifyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            VerifyError::NotAnExecutable { path, problem } => {
                write!(f, "{}: {problem}", path.display())
            }
            VerifyError::Rejected { rejections } => match rejections.as_slice() {
                [one] => write!(
                    f,
                    "`{}` will not start on FC runtime `{}` (Debian {}, glibc {})",
                    one.bin, one.runtime, one.runtime.debian_version, one.runtime.glibc
                ),
                several => {
                    let names: Vec<String> =
                        several.iter().map(|r| format!("`{}`", r.bin)).collect();
                    write!(
                        f,
                        "{} functions will not start on FC: {}",
                        several.len(),
                        names.join(", ")
                    )
                }
            },
        }
    }
}

impl Failure for VerifyError {
    fn exit(&self) -> Exit {
        Exit::Verify
    }

    fn kind(&self) -> &'static str {
        match self {
            VerifyError::NotAnExecutable { .. } => "verify.not-an-executable",
            VerifyError::Rejected { .. } => "verify.rejected",
        }
    }

    fn notes(&self) -> Vec<String> {
        let VerifyError::Rejected { rejections } = self else {
            return Vec::new();
        };
        let several = rejections.len() > 1;
        let mut notes = Vec::new();
        for rejection in rejections {
            let runtime = rejection.runtime;
            if several {
                notes.push(format!(
                    "`{}` on runtime `{runtime}` (Debian {}, glibc {}):",
                    rejection.bin, runtime.debian_version, runtime.glibc
                ));
            }
            for file in &rejection.files {
                notes.extend(file_notes(file, runtime));
            }
        }
        notes
    }

    fn help(&self) -> Option<String> {
        match self {
            VerifyError::NotAnExecutable { .. } => Some(
                "FC custom runtimes run x86-64 Linux executables: build for x86_64-unknown-linux-gnu"
                    .into(),
            ),
            VerifyError::Rejected { rejections } => {
                let mut ways_out = Vec::new();
                for rejection in rejections {
                    for way in ways_out_of(rejection) {
                        if !ways_out.contains(&way) {
                            ways_out.push(way);
                        }
                    }
                }
                Some(format!(
                    "{}; or skip this check with --no-verify",
                    ways_out.join("; ")
                ))
            }
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            VerifyError::NotAnExecutable { path, problem } => {
                serde_json::json!({ "path": path, "problem": problem.to_string() })
            }
            VerifyError::Rejected { rejections } => serde_json::Value::Array(
                rejections
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "bin": r.bin,
                            "runtime": r.runtime.id,
                            "files": r.files.iter().map(|f| serde_json::json!({
                                "entry": f.entry,
                                "path": f.source,
                                "problems": file_notes(f, r.runtime),
                            })).collect::<Vec<_>>(),
                        })
                    })
                    .collect(),
            ),
        }
    }

    failure_any!();
}

/// A symbol name as people read it: C++ and Rust names demangled.
fn demangle(symbol: &str) -> String {
    if let Ok(name) = cpp_demangle::Symbol::new(symbol)
        && let Ok(text) = name.demangle()
    {
        return text;
    }
    symbol.to_string()
}

/// The note lines for one file's problems.
fn file_notes(file: &FileProblems, runtime: &Runtime) -> Vec<String> {
    let mut notes = Vec::new();
    let what = if file.entry == "bootstrap" {
        format!("executable: {}", file.source.display())
    } else {
        format!("library {} ({})", file.entry, file.source.display())
    };
    notes.push(what);
    let it = if file.entry == "bootstrap" {
        "it".to_string()
    } else {
        format!("  {}", file_name(&file.entry))
    };
    for problem in &file.problems {
        match problem {
            Problem::Unloadable(why) => notes.push(format!("{it} {why}")),
            Problem::Interpreter(found) => notes.push(format!(
                "{it} asks for the program interpreter {found}, but FC's glibc loader is {}: a musl or otherwise foreign executable cannot start there",
                platform::ELF_INTERPRETER
            )),
            Problem::TooNew {
                family,
                ceiling,
                offending,
            } => {
                notes.push(format!(
                    "{it} needs {} symbol version {}, newer than the {ceiling} the runtime has:",
                    family.label(),
                    offending
                        .first()
                        .map(|(name, _)| name.as_str())
                        .unwrap_or_default()
                ));
                for (name, symbols) in offending {
                    let shown: Vec<String> = symbols.iter().take(6).map(|s| demangle(s)).collect();
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
                    notes.push(format!("  {name}: {list}{tail}"));
                }
            }
            Problem::MissingLibrary(library) => notes.push(format!(
                "{it} links {library}, which Debian {} on FC does not provide",
                runtime.debian_version
            )),
        }
    }
    notes
}

/// What can be done about a rejection.
fn ways_out_of(rejection: &Rejection) -> Vec<String> {
    let runtime = rejection.runtime;
    let mut ways = Vec::new();
    for file in &rejection.files {
        let library = file.entry != "bootstrap";
        for problem in &file.problems {
            match problem {
                Problem::Unloadable(_) if library => ways.push(format!(
                    "ship an x86-64 build of {} instead",
                    file.entry
                )),
                Problem::Unloadable(_) => ways.push(
                    "build for x86_64-unknown-linux-gnu".to_string(),
                ),
                Problem::Interpreter(_) => ways.push(
                    "build for x86_64-unknown-linux-gnu (glibc), or link fully statically".into(),
                ),
                Problem::TooNew {
                    family: Family::Glibc,
                    ..
                } if library => ways.push(format!(
                    "ship {} as built for Debian {} (glibc {}) or older, or link it statically",
                    file.entry, runtime.debian_version, runtime.glibc
                )),
                Problem::TooNew {
                    family: Family::Glibc,
                    ..
                } => {
                    ways.push(format!(
                        "build with `--builder zig` (links against glibc {}) or in Docker with the runtime's Debian",
                        runtime.glibc
                    ));
                    if let Some(newer) = RUNTIMES
                        .iter()
                        .find(|r| Some(r.glibc) >= rejection.highest_glibc)
                    {
                        ways.push(format!(
                            "target a newer runtime: `--runtime {newer}` has glibc {}",
                            newer.glibc
                        ));
                    }
                }
                Problem::TooNew { .. } => ways.push(
                    "ship the libstdc++ the code was built against under `lib/` (include = [\"vendor/libstdc++.so.6:lib/libstdc++.so.6\"]) or build in Docker with the runtime's Debian".to_string(),
                ),
                Problem::MissingLibrary(library) => ways.push(format!(
                    "vendor the library under `lib/` in the package (include = [\"path/to/{library}:lib/{library}\"]), or link it statically"
                )),
            }
        }
    }
    ways
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::process::Command;

    /// Compiles a C program with the host's gcc into `dir`, returning the executable.
    fn compile_c(dir: &Path, name: &str, source: &str, extra: &[&str]) -> PathBuf {
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

    /// A shared library `lib<name>.so` defining `symbol` at symbol version `version`, so that
    /// what links it needs that version whatever the host's glibc is.
    fn versioned_library(dir: &Path, name: &str, symbol: &str, version: &str) -> PathBuf {
        let script = dir.join(format!("{name}.map"));
        std::fs::write(
            &script,
            format!("{version} {{ global: {symbol}; local: *; }};\n"),
        )
        .unwrap();
        let source = dir.join(format!("{name}.c"));
        std::fs::write(&source, format!("int {symbol}(void) {{ return 7; }}\n")).unwrap();
        let library = dir.join(format!("lib{name}.so"));
        let status = Command::new("gcc")
            .args(["-shared", "-fPIC", "-o"])
            .arg(&library)
            .arg(&source)
            .arg(format!("-Wl,--version-script={}", script.display()))
            .status()
            .unwrap();
        assert!(status.success());
        library
    }

    /// The host's glibc version, as the C library itself says.
    fn host_glibc() -> SymbolVersion {
        // SAFETY: gnu_get_libc_version returns a pointer to a static string.
        let text = unsafe { std::ffi::CStr::from_ptr(gnu_get_libc_version()) };
        SymbolVersion::parse(text.to_str().unwrap()).unwrap()
    }

    unsafe extern "C" {
        fn gnu_get_libc_version() -> *const std::ffi::c_char;
    }

    #[test]
    fn a_host_build_needs_at_most_the_hosts_glibc() {
        let dir = tempfile::tempdir().unwrap();
        let exe = compile_c(
            dir.path(),
            "hello",
            "#include <stdio.h>\nint main(){puts(\"hi\");return 0;}\n",
            &[],
        );
        let facts = inspect(&exe).unwrap();
        assert!(facts.needed.contains(&"libc.so.6".to_string()), "{facts:?}");
        assert_eq!(
            facts.interpreter.as_deref(),
            Some(platform::ELF_INTERPRETER)
        );
        let highest = facts.highest(Family::Glibc).unwrap();
        assert!(highest <= host_glibc(), "{highest} > {}", host_glibc());
        // A runtime at least as new as what the binary needs takes it.
        if let Some(runtime) = RUNTIMES.iter().find(|r| r.glibc >= highest) {
            assert_eq!(problems(&facts, runtime, &[]), vec![]);
        }
    }

    #[test]
    fn symbol_versions_over_the_runtimes_are_named_with_their_symbols_and_ways_out() {
        let dir = tempfile::tempdir().unwrap();
        let library = versioned_library(dir.path(), "future", "future_call", "GLIBC_2.99");
        let exe = compile_c(
            dir.path(),
            "needs_future",
            "int future_call(void);\nint main(){return future_call();}\n",
            &["-L", dir.path().to_str().unwrap(), "-lfuture"],
        );
        let facts = inspect(&exe).unwrap();
        assert_eq!(facts.highest(Family::Glibc), SymbolVersion::parse("2.99"));
        let custom = Runtime::default_runtime();
        let vendored = ["libfuture.so".to_string()];
        let found = problems(&facts, custom, &vendored);
        let [
            Problem::TooNew {
                family: Family::Glibc,
                offending,
                ..
            },
        ] = found.as_slice()
        else {
            panic!("expected one glibc problem, got {found:?}");
        };
        assert_eq!(offending[0].0, "GLIBC_2.99");
        assert_eq!(offending[0].1, ["future_call"]);
        let shipped = [Shipped {
            entry: "lib/libfuture.so".into(),
            source: library,
        }];
        let rejection = check_package("hello", &exe, &shipped, custom)
            .unwrap()
            .unwrap_err();
        let error = VerifyError::Rejected {
            rejections: vec![rejection],
        };
        let message = crate::error::Error::from(error).to_string();
        assert!(
            message
                .contains("`hello` will not start on FC runtime `custom` (Debian 9, glibc 2.24)"),
            "{message}"
        );
        assert!(message.contains("GLIBC_2.99: future_call"), "{message}");
        assert!(message.contains("--builder zig"), "{message}");
    }

    #[test]
    fn shipped_libraries_are_judged_like_the_executable() {
        let dir = tempfile::tempdir().unwrap();
        let exe = compile_c(dir.path(), "plain", "int main(){return 0;}\n", &["-static"]);
        // A library built against a newer glibc than the runtime's, as a Debian 12
        // libcrypto.so.3 would be, and one linking a library nobody ships.
        let newer = versioned_library(dir.path(), "newer", "new_call", "GLIBC_2.99");
        let user_source = dir.path().join("user.c");
        std::fs::write(
            &user_source,
            "int new_call(void);\nint use_it(void){return new_call();}\n",
        )
        .unwrap();
        let user = dir.path().join("libuser.so");
        assert!(
            Command::new("gcc")
                .args(["-shared", "-fPIC", "-o"])
                .arg(&user)
                .arg(&user_source)
                .args(["-L", dir.path().to_str().unwrap(), "-lnewer"])
                .status()
                .unwrap()
                .success()
        );
        let notes = dir.path().join("README.txt");
        std::fs::write(&notes, "not a library").unwrap();
        let custom = Runtime::default_runtime();
        let shipped = |entries: &[(&str, &Path)]| -> Vec<Shipped> {
            entries
                .iter()
                .map(|(entry, source)| Shipped {
                    entry: entry.to_string(),
                    source: source.to_path_buf(),
                })
                .collect()
        };
        // libuser needs libnewer, which is not shipped, and new_call at a version over the
        // runtime's glibc.
        let rejection = check_package(
            "plain",
            &exe,
            &shipped(&[("lib/libuser.so", &user), ("README.txt", &notes)]),
            custom,
        )
        .unwrap()
        .unwrap_err();
        assert_eq!(rejection.files.len(), 1, "{rejection:?}");
        assert_eq!(rejection.files[0].entry, "lib/libuser.so");
        assert!(
            rejection.files[0]
                .problems
                .contains(&Problem::MissingLibrary("libnewer.so".into())),
            "{rejection:?}"
        );
        assert!(
            matches!(
                rejection.files[0].problems[0],
                Problem::TooNew {
                    family: Family::Glibc,
                    ..
                }
            ),
            "{rejection:?}"
        );
        // With libnewer shipped, only the version is left.
        let rejection = check_package(
            "plain",
            &exe,
            &shipped(&[("lib/libuser.so", &user), ("lib/libnewer.so", &newer)]),
            custom,
        )
        .unwrap()
        .unwrap_err();
        assert!(rejection.files.iter().any(|f| f.entry == "lib/libuser.so"
            && matches!(
                f.problems[..],
                [Problem::TooNew {
                    family: Family::Glibc,
                    ..
                }]
            )));
        // On a runtime new enough, nothing is wrong.
        let verdict = check_package(
            "plain",
            &exe,
            &shipped(&[("lib/libuser.so", &user), ("lib/libnewer.so", &newer)]),
            Runtime::find("custom.debian12").unwrap(),
        )
        .unwrap();
        assert!(verdict.is_err(), "GLIBC_2.99 is newer than every runtime");
    }

    #[test]
    fn an_executable_for_another_loader_is_refused_even_with_a_libc_shipped() {
        let dir = tempfile::tempdir().unwrap();
        let exe = compile_c(
            dir.path(),
            "musl_like",
            "int main(){return 0;}\n",
            &["-Wl,--dynamic-linker=/lib/ld-musl-x86_64.so.1"],
        );
        let facts = inspect(&exe).unwrap();
        let found = problems(&facts, Runtime::default_runtime(), &["libc.so".into()]);
        assert!(
            found.contains(&Problem::Interpreter("/lib/ld-musl-x86_64.so.1".into())),
            "{found:?}"
        );
    }

    #[test]
    fn architectures_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let exe = compile_c(dir.path(), "arch", "int main(){return 0;}\n", &[]);
        let mut bytes = std::fs::read(&exe).unwrap();
        // e_machine, little-endian, at offset 18.
        bytes[18..20].copy_from_slice(&elf::EM_AARCH64.0.to_le_bytes());
        let patched = dir.path().join("aarch64");
        std::fs::write(&patched, bytes).unwrap();
        let error = inspect(&patched).unwrap_err().to_string();
        assert!(error.contains("aarch64"), "{error}");
        assert!(!error.contains("machine 183"), "{error}");
    }

    #[test]
    fn static_executables_say_so() {
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
        let verdict = check_package("static", &exe, &[], Runtime::default_runtime())
            .unwrap()
            .unwrap();
        assert_eq!(verdict.describe(), "statically linked");
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
    fn cxx_symbols_are_judged_by_libstdcxx_versions_and_shown_demangled() {
        let dir = tempfile::tempdir().unwrap();
        let cc = dir.path().join("m.cc");
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
        // The host's g++ decides how new; what matters is that a version over the runtime's
        // ceiling is reported, and reported readably.
        let runtime = Runtime::default_runtime();
        if highest > runtime.glibcxx {
            let rejection = check_package("m", &exe, &[], runtime).unwrap().unwrap_err();
            let notes = file_notes(&rejection.files[0], runtime).join("\n");
            assert!(notes.contains("GLIBCXX_"), "{notes}");
            assert!(notes.contains("std::"), "not demangled: {notes}");
            assert!(!notes.contains(" _ZN"), "not demangled: {notes}");
        }
        assert_eq!(
            demangle("_ZNSt10filesystem12current_pathB5cxx11Ev"),
            "std::filesystem::current_path[abi:cxx11]()"
        );
        assert_eq!(demangle("memcpy"), "memcpy");
    }
}
