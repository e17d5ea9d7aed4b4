//! The typed model of a deployment, read from any of the formats FC's tools deploy: Fun's
//! `template.yml`, Serverless Devs' `s.yaml` for FC 3.0 (`edition: 3.0.0`, component `fc3`) and
//! its older `edition: 1.0.0` (component `fc`).
//!
//! [`read`] parses the text into a YAML tree that keeps every node's position ([`yaml`]),
//! decides the format once ([`detect`]) and reads the tree into a [`Deployment`]: functions,
//! triggers, custom domains and FC 2.0 services, each value with its span, computed values and
//! unknown keys kept. `check` runs its rules over the model, `local` takes its settings from it
//! and the deployer sends it. [`read`] never touches the file system and never panics;
//! [`load`] reads a template file for it.

mod application;
mod devs;
mod diagnostic;
mod error;
mod fun;
mod model;
mod read;
mod sections;
mod source;
mod triggers;
mod value;
pub mod yaml;

pub use diagnostic::{Diagnostic, Severity};
pub use error::{FileKind, TemplateError};
pub use model::*;
pub use read::{VISIT_BUDGET, is_computed};
pub use source::{
    Found, Source, TEMPLATE_NAMES, display_path, file_kind, find_templates, load, normalize,
    templates_in,
};
pub use value::{Field, Found as FoundValue, Raw, Strings, UnknownKey, Value};
pub use yaml::{Pos, Span};

/// Key lists of each format, for the checker's "did you mean" and its closed-schema rules.
pub mod keys {
    pub use super::devs::{
        CUSTOM_RUNTIME_CONFIG, FC3_AUTH_TYPES, FC3_HOOK_KEYS, FC3_HOOKS, FC3_HTTP_CONFIG,
        FC3_METHODS, FC3_PROPS, FC3_TRIGGER, V1_AUTH_TYPES, V1_FUNCTION, V1_HOOKS, V1_SERVICE,
        is_component,
    };
    pub use super::fun::{
        AUTH_TYPES, CUSTOM_DOMAIN, EVENT_KEYS, EVENT_TYPES, FORMAT_VERSION, FUNCTION,
        FUNCTION_KEYS, FUNCTION_PROPERTIES, HOOK_KEYS, HOOKS, METHODS, RESOURCE_TYPES,
        ROS_RESOURCE_TYPES, SERVICE, SERVICE_PROPERTIES, TOP_KEYS, TRANSFORM, is_resource_type,
    };
}

use std::borrow::Cow;
use std::path::Path;

use read::Reader;
use yaml::Document;

/// The template formats cargo fc reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Fun's `template.yml`, Transform `Aliyun::Serverless-2018-04-03`.
    Fun,
    /// Serverless Devs `s.yaml` with `edition: 3.0.0` (component `fc3`).
    Devs3,
    /// Serverless Devs `s.yaml` with `edition: 1.0.0` (component `fc`).
    Devs1,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Fun => "fun",
            Format::Devs3 => "serverless-devs-3",
            Format::Devs1 => "serverless-devs-1",
        }
    }

    pub fn describe(self) -> &'static str {
        match self {
            Format::Fun => "Fun template (Aliyun::Serverless-2018-04-03)",
            Format::Devs3 => "Serverless Devs s.yaml (edition 3.0.0, fc3)",
            Format::Devs1 => "Serverless Devs s.yaml (edition 1.0.0, fc)",
        }
    }

    /// Whether a file of this format is deployed with `s` (else with `fun`).
    pub fn is_serverless_devs(self) -> bool {
        matches!(self, Format::Devs3 | Format::Devs1)
    }

    /// Whether the format describes FC 2.0 functions (services, CAPort, preFreeze).
    pub fn is_fc2(self) -> bool {
        matches!(self, Format::Fun | Format::Devs1)
    }
}

/// What [`read`] makes of a template's text.
#[derive(Debug)]
pub struct Reading {
    /// `None` when the text is not YAML, or not a template of a known format (the diagnostics
    /// say why).
    pub deployment: Option<Deployment>,
    /// What the reader could not read: YAML syntax, tabs, duplicate keys, bad merges and
    /// aliases, more than one document, an unknown format. Sorted by position.
    pub diagnostics: Vec<Diagnostic>,
    /// The text the positions refer to (line breaks normalised, byte-order mark removed).
    pub text: String,
    /// How many `{{ … }}` tags the file holds when it is an application template, which `s init`
    /// (or `fun init`) renders before anything deploys it ([`application`]); 0 otherwise.
    pub init_tags: usize,
}

impl Reading {
    pub fn format(&self) -> Option<Format> {
        self.deployment.as_ref().map(|d| d.format)
    }
}

