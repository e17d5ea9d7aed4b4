//! The cargo project: which functions to build, and their `[package.metadata.fc]` settings.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use cargo_metadata::{Metadata, MetadataCommand, Package, TargetKind};
use serde_json::Value;

use crate::error::{Exit, Failure, Location, Result, failure_any};
use crate::platform::{self, NameProblem, Runtime};

/// Which part of the workspace the command works on, as the global flags say.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub manifest_path: Option<PathBuf>,
    pub packages: Vec<String>,
    pub bins: Vec<String>,
    /// Cargo's `--target-dir`, over what cargo's configuration says.
    pub target_dir: Option<PathBuf>,
}

/// What is wrong with the project, its configuration or the selection.
#[derive(Debug)]
pub enum ProjectError {
    /// `--manifest-path` names no file.
    ManifestMissing { path: PathBuf, is_dir: bool },
    /// `cargo metadata` refused the project.
    Metadata { first_line: String, stderr: String },
    /// `cargo metadata` could not run.
    CargoUnavailable { why: String },
    /// `-p SPEC` names no workspace member.
    NoSuchPackage { spec: String, members: Vec<String> },
    /// `--bin NAME` names no bin of the selected packages.
    NoSuchBin { bin: String, available: Vec<String> },
    /// The selected packages have no bin targets.
    NoBins { packages: Vec<String> },
    /// A `[*.metadata.fc]` value is refused.
    Config {
        section: &'static str,
        key: String,
        problem: ConfigProblem,
        at: Option<Box<Location>>,
    },
    /// A function name FC would refuse.
    BadFunctionName {
        name: String,
        problem: NameProblem,
        at: Option<Box<Location>>,
    },
    /// `--output` names one zip but several functions are selected.
    OutputForSeveral { functions: usize },
    /// `--no-build` before any build.
    NotBuiltYet { bootstrap: PathBuf },
    /// `--env` that is not `KEY=VALUE`.
    BadEnv { pair: String },
    /// A command that runs one function found several, or none of the name asked for.
    FunctionChoice {
        wanted: Option<String>,
        available: Vec<String>,
    },
}

/// Why a configuration value is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigProblem {
    NotATable,
    /// The value has the wrong type; the text says what it must be.
    Expected(&'static str),
    UnknownRuntime(String),
    UnknownBuilder(String),
    UnknownKey {
        suggestion: Option<&'static str>,
    },
    /// `function = "name"` in a package with several bins.
    OneNameForSeveralBins {
        bins: Vec<String>,
    },
}

impl fmt::Display for ProjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProjectError::ManifestMissing { path, is_dir: true } => write!(
                f,
                "manifest path `{}` is a folder, not a Cargo.toml",
                path.display()
            ),
            ProjectError::ManifestMissing { path, .. } => {
                write!(f, "manifest path `{}` does not exist", path.display())
            }
            ProjectError::Metadata { first_line, .. } => {
                write!(f, "cargo could not read the project: {first_line}")
            }
            ProjectError::CargoUnavailable { why } => {
                write!(f, "could not run `cargo metadata`: {why}")
            }
            ProjectError::NoSuchPackage { spec, .. } => {
                write!(f, "package `{spec}` is not in the workspace")
            }
            ProjectError::NoSuchBin { bin, .. } => write!(f, "no bin target named `{bin}`"),
            ProjectError::NoBins { packages } => write!(
                f,
                "no binary targets to build as functions in {}",
                packages.join(", ")
            ),
            ProjectError::Config {
                section,
                key,
                problem,
                ..
            } => match problem {
                ConfigProblem::NotATable => write!(f, "[{section}] must be a table"),
                ConfigProblem::Expected(what) => {
                    write!(f, "`{key}` in [{section}] must be {what}")
                }
                ConfigProblem::UnknownRuntime(id) => write!(
                    f,
                    "`runtime = \"{id}\"` in [{section}] is not an FC custom runtime"
                ),
                ConfigProblem::UnknownBuilder(name) => {
                    write!(f, "`builder = \"{name}\"` in [{section}] is not a builder")
                }
                ConfigProblem::UnknownKey { .. } => {
                    write!(f, "unknown key `{key}` in [{section}]")
                }
                ConfigProblem::OneNameForSeveralBins { bins } => write!(
                    f,
                    "`function` in [{section}] is one name, but the package has several binaries ({})",
                    bins.join(", ")
                ),
            },
            ProjectError::BadFunctionName { name, problem, .. } => {
                write!(f, "function name `{name}` {problem}")
            }
            ProjectError::OutputForSeveral { functions } => write!(
                f,
                "--output names one zip, but {functions} functions are selected"
            ),
            ProjectError::NotBuiltYet { bootstrap } => {
                write!(f, "--no-build, but there is no {} yet", bootstrap.display())
            }
            ProjectError::BadEnv { pair } => write!(f, "--env `{pair}` is not KEY=VALUE"),
            ProjectError::FunctionChoice {
                wanted: Some(name), ..
            } => write!(f, "no function named `{name}`"),
            ProjectError::FunctionChoice { wanted: None, .. } => {
                f.write_str("several functions are selected; this command runs one at a time")
            }
        }
    }
}

