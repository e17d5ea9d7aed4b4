//! The cargo project: which functions to build, and their `[package.metadata.fc]` settings.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cargo_metadata::{Metadata, MetadataCommand, Package, TargetKind};
use serde_json::Value;

use crate::build::BuilderKind;
use crate::error::{Error, ErrorKind, Result};
use crate::platform::{self, Runtime};

/// Which part of the workspace the command works on, as the global flags say.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub manifest_path: Option<PathBuf>,
    pub packages: Vec<String>,
    pub bins: Vec<String>,
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
    /// FC function names by bin name, when set.
    pub function: FunctionNames,
    pub template: Option<PathBuf>,
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
}

/// Reads the workspace with `cargo metadata` and picks the functions the selection names.
pub fn load(selection: &Selection) -> Result<Project> {
    let metadata = read_metadata(selection.manifest_path.as_deref())?;
    let workspace_manifest = metadata
        .workspace_root
        .join("Cargo.toml")
        .into_std_path_buf();
    let workspace_defaults = RawConfig::parse(
        &metadata.workspace_metadata,
        &workspace_manifest,
        "workspace.metadata.fc",
    )?;
    let packages = select_packages(&metadata, selection)?;
    let mut functions = Vec::new();
    for package in &packages {
        let manifest = package.manifest_path.clone().into_std_path_buf();
        let own = RawConfig::parse(&package.metadata, &manifest, "package.metadata.fc")?;
        let config = own.over(&workspace_defaults).resolve()?;
        let bins = select_bins(package, selection);
        for bin in bins {
            let name = function_name(&config, &bin, package, &manifest)?;
            functions.push(Function {
                package: package.name.to_string(),
                package_id: package.id.repr.clone(),
                bin,
                name,
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
        let names: Vec<_> = packages.iter().map(|p| p.name.to_string()).collect();
        return Err(Error::config(format!(
            "no binary targets to build as functions in {}",
            names.join(", ")
        ))
        .help("an FC custom runtime runs an executable: add a `src/main.rs` or a [[bin]] target"));
    }
    Ok(Project {
        workspace_root: metadata.workspace_root.into_std_path_buf(),
        target_dir: metadata.target_directory.into_std_path_buf(),
        functions,
    })
}

fn read_metadata(manifest_path: Option<&Path>) -> Result<Metadata> {
    let mut command = MetadataCommand::new();
    // Dependencies do not matter here, and resolving them costs a registry look-up.
    command.no_deps();
    if let Some(path) = manifest_path {
        if !path.is_file() {
            return Err(Error::config(format!(
                "manifest path `{}` does not exist",
                path.display()
            ))
            .help("pass --manifest-path the path of a Cargo.toml"));
        }
        command.manifest_path(path);
    }
    command.exec().map_err(|error| match error {
        cargo_metadata::Error::CargoMetadata { stderr } => {
            let message = stderr
                .trim()
                .trim_start_matches("error: ")
                .lines()
                .next()
                .unwrap_or("")
                .to_string();
            Error::config(format!("cargo could not read the project: {message}"))
                .note(stderr.trim().to_string())
                .help("run cargo fc inside a cargo package, or pass --manifest-path")
        }
        other => Error::new(
            ErrorKind::Tool,
            format!("could not run `cargo metadata`: {other}"),
        )
        .help("make sure cargo is installed and on PATH"),
    })
}

fn select_packages<'m>(metadata: &'m Metadata, selection: &Selection) -> Result<Vec<&'m Package>> {
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
                .ok_or_else(|| {
                    let names: Vec<_> = members.iter().map(|p| p.name.to_string()).collect();
                    Error::config(format!("package `{spec}` is not in the workspace"))
                        .help(format!("workspace members: {}", names.join(", ")))
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
) -> Result<()> {
    for wanted in &selection.bins {
        if !found.iter().any(|f| &f.bin == wanted) {
            let available: Vec<&str> = packages.iter().flat_map(|p| bin_targets(p)).collect();
            let help = if available.is_empty() {
                "the selected packages have no binary targets".to_string()
            } else {
                format!("available binaries: {}", available.join(", "))
            };
            return Err(Error::config(format!("no bin target named `{wanted}`")).help(help));
        }
    }
    Ok(())
}

fn function_name(
    config: &FcConfig,
    bin: &str,
    package: &Package,
    manifest: &Path,
) -> Result<String> {
    let bins: Vec<&str> = bin_targets(package).collect();
    let name = match &config.function {
        FunctionNames::BinNames => bin.to_string(),
        FunctionNames::One(name) if bins.len() == 1 => name.clone(),
        FunctionNames::One(_) => {
            return Err(Error::config(format!(
                "`function` in [package.metadata.fc] is one name, but package `{}` has several binaries ({})",
                package.name,
                bins.join(", ")
            ))
            .at(manifest, locate_key(manifest, "package.metadata.fc", "function"))
            .help("give a table from bin name to function name: function = { a = \"fn-a\", b = \"fn-b\" }"));
        }
        FunctionNames::PerBin(names) => names.get(bin).cloned().unwrap_or_else(|| bin.to_string()),
    };
    if let Some(problem) = platform::name_problem(&name, platform::FUNCTION_NAME_MAX) {
        return Err(Error::config(format!("function name `{name}` {problem}"))
            .at(
                manifest,
                locate_key(manifest, "package.metadata.fc", "function"),
            )
            .help(format!(
                "{}: set `function` in [package.metadata.fc]",
                platform::function_name_help()
            )));
    }
    Ok(name)
}

/// `[*.metadata.fc]` as written, before defaults apply.
#[derive(Debug, Default, Clone)]
struct RawConfig {
    manifest: PathBuf,
    section: &'static str,
    runtime: Option<(String, Option<usize>)>,
    builder: Option<BuilderKind>,
    image: Option<String>,
    include: Option<Vec<IncludeSpec>>,
    function: Option<FunctionNames>,
    template: Option<PathBuf>,
}

const KEYS: &[&str] = &[
    "runtime", "builder", "image", "include", "function", "template",
];

impl RawConfig {
    fn parse(metadata: &Value, manifest: &Path, section: &'static str) -> Result<Self> {
        let mut config = RawConfig {
            manifest: manifest.to_path_buf(),
            section,
            ..RawConfig::default()
        };
        let Some(fc) = metadata.get("fc") else {
            return Ok(config);
        };
        let at = |key: &str| locate_key(manifest, section, key);
        let bad = |key: &str, expected: &str| {
            Error::config(format!("`{key}` in [{section}] must be {expected}"))
                .at(manifest, at(key))
        };
        let Some(table) = fc.as_object() else {
            return Err(
                Error::config(format!("[{section}] must be a table")).at(manifest, at("fc"))
            );
        };
        for (key, value) in table {
            match key.as_str() {
                "runtime" => {
                    let id = value.as_str().ok_or_else(|| bad(key, "a string"))?;
                    if Runtime::find(id).is_none() {
                        return Err(Error::config(format!(
                            "`runtime = \"{id}\"` in [{section}] is not an FC custom runtime"
                        ))
                        .at(manifest, at(key))
                        .help(format!("use one of: {}", Runtime::ids().join(", "))));
                    }
                    config.runtime = Some((id.to_string(), at(key)));
                }
                "builder" => {
                    let name = value.as_str().ok_or_else(|| bad(key, "a string"))?;
                    let kind =
                        <BuilderKind as clap::ValueEnum>::from_str(name, false).map_err(|_| {
                            Error::config(format!(
                                "`builder = \"{name}\"` in [{section}] is not a builder"
                            ))
                            .at(manifest, at(key))
                            .help(format!("use one of: {}", BuilderKind::names().join(", ")))
                        })?;
                    config.builder = Some(kind);
                }
                "image" => {
                    let name = value
                        .as_str()
                        .filter(|name| !name.trim().is_empty())
                        .ok_or_else(|| bad(key, "an image name such as \"rust:1-bullseye\""))?;
                    config.image = Some(name.to_string());
                }
                "include" => {
                    let items = value
                        .as_array()
                        .ok_or_else(|| bad(key, "an array of strings like \"static/**\" or \"conf/prod.toml:config.toml\""))?;
                    let mut specs = Vec::new();
                    for item in items {
                        let text = item
                            .as_str()
                            .ok_or_else(|| bad(key, "an array of strings"))?;
                        specs.push(IncludeSpec::parse(text));
                    }
                    config.include = Some(specs);
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
                "template" => {
                    let path = value.as_str().ok_or_else(|| bad(key, "a path string"))?;
                    let base = manifest.parent().expect("a manifest path has a parent");
                    config.template = Some(base.join(path));
                }
                unknown => {
                    let suggestion = crate::ui::closest(unknown, KEYS)
                        .map(|k| format!("did you mean `{k}`? "))
                        .unwrap_or_default();
                    return Err(
                        Error::config(format!("unknown key `{unknown}` in [{section}]"))
                            .at(manifest, at(unknown))
                            .help(format!("{suggestion}known keys: {}", KEYS.join(", "))),
                    );
                }
            }
        }
        Ok(config)
    }

    /// This configuration with `defaults` filling the keys it does not set.
    fn over(self, defaults: &RawConfig) -> RawConfig {
        RawConfig {
            manifest: self.manifest,
            section: self.section,
            runtime: self.runtime.or_else(|| defaults.runtime.clone()),
            builder: self.builder.or(defaults.builder),
            image: self.image.or_else(|| defaults.image.clone()),
            include: self.include.or_else(|| defaults.include.clone()),
            function: self.function,
            template: self.template.or_else(|| defaults.template.clone()),
        }
    }

    fn resolve(self) -> Result<FcConfig> {
        let runtime = match &self.runtime {
            Some((id, _)) => Runtime::find(id).expect("runtime ids are checked when parsed"),
            None => Runtime::default_runtime(),
        };
        Ok(FcConfig {
            runtime,
            builder: self.builder,
            image: self.image,
            include: self.include.unwrap_or_default(),
            function: self.function.unwrap_or_default(),
            template: self.template,
        })
    }
}

/// The 1-based line of `key` inside `[section]` of a manifest, for error locations.
pub fn locate_key(manifest: &Path, section: &str, key: &str) -> Option<usize> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let header = format!("[{section}]");
    let mut in_section = false;
    let mut fallback = None;
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with('[') {
            in_section = trimmed == header;
            continue;
        }
        let starts_with_key = trimmed
            .strip_prefix(key)
            .is_some_and(|rest| rest.trim_start().starts_with('=') || rest.starts_with('.'));
        if starts_with_key {
            if in_section {
                return Some(index + 1);
            }
            fallback.get_or_insert(index + 1);
        }
    }
    fallback.or_else(|| text.lines().position(|l| l.trim() == header).map(|i| i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
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
        let error = RawConfig::parse(&metadata, &path, "package.metadata.fc").unwrap_err();
        assert_eq!(error.kind, ErrorKind::Config);
        assert_eq!(error.location.as_ref().unwrap().line, Some(6));
        assert!(error.message.contains("unknown key `runtme`"), "{error}");
        assert!(
            error
                .help
                .as_ref()
                .unwrap()
                .contains("did you mean `runtime`?")
        );
    }

    #[test]
    fn bad_runtime_ids_list_the_valid_ones() {
        let (_dir, path) = manifest_with("[package.metadata.fc]\nruntime = \"custom.debian8\"\n");
        let metadata = json!({"fc": {"runtime": "custom.debian8"}});
        let error = RawConfig::parse(&metadata, &path, "package.metadata.fc").unwrap_err();
        assert_eq!(error.location.as_ref().unwrap().line, Some(2));
        assert!(error.help.as_ref().unwrap().contains("custom.debian11"));
    }

    #[test]
    fn package_values_override_workspace_defaults() {
        let path = Path::new("Cargo.toml");
        let workspace = RawConfig::parse(
            &json!({"fc": {"runtime": "custom.debian10", "include": ["static"]}}),
            path,
            "workspace.metadata.fc",
        )
        .unwrap();
        let package = RawConfig::parse(
            &json!({"fc": {"runtime": "custom.debian12"}}),
            path,
            "package.metadata.fc",
        )
        .unwrap();
        let config = package.over(&workspace).resolve().unwrap();
        assert_eq!(config.runtime.id, "custom.debian12");
        assert_eq!(config.include, vec![IncludeSpec::parse("static")]);
    }

    #[test]
    fn image_is_a_non_empty_string_and_workspaces_can_default_it() {
        let path = Path::new("Cargo.toml");
        let bad = RawConfig::parse(&json!({"fc": {"image": 5}}), path, "package.metadata.fc")
            .unwrap_err();
        assert!(bad.message.contains("`image`"), "{bad}");
        assert!(
            RawConfig::parse(&json!({"fc": {"image": " "}}), path, "package.metadata.fc").is_err()
        );
        let workspace = RawConfig::parse(
            &json!({"fc": {"image": "team/rust:bullseye"}}),
            path,
            "workspace.metadata.fc",
        )
        .unwrap();
        let package = RawConfig::parse(&json!({"fc": {}}), path, "package.metadata.fc").unwrap();
        let config = package.over(&workspace).resolve().unwrap();
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
    fn typos_find_their_key() {
        assert_eq!(crate::ui::closest("buildr", KEYS), Some("builder"));
        assert_eq!(crate::ui::closest("includes", KEYS), Some("include"));
        assert_eq!(crate::ui::closest("zzzzzz", KEYS), None);
    }
}
