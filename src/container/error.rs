//! What can go wrong making, checking, pushing or running a function's image.

use std::fmt;
use std::path::PathBuf;

use serde_json::json;

use crate::error::failure_any;
use crate::error::{Exit, Failure, Location};

/// One way an image's files do not let its bootstrap start, as the dynamic loader would find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadProblem {
    /// The loader the executable names (`PT_INTERP`) is not in the image.
    NoLoader { path: String },
    /// A file the loader would load is not an x86-64 ELF object.
    NotLoadable { path: String, why: String },
    /// A `DT_NEEDED` library is in none of the folders the loader searches.
    MissingLibrary { library: String, needed_by: String },
    /// The library is there, but does not define a symbol version that is needed from it.
    MissingVersion {
        library: String,
        path: String,
        version: String,
        needed_by: String,
        symbols: Vec<String>,
    },
}

impl fmt::Display for LoadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadProblem::NoLoader { path } => {
                write!(f, "the dynamic loader {path} is not in the image")
            }
            LoadProblem::NotLoadable { path, why } => write!(f, "{path} {why}"),
            LoadProblem::MissingLibrary { library, needed_by } => write!(
                f,
                "{needed_by} links {library}, which is in none of the folders the loader searches"
            ),
            LoadProblem::MissingVersion {
                library,
                path,
                version,
                needed_by,
                symbols,
            } => {
                write!(
                    f,
                    "{needed_by} needs {version} from {library}, which {path} does not define"
                )?;
                if !symbols.is_empty() {
                    let shown: Vec<&str> = symbols.iter().take(6).map(String::as_str).collect();
                    write!(f, " ({}", shown.join(", "))?;
                    if symbols.len() > shown.len() {
                        write!(f, " and {} more", symbols.len() - shown.len())?;
                    }
                    f.write_str(")")?;
                }
                Ok(())
            }
        }
    }
}

#[derive(Debug)]
pub enum ContainerError {
    /// The Docker engine refused or failed a request.
    Engine { action: String, message: String },
    /// The tag is not an image reference the engine accepts.
    BadTag { tag: String, why: String },
    /// `--tag` with several functions selected.
    TagForSeveral { functions: usize },
    /// `--push` with a tag that names no registry.
    NoRegistry { tag: String },
    /// The base image is not in the engine (cargo fc never pulls a base).
    BaseMissing { image: String, debian: bool },
    /// The base image is not linux/amd64, the only platform FC runs.
    BaseArchitecture {
        image: String,
        os: String,
        architecture: String,
    },
    /// The bootstrap would not start in the image.
    Unloadable {
        function: String,
        image: String,
        problems: Vec<LoadProblem>,
    },
    /// The image is over FC's size limit.
    TooLarge { tag: String, size: u64, limit: u64 },
    /// The image's platform is not the one FC runs.
    Platform {
        tag: String,
        os: String,
        architecture: String,
    },
    /// The registry refused the push, or the engine could not reach it.
    Push { tag: String, message: String },
    /// The Docker configuration file cannot be read as one.
    DockerConfig { path: PathBuf, message: String },
    /// A credential helper failed.
    CredentialHelper {
        helper: String,
        registry: String,
        message: String,
    },
    /// `--registry-user` without a password on standard input.
    NoPassword { user: String },
    /// The template's container settings disagree with the image.
    Template {
        path: PathBuf,
        line: Option<usize>,
        message: String,
        help: String,
    },
    /// `--write-template` without a template that sets `customContainerConfig.image`.
    NoImageKey { path: Option<PathBuf> },
}

