//! `cargo fc new NAME`: a function crate from the embedded `runtime-template/`, with deployment
//! templates that already point at what `cargo fc pack` produces.

use std::path::{Path, PathBuf};

use include_dir::{Dir, DirEntry, include_dir};

use crate::error::{Error, Result};
use crate::events::EventKind;
use crate::project::check_function_name;
use crate::runtime_source::{self, RuntimeSource};
use crate::ui::Ui;

static TEMPLATE: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/runtime-template");

/// Files of the template that are for developing the template itself, not for a new function.
const TEMPLATE_ONLY: &[&str] = &["render.sh", "check.sh", "variants"];

/// What kind of function to scaffold.
#[derive(Debug, Clone, Copy, Default)]
pub struct Shape {
    /// An HTTP-trigger function instead of an event function.
    pub http: bool,
    /// With an initializer that runs once per instance.
    pub initializer: bool,
    /// An event function for this trigger (neither `http` nor `initializer` then).
    pub event: Option<EventKind>,
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
    check_function_name(name).map_err(|problem| {
        Error::config(format!("`{name}` cannot name a function: it {problem}"))
            .help("use letters, digits, `_` and `-`, starting with a letter or `_`, at most 64 characters")
    })?;
    if dir.exists() || dir.is_symlink() {
        return Err(Error::config(format!("{} already exists", dir.display()))
            .help("choose another name or --path; cargo fc new never overwrites anything"));
    }
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io("create", &parent, e))?;
    // The runtime crate is installed first: without it the project would not build.
    let runtime = RuntimeSource::embedded();
    let installed = runtime_source::install(&runtime, &runtime_source::data_dir()?)?;
    let cargo_config = runtime_source::cargo_config(&runtime, &installed);
    // Rendered beside the destination and renamed into place, so a failure leaves nothing behind.
    let staging = tempfile::Builder::new()
        .prefix(".cargo-fc-new-")
        .tempdir_in(&parent)
        .map_err(|e| Error::io("create a temporary folder in", &parent, e))?;
    for (relative, contents) in render(name, shape, &cargo_config) {
        let path = staging.path().join(&relative);
        if let Some(folder) = path.parent() {
            std::fs::create_dir_all(folder).map_err(|e| Error::io("create", folder, e))?;
        }
        std::fs::write(&path, contents).map_err(|e| Error::io("write", &path, e))?;
    }
    let staged = staging.keep();
    if let Err(error) = std::fs::rename(&staged, dir) {
        let _ = std::fs::remove_dir_all(&staged);
        return Err(Error::io("create", dir, error));
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

/// FC-FACTS: Fun template.yml. Handler and Initializer mean nothing to a custom runtime but FC
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

/// FC-FACTS: Serverless Devs s.yaml, FC 3.0.
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
