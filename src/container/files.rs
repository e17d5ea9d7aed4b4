//! Read-only views of a file system the bootstrap will run on, or was built in: the host's, an
//! image's in the engine, or a layer being made over one of those. The library resolver reads
//! them the way the dynamic loader would.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use bollard::models::ContainerCreateBody;
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, DownloadFromContainerOptionsBuilder,
    RemoveContainerOptionsBuilder,
};
use futures_util::StreamExt;

use super::error::engine_failure;
use super::layer::{Content, Layer};
use crate::engine::{Engine, LABEL};
use crate::error::Result;

/// What is at a path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    File(Vec<u8>),
    /// A symbolic link and its target, as written.
    Link(String),
    /// A folder, or anything else that is not a file to load.
    Other,
    Missing,
}

pub trait View {
    /// The entry at an absolute path, without following a final symbolic link.
    fn node(&mut self, path: &str) -> Result<Node>;

    /// What this is, for messages: "this machine", "image debian:stretch".
    fn name(&self) -> String;
}

/// The file at `path`, following symbolic links as the kernel does (at most 40): its real path
/// and its bytes, or `None` when nothing is there.
pub fn read(view: &mut dyn View, path: &str) -> Result<Option<(String, Vec<u8>)>> {
    let mut current = normalize(path);
    for _ in 0..40 {
        match view.node(&current)? {
            Node::File(bytes) => return Ok(Some((current, bytes))),
            Node::Link(target) => {
                let parent = Path::new(&current)
                    .parent()
                    .unwrap_or(Path::new("/"))
                    .to_path_buf();
                current = normalize(&parent.join(target).display().to_string());
            }
            Node::Other | Node::Missing => return Ok(None),
        }
    }
    Ok(None)
}

/// `/a/./b/../c` → `/a/c`, purely lexically (an image's paths are not the host's).
pub fn normalize(path: &str) -> String {
    let mut parts: Vec<String> = Vec::new();
    for component in Path::new(path).components() {
        match component {
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop();
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    format!("/{}", parts.join("/"))
}

/// This machine's own files.
pub struct Host;

impl View for Host {
    fn node(&mut self, path: &str) -> Result<Node> {
        let path = Path::new(path);
        let Ok(metadata) = std::fs::symlink_metadata(path) else {
            return Ok(Node::Missing);
        };
        if metadata.file_type().is_symlink() {
            let target = std::fs::read_link(path).map_err(crate::error::io("read", path))?;
            return Ok(Node::Link(target.display().to_string()));
        }
        if !metadata.is_file() {
            return Ok(Node::Other);
        }
        std::fs::read(path)
            .map(Node::File)
            .map_err(crate::error::io("read", path))
    }

    fn name(&self) -> String {
        "this machine".into()
    }
}

/// A layer being made, over what is beneath it (nothing, for an image made from scratch).
pub struct Overlay<'a> {
    pub upper: &'a Layer,
    pub lower: Option<&'a mut dyn View>,
    pub name: String,
}

impl View for Overlay<'_> {
    fn node(&mut self, path: &str) -> Result<Node> {
        match self.upper.get(path) {
            Some(Content::File { source, .. }) => {
                let bytes = source
                    .read()
                    .map_err(crate::error::io("read", Path::new(path)))?;
                Ok(Node::File(bytes))
            }
            Some(Content::Dir { .. }) => Ok(Node::Other),
            None => match self.lower.as_mut() {
                Some(lower) => lower.node(path),
                None => Ok(Node::Missing),
            },
        }
    }

    fn name(&self) -> String {
        self.name.clone()
    }
}

/// An image's files, read through a container made of it that is never started. The container
/// is made on first use and removed when the view is dropped.
pub struct Image<'e> {
    engine: &'e Engine,
    image: String,
    container: Option<String>,
    cache: HashMap<String, Node>,
}

impl<'e> Image<'e> {
    pub fn new(engine: &'e Engine, image: &str) -> Self {
        Self {
            engine,
            image: image.to_string(),
            container: None,
            cache: HashMap::new(),
        }
    }

    fn container(&mut self) -> Result<String> {
        if let Some(name) = &self.container {
            return Ok(name.clone());
        }
        let name = container_name("inspect");
        let labels = HashMap::from([
            (LABEL.to_string(), "inspect".to_string()),
            (format!("{LABEL}.pid"), std::process::id().to_string()),
        ]);
        let config = ContainerCreateBody {
            image: Some(self.image.clone()),
            // Never run: an image without a command of its own still makes a container.
            entrypoint: Some(vec!["/cargo-fc-never-runs".to_string()]),
            cmd: Some(Vec::new()),
            labels: Some(labels),
            network_disabled: Some(true),
            ..ContainerCreateBody::default()
        };
        let options = CreateContainerOptionsBuilder::new().name(&name).build();
        let engine = self.engine;
        interruptible(
            engine,
            engine.docker().create_container(Some(options), config),
        )?
        .map_err(|e| engine_failure(format!("reading the files of {}", self.image), &e))?;
        self.container = Some(name.clone());
        Ok(name)
    }
}

impl View for Image<'_> {
    fn node(&mut self, path: &str) -> Result<Node> {
        if let Some(node) = self.cache.get(path) {
            return Ok(node.clone());
        }
        let container = self.container()?;
        let options = DownloadFromContainerOptionsBuilder::new()
            .path(path)
            .build();
        let engine = self.engine;
        let download = async {
            let mut stream = engine
                .docker()
                .download_from_container(&container, Some(options));
            let mut bytes = Vec::new();
            while let Some(chunk) = stream.next().await {
                bytes.extend_from_slice(&chunk?);
            }
            Ok::<_, bollard::errors::Error>(bytes)
        };
        let node = match interruptible(engine, download)? {
            Ok(archive) => first_entry(&archive)
                .map_err(|e| engine_failure(format!("reading {path} in {}", self.image), &e))?,
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => Node::Missing,
            Err(e) => {
                return Err(engine_failure(format!("reading {path} in {}", self.image), &e).into());
            }
        };
        self.cache.insert(path.to_string(), node.clone());
        Ok(node)
    }

    fn name(&self) -> String {
        format!("image {}", self.image)
    }
}

