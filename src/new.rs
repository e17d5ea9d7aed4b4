//! `cargo fc new NAME`: a function crate from the embedded `runtime-template/`, with deployment
//! templates that already point at what `cargo fc pack` produces.

use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, include_dir};

use crate::error::{Exit, Failure, Result, failure_any, io};
use crate::events::EventKind;
use crate::platform;
use crate::runtime_source::{self, RuntimeSource};
use crate::ui::Ui;

static TEMPLATE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/runtime-template");

/// Files of the template that are for developing the template itself, not for a new function.
const TEMPLATE_ONLY: &[&str] = &["render.sh", "check.sh", "variants"];

/// Why a new function cannot be made.
#[derive(Debug)]
pub enum NewError {
    BadName {
        name: String,
        problem: platform::NameProblem,
    },
    Exists {
        path: PathBuf,
    },
    /// The workspace around the new package has a manifest cargo fc cannot read.
    WorkspaceManifest {
        manifest: PathBuf,
        why: String,
    },
}

impl std::fmt::Display for NewError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NewError::BadName { name, problem } => {
                write!(f, "`{name}` cannot name a function: it {problem}")
            }
            NewError::Exists { path } => write!(f, "{} already exists", path.display()),
            NewError::WorkspaceManifest { manifest, why } => {
                write!(f, "{} is not valid TOML: {why}", manifest.display())
            }
        }
    }
}

impl Failure for NewError {
    fn exit(&self) -> Exit {
        Exit::Usage
    }

    fn kind(&self) -> &'static str {
        match self {
            NewError::BadName { .. } => "new.bad-name",
            NewError::Exists { .. } => "new.exists",
            NewError::WorkspaceManifest { .. } => "new.workspace-manifest",
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            NewError::BadName { .. } => format!(
                "use {}, at most {} characters",
                platform::NAME_RULE,
                platform::FUNCTION_NAME_MAX
            ),
            NewError::Exists { .. } => {
                "choose another name or --path; cargo fc new never overwrites anything".into()
            }
            NewError::WorkspaceManifest { .. } => {
                "fix the workspace's Cargo.toml (cargo would refuse it too), then run cargo fc new again".into()
            }
        })
    }

    failure_any!();
}

/// What kind of function to scaffold.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shape {
    /// An HTTP-trigger function instead of an event function.
    pub http: bool,
    /// With an initializer that runs once per instance.
    pub initializer: bool,
    /// A custom-container function: the templates name an image (`pack --container`), not a zip.
    pub container: bool,
    /// An event function for this trigger (neither `http` nor `initializer` then).
    pub event: Option<EventKind>,
}

/// The image a new custom-container function's templates name, for its owner to point at their
/// Container Registry namespace.
fn container_image(name: &str) -> String {
    format!(
        "registry.cn-hangzhou.aliyuncs.com/your-namespace/{}:0.1.0",
        name.to_ascii_lowercase().replace('_', "-")
    )
}

impl Shape {
    fn variant(self) -> Option<String> {
        if let Some(kind) = self.event {
            return Some(kind.variant());
        }
        match (self.http, self.initializer) {
            (false, false) => None,
            (false, true) => Some("variants/initializer.rs".to_owned()),
            (true, false) => Some("variants/http.rs".to_owned()),
            (true, true) => Some("variants/http_initializer.rs".to_owned()),
        }
    }
}

