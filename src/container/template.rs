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

use crate::deployment::{self, Deployment, Field, Function};
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

/// The template at `path` read into the deployment model; `None` when it cannot be read, which
/// `cargo fc check` reports in full.
fn model(path: &Path) -> Result<Option<(deployment::Source, Deployment)>> {
    let source = deployment::load(path)?;
    let reading = deployment::read(&source.display, &source.text);
    Ok(reading.deployment.map(|model| (source, model)))
}

/// The container settings of `function` in the template at `path`, or `None` when the template
/// does not describe it.
pub fn read(path: &Path, function: &str) -> Result<Option<ContainerSettings>> {
    let Some((_, model)) = model(path)? else {
        return Ok(None);
    };
    let Some(found) = model.function_deployed_as(function) else {
        return Ok(None);
    };
    let config = container_config(found);
    let image = config.and_then(|c| c.image.as_ref());
    let entrypoint = config.and_then(|c| c.entrypoint.as_ref());
    Ok(Some(ContainerSettings {
        path: path.to_path_buf(),
        runtime: found
            .runtime
            .as_ref()
            .and_then(Field::as_str)
            .map(str::to_string),
        image: image.and_then(Field::as_str).map(str::to_string),
        image_line: image.map(|f| f.span().start.line()),
        port: found
            .port()
            .and_then(Field::literal)
            .and_then(|&port| u16::try_from(port).ok()),
        entrypoint: entrypoint.and_then(Field::literal).map(|items| {
            items
                .iter()
                .filter_map(|item| item.literal().cloned())
                .collect()
        }),
        entrypoint_line: entrypoint.map(|f| f.span().start.line()),
    }))
}

fn container_config(function: &Function) -> Option<&deployment::CustomContainerConfig> {
    function
        .custom_container_config
        .as_deref()
        .and_then(Field::literal)
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
    let no_key = || ContainerError::NoImageKey {
        path: Some(path.to_path_buf()),
    };
    let (source, model) = model(path)?.ok_or_else(no_key)?;
    let image = model
        .function_deployed_as(function)
        .and_then(container_config)
        .and_then(|c| c.image.as_ref())
        .ok_or_else(no_key)?;
    let text = &source.text;
    let span = image.span();
    let start = offset(text, span.start.line(), span.start.col());
    let end = offset(text, span.end.line(), span.end.col());
    let (Some(start), Some(end)) = (start, end) else {
        return Err(no_key().into());
    };
    let written = &text[start..end];
    // Only a one-line plain or quoted scalar can be replaced in place: a block scalar, a tag, an
    // anchor or an alias would change other values or the meaning of the file.
    if image.literal().is_none()
        || written.contains('\n')
        || written.starts_with(['|', '>', '!', '&', '*'])
    {
        return Err(ContainerError::Template {
            path: path.to_path_buf(),
            line: Some(span.start.line()),
            message: "the image is not written as a plain or quoted string".into(),
            help:
                "write it on one line, e.g. `image: registry.cn-hangzhou.aliyuncs.com/ns/hello:v1`"
                    .into(),
        }
        .into());
    }
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
    fn an_image_that_is_not_one_plain_scalar_is_not_edited() {
        let text = FC3_TEMPLATE.replace(
            "image: 'registry.cn-hangzhou.aliyuncs.com/ns/hello:v1'   # the image",
            "image: >-\n          registry.cn-hangzhou.aliyuncs.com/ns/hello:v1",
        );
        let (_dir, path) = write(&text);
        let error = write_image(&path, "hello", "x@sha256:00").unwrap_err();
        assert!(error.to_string().contains("plain or quoted"), "{error}");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
    }

    #[test]
    fn an_fc3_function_without_function_name_is_its_resource() {
        let (_dir, path) = write(&FC3_TEMPLATE.replace("      functionName: hello\n", ""));
        let settings = read(&path, "hello").unwrap().unwrap();
        assert_eq!(settings.port, Some(9001));
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
