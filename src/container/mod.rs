//! Custom-container functions: the bootstrap packed as a linux/amd64 image instead of a zip,
//! checked the way the dynamic loader will see it, loaded into the Docker engine and pushed
//! to a registry, all through the engine's API.
//!
//! The image is assembled here rather than built from a Dockerfile: cargo fc writes the layer
//! tars and the configuration itself and loads them as an archive, so no registry is needed
//! (the default base is made from the build environment's own files) and the same inputs give
//! the same image id.

mod archive;
mod base;
mod error;
mod files;
mod layer;
mod libraries;
mod push;
mod template;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;
use std::sync::Arc;

use serde_json::json;

pub use archive::Loaded;
pub use base::Base;
pub use error::{ContainerError, LoadProblem};
pub use push::{Reference, parse_reference};

use crate::build::Built;
use crate::engine::{Engine, LABEL};
use crate::error::Result;
use crate::pack::Entry;
use crate::platform;
use crate::project::{Function, Project};
use crate::ui::Ui;
use layer::{Layer, Source};

/// The time every file of an image and its `created` get unless `SOURCE_DATE_EPOCH` says:
/// 1980-01-01, the zip's epoch, so a package and an image of the same build carry one time.
const DEFAULT_TIME: u64 = 315_532_800;

/// What `pack --container` was asked for.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub tag: Option<String>,
    pub base: Option<Base>,
    pub push: bool,
    pub registry_user: Option<String>,
    pub write_template: bool,
}

/// One function's image.
#[derive(Debug, Clone)]
pub struct Made {
    pub bin: String,
    pub function: String,
    /// The port its server listens on (`FC_SERVER_PORT` in the image).
    pub port: u16,
    pub image: Loaded,
    pub base: String,
    /// The registry digest, after a push.
    pub digest: Option<String>,
    /// `repository@digest`, after a push.
    pub pushed: Option<String>,
}

/// `cargo fc pack --container`: builds, makes, checks and loads each selected function's
/// image, and pushes it when asked.
pub fn pack_command(
    project: &Project,
    pipeline: &crate::pipeline::Options,
    options: &Options,
    ui: &Ui,
) -> Result<()> {
    for made in images(project, pipeline, options, ui)? {
        let image = &made.image;
        ui.json(&json!({
            "reason": "function-image",
            "bin": made.bin,
            "function": made.function,
            "image": image.tag,
            "id": image.id,
            "config_digest": image.config_digest,
            "size": image.size,
            "layers": image.layers.iter().map(|l| json!({"diff_id": l.diff_id, "size": l.size})).collect::<Vec<_>>(),
            "port": made.port,
            "base": made.base,
            "digest": made.digest,
            "pushed": made.pushed,
        }));
    }
    Ok(())
}

/// Builds (unless the pipeline reuses the last build), makes, checks and loads the image of
/// every function of `project`, pushing each when asked: what `pack --container` and
/// `local --container` run.
pub fn images(
    project: &Project,
    pipeline: &crate::pipeline::Options,
    options: &Options,
    ui: &Ui,
) -> Result<Vec<Made>> {
    if options.tag.is_some() && project.functions.len() > 1 {
        return Err(ContainerError::TagForSeveral {
            functions: project.functions.len(),
        }
        .into());
    }
    // The password is read before the build, so a missing one fails fast.
    let password = match &options.registry_user {
        Some(user) => Some(read_password(user)?),
        None => None,
    };
    let built = crate::pipeline::build_with_assets(project, pipeline, ui)?;
    let engine = Engine::connect()?;
    // From here an interrupt is turned into an error at the next step, so the containers and
    // scratch files made so far are removed on the way out.
    let _guard = crate::interrupt::Guard::new();
    let mut made = Vec::new();
    for (item, assets) in &built {
        made.push(make(
            &engine,
            project,
            item,
            assets,
            options,
            password.as_deref(),
            ui,
        )?);
    }
    Ok(made)
}

/// The port an image's server listens on: its `FC_SERVER_PORT`, else the first port it
/// exposes, else FC's default. The image is pulled when the engine does not have it.
pub fn image_port(image: &str, ui: &Ui) -> Result<u16> {
    let engine = Engine::connect()?;
    let inspect = engine.ensure_image(image, ui)?;
    let config = inspect.config.unwrap_or_default();
    let from_env = config.env.unwrap_or_default().iter().find_map(|var| {
        var.strip_prefix("FC_SERVER_PORT=")
            .and_then(|port| port.trim().parse().ok())
    });
    let exposed = config
        .exposed_ports
        .unwrap_or_default()
        .into_iter()
        .find_map(|port| port.split('/').next().and_then(|p| p.parse().ok()));
    Ok(from_env.or(exposed).unwrap_or(platform::DEFAULT_PORT))
}