/// Writes the new function's crate to `dir` (which must not exist), all or nothing.
pub fn create(name: &str, dir: &Path, shape: Shape, ui: &Ui) -> Result<()> {
    if let Some(problem) = platform::name_problem(name, platform::FUNCTION_NAME_MAX) {
        return Err(NewError::BadName {
            name: name.to_string(),
            problem,
        }
        .into());
    }
    if dir.exists() || dir.is_symlink() {
        return Err(NewError::Exists {
            path: dir.to_path_buf(),
        }
        .into());
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io("create", &parent))?;
    // Rendered beside the destination and renamed into place, so a failure leaves nothing behind.
    let staging = tempfile::Builder::new()
        .prefix(".cargo-fc-new-")
        .tempdir_in(&parent)
        .map_err(io("create a temporary folder in", &parent))?;
    // The runtime crate is installed first: without it the project would not build.
    let runtime = RuntimeSource::embedded();
    let installed = runtime_source::install(&runtime, &runtime_source::data_dir()?)?;
    let cargo_config = runtime_source::cargo_config(&runtime, &installed);
    for (relative, contents) in render(name, shape, &cargo_config) {
        let path = staging.path().join(&relative);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(io("create", folder))?;
        }
        std::fs::write(&path, contents).map_err(io("write", &path))?;
    }
    // Worked out before anything is moved into place, so that a workspace manifest it cannot
    // read leaves nothing behind.
    let membership = workspace_membership(dir)?;
    let staged = staging.keep();
    if let Err(error) = std::fs::rename(&staged, dir) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(crate::error::IoError::new("create", dir, error).into());
    }
    if let Some(membership) = membership {
        if let Err(error) = membership.write(&cargo_config) {
            let _ = std::fs::remove_dir_all(dir);
            return Err(error);
        }
        ui.status(
            "Adding",
            format!(
                "`{name}` as member of workspace at `{}`",
                membership.root.display()
            ),
        );
    }
    let kind = match shape.event {
        Some(trigger) => format!("{trigger}-triggered"),
        None if shape.http => "HTTP".to_owned(),
        None => "event".to_owned(),
    };
    ui.status(
        "Created",
        format!("{kind} function `{name}` in {}", dir.display()),
    );
    Ok(())
}

/// Every file of the new crate: relative path → contents. `cargo_config` is its
/// `.cargo/config.toml`, which tells cargo where fc-runtime is.
pub fn render(name: &str, shape: Shape, cargo_config: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let requirement = RuntimeSource::embedded().requirement();
    let mut files = Vec::new();
    collect(&TEMPLATE, &mut files);
    let mut rendered: Vec<(PathBuf, Vec<u8>)> = files
        .into_iter()
        .filter(|(path, _)| !TEMPLATE_ONLY.iter().any(|skip| path.starts_with(skip)))
        .map(|(path, contents)| match path.to_str() {
            Some(p) if p.ends_with(".tmpl") => (
                PathBuf::from(p.trim_end_matches(".tmpl")),
                substitute(contents, name, &requirement),
            ),
            _ => (path, contents.to_vec()),
        })
        .collect();
    if let Some(variant) = shape.variant() {
        let main = TEMPLATE
            .get_file(&variant)
            .expect("every variant is in the template")
            .contents()
            .to_vec();
        for (path, contents) in &mut rendered {
            if path == Path::new("src/main.rs") {
                *contents = main.clone();
            }
        }
    }
    rendered.push((
        ".cargo/config.toml".into(),
        cargo_config.as_bytes().to_vec(),
    ));
    if let Some(kind) = shape.event {
        rendered.push((kind.sample_path().into(), kind.example().payload.to_vec()));
    }
    rendered.push((
        "template.yml".into(),
        fun_template(name, shape).into_bytes(),
    ));
    rendered.push((
        "s.yaml".into(),
        serverless_devs_template(name, shape).into_bytes(),
    ));
    rendered
}

fn collect<'a>(dir: &'a Dir<'a>, files: &mut Vec<(PathBuf, &'a [u8])>) {
    for entry in dir.entries() {
        match entry {
            DirEntry::Dir(sub) => collect(sub, files),
            DirEntry::File(file) => files.push((file.path().to_path_buf(), file.contents())),
        }
    }
}

fn substitute(contents: &[u8], name: &str, runtime_requirement: &str) -> Vec<u8> {
    String::from_utf8_lossy(contents)
        .replace("{{name}}", name)
        .replace("{{fc_runtime}}", runtime_requirement)
        .into_bytes()
}

/// The package `cargo fc pack` writes for the function, relative to the new crate.
fn code_path(name: &str) -> String {
    format!("./target/fc/{name}.zip")
}