impl Failure for ProjectError {
    fn exit(&self) -> Exit {
        match self {
            ProjectError::CargoUnavailable { .. } => Exit::Tool,
            _ => Exit::Usage,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            ProjectError::ManifestMissing { .. } => "project.manifest-missing",
            ProjectError::Metadata { .. } => "project.metadata",
            ProjectError::CargoUnavailable { .. } => "project.cargo-unavailable",
            ProjectError::NoSuchPackage { .. } => "project.no-such-package",
            ProjectError::NoSuchBin { .. } => "project.no-such-bin",
            ProjectError::NoBins { .. } => "project.no-bins",
            ProjectError::Config { problem, .. } => match problem {
                ConfigProblem::NotATable | ConfigProblem::Expected(_) => "config.type",
                ConfigProblem::UnknownRuntime(_) => "config.unknown-runtime",
                ConfigProblem::UnknownBuilder(_) => "config.unknown-builder",
                ConfigProblem::UnknownKey { .. } => "config.unknown-key",
                ConfigProblem::OneNameForSeveralBins { .. } => "config.function-names",
            },
            ProjectError::BadFunctionName { .. } => "config.function-name",
            ProjectError::OutputForSeveral { .. } => "project.output-for-several",
            ProjectError::NotBuiltYet { .. } => "project.not-built-yet",
            ProjectError::BadEnv { .. } => "project.bad-env",
            ProjectError::FunctionChoice { .. } => "project.function-choice",
        }
    }

    fn location(&self) -> Option<Location> {
        match self {
            ProjectError::Config { at, .. } | ProjectError::BadFunctionName { at, .. } => {
                at.as_deref().cloned()
            }
            _ => None,
        }
    }