fn read_password(user: &str) -> Result<String> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .map_err(crate::error::io(
            "read the password from",
            Path::new("stdin"),
        ))?;
    let password = password.trim_end_matches(['\n', '\r']).to_string();
    if password.is_empty() {
        return Err(ContainerError::NoPassword {
            user: user.to_string(),
        }
        .into());
    }
    Ok(password)
}

/// The tag an image gets: `--tag`, else the template's image (by tag; a digest reference gets
/// the crate version as its tag), else `<function>:<version>`.
fn choose_tag(
    options: &Options,
    settings: Option<&template::ContainerSettings>,
    function: &Function,
) -> std::result::Result<Reference, ContainerError> {
    let bad = |tag: &str, why: String| ContainerError::BadTag {
        tag: tag.to_string(),
        why,
    };
    if let Some(tag) = &options.tag {
        let reference = parse_reference(tag).map_err(|why| bad(tag, why))?;
        if reference.digest.is_some() {
            return Err(bad(
                tag,
                "a digest names an image that exists; give a tag".into(),
            ));
        }
        return Ok(with_default_tag(reference, &function.version));
    }
    if let Some(image) = settings.and_then(|s| s.image.as_deref()) {
        let reference = parse_reference(image).map_err(|why| bad(image, why))?;
        let tag = match reference.digest {
            Some(_) => None,
            None => reference.tag.clone(),
        };
        return Ok(with_default_tag(
            Reference {
                tag,
                digest: None,
                ..reference
            },
            &function.version,
        ));
    }
    let name = function.name.to_ascii_lowercase().replace('_', "-");
    let tag = format!("{}:{}", name.trim_matches('-'), function.version);
    parse_reference(&tag).map_err(|why| {
        bad(
            &tag,
            format!("{why} (made from the function's name; give one with --tag)"),
        )
    })
}

fn with_default_tag(reference: Reference, version: &str) -> Reference {
    Reference {
        tag: Some(
            reference
                .tag
                .clone()
                .unwrap_or_else(|| version.replace('+', "-")),
        ),
        ..reference
    }
}

/// The template's container settings for a function, from the first template that has them.
fn template_settings(
    project: &Project,
    function: &Function,
) -> Result<Option<template::ContainerSettings>> {
    for found in crate::check::find_templates(project)? {
        if let Some(settings) = template::read(&found.path, &function.name)? {
            return Ok(Some(settings));
        }
    }
    Ok(None)
}

/// `SOURCE_DATE_EPOCH`, else 1980-01-01.
fn image_time() -> Result<u64> {
    Ok(crate::pack::source_date_epoch()?
        .map_or(DEFAULT_TIME, |seconds| u64::try_from(seconds).unwrap_or(0)))
}