/// docs/platform.md#template-formats. Handler and Initializer mean nothing to a custom runtime but FC
/// requires them.
fn fun_template(name: &str, shape: Shape) -> String {
    let mut text = format!(
        "ROSTemplateFormatVersion: '2015-09-01'\n\
         Transform: 'Aliyun::Serverless-2018-04-03'\n\
         Resources:\n  \
           {name}-service:\n    \
             Type: 'Aliyun::Serverless::Service'\n    \
             Properties:\n      \
               Description: '{name}, built with cargo fc'\n    \
             {name}:\n      \
               Type: 'Aliyun::Serverless::Function'\n      \
               Properties:\n        \
                 Handler: index.handler\n        \
                 Runtime: custom\n        \
                 CodeUri: {code}\n        \
                 MemorySize: 128\n        \
                 Timeout: 30\n        \
                 CAPort: 9000\n        \
                 InstanceConcurrency: 10\n",
        code = code_path(name)
    );
    if shape.container {
        text = text
            .replace("Runtime: custom\n", "Runtime: custom-container\n")
            .replace(
                &format!("CodeUri: {}\n", code_path(name)),
                &format!(
                    "CustomContainerConfig:\n          Image: '{}'\n",
                    container_image(name)
                ),
            );
    }
    if shape.initializer {
        text.push_str(
            "        Initializer: index.initializer\n        InitializationTimeout: 10\n",
        );
    }
    if let Some(kind) = shape.event {
        text.push_str(kind.fun_events());
    }
    if shape.http {
        text.push_str(
            "      Events:\n        \
               http:\n          \
                 Type: HTTP\n          \
                 Properties:\n            \
                   AuthType: ANONYMOUS\n            \
                   Methods: ['GET', 'POST', 'PUT', 'DELETE', 'HEAD']\n",
        );
    }
    text
}

/// docs/platform.md#template-formats.
fn serverless_devs_template(name: &str, shape: Shape) -> String {
    let mut text = format!(
        "edition: 3.0.0\n\
         name: {name}\n\
         access: default\n\
         resources:\n  \
           {name}:\n    \
             component: fc3\n    \
             props:\n      \
               region: cn-hangzhou\n      \
               functionName: {name}\n      \
               runtime: custom\n      \
               code: {code}\n      \
               handler: index.handler\n      \
               memorySize: 128\n      \
               timeout: 30\n      \
               instanceConcurrency: 10\n      \
               customRuntimeConfig:\n        \
                 command: ['/code/bootstrap']\n        \
                 port: 9000\n",
        code = code_path(name)
    );
    if shape.container {
        text = text
            .replace("runtime: custom\n", "runtime: custom-container\n")
            .replace(&format!("      code: {}\n", code_path(name)), "")
            .replace(
                "customRuntimeConfig:\n        command: ['/code/bootstrap']\n",
                &format!(
                    "customContainerConfig:\n        image: '{}'\n",
                    container_image(name)
                ),
            );
    }
    if shape.initializer {
        text.push_str(
            "      instanceLifecycleConfig:\n        \
               initializer:\n          \
                 handler: index.initializer\n          \
                 timeout: 10\n",
        );
    }
    if let Some(kind) = shape.event {
        text.push_str(kind.fc3_triggers());
    }
    if shape.http {
        text.push_str(
            "      triggers:\n        \
               - triggerName: http\n          \
                 triggerType: http\n          \
                 triggerConfig:\n            \
                   authType: anonymous\n            \
                   methods: [GET, POST, PUT, DELETE, HEAD]\n",
        );
    }
    text
}

/// The workspace a new package lands in, and its manifest with the package added to
/// `members`, as `cargo new` does it.
struct Membership {
    root: PathBuf,
    manifest: PathBuf,
    text: String,
}

impl Membership {
    /// Replaces the manifest, atomically, and makes the workspace build fc-runtime from cargo
    /// fc's copy: cargo reads `.cargo/config.toml` from where it runs, the workspace root, not
    /// from a member's folder.
    fn write(&self, cargo_config: &str) -> Result<()> {
        replace(&self.manifest, &self.text)?;
        let config = self.root.join(".cargo").join("config.toml");
        let existing = std::fs::read_to_string(&config).unwrap_or_default();
        if !existing.contains("fc-runtime") {
            let dir = config.parent().expect("a config path has a parent");
            std::fs::create_dir_all(dir).map_err(io("create", dir))?;
            let separator = if existing.is_empty() || existing.ends_with('\n') {
                ""
            } else {
                "\n"
            };
            replace(&config, &format!("{existing}{separator}{cargo_config}"))?;
        }
        Ok(())
    }
}

/// Replaces a file's text atomically.
fn replace(path: &Path, text: &str) -> Result<()> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(".cargo-fc-partial");
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, text).map_err(io("write", &partial))?;
    std::fs::rename(&partial, path).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        crate::error::IoError::new("write", path, e).into()
    })
}