impl fmt::Display for ContainerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContainerError::Engine { action, message } => {
                write!(f, "Docker engine error while {action}: {message}")
            }
            ContainerError::BadTag { tag, why } => write!(f, "`{tag}` is not an image tag: {why}"),
            ContainerError::TagForSeveral { functions } => write!(
                f,
                "--tag names one image, but {functions} functions are selected"
            ),
            ContainerError::NoRegistry { tag } => write!(
                f,
                "`{tag}` names no registry, so there is nowhere to push it"
            ),
            ContainerError::BaseMissing { image, .. } => write!(
                f,
                "the base image {image} is not in the Docker engine, and cargo fc never pulls a base"
            ),
            ContainerError::BaseArchitecture {
                image,
                os,
                architecture,
            } => write!(
                f,
                "the base image {image} is {os}/{architecture}, but FC runs only linux/amd64 images"
            ),
            ContainerError::Unloadable {
                function, image, ..
            } => write!(f, "`{function}` will not start in {image}"),
            ContainerError::TooLarge { tag, size, limit } => write!(
                f,
                "{tag} is {} uncompressed, over the {} FC pulls",
                crate::ui::human_size(*size),
                crate::ui::human_size(*limit)
            ),
            ContainerError::Platform {
                tag,
                os,
                architecture,
            } => write!(
                f,
                "{tag} is {os}/{architecture}, but FC runs only linux/amd64 images"
            ),
            ContainerError::Push { tag, message } => {
                write!(f, "pushing {tag} failed: {message}")
            }
            ContainerError::DockerConfig { path, message } => {
                write!(f, "{}: {message}", path.display())
            }
            ContainerError::CredentialHelper {
                helper,
                registry,
                message,
            } => write!(
                f,
                "the credential helper docker-credential-{helper} failed for {registry}: {message}"
            ),
            ContainerError::NoPassword { user } => write!(
                f,
                "--registry-user {user} needs the password on standard input, but it was empty"
            ),
            ContainerError::Template { message, .. } => f.write_str(message),
            ContainerError::NoImageKey { path: Some(path) } => write!(
                f,
                "{} has no customContainerConfig.image for the digest to go into",
                path.display()
            ),
            ContainerError::NoImageKey { path: None } => {
                f.write_str("--write-template, but no template describes the function")
            }
        }
    }
}

impl Failure for ContainerError {
    fn exit(&self) -> Exit {
        match self {
            ContainerError::Engine { .. }
            | ContainerError::BaseMissing { .. }
            | ContainerError::CredentialHelper { .. } => Exit::Tool,
            ContainerError::BadTag { .. }
            | ContainerError::TagForSeveral { .. }
            | ContainerError::NoRegistry { .. }
            | ContainerError::DockerConfig { .. }
            | ContainerError::NoPassword { .. } => Exit::Usage,
            ContainerError::BaseArchitecture { .. }
            | ContainerError::TooLarge { .. }
            | ContainerError::Platform { .. } => Exit::Pack,
            ContainerError::Unloadable { .. } => Exit::Verify,
            ContainerError::Push { .. } => Exit::Deploy,
            ContainerError::Template { .. } | ContainerError::NoImageKey { .. } => Exit::Template,
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            ContainerError::Engine { .. } => "container.engine",
            ContainerError::BadTag { .. } => "container.bad-tag",
            ContainerError::TagForSeveral { .. } => "container.tag-for-several",
            ContainerError::NoRegistry { .. } => "container.no-registry",
            ContainerError::BaseMissing { .. } => "container.base-missing",
            ContainerError::BaseArchitecture { .. } => "container.base-architecture",
            ContainerError::Unloadable { .. } => "container.unloadable",
            ContainerError::TooLarge { .. } => "container.too-large",
            ContainerError::Platform { .. } => "container.platform",
            ContainerError::Push { .. } => "container.push",
            ContainerError::DockerConfig { .. } => "container.docker-config",
            ContainerError::CredentialHelper { .. } => "container.credential-helper",
            ContainerError::NoPassword { .. } => "container.no-password",
            ContainerError::Template { .. } => "container.template",
            ContainerError::NoImageKey { .. } => "container.no-image-key",
        }
    }

    fn location(&self) -> Option<Location> {
        match self {
            ContainerError::Template { path, line, .. } => Some(Location::line(path, *line)),
            ContainerError::DockerConfig { path, .. } => Some(Location::file(path)),
            _ => None,
        }
    }

