//! A custom-container function's settings in its deployment template, and the one edit cargo fc
//! makes to it: the pushed image reference.
//!
//! Where the three formats keep them (FC-FACTS: Fun template.yml, Serverless Devs s.yaml):
//! - Fun: `Properties.CustomContainerConfig.{Image, Command, Args}` and `Properties.CAPort`;
//!   `Command` and `Args` are JSON arrays written as strings (FC 2.0's API).
//! - Serverless Devs 1.0.0 (`fc`): `function.customContainerConfig.{image, command, args}`
//!   (the same strings) and `function.caPort`.
//! - Serverless Devs 3.0.0 (`fc3`): `props.customContainerConfig.{image, port, entrypoint,
//!   command}` as lists; FC 3.0's `entrypoint` is the image's ENTRYPOINT, `command` its CMD.

use std::path::{Path, PathBuf};

use crate::deployment::yaml::{self, Document, NodeId, Style};
use crate::error::Result;

use super::error::ContainerError;
use crate::platform::BOOTSTRAP;

/// What a template says about one function's container.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContainerSettings {
    pub path: PathBuf,
    pub runtime: Option<String>,
    pub image: Option<String>,
    pub image_line: Option<usize>,
    pub port: Option<u16>,
    /// The ENTRYPOINT it sets instead of the image's, if any.
    pub entrypoint: Option<Vec<String>>,
    pub entrypoint_line: Option<usize>,
}

/// Where in the document the function's properties and container settings are.
struct Places {
    props: NodeId,
    keys: &'static Keys,
}

struct Keys {
    runtime: &'static str,
    config: &'static str,
    image: &'static str,
    port_in_config: Option<&'static str>,
    port_in_props: Option<&'static str>,
    /// The key of the ENTRYPOINT override, and whether it is a JSON string (FC 2.0) or a list.
    entrypoint: &'static str,
    entrypoint_is_json_text: bool,
}

const FUN: Keys = Keys {
    runtime: "Runtime",
    config: "CustomContainerConfig",
    image: "Image",
    port_in_config: None,
    port_in_props: Some("CAPort"),
    entrypoint: "Command",
    entrypoint_is_json_text: true,
};

const DEVS_V1: Keys = Keys {
    runtime: "runtime",
    config: "customContainerConfig",
    image: "image",
    port_in_config: None,
    port_in_props: Some("caPort"),
    entrypoint: "command",
    entrypoint_is_json_text: true,
};

const FC3: Keys = Keys {
    runtime: "runtime",
    config: "customContainerConfig",
    image: "image",
    port_in_config: Some("port"),
    port_in_props: None,
    entrypoint: "entrypoint",
    entrypoint_is_json_text: false,
};

fn parse(text: &str) -> Option<Document> {
    let mut diagnostics = Vec::new();
    yaml::parse(text, &mut diagnostics)
}

/// Finds the function's properties in any of the three formats.
fn places(doc: &Document, function: &str) -> Option<Places> {
    let root = doc.root?;
    if let Some(resources) = doc.get(root, "Resources") {
        for service in doc.entries(resources.value) {
            if let Some(entry) = doc.get(service.value, function)
                && let Some(props) = doc.get(entry.value, "Properties")
            {
                return Some(Places {
                    props: props.value,
                    keys: &FUN,
                });
            }
        }
    }
    if let Some(resources) = doc.get(root, "resources") {
        for resource in doc.entries(resources.value) {
            let Some(props) = doc.get(resource.value, "props") else {
                continue;
            };
            let name = doc
                .get(props.value, "functionName")
                .and_then(|e| doc.text(e.value))
                .or_else(|| doc.text(resource.key));
            if name == Some(function) {
                return Some(Places {
                    props: props.value,
                    keys: &FC3,
                });
            }
        }
    }
    if let Some(services) = doc.get(root, "services") {
        for service in doc.entries(services.value) {
            let Some(props) = doc.get(service.value, "props") else {
                continue;
            };
            let Some(entry) = doc.get(props.value, "function") else {
                continue;
            };
            let name = doc.get(entry.value, "name").and_then(|e| doc.text(e.value));
            if name == Some(function) {
                return Some(Places {
                    props: entry.value,
                    keys: &DEVS_V1,
                });
            }
        }
    }
    None
}