    fn notes(&self) -> Vec<String> {
        match self {
            ProjectError::Metadata { stderr, .. } => vec![stderr.clone()],
            _ => Vec::new(),
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            ProjectError::ManifestMissing { path, is_dir: true } => format!(
                "pass --manifest-path the Cargo.toml itself: --manifest-path {}",
                path.join("Cargo.toml").display()
            ),
            ProjectError::ManifestMissing { .. } => {
                "pass --manifest-path the path of a Cargo.toml".into()
            }
            ProjectError::Metadata { .. } => {
                "run cargo fc inside a cargo package, or pass --manifest-path".into()
            }
            ProjectError::CargoUnavailable { .. } => {
                "make sure cargo is installed and on PATH".into()
            }
            ProjectError::NoSuchPackage { members, .. } => {
                format!("workspace members: {}", members.join(", "))
            }
            ProjectError::NoSuchBin { available, .. } if available.is_empty() => {
                "the selected packages have no binary targets".into()
            }
            ProjectError::NoSuchBin { available, .. } => {
                format!("available binaries: {}", available.join(", "))
            }
            ProjectError::NoBins { .. } => {
                "an FC custom runtime runs an executable: add a `src/main.rs` or a [[bin]] target"
                    .into()
            }
            ProjectError::Config { problem, .. } => match problem {
                ConfigProblem::UnknownRuntime(_) => {
                    format!("use one of: {}", Runtime::ids().join(", "))
                }
                ConfigProblem::UnknownBuilder(_) => {
                    format!("use one of: {}", BuilderKind::names().join(", "))
                }
                ConfigProblem::UnknownKey { suggestion } => format!(
                    "{}known keys: {}",
                    suggestion
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default(),
                    KEYS.join(", ")
                ),
                ConfigProblem::OneNameForSeveralBins { .. } => {
                    "give a table from bin name to function name: function = { a = \"fn-a\", b = \"fn-b\" }"
                        .into()
                }
                ConfigProblem::NotATable | ConfigProblem::Expected(_) => return None,
            },
            ProjectError::BadFunctionName { .. } => format!(
                "{}: set `function` in [package.metadata.fc]",
                platform::function_name_help()
            ),
            ProjectError::OutputForSeveral { .. } => "select one with --bin NAME, or leave out --output to get <target-dir>/fc/<bin>.zip each".into(),
            ProjectError::NotBuiltYet { .. } => "run `cargo fc build` first, or drop --no-build".into(),
            ProjectError::BadEnv { .. } => "write it as --env RUST_LOG=debug".into(),
            ProjectError::FunctionChoice {
                wanted: Some(_),
                available,
            } => format!("functions here: {}", available.join(", ")),
            ProjectError::FunctionChoice {
                wanted: None,
                available,
            } => format!("choose one with --function NAME: {}", available.join(", ")),
        })
    }

    fn details(&self) -> serde_json::Value {
        match self {
            ProjectError::Config { section, key, .. } => {
                serde_json::json!({ "section": section, "key": key })
            }
            ProjectError::BadFunctionName { name, .. } => serde_json::json!({ "name": name }),
            ProjectError::NoSuchBin { bin, available } => {
                serde_json::json!({ "bin": bin, "available": available })
            }
            ProjectError::NoSuchPackage { spec, members } => {
                serde_json::json!({ "package": spec, "members": members })
            }
            _ => serde_json::Value::Null,
        }
    }

    failure_any!();
}

/// The ways to compile a function; the configuration names one, the build stage runs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BuilderKind {
    /// cargo in a container of the runtime's Debian release, through the Docker engine.
    Docker,
    /// cargo-zigbuild, linking against the runtime's glibc version.
    Zig,
    /// The host's cargo, as is.
    Cargo,
}

impl BuilderKind {
    pub const ALL: [BuilderKind; 3] = [BuilderKind::Docker, BuilderKind::Zig, BuilderKind::Cargo];

    pub fn names() -> Vec<&'static str> {
        Self::ALL.iter().map(|kind| kind.name()).collect()
    }

    pub fn from_name(name: &str) -> Option<BuilderKind> {
        Self::ALL.into_iter().find(|kind| kind.name() == name)
    }

    pub fn name(self) -> &'static str {
        match self {
            BuilderKind::Docker => "docker",
            BuilderKind::Zig => "zig",
            BuilderKind::Cargo => "cargo",
        }
    }
}

/// An asset to put in the package: `src` relative to the package, optionally placed at `dest`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IncludeSpec {
    pub src: String,
    pub dest: Option<String>,
}

impl IncludeSpec {
    pub fn parse(text: &str) -> Self {
        match text.split_once(':') {
            Some((src, dest)) => Self {
                src: src.to_string(),
                dest: Some(dest.to_string()),
            },
            None => Self {
                src: text.to_string(),
                dest: None,
            },
        }
    }
}