    fn notes(&self) -> Vec<String> {
        match self {
            ContainerError::Unloadable { problems, .. } => {
                problems.iter().map(ToString::to_string).collect()
            }
            _ => Vec::new(),
        }
    }

    fn help(&self) -> Option<String> {
        Some(match self {
            ContainerError::Engine { .. } => {
                "check that the engine runs (`cargo fc doctor`) and try again".into()
            }
            ContainerError::BadTag { .. } => "a tag is [REGISTRY/]NAMESPACE/NAME[:TAG] in lowercase letters, digits and . _ -, e.g. registry.cn-hangzhou.aliyuncs.com/ns/hello:v1".into(),
            ContainerError::TagForSeveral { .. } => {
                "select one with --bin NAME, or leave out --tag to get <function>:<version> each".into()
            }
            ContainerError::NoRegistry { .. } => "tag the image for your Container Registry instance: --tag registry.cn-hangzhou.aliyuncs.com/NAMESPACE/NAME:TAG".into(),
            ContainerError::BaseMissing { image, debian: true } => format!(
                "load {image} into the engine first (`docker pull {image}` where a registry is reachable, or `docker load`), or leave out --base: the default base needs no registry"
            ),
            ContainerError::BaseMissing { image, debian: false } => format!(
                "load {image} into the engine first (`docker pull` or `docker load`), or leave out --base: the default base needs no registry"
            ),
            ContainerError::BaseArchitecture { .. } => {
                "use a linux/amd64 base (`docker pull --platform linux/amd64 …`), or the default base".into()
            }
            ContainerError::Unloadable { .. } => "the default base ships the libraries the build environment resolved; with --base, use a base that has them (the runtime's Debian with --base debian), vendor them under lib/ through `include`, or link them statically".into(),
            ContainerError::TooLarge { .. } => {
                "leave large assets out of the image (load them from OSS or NAS at run time), or use a smaller base".into()
            }
            ContainerError::Platform { .. } => "build the image for linux/amd64".into(),
            ContainerError::Push { .. } => "check the tag's registry and your credentials: `docker login REGISTRY`, a credential helper in ~/.docker/config.json, or --registry-user NAME with the password on standard input".into(),
            ContainerError::DockerConfig { .. } => {
                "fix the file (it is JSON, as `docker login` writes it), or set DOCKER_CONFIG to another folder".into()
            }
            ContainerError::CredentialHelper { helper, .. } => format!(
                "check that docker-credential-{helper} is on PATH and logged in, or pass --registry-user NAME with the password on standard input"
            ),
            ContainerError::NoPassword { .. } => {
                "pipe it in: `echo \"$PASSWORD\" | cargo fc pack --container --push --registry-user NAME`".into()
            }
            ContainerError::Template { help, .. } => help.clone(),
            ContainerError::NoImageKey { .. } => "set `customContainerConfig: { image: … }` (s.yaml) or `CustomContainerConfig: { Image: … }` (template.yml) for the function; `cargo fc new NAME --container` writes one".into(),
        })
    }

    fn details(&self) -> serde_json::Value {
        match self {
            ContainerError::Unloadable {
                function,
                image,
                problems,
            } => json!({
                "function": function,
                "image": image,
                "problems": problems.iter().map(ToString::to_string).collect::<Vec<_>>(),
            }),
            ContainerError::TooLarge { tag, size, limit } => {
                json!({"tag": tag, "size": size, "limit": limit})
            }
            ContainerError::Push { tag, message } => json!({"tag": tag, "error": message}),
            _ => serde_json::Value::Null,
        }
    }

    failure_any!();
}

/// An engine failure while doing `action`.
pub fn engine_failure(action: impl Into<String>, error: &bollard::errors::Error) -> ContainerError {
    ContainerError::Engine {
        action: action.into(),
        message: crate::engine::describe(error),
    }
}