impl Drop for Image<'_> {
    fn drop(&mut self) {
        if let Some(name) = self.container.take() {
            remove_container(self.engine, &name);
        }
    }
}

/// Removes a container of cargo fc's, whatever state it is in; a failure is only reported, since
/// this runs on the way out.
pub fn remove_container(engine: &Engine, name: &str) {
    let options = RemoveContainerOptionsBuilder::new()
        .force(true)
        .v(true)
        .build();
    match engine.block_on(engine.docker().remove_container(name, Some(options))) {
        Ok(()) => {}
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => {}
        Err(e) => eprintln!(
            "warning: could not remove container {name}: {}; remove it with `docker rm -f {name}`",
            crate::engine::describe(&e)
        ),
    }
}

/// The archive endpoint answers with a tar of the one path asked for.
fn first_entry(archive: &[u8]) -> std::result::Result<Node, bollard::errors::Error> {
    use std::io::Read;
    let broken = |e: std::io::Error| bollard::errors::Error::IOError { err: e };
    let mut tar = tar::Archive::new(archive);
    let mut entries = tar.entries().map_err(broken)?;
    let Some(entry) = entries.next() else {
        return Ok(Node::Missing);
    };
    let mut entry = entry.map_err(broken)?;
    let kind = entry.header().entry_type();
    if kind.is_symlink() {
        let target = entry
            .link_name()
            .map_err(broken)?
            .map(|t| t.display().to_string())
            .unwrap_or_default();
        return Ok(Node::Link(target));
    }
    if !kind.is_file() {
        return Ok(Node::Other);
    }
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes).map_err(broken)?;
    Ok(Node::File(bytes))
}

/// A container name no other has: cargo fc's pid, what it is for, and a counter.
pub fn container_name(purpose: &str) -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    format!(
        "cargo-fc-{}-{purpose}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// Runs `future` on the engine's runtime, giving up on Ctrl-C or SIGTERM (exit 130). The
/// callers hold an [`crate::interrupt::Guard`], and their guards remove what was made.
pub fn interruptible<F: std::future::Future>(engine: &Engine, future: F) -> Result<F::Output> {
    crate::interrupt::check()?;
    engine.block_on(async {
        tokio::select! {
            output = future => Ok(output),
            () = crate::interrupt::wait() => Err(crate::error::Interrupted {
                cleaned_up: Some("cargo fc's containers and files were removed".into()),
            }
            .into()),
        }
    })
}

/// The folder a path's file is in, as an image path.
pub fn parent(path: &str) -> String {
    Path::new(path)
        .parent()
        .map_or_else(|| "/".to_string(), |p| p.display().to_string())
}

/// An image path joined from a folder and a name.
pub fn join(folder: &str, name: &str) -> String {
    normalize(&PathBuf::from(folder).join(name).display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::container::layer::Source;
    use std::sync::Arc;

    #[test]
    fn paths_normalize_lexically() {
        assert_eq!(normalize("/lib64/../lib/./x.so"), "/lib/x.so");
        assert_eq!(normalize("/../../etc"), "/etc");
        assert_eq!(join("/usr/lib", "../lib64/ld.so"), "/usr/lib64/ld.so");
    }

    /// Files and links by path, as a test's file system.
    struct Fake(HashMap<String, Node>);

    impl View for Fake {
        fn node(&mut self, path: &str) -> Result<Node> {
            Ok(self.0.get(path).cloned().unwrap_or(Node::Missing))
        }

        fn name(&self) -> String {
            "fake".into()
        }
    }

    #[test]
    fn links_are_followed_through_the_layers() {
        let mut base = Fake(HashMap::from([
            (
                "/lib/x86_64-linux-gnu/libc-2.24.so".to_string(),
                Node::File(b"libc".to_vec()),
            ),
            (
                "/lib/x86_64-linux-gnu/libc.so.6".to_string(),
                Node::Link("libc-2.24.so".into()),
            ),
            (
                "/lib64/libc.so.6".to_string(),
                Node::Link("../lib/x86_64-linux-gnu/libc.so.6".into()),
            ),
            ("/a".to_string(), Node::Link("/b".into())),
            ("/b".to_string(), Node::Link("/a".into())),
        ]));
        let mut upper = Layer::default();
        upper.add_file(
            "/code/lib/libc.so.6",
            Source::Bytes(Arc::new(b"ours".to_vec())),
            0o755,
        );
        let mut view = Overlay {
            upper: &upper,
            lower: Some(&mut base),
            name: "image".into(),
        };
        let (real, bytes) = read(&mut view, "/lib64/libc.so.6").unwrap().unwrap();
        assert_eq!(real, "/lib/x86_64-linux-gnu/libc-2.24.so");
        assert_eq!(bytes, b"libc");
        let (_, ours) = read(&mut view, "/code/lib/libc.so.6").unwrap().unwrap();
        assert_eq!(ours, b"ours");
        assert_eq!(read(&mut view, "/lib64/nothing.so").unwrap(), None);
        assert_eq!(read(&mut view, "/a").unwrap(), None, "a link loop ends");
    }
}