/// The settings of one package, after merging workspace defaults and package values.
#[derive(Debug, Clone)]
pub struct FcConfig {
    pub runtime: &'static Runtime,
    pub builder: Option<BuilderKind>,
    /// The Docker image to build in instead of the runtime's builder image.
    pub image: Option<String>,
    pub include: Vec<IncludeSpec>,
    /// Where `include` was written, for messages about its entries.
    pub include_at: Option<Box<Location>>,
    /// FC function names by bin name, when set.
    pub function: FunctionNames,
    pub template: Option<PathBuf>,
    /// What a container image is made on (`pack --container`): `minimal`, `debian` or an image.
    pub base: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub enum FunctionNames {
    #[default]
    BinNames,
    One(String),
    PerBin(BTreeMap<String, String>),
}

/// One bin target that becomes one FC function.
#[derive(Debug, Clone)]
pub struct Function {
    pub package: String,
    pub package_id: String,
    pub bin: String,
    /// The FC function name.
    pub name: String,
    /// The package's version, which labels and tags its image.
    pub version: String,
    pub manifest_path: PathBuf,
    pub package_dir: PathBuf,
    pub config: FcConfig,
}

#[derive(Debug)]
pub struct Project {
    pub workspace_root: PathBuf,
    pub target_dir: PathBuf,
    pub functions: Vec<Function>,
}

impl Project {
    /// Where cargo fc keeps what it produces: `<target-dir>/fc`.
    pub fn fc_dir(&self) -> PathBuf {
        self.target_dir.join("fc")
    }

    pub fn bootstrap_path(&self, function: &Function) -> PathBuf {
        self.fc_dir().join(&function.bin).join("bootstrap")
    }

    pub fn zip_path(&self, function: &Function) -> PathBuf {
        self.fc_dir().join(format!("{}.zip", function.bin))
    }

    pub fn workspace_manifest(&self) -> PathBuf {
        self.workspace_root.join("Cargo.toml")
    }