/// The workspace above `dir` that does not list it yet, with its manifest's new text; `None`
/// when there is no workspace, or its `members` (or `exclude`) already cover the folder.
fn workspace_membership(dir: &Path) -> Result<Option<Membership>> {
    let dir = std::path::absolute(dir).map_err(io("resolve", dir))?;
    let Some((root, manifest, text)) = dir.ancestors().skip(1).find_map(|folder| {
        let manifest = folder.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).ok()?;
        let table = toml::de::DeTable::parse(&text).ok()?;
        table
            .get_ref()
            .contains_key("workspace")
            .then(|| (folder.to_path_buf(), manifest, text))
    }) else {
        return Ok(None);
    };
    let relative = dir
        .strip_prefix(&root)
        .expect("an ancestor holds the folder")
        .to_string_lossy()
        .into_owned();
    let parsed = toml::de::DeTable::parse(&text).map_err(|e| NewError::WorkspaceManifest {
        manifest: manifest.clone(),
        why: e.to_string(),
    })?;
    let workspace = match parsed.get_ref().get("workspace").map(|v| v.get_ref()) {
        Some(toml::de::DeValue::Table(table)) => table,
        _ => return Ok(None),
    };
    let patterns = |key: &str| -> Vec<String> {
        match workspace.get(key).map(|v| v.get_ref()) {
            Some(toml::de::DeValue::Array(items)) => items
                .iter()
                .filter_map(|item| match item.get_ref() {
                    toml::de::DeValue::String(text) => Some(text.trim_end_matches('/').to_string()),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let member = |pattern: &String| {
        glob::Pattern::new(pattern).is_ok_and(|p| p.matches(&relative)) || *pattern == relative
    };
    // cargo excludes a path and everything below it.
    let excluded = |pattern: &String| {
        Path::new(&relative).starts_with(pattern)
            || glob::Pattern::new(pattern).is_ok_and(|p| p.matches(&relative))
    };
    if patterns("members").iter().any(member) || patterns("exclude").iter().any(excluded) {
        return Ok(None);
    }
    let quoted = format!(
        "\"{}\"",
        relative.replace('\\', "\\\\").replace('"', "\\\"")
    );
    let new_text = match workspace.get_key_value("members") {
        Some((_, members)) => {
            let span = members.span();
            let array = &text[span.clone()];
            let Some(close) = array.rfind(']') else {
                return Ok(None);
            };
            let inside = array[1..close].trim_end();
            let insert_at = span.start + 1 + inside.len();
            let separator = if inside.trim().is_empty() {
                ""
            } else if inside.ends_with(',') {
                " "
            } else {
                ", "
            };
            format!(
                "{}{separator}{quoted}{}",
                &text[..insert_at],
                &text[insert_at..]
            )
        }
        None => {
            // `[workspace]` with no members: the new package becomes the first one listed,
            // right under the header.
            let Some(header) = text.find("[workspace]") else {
                return Ok(None);
            };
            let line_end = text[header..]
                .find('\n')
                .map_or(text.len(), |i| header + i + 1);
            format!(
                "{}members = [{quoted}]\n{}",
                &text[..line_end],
                &text[line_end..]
            )
        }
    };
    Ok(Some(Membership {
        root,
        manifest,
        text: new_text,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file<'a>(files: &'a [(PathBuf, Vec<u8>)], path: &str) -> &'a str {
        let (_, contents) = files
            .iter()
            .find(|(p, _)| p == Path::new(path))
            .unwrap_or_else(|| panic!("no {path}"));
        std::str::from_utf8(contents).unwrap()
    }

    /// The workspace manifest after `cargo fc new` of `member` in a workspace whose manifest
    /// is `manifest`; `None` when it is left alone.
    fn membership(manifest: &str, member: &str) -> Option<String> {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("Cargo.toml"), manifest).unwrap();
        workspace_membership(&root.path().join(member))
            .unwrap()
            .map(|m| m.text)
    }

    #[test]
    fn a_new_package_in_a_workspace_joins_its_members_as_cargo_new_does() {
        assert_eq!(
            membership("[workspace]\nmembers = [\"a\"]\n", "hello").as_deref(),
            Some("[workspace]\nmembers = [\"a\", \"hello\"]\n")
        );
        assert_eq!(
            membership("[workspace]\nmembers = [\n    \"a\",\n]\n", "fns/hello").as_deref(),
            Some("[workspace]\nmembers = [\n    \"a\", \"fns/hello\"\n]\n")
        );
        assert_eq!(
            membership("[workspace]\nresolver = \"2\"\n", "hello").as_deref(),
            Some("[workspace]\nmembers = [\"hello\"]\nresolver = \"2\"\n")
        );
        assert_eq!(
            membership("[workspace]\nmembers = []\n", "x").as_deref(),
            Some("[workspace]\nmembers = [\"x\"]\n")
        );
        // Already covered, excluded, or no workspace at all: left alone.
        assert_eq!(
            membership("[workspace]\nmembers = [\"crates/*\"]\n", "crates/hello"),
            None
        );
        assert_eq!(
            membership(
                "[workspace]\nmembers = [\"a\"]\nexclude = [\"scratch\"]\n",
                "scratch"
            ),
            None
        );
        // Below an excluded folder (a build's scratch space, say) is excluded too.
        assert_eq!(
            membership(
                "[workspace]\nmembers = [\"a\"]\nexclude = [\"target\"]\n",
                "target/tmp/new-1"
            ),
            None
        );
        assert_eq!(membership("[package]\nname = \"p\"\n", "hello"), None);
    }

    #[test]
    fn the_manifest_names_the_package_and_template_tooling_stays_behind() {
        let files = render("hello", Shape::default(), "# config\n");
        let manifest = file(&files, "Cargo.toml");
        assert!(manifest.contains("name = \"hello\""), "{manifest}");
        assert!(!manifest.contains("{{name}}"));
        assert!(
            files
                .iter()
                .all(|(p, _)| !p.starts_with("variants") && p != Path::new("render.sh"))
        );
        assert!(file(&files, "README.md").contains("# hello"));
        assert!(file(&files, ".gitignore").contains("/target"));
        assert!(
            manifest.contains("fc-runtime = \"0.1\""),
            "the runtime is a dependency by version: {manifest}"
        );
        assert_eq!(file(&files, ".cargo/config.toml"), "# config\n");
        assert!(
            files.iter().all(|(p, _)| !p.starts_with("src/fc")),
            "no runtime source in the project"
        );
    }

    #[test]
    fn shapes_pick_their_main_and_template_entries() {
        let http = render(
            "web",
            Shape {
                http: true,
                initializer: true,
                container: false,
                event: None,
            },
            "",
        );
        assert_eq!(
            file(&http, "src/main.rs"),
            std::str::from_utf8(
                TEMPLATE
                    .get_file("variants/http_initializer.rs")
                    .unwrap()
                    .contents()
            )
            .unwrap()
        );
        let fun = file(&http, "template.yml");
        assert!(fun.contains("CodeUri: ./target/fc/web.zip"), "{fun}");
        assert!(fun.contains("Initializer: index.initializer"), "{fun}");
        assert!(fun.contains("Type: HTTP"), "{fun}");
        let s = file(&http, "s.yaml");
        assert!(s.contains("code: ./target/fc/web.zip"), "{s}");
        assert!(s.contains("triggerType: http"), "{s}");
        let event = render("ev", Shape::default(), "");
        assert!(!file(&event, "template.yml").contains("Events"));
    }

    #[test]
    fn container_functions_name_an_image_and_pass_the_checker() {
        let files = render(
            "hello_img",
            Shape {
                container: true,
                ..Shape::default()
            },
            "",
        );
        let image = "registry.cn-hangzhou.aliyuncs.com/your-namespace/hello-img:0.1.0";
        for (path, key) in [("s.yaml", "image"), ("template.yml", "Image")] {
            let text = file(&files, path);
            assert!(text.contains("untime: custom-container\n"), "{text}");
            assert!(text.contains(&format!("{key}: '{image}'")), "{text}");
            assert!(!text.contains("target/fc"), "no zip in {path}: {text}");
            let found =
                crate::check::check_source(path, text, &crate::check::Expectations::default());
            assert!(found.is_empty(), "{path}: {found:?}");
        }
    }

    #[test]
    fn an_event_shape_writes_its_handler_sample_and_trigger() {
        use clap::ValueEnum as _;
        for &kind in EventKind::value_variants() {
            let shape = Shape {
                event: Some(kind),
                ..Shape::default()
            };
            let files = render("ev", shape, "");
            let main = file(&files, "src/main.rs");
            let sample = kind.sample_path();
            assert!(
                main.contains(&format!("../{sample}")),
                "{kind}: the test reads its sample\n{main}"
            );
            let (_, written) = files
                .iter()
                .find(|(p, _)| p == Path::new(&sample))
                .unwrap_or_else(|| panic!("{kind}: no {sample}"));
            assert_eq!(written, kind.example().payload);
            assert!(file(&files, "template.yml").contains(kind.fun_events()));
            assert!(file(&files, "s.yaml").contains(kind.fc3_triggers()));
        }
    }
}