/// The container settings of `function` in the template at `path`, or `None` when the template
/// does not describe it.
pub fn read(path: &Path, function: &str) -> Result<Option<ContainerSettings>> {
    let text = std::fs::read_to_string(path).map_err(crate::error::io("read", path))?;
    let Some(doc) = parse(&text) else {
        return Ok(None);
    };
    let Some(places) = places(&doc, function) else {
        return Ok(None);
    };
    let keys = places.keys;
    let mut settings = ContainerSettings {
        path: path.to_path_buf(),
        ..ContainerSettings::default()
    };
    let text_of = |map: NodeId, key: &str| {
        doc.get(map, key)
            .and_then(|e| doc.text(e.value).map(|t| (t.to_string(), e.value)))
    };
    settings.runtime = text_of(places.props, keys.runtime).map(|(t, _)| t);
    let port_of = |map: NodeId, key: &str| {
        doc.get(map, key)
            .and_then(|e| doc.text(e.value))
            .and_then(|t| t.trim().parse::<u16>().ok())
    };
    if let Some(key) = keys.port_in_props {
        settings.port = port_of(places.props, key);
    }
    let Some(config) = doc.get(places.props, keys.config) else {
        return Ok(Some(settings));
    };
    if let Some((image, node)) = text_of(config.value, keys.image) {
        settings.image = Some(image);
        settings.image_line = Some(doc.node(node).span.start.line());
    }
    if let Some(key) = keys.port_in_config {
        settings.port = settings.port.or(port_of(config.value, key));
    }
    if let Some(entry) = doc.get(config.value, keys.entrypoint) {
        settings.entrypoint_line = Some(doc.node(entry.value).span.start.line());
        settings.entrypoint = if keys.entrypoint_is_json_text {
            doc.text(entry.value)
                .and_then(|t| serde_json::from_str::<Vec<String>>(t).ok())
        } else {
            doc.seq(entry.value).map(|items| {
                items
                    .iter()
                    .filter_map(|&item| doc.text(item).map(str::to_string))
                    .collect()
            })
        };
    }
    Ok(Some(settings))
}

impl ContainerSettings {
    /// Disagreements with an image whose entrypoint is [`BOOTSTRAP`]: an ENTRYPOINT override
    /// that does not run it is an error.
    pub fn check_entrypoint(&self) -> std::result::Result<(), ContainerError> {
        let Some(entrypoint) = &self.entrypoint else {
            return Ok(());
        };
        if entrypoint.first().map(String::as_str) == Some(BOOTSTRAP) {
            return Ok(());
        }
        Err(ContainerError::Template {
            path: self.path.clone(),
            line: self.entrypoint_line,
            message: format!(
                "the template starts the container with {entrypoint:?}, but the image's bootstrap is {BOOTSTRAP}"
            ),
            help: format!(
                "remove the override (the image's entrypoint is {BOOTSTRAP}) or make it start with \"{BOOTSTRAP}\""
            ),
        })
    }
}

/// Replaces the function's image reference in the template with `reference`, changing nothing
/// else in the file, and writes it atomically (a temporary file renamed over it).
pub fn write_image(path: &Path, function: &str, reference: &str) -> Result<()> {
    let text = std::fs::read_to_string(path).map_err(crate::error::io("read", path))?;
    let no_key = || ContainerError::NoImageKey {
        path: Some(path.to_path_buf()),
    };
    let doc = parse(&text).ok_or_else(no_key)?;
    let places = places(&doc, function).ok_or_else(no_key)?;
    let config = doc
        .get(places.props, places.keys.config)
        .ok_or_else(no_key)?;
    let image = doc
        .get(config.value, places.keys.image)
        .ok_or_else(no_key)?;
    let node = doc.node(image.value);
    if doc.text(image.value).is_none() || node.style == Style::Block || node.tagged {
        return Err(ContainerError::Template {
            path: path.to_path_buf(),
            line: Some(node.span.start.line()),
            message: "the image is not written as a plain or quoted string".into(),
            help:
                "write it on one line, e.g. `image: registry.cn-hangzhou.aliyuncs.com/ns/hello:v1`"
                    .into(),
        }
        .into());
    }
    let start = offset(&text, node.span.start.line(), node.span.start.col());
    let end = offset(&text, node.span.end.line(), node.span.end.col());
    let (Some(start), Some(end)) = (start, end) else {
        return Err(no_key().into());
    };
    let written = &text[start..end];
    let replacement = match written.chars().next() {
        // Inside quotes only characters that need escaping would change; a reference has none.
        Some(quote @ ('"' | '\'')) if written.ends_with(quote) && written.len() >= 2 => {
            format!("{quote}{reference}{quote}")
        }
        _ => reference.to_string(),
    };
    let mut edited = String::with_capacity(text.len() + reference.len());
    edited.push_str(&text[..start]);
    edited.push_str(&replacement);
    edited.push_str(&text[end..]);
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut partial = tempfile::Builder::new()
        .prefix(".cargo-fc-")
        .suffix(".partial")
        .tempfile_in(folder)
        .map_err(crate::error::io("create a temporary file in", folder))?;
    std::io::Write::write_all(&mut partial, edited.as_bytes())
        .map_err(crate::error::io("write", partial.path()))?;
    // The template keeps its own permissions, not the temporary file's 0600.
    if let Ok(metadata) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(partial.path(), metadata.permissions());
    }
    partial
        .persist(path)
        .map_err(|e| crate::error::IoError::new("write", path, e.error))?;
    Ok(())
}