    /// The one function a command that runs one function works on: the one named, by FC
    /// function name or bin name, or the only one selected.
    pub fn only(mut self, wanted: Option<&str>) -> Result<Project, ProjectError> {
        let available: Vec<String> = self.functions.iter().map(|f| f.name.clone()).collect();
        match wanted {
            Some(name) => {
                self.functions.retain(|f| f.name == name || f.bin == name);
                if self.functions.is_empty() {
                    return Err(ProjectError::FunctionChoice {
                        wanted: Some(name.to_string()),
                        available,
                    });
                }
                self.functions.truncate(1);
            }
            None if self.functions.len() > 1 => {
                return Err(ProjectError::FunctionChoice {
                    wanted: None,
                    available,
                });
            }
            None => {}
        }
        Ok(self)
    }
}

/// Reads the workspace with `cargo metadata` and picks the functions the selection names.
pub fn load(selection: &Selection) -> Result<Project, ProjectError> {
    let metadata = read_metadata(selection.manifest_path.as_deref())?;
    let workspace_manifest = metadata
        .workspace_root
        .join("Cargo.toml")
        .into_std_path_buf();
    let workspace_defaults = RawConfig::parse(
        &metadata.workspace_metadata,
        &workspace_manifest,
        Section::Workspace,
    )?;
    let packages = select_packages(&metadata, selection)?;
    let mut functions = Vec::new();
    for package in &packages {
        let manifest = package.manifest_path.clone().into_std_path_buf();
        let own = RawConfig::parse(&package.metadata, &manifest, Section::Package)?;
        let config = own.over(&workspace_defaults).resolve();
        let bins = select_bins(package, selection);
        for bin in bins {
            let name = function_name(&config, &bin, package, &manifest)?;
            functions.push(Function {
                package: package.name.to_string(),
                package_id: package.id.repr.clone(),
                bin,
                name,
                version: package.version.to_string(),
                package_dir: manifest
                    .parent()
                    .expect("a manifest path has a parent")
                    .to_path_buf(),
                manifest_path: manifest.clone(),
                config: config.clone(),
            });
        }
    }
    check_bins_exist(selection, &packages, &functions)?;
    if functions.is_empty() {
        return Err(ProjectError::NoBins {
            packages: packages.iter().map(|p| p.name.to_string()).collect(),
        });
    }
    let target_dir = match &selection.target_dir {
        Some(dir) => std::path::absolute(dir).unwrap_or_else(|_| dir.clone()),
        None => metadata.target_directory.into_std_path_buf(),
    };
    Ok(Project {
        workspace_root: metadata.workspace_root.into_std_path_buf(),
        target_dir,
        functions,
    })
}

fn read_metadata(manifest_path: Option<&Path>) -> Result<Metadata, ProjectError> {
    let mut command = MetadataCommand::new();
    // Dependencies do not matter here, and resolving them costs a registry look-up.
    command.no_deps();
    if let Some(path) = manifest_path {
        if !path.is_file() {
            return Err(ProjectError::ManifestMissing {
                path: path.to_path_buf(),
                is_dir: path.is_dir(),
            });
        }
        command.manifest_path(path);
    }
    command.exec().map_err(|error| match error {
        cargo_metadata::Error::CargoMetadata { stderr } => {
            let first_line = stderr
                .trim()
                .trim_start_matches("error: ")
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            ProjectError::Metadata {
                first_line,
                stderr: stderr.trim().to_string(),
            }
        }
        other => ProjectError::CargoUnavailable {
            why: other.to_string(),
        },
    })
}

fn select_packages<'m>(
    metadata: &'m Metadata,
    selection: &Selection,
) -> Result<Vec<&'m Package>, ProjectError> {
    let members = metadata.workspace_packages();
    if selection.packages.is_empty() {
        if let Some(root) = metadata.root_package() {
            return Ok(vec![root]);
        }
        return Ok(metadata.workspace_default_packages());
    }
    selection
        .packages
        .iter()
        .map(|spec| {
            members
                .iter()
                .copied()
                .find(|p| p.name.as_str() == spec)
                .ok_or_else(|| ProjectError::NoSuchPackage {
                    spec: spec.clone(),
                    members: members.iter().map(|p| p.name.to_string()).collect(),
                })
        })
        .collect()
}

fn bin_targets(package: &Package) -> impl Iterator<Item = &str> {
    package
        .targets
        .iter()
        .filter(|t| t.kind.contains(&TargetKind::Bin))
        .map(|t| t.name.as_str())
}

fn select_bins(package: &Package, selection: &Selection) -> Vec<String> {
    let bins: Vec<&str> = bin_targets(package).collect();
    if !selection.bins.is_empty() {
        return bins
            .into_iter()
            .filter(|b| selection.bins.iter().any(|s| s == b))
            .map(String::from)
            .collect();
    }
    // `default-run` names the one bin a package means to run; the others are tools.
    match &package.default_run {
        Some(default) if bins.contains(&default.as_str()) => vec![default.clone()],
        _ => bins.into_iter().map(String::from).collect(),
    }
}

fn check_bins_exist(
    selection: &Selection,
    packages: &[&Package],
    found: &[Function],
) -> Result<(), ProjectError> {
    for wanted in &selection.bins {
        if !found.iter().any(|f| &f.bin == wanted) {
            return Err(ProjectError::NoSuchBin {
                bin: wanted.clone(),
                available: packages
                    .iter()
                    .flat_map(|p| bin_targets(p))
                    .map(String::from)
                    .collect(),
            });
        }
    }
    Ok(())
}