/// The commit the sources are at, when they are in a git work tree.
fn source_commit(dir: &Path) -> Option<String> {
    let output = std::process::Command::new("git")
        .args(["rev-parse", "--verify", "--quiet", "HEAD"])
        .current_dir(dir)
        .stdin(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .output()
        .ok()?;
    let commit = String::from_utf8_lossy(&output.stdout).trim().to_string();
    (output.status.success() && !commit.is_empty()).then_some(commit)
}

/// The `/code` layer: the bootstrap and the assets where the zip would put them.
fn code_layer(bootstrap: &Path, assets: &[Entry]) -> Layer {
    let mut layer = Layer::default();
    layer.add_dir("/code", 0o755);
    layer.add_file(
        "/code/bootstrap",
        Source::Path(bootstrap.to_path_buf()),
        0o755,
    );
    for asset in assets {
        let mode = if asset.executable { 0o755 } else { 0o644 };
        layer.add_file(
            &format!("/code/{}", asset.name),
            Source::Path(asset.source.clone()),
            mode,
        );
    }
    layer
}

/// Where TLS clients look for the CA bundle on the distributions a build may run on; the image
/// gets it at Debian's path, which `SSL_CERT_FILE` names too.
const CA_BUNDLES: &[&str] = &[
    "/etc/ssl/certs/ca-certificates.crt",
    "/etc/pki/tls/certs/ca-bundle.crt",
    "/etc/ssl/cert.pem",
];
const CA_BUNDLE: &str = "/etc/ssl/certs/ca-certificates.crt";

/// The minimal base: the loader and libraries the bootstrap resolves in its build environment,
/// glibc's name service modules, the CA bundle, and the few files programs expect.
fn minimal_layer(
    environment: &mut dyn files::View,
    code: &Layer,
    linking: &crate::verify::ElfFacts,
    ui: &Ui,
) -> Result<(Layer, bool)> {
    let mut view = files::Overlay {
        upper: code,
        lower: Some(environment),
        name: "the build environment".into(),
    };
    let walk = libraries::walk(
        &mut view,
        "/code/bootstrap",
        linking,
        libraries::CODE_LIBRARY_PATH,
        libraries::DLOPENED,
    )?;
    let mut layer = Layer::default();
    if let Some(loader) = &walk.loader {
        layer.add_file(
            &loader.found_at,
            Source::Bytes(Arc::new(loader.bytes.clone())),
            0o755,
        );
    }
    for library in &walk.libraries {
        // The package's own libraries are in the code layer already.
        if library.found_at.starts_with("/code/") {
            continue;
        }
        layer.add_file(
            &library.found_at,
            Source::Bytes(Arc::new(library.bytes.clone())),
            0o755,
        );
    }
    let mut certificates = false;
    for candidate in CA_BUNDLES {
        if let Some((_, bytes)) =
            files::read(view.lower.as_deref_mut().expect("set above"), candidate)?
        {
            layer.add_file(CA_BUNDLE, Source::Bytes(Arc::new(bytes)), 0o644);
            certificates = true;
            break;
        }
    }
    if !certificates {
        ui.warn(format!(
            "no CA certificates in {}: HTTPS clients in the image will trust nothing",
            files::View::name(&view)
        ));
    }
    let text = |s: &str| Source::Bytes(Arc::new(s.as_bytes().to_vec()));
    layer.add_file(
        "/etc/passwd",
        text("root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\n"),
        0o644,
    );
    layer.add_file("/etc/group", text("root:x:0:\nnogroup:x:65534:\n"), 0o644);
    layer.add_file(
        "/etc/nsswitch.conf",
        text("passwd: files\ngroup: files\nhosts: files dns\n"),
        0o644,
    );
    layer.add_dir("/root", 0o700);
    layer.add_dir("/tmp", 0o1777);
    Ok((layer, certificates))
}

/// Makes, checks and loads one function's image, and pushes it when asked.
fn make(
    engine: &Engine,
    project: &Project,
    built: &Built,
    assets: &[Entry],
    options: &Options,
    password: Option<&str>,
    ui: &Ui,
) -> Result<Made> {
    let function = &built.function;
    let settings = template_settings(project, function)?;
    if let Some(settings) = &settings {
        settings.check_entrypoint()?;
        if let Some(runtime) = settings.runtime.as_deref()
            && runtime != platform::CONTAINER_RUNTIME
        {
            ui.warn(format!(
                "{} gives `{}` runtime `{runtime}`; FC runs an image only for runtime `{}`",
                settings.path.display(),
                function.name,
                platform::CONTAINER_RUNTIME
            ));
        }
    }
    let reference = choose_tag(options, settings.as_ref(), function)?;
    if let (Some(settings), Some(given)) = (&settings, &options.tag)
        && let Some(image) = &settings.image
        && !options.write_template
        && parse_reference(image).map(|r| r.repository) != Ok(reference.repository.clone())
    {
        ui.warn(format!(
            "{}:{}: the template runs image {image}, not {given}",
            settings.path.display(),
            settings.image_line.unwrap_or(0)
        ));
    }
    if options.push && reference.registry.is_none() {
        return Err(ContainerError::NoRegistry {
            tag: reference.tagged(),
        }
        .into());
    }
    let tag = reference.tagged();
    let port = settings
        .as_ref()
        .and_then(|s| s.port)
        .unwrap_or(platform::DEFAULT_PORT);
    let bytes =
        std::fs::read(&built.bootstrap).map_err(crate::error::io("read", &built.bootstrap))?;
    let linking = crate::verify::read_elf(&bytes).map_err(|why| ContainerError::Unloadable {
        function: function.name.clone(),
        image: tag.clone(),
        problems: vec![LoadProblem::NotLoadable {
            path: built.bootstrap.display().to_string(),
            why: why.to_string(),
        }],
    })?;
    let code = code_layer(&built.bootstrap, assets);
    let base = options
        .base
        .clone()
        .or_else(|| function.config.base.as_deref().map(Base::parse))
        .unwrap_or(Base::Minimal);
    let work = project.fc_dir().join("container");
    let time = image_time()?;
    let mut env: Vec<(String, String)> = Vec::new();
    let mut system = None;
    let exported = match base.image(built.runtime) {
        Some(image) => {
            ui.status("Exporting", format!("base image {image} from the engine"));
            Some(base::export(engine, &image, base == Base::Debian, &work)?)
        }
        None => {
            let mut environment: Box<dyn files::View> = match &built.image {
                Some(image) => Box::new(files::Image::new(engine, image)),
                None => Box::new(files::Host),
            };
            ui.detail(
                "Base",
                format!(
                    "minimal: the libraries `{}` links, from {}",
                    function.bin,
                    environment.name()
                ),
            );
            let (layer, certificates) = minimal_layer(environment.as_mut(), &code, &linking, ui)?;
            env.push((
                "PATH".into(),
                "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(),
            ));
            if certificates {
                env.push(("SSL_CERT_FILE".into(), CA_BUNDLE.into()));
            }
            system = Some(layer);
            None
        }
    };
    env.push((
        "LD_LIBRARY_PATH".into(),
        libraries::CODE_LIBRARY_PATH.join(":"),
    ));
    env.push(("FC_SERVER_PORT".into(), port.to_string()));
    let base_name = exported
        .as_ref()
        .map_or_else(|| "minimal".to_string(), |e| e.layers.image.clone());

    crate::interrupt::check()?;
    // The check: the loader's walk over the image as it will be, its base included.
    {
        let mut base_view = exported
            .as_ref()
            .map(|e| files::Image::new(engine, &e.layers.image));
        let empty = Layer::default();
        let mut lower = files::Overlay {
            upper: system.as_ref().unwrap_or(&empty),
            lower: base_view.as_mut().map(|v| v as &mut dyn files::View),
            name: base_name.clone(),
        };
        let mut image_view = files::Overlay {
            upper: &code,
            lower: Some(&mut lower),
            name: tag.clone(),
        };
        let walk = libraries::walk(
            &mut image_view,
            "/code/bootstrap",
            &linking,
            libraries::CODE_LIBRARY_PATH,
            &[],
        )?;
        if !walk.problems.is_empty() {
            return Err(ContainerError::Unloadable {
                function: function.name.clone(),
                image: format!("{tag} (base {base_name})"),
                problems: walk.problems,
            }
            .into());
        }
        let glibc = walk
            .libraries
            .iter()
            .find(|l| l.name == "libc.so.6")
            .and_then(|libc| {
                libc.linking
                    .defines
                    .iter()
                    .filter_map(|v| v.strip_prefix("GLIBC_"))
                    .filter_map(crate::platform::SymbolVersion::parse)
                    .max()
            });
        ui.status(
            "Verified",
            format!(
                "{} in its image: {} libraries resolve{}",
                function.bin,
                walk.libraries.len(),
                glibc.map_or_else(String::new, |v| format!(
                    ", its libc.so.6 defines symbol versions up to GLIBC_{v}"
                ))
            ),
        );
    }

    let mut labels = BTreeMap::from([
        (LABEL.to_string(), "function".to_string()),
        (format!("{LABEL}.function"), function.name.clone()),
        (format!("{LABEL}.bin"), function.bin.clone()),
        (format!("{LABEL}.crate-version"), function.version.clone()),
        (format!("{LABEL}.runtime"), built.runtime.id.to_string()),
        (
            "org.opencontainers.image.title".to_string(),
            function.name.clone(),
        ),
        (
            "org.opencontainers.image.version".to_string(),
            function.version.clone(),
        ),
    ]);
    if let Some(commit) = source_commit(&function.package_dir) {
        labels.insert(format!("{LABEL}.source-commit"), commit.clone());
        labels.insert("org.opencontainers.image.revision".to_string(), commit);
    }
    let mut layers: Vec<(&Layer, String)> = Vec::new();
    if let Some(system) = &system {
        layers.push((
            system,
            "cargo fc: the loader, libraries and files the bootstrap needs".into(),
        ));
    }
    layers.push((
        &code,
        format!("cargo fc: /code ({} and its assets)", function.bin),
    ));
    let spec = archive::Spec {
        tag: tag.clone(),
        base: exported.as_ref().map(|e| &e.layers),
        layers,
        entrypoint: vec![platform::BOOTSTRAP.to_string()],
        env,
        port,
        labels,
        time,
    };
    let image = archive::load(engine, &spec, &work, ui)?;
    drop(exported);
    ui.status(
        "Image",
        format!(
            "{tag} ({}, {} layers, id {}, base {base_name})",
            crate::ui::human_size(image.size),
            image.layers.len(),
            short(&image.id)
        ),
    );
    let mut made = Made {
        bin: function.bin.clone(),
        function: function.name.clone(),
        port,
        image,
        base: base_name,
        digest: None,
        pushed: None,
    };
    if options.push {
        check_limits(engine, &tag)?;
        let registry = reference.registry.clone().expect("checked above");
        if !registry.ends_with(platform::IMAGE_REGISTRY_SUFFIX) {
            ui.warn(format!(
                "FC pulls images from Alibaba Cloud Container Registry (*.aliyuncs.com), not from {registry}"
            ));
        }
        let (credentials, source) = match (&options.registry_user, password) {
            (Some(user), Some(password)) => (
                Some(bollard::auth::DockerCredentials {
                    username: Some(user.clone()),
                    password: Some(password.to_string()),
                    serveraddress: Some(registry.clone()),
                    ..Default::default()
                }),
                push::Source::CommandLine,
            ),
            _ => match push::docker_config_path() {
                Some(path) => push::from_config(&path, &registry)?,
                None => (None, push::Source::None),
            },
        };
        ui.detail(
            "Credentials",
            match &source {
                push::Source::None => format!("none for {registry}: pushing anonymously"),
                push::Source::File(path) => format!("for {registry} from {}", path.display()),
                push::Source::Helper(helper) => {
                    format!("for {registry} from docker-credential-{helper}")
                }
                push::Source::CommandLine => format!("for {registry} from --registry-user"),
            },
        );
        ui.status("Pushing", &tag);
        // The engine wants an auth header even for a registry that needs none.
        let pushed = push::push(
            engine,
            &reference,
            credentials.unwrap_or_default(),
            &made.image.layers,
            ui,
        )?;
        let by_digest = reference.with_digest(&pushed.digest);
        ui.status(
            "Pushed",
            format!(
                "{tag} ({} layers sent, {} already there): {by_digest}",
                pushed.pushed_layers, pushed.existing_layers
            ),
        );
        if options.write_template {
            let settings = settings
                .as_ref()
                .ok_or(ContainerError::NoImageKey { path: None })?;
            template::write_image(&settings.path, &function.name, &by_digest)?;
            ui.status(
                "Updated",
                format!(
                    "{}: customContainerConfig.image = {by_digest}",
                    settings.path.display()
                ),
            );
        }
        made.digest = Some(pushed.digest);
        made.pushed = Some(by_digest);
    }
    Ok(made)
}

/// FC's limits on the image, as the engine has it: linux/amd64 and at most 10 GB.
fn check_limits(engine: &Engine, tag: &str) -> Result<()> {
    let image = engine
        .block_on(engine.docker().inspect_image(tag))
        .map_err(|e| error::engine_failure(format!("looking at {tag}"), &e))?;
    let os = image.os.unwrap_or_default();
    let architecture = image.architecture.unwrap_or_default();
    if os != platform::IMAGE_OS || architecture != platform::IMAGE_ARCHITECTURE {
        return Err(ContainerError::Platform {
            tag: tag.to_string(),
            os,
            architecture,
        }
        .into());
    }
    let size = u64::try_from(image.size.unwrap_or(0)).unwrap_or(0);
    if size > platform::IMAGE_SIZE_LIMIT {
        return Err(ContainerError::TooLarge {
            tag: tag.to_string(),
            size,
            limit: platform::IMAGE_SIZE_LIMIT,
        }
        .into());
    }
    Ok(())
}

/// `sha256:0123456789ab…` → `0123456789ab`.
fn short(id: &str) -> &str {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    &hex[..hex.len().min(12)]
}