/// The byte offset of a 1-based line and 0-based character column.
fn offset(text: &str, line: usize, column: usize) -> Option<usize> {
    let mut line_start = 0;
    for _ in 1..line {
        line_start += text[line_start..].find('\n')? + 1;
    }
    let rest = &text[line_start..];
    if column == 0 {
        return Some(line_start);
    }
    rest.char_indices()
        .nth(column)
        .map(|(i, _)| line_start + i)
        .or_else(|| (rest.chars().count() == column).then_some(line_start + rest.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FC3_TEMPLATE: &str = "edition: 3.0.0\nname: app\n# keep this comment\nresources:\n  hello:\n    component: fc3\n    props:\n      region: cn-hangzhou\n      functionName: hello\n      runtime: custom-container\n      customContainerConfig:\n        image: 'registry.cn-hangzhou.aliyuncs.com/ns/hello:v1'   # the image\n        port: 9001\n        entrypoint: [/code/bootstrap]\n";

    const FUN_TEMPLATE: &str = "ROSTemplateFormatVersion: '2015-09-01'\nTransform: 'Aliyun::Serverless-2018-04-03'\nResources:\n  svc:\n    Type: 'Aliyun::Serverless::Service'\n    hello:\n      Type: 'Aliyun::Serverless::Function'\n      Properties:\n        Handler: index.handler\n        Runtime: custom-container\n        CAPort: 9002\n        CustomContainerConfig:\n          Image: registry.cn-hangzhou.aliyuncs.com/ns/hello:v1\n          Command: '[\"/bin/sh\", \"-c\"]'\n";

    fn write(text: &str) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.yaml");
        std::fs::write(&path, text).unwrap();
        (dir, path)
    }

    #[test]
    fn fc3_settings_are_read() {
        let (_dir, path) = write(FC3_TEMPLATE);
        let settings = read(&path, "hello").unwrap().unwrap();
        assert_eq!(settings.runtime.as_deref(), Some("custom-container"));
        assert_eq!(
            settings.image.as_deref(),
            Some("registry.cn-hangzhou.aliyuncs.com/ns/hello:v1")
        );
        assert_eq!(settings.image_line, Some(12));
        assert_eq!(settings.port, Some(9001));
        assert_eq!(settings.entrypoint, Some(vec![BOOTSTRAP.to_string()]));
        settings.check_entrypoint().unwrap();
        assert_eq!(read(&path, "other").unwrap(), None);
    }

    #[test]
    fn fun_settings_are_read_and_a_foreign_entrypoint_is_refused() {
        let (_dir, path) = write(FUN_TEMPLATE);
        let settings = read(&path, "hello").unwrap().unwrap();
        assert_eq!(settings.port, Some(9002));
        assert_eq!(
            settings.entrypoint,
            Some(vec!["/bin/sh".to_string(), "-c".to_string()])
        );
        let error = settings.check_entrypoint().unwrap_err();
        assert!(error.to_string().contains("/code/bootstrap"), "{error}");
        assert_eq!(
            crate::error::Failure::location(&error).and_then(|l| l.line),
            Some(14)
        );
    }

    #[test]
    fn writing_the_image_changes_only_its_value() {
        let reference = "registry.cn-hangzhou.aliyuncs.com/ns/hello@sha256:0123abcd";
        let (_dir, path) = write(FC3_TEMPLATE);
        write_image(&path, "hello", reference).unwrap();
        let edited = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            edited,
            FC3_TEMPLATE.replace(
                "'registry.cn-hangzhou.aliyuncs.com/ns/hello:v1'",
                &format!("'{reference}'")
            )
        );
        assert_eq!(
            read(&path, "hello").unwrap().unwrap().image.as_deref(),
            Some(reference)
        );

        let (_dir, path) = write(FUN_TEMPLATE);
        write_image(&path, "hello", reference).unwrap();
        let edited = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            edited,
            FUN_TEMPLATE.replace("registry.cn-hangzhou.aliyuncs.com/ns/hello:v1", reference)
        );
    }

    #[test]
    fn a_template_without_the_image_key_is_left_alone() {
        let text = FC3_TEMPLATE.replace(
            "        image: 'registry.cn-hangzhou.aliyuncs.com/ns/hello:v1'   # the image\n",
            "",
        );
        let (_dir, path) = write(&text);
        let error = write_image(&path, "hello", "x@sha256:00").unwrap_err();
        assert!(
            error.to_string().contains("customContainerConfig.image"),
            "{error}"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }
}