fn function_name(
    config: &FcConfig,
    bin: &str,
    package: &Package,
    manifest: &Path,
) -> Result<String, ProjectError> {
    let bins: Vec<&str> = bin_targets(package).collect();
    let at = || locate_key(manifest, Section::Package.path(), "function").map(Box::new);
    let name = match &config.function {
        FunctionNames::BinNames => bin.to_string(),
        FunctionNames::One(name) if bins.len() == 1 => name.clone(),
        FunctionNames::One(_) => {
            return Err(ProjectError::Config {
                section: Section::Package.name(),
                key: "function".into(),
                problem: ConfigProblem::OneNameForSeveralBins {
                    bins: bins.iter().map(|b| b.to_string()).collect(),
                },
                at: at(),
            });
        }
        FunctionNames::PerBin(names) => names.get(bin).cloned().unwrap_or_else(|| bin.to_string()),
    };
    if let Some(problem) = platform::name_problem(&name, platform::FUNCTION_NAME_MAX) {
        return Err(ProjectError::BadFunctionName {
            name,
            problem,
            at: at(),
        });
    }
    Ok(name)
}

/// The two tables cargo fc reads its settings from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Section {
    #[default]
    Package,
    Workspace,
}

impl Section {
    fn name(self) -> &'static str {
        match self {
            Section::Package => "package.metadata.fc",
            Section::Workspace => "workspace.metadata.fc",
        }
    }

    fn path(self) -> &'static [&'static str] {
        match self {
            Section::Package => &["package", "metadata", "fc"],
            Section::Workspace => &["workspace", "metadata", "fc"],
        }
    }
}

/// `[*.metadata.fc]` as written, before defaults apply.
#[derive(Debug, Default, Clone)]
struct RawConfig {
    runtime: Option<&'static Runtime>,
    builder: Option<BuilderKind>,
    image: Option<String>,
    include: Option<(Vec<IncludeSpec>, Option<Box<Location>>)>,
    function: Option<FunctionNames>,
    template: Option<PathBuf>,
    base: Option<String>,
}

const KEYS: &[&str] = &[
    "runtime", "builder", "image", "include", "function", "template", "base",
];

impl RawConfig {
    fn parse(metadata: &Value, manifest: &Path, section: Section) -> Result<Self, ProjectError> {
        let mut config = RawConfig::default();
        let Some(fc) = metadata.get("fc") else {
            return Ok(config);
        };
        let at = |key: &str| locate_key(manifest, section.path(), key).map(Box::new);
        let refuse = |key: &str, problem: ConfigProblem| ProjectError::Config {
            section: section.name(),
            key: key.to_string(),
            problem,
            at: at(key),
        };
        let bad =
            |key: &str, expected: &'static str| refuse(key, ConfigProblem::Expected(expected));
        let Some(table) = fc.as_object() else {
            return Err(ProjectError::Config {
                section: section.name(),
                key: "fc".into(),
                problem: ConfigProblem::NotATable,
                at: locate_key(manifest, &section.path()[..2], "fc").map(Box::new),
            });
        };
        for (key, value) in table {
            match key.as_str() {
                "runtime" => {
                    let id = value.as_str().ok_or_else(|| bad(key, "a string"))?;
                    config.runtime = Some(Runtime::find(id).ok_or_else(|| {
                        refuse(key, ConfigProblem::UnknownRuntime(id.to_string()))
                    })?);
                }
                "builder" => {
                    let name = value.as_str().ok_or_else(|| bad(key, "a string"))?;
                    config.builder = Some(BuilderKind::from_name(name).ok_or_else(|| {
                        refuse(key, ConfigProblem::UnknownBuilder(name.to_string()))
                    })?);
                }
                "image" => {
                    let name = value
                        .as_str()
                        .filter(|name| !name.trim().is_empty())
                        .ok_or_else(|| bad(key, "an image name such as \"rust:1-bullseye\""))?;
                    config.image = Some(name.to_string());
                }
                "include" => {
                    let items = value.as_array().ok_or_else(|| {
                        bad(
                            key,
                            "an array of strings like \"static/**\" or \"conf/prod.toml:config.toml\"",
                        )
                    })?;
                    let mut specs = Vec::new();
                    for item in items {
                        let text = item
                            .as_str()
                            .ok_or_else(|| bad(key, "an array of strings"))?;
                        specs.push(IncludeSpec::parse(text));
                    }
                    config.include = Some((specs, at(key)));
                }
                "function" => {
                    config.function = Some(match value {
                        Value::String(name) => FunctionNames::One(name.clone()),
                        Value::Object(map) => {
                            let mut names = BTreeMap::new();
                            for (bin, name) in map {
                                let name = name
                                    .as_str()
                                    .ok_or_else(|| bad(key, "a string or a table of strings"))?;
                                names.insert(bin.clone(), name.to_string());
                            }
                            FunctionNames::PerBin(names)
                        }
                        _ => {
                            return Err(bad(
                                key,
                                "a string or a table from bin name to function name",
                            ));
                        }
                    });
                }
                "base" => {
                    let name = value
                        .as_str()
                        .filter(|name| !name.trim().is_empty())
                        .ok_or_else(|| bad(key, "\"minimal\", \"debian\" or an image name"))?;
                    config.base = Some(name.to_string());
                }
                "template" => {
                    let path = value.as_str().ok_or_else(|| bad(key, "a path string"))?;
                    let base = manifest.parent().expect("a manifest path has a parent");
                    config.template = Some(base.join(path));
                }
                unknown => {
                    return Err(refuse(
                        unknown,
                        ConfigProblem::UnknownKey {
                            suggestion: crate::ui::closest(unknown, KEYS),
                        },
                    ));
                }
            }
        }
        Ok(config)
    }