/// Reads a template's text; `file_name` decides the format only when the content does not.
pub fn read(file_name: &str, text: &str) -> Reading {
    // A byte-order mark is legal YAML but trips some readers; the parser skips it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // YAML breaks lines at \r too; with one kind of break, positions mean the same everywhere.
    let text = normalize_breaks(text).into_owned();
    let mut diagnostics = Vec::new();
    // An application template is read as the YAML `s init` makes of it; positions stay those
    // of the file (only a line that starts with a conditional entry moves its columns).
    let rendered = application::render(&text);
    let parsed = rendered.as_ref().map_or(text.as_str(), |r| r.text.as_str());
    let deployment = yaml::parse_rendered(parsed, rendered.as_ref(), &mut diagnostics)
        .and_then(|document| read_document(document, file_name, &mut diagnostics));
    if let Some(rendered) = &rendered {
        // Two `{{if}}` blocks that set the same key are alternatives (`s init` writes one).
        diagnostics.retain(|d| d.rule != "duplicate-key" || !rendered.is_conditional(d.line));
    }
    diagnostics.sort_by_key(|d| (d.line, d.column));
    Reading {
        deployment,
        diagnostics,
        text,
        init_tags: rendered.map_or(0, |r| r.count),
    }
}

fn read_document(
    mut document: Document,
    file_name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Deployment> {
    let format = detect(&document, file_name, diagnostics)?;
    let root = document.root.expect("a detected template has a root");
    let span = document.node(root).span;
    match format {
        Format::Fun => {
            let reader = Reader::with_ros_functions(&document);
            let read = fun::read(&reader, root);
            let truncated = reader.truncated();
            Some(Deployment {
                format,
                span,
                layout: Layout::Fun(read.layout),
                services: read.services,
                functions: read.functions,
                custom_domains: read.custom_domains,
                truncated,
                document,
            })
        }
        Format::Devs3 | Format::Devs1 => {
            let prepared = devs::prepare(&mut document, root, format);
            let reader = Reader::with_nulls_unset(&document, prepared.vars);
            let edition = document
                .get(root, "edition")
                .map(|entry| reader.field("edition", entry, reader.string(entry.value)))
                .expect("a detected s.yaml has an edition");
            let (layout, read) = devs::read(&reader, root, format, &prepared, edition);
            let truncated = reader.truncated();
            Some(Deployment {
                format,
                span,
                layout: Layout::Devs(layout),
                services: read.services,
                functions: read.functions,
                custom_domains: read.custom_domains,
                truncated,
                document,
            })
        }
    }
}

/// The text with `\r\n` and lone `\r` line breaks turned into `\n`.
pub fn normalize_breaks(text: &str) -> Cow<'_, str> {
    if text.contains('\r') {
        Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The format of a parsed template, from its content, falling back on the file name; a
/// diagnostic says why when there is none.
pub fn detect(
    doc: &Document,
    file_name: &str,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Format> {
    let whole = Span {
        start: Pos::new(1, 0),
        end: Pos::new(1, 0),
    };
    let Some(root) = doc.root else {
        diagnostics.push(Diagnostic::error(
            "template-empty",
            whole,
            "the template is empty",
            "write a Fun template.yml or a Serverless Devs s.yaml; `cargo fc new` creates one",
        ));
        return None;
    };
    if doc.map(root).is_none() {
        diagnostics.push(Diagnostic::error(
            "template-format",
            doc.node(root).span,
            format!(
                "a template is a mapping of keys to values, but this file holds {}",
                doc.kind_name(root)
            ),
            "start from a Fun template.yml or a Serverless Devs s.yaml; `cargo fc new` creates one",
        ));
        return None;
    }
    let has = |key: &str| doc.get(root, key).is_some();
    if let Some(edition) = doc.get(root, "edition") {
        return match doc.text(edition.value) {
            Some("3.0.0") => Some(Format::Devs3),
            Some("1.0.0") => Some(Format::Devs1),
            other => {
                diagnostics.push(Diagnostic::error(
                    "edition",
                    doc.node(edition.value).span,
                    match other {
                        Some(text) => format!("unknown Serverless Devs edition `{text}`"),
                        None => format!(
                            "`edition` must be a string, found {}",
                            doc.kind_name(edition.value)
                        ),
                    },
                    "write `edition: 3.0.0` (component fc3) or `edition: 1.0.0` (component fc)",
                ));
                None
            }
        };
    }
    if has("ROSTemplateFormatVersion") || has("Transform") || has("Resources") {
        return Some(Format::Fun);
    }
    let name = Path::new(file_name)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let devs_name = name == "s.yaml"
        || name == "s.yml"
        || name.ends_with(".s.yaml")
        || name.ends_with(".s.yml");
    if has("resources") || has("services") || devs_name {
        let help = if has("services") {
            "add `edition: 1.0.0` at the top (this file has `services`, the 1.0.0 layout)"
        } else {
            "add `edition: 3.0.0` at the top"
        };
        diagnostics.push(Diagnostic::error(
            "edition",
            doc.node(root).span,
            "a Serverless Devs s.yaml needs `edition`",
            help,
        ));
        return None;
    }
    diagnostics.push(Diagnostic::error(
        "template-format",
        doc.node(root).span,
        "not a Fun template.yml or a Serverless Devs s.yaml",
        "a Fun template starts with `ROSTemplateFormatVersion: '2015-09-01'` and `Transform: 'Aliyun::Serverless-2018-04-03'`; an s.yaml with `edition: 3.0.0`",
    ));
    None
}

#[cfg(test)]
mod tests;