    /// This configuration with `defaults` filling the keys it does not set.
    fn over(self, defaults: &RawConfig) -> RawConfig {
        RawConfig {
            runtime: self.runtime.or(defaults.runtime),
            builder: self.builder.or(defaults.builder),
            image: self.image.or_else(|| defaults.image.clone()),
            include: self.include.or_else(|| defaults.include.clone()),
            function: self.function,
            template: self.template.or_else(|| defaults.template.clone()),
            base: self.base.or_else(|| defaults.base.clone()),
        }
    }

    fn resolve(self) -> FcConfig {
        let (include, include_at) = self.include.unwrap_or_default();
        FcConfig {
            runtime: self.runtime.unwrap_or_else(Runtime::default_runtime),
            builder: self.builder,
            image: self.image,
            include,
            include_at,
            function: self.function.unwrap_or_default(),
            template: self.template,
            base: self.base,
        }
    }
}

/// Where `key` of the table at `table` (e.g. `["package", "metadata", "fc"]`) is written in a
/// manifest, from the TOML parser's spans: dotted keys, inline tables and `[a.b]` headers alike.
pub fn locate_key(manifest: &Path, table: &[&str], key: &str) -> Option<Location> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let root = toml::de::DeTable::parse(&text).ok()?;
    let mut current = root.get_ref();
    for name in table {
        match current.get(*name)?.get_ref() {
            toml::de::DeValue::Table(inner) => current = inner,
            _ => return None,
        }
    }
    let (found, _) = current.get_key_value(key)?;
    let span = found.span();
    let line_start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    Some(Location {
        file: manifest.to_path_buf(),
        line: Some(text[..span.start].matches('\n').count() + 1),
        column: Some(text[line_start..span.start].chars().count() + 1),
        width: Some(text[span.start..span.end].chars().count().max(1)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Failure;
    use serde_json::json;

    fn manifest_with(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Cargo.toml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn unknown_keys_name_the_key_the_file_and_the_line() {
        let (_dir, path) = manifest_with(
            "[package]\nname = \"x\"\n\n[package.metadata.fc]\nruntime = \"custom\"\nruntme = \"custom\"\n",
        );
        let metadata = json!({"fc": {"runtime": "custom", "runtme": "custom"}});
        let error = RawConfig::parse(&metadata, &path, Section::Package).unwrap_err();
        assert_eq!(error.exit(), Exit::Usage);
        assert_eq!(error.kind(), "config.unknown-key");
        let at = error.location().unwrap();
        assert_eq!((at.line, at.column, at.width), (Some(6), Some(1), Some(6)));
        assert!(
            error.to_string().contains("unknown key `runtme`"),
            "{error}"
        );
        assert!(error.help().unwrap().contains("did you mean `runtime`?"));
    }

    #[test]
    fn bad_runtime_ids_list_the_valid_ones() {
        let (_dir, path) = manifest_with("[package.metadata.fc]\nruntime = \"custom.debian8\"\n");
        let metadata = json!({"fc": {"runtime": "custom.debian8"}});
        let error = RawConfig::parse(&metadata, &path, Section::Package).unwrap_err();
        assert_eq!(error.location().unwrap().line, Some(2));
        assert!(error.help().unwrap().contains("custom.debian11"));
    }

    #[test]
    fn package_values_override_workspace_defaults() {
        let path = Path::new("Cargo.toml");
        let workspace = RawConfig::parse(
            &json!({"fc": {"runtime": "custom.debian10", "include": ["static"]}}),
            path,
            Section::Workspace,
        )
        .unwrap();
        let package = RawConfig::parse(
            &json!({"fc": {"runtime": "custom.debian12"}}),
            path,
            Section::Package,
        )
        .unwrap();
        let config = package.over(&workspace).resolve();
        assert_eq!(config.runtime.id, "custom.debian12");
        assert_eq!(config.include, vec![IncludeSpec::parse("static")]);
    }

    #[test]
    fn image_is_a_non_empty_string_and_workspaces_can_default_it() {
        let path = Path::new("Cargo.toml");
        let bad =
            RawConfig::parse(&json!({"fc": {"image": 5}}), path, Section::Package).unwrap_err();
        assert!(bad.to_string().contains("`image`"), "{bad}");
        assert!(RawConfig::parse(&json!({"fc": {"image": " "}}), path, Section::Package).is_err());
        let workspace = RawConfig::parse(
            &json!({"fc": {"image": "team/rust:bullseye"}}),
            path,
            Section::Workspace,
        )
        .unwrap();
        let package = RawConfig::parse(&json!({"fc": {}}), path, Section::Package).unwrap();
        let config = package.over(&workspace).resolve();
        assert_eq!(config.image.as_deref(), Some("team/rust:bullseye"));
    }

    #[test]
    fn include_specs_split_on_the_first_colon() {
        assert_eq!(
            IncludeSpec::parse("conf/prod.toml:config.toml"),
            IncludeSpec {
                src: "conf/prod.toml".into(),
                dest: Some("config.toml".into())
            }
        );
        assert_eq!(IncludeSpec::parse("static").dest, None);
    }

    #[test]
    fn keys_are_found_in_tables_dotted_keys_and_inline_tables() {
        let (_dir, path) = manifest_with(
            "[package]\nname = \"x\"\nmetadata.fc.builder = \"zig\"\n\n[workspace.metadata]\nfc = { runtime = \"custom\" }\n",
        );
        let dotted = locate_key(&path, Section::Package.path(), "builder").unwrap();
        assert_eq!((dotted.line, dotted.column), (Some(3), Some(13)));
        let inline = locate_key(&path, Section::Workspace.path(), "runtime").unwrap();
        assert_eq!((inline.line, inline.column), (Some(6), Some(8)));
        assert_eq!(locate_key(&path, Section::Package.path(), "image"), None);
    }

    #[test]
    fn typos_find_their_key() {
        assert_eq!(crate::ui::closest("buildr", KEYS), Some("builder"));
        assert_eq!(crate::ui::closest("includes", KEYS), Some("include"));
        assert_eq!(crate::ui::closest("zzzzzz", KEYS), None);
    }
}
