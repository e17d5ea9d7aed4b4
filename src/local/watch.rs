//! `cargo fc local start --watch`: the functions' packages and their path dependencies are
//! watched; a save rebuilds through the project's pipeline (the same builder, incrementally),
//! verifies and packs, and only then do the new functions replace the old ones in the server. A
//! failed build leaves the previous version serving. A change to the deployment template only
//! re-reads the settings and re-prepares the existing packages: no build.
//!
//! What counts as a change: every file below a watched package except what `.gitignore` and
//! `.fcignore` files exclude (gitignore syntax, each applying to its folder and below, the
//! deeper one first, `.fcignore` over `.gitignore` in one folder), the target directory, `.git`
//! and the files editors write beside the one being saved. The workspace's `Cargo.toml`,
//! `Cargo.lock`, toolchain file and `.cargo/config.toml` count as well, and the templates.
//!
//! Folders are watched one by one rather than recursively, so that nothing ignored (a target
//! directory of thousands of folders, written to by every build) is ever watched at all.

use std::collections::BTreeSet;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ignore::Match;
use ignore::gitignore::{Gitignore, GitignoreBuilder};
use notify::event::{AccessKind, AccessMode, CreateKind, ModifyKind, RemoveKind};
use notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache};
use tokio::sync::mpsc;

use super::{Control, Overrides, Prepared, ServeOptions};
use crate::deployment::TEMPLATE_NAMES;
use crate::error::{Exit, Failure, Result, failure_any};
use crate::pipeline::{self, Packed};
use crate::project::{self, Project, Selection};
use crate::ui::Ui;

/// The project-level ignore file, in gitignore syntax: what is in git (or not ignored by it) but
/// must not rebuild the functions when it changes — docs, fixtures of other tools.
pub const IGNORE_FILE: &str = ".fcignore";
const GITIGNORE: &str = ".gitignore";

/// Files editors write beside the file being saved (swap files, backups, vim's probe `4913`),
/// which are never sources.
const EDITOR_FILES: &[&str] = &[
    "*.swp",
    "*.swo",
    "*.swx",
    "*~",
    ".#*",
    "#*#",
    "4913",
    ".DS_Store",
];

/// Files of the workspace root that change what cargo builds.
const WORKSPACE_FILES: &[&str] = &[
    "Cargo.toml",
    "Cargo.lock",
    "rust-toolchain",
    "rust-toolchain.toml",
    ".cargo/config.toml",
    ".cargo/config",
];

/// How long a file must be quiet before its change is reported: an editor's save is several
/// writes (or a write and a rename) within a few milliseconds.
const DEBOUNCE: Duration = Duration::from_millis(30);
/// The debouncer reports each file once it has been quiet for [`DEBOUNCE`], so one burst of
/// saves to several files can come in consecutive reports; reports this close together are one
/// change, and one build.
const SETTLE: Duration = Duration::from_millis(30);

/// Why watching could not start or go on.
#[derive(Debug)]
pub enum WatchError {
    /// The operating system refused to watch a folder (inotify's watch limit, most often).
    Watch { path: PathBuf, why: String },
    /// The watcher itself could not be made.
    Watcher { why: String },
}

impl fmt::Display for WatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WatchError::Watch { path, why } => {
                write!(f, "cannot watch {} for changes: {why}", path.display())
            }
            WatchError::Watcher { why } => write!(f, "cannot watch files for changes: {why}"),
        }
    }
}

impl Failure for WatchError {
    fn exit(&self) -> Exit {
        Exit::Io
    }

    fn kind(&self) -> &'static str {
        match self {
            WatchError::Watch { .. } => "local.watch",
            WatchError::Watcher { .. } => "local.watcher",
        }
    }

    fn location(&self) -> Option<crate::error::Location> {
        match self {
            WatchError::Watch { path, .. } => Some(crate::error::Location::file(path)),
            WatchError::Watcher { .. } => None,
        }
    }

    fn help(&self) -> Option<String> {
        Some(format!(
            "Linux limits the folders one user can watch (sysctl fs.inotify.max_user_watches); raise it, or leave folders out with {IGNORE_FILE} (gitignore syntax)"
        ))
    }

    fn details(&self) -> serde_json::Value {
        match self {
            WatchError::Watch { path, why } => serde_json::json!({ "path": path, "why": why }),
            WatchError::Watcher { why } => serde_json::json!({ "why": why }),
        }
    }

    failure_any!();
}

/// What is ignored below the watched folders.
pub struct Rules {
    /// Folders whose contents never count: the target directory, each package's `target`.
    skipped: Vec<PathBuf>,
    /// One matcher per folder with a `.gitignore` or an `.fcignore`, deepest first.
    matchers: Vec<Gitignore>,
    editor: Gitignore,
}

impl Rules {
    fn new(skipped: Vec<PathBuf>) -> Rules {
        let mut editor = GitignoreBuilder::new("");
        for pattern in EDITOR_FILES {
            editor
                .add_line(None, pattern)
                .expect("the editor patterns are valid globs");
        }
        Rules {
            skipped,
            matchers: Vec::new(),
            editor: editor.build().expect("the editor patterns are valid globs"),
        }
    }

    /// Whether a change to `path` (a folder when `is_dir`) does not count.
    pub fn ignored(&self, path: &Path, is_dir: bool) -> bool {
        if self.skipped.iter().any(|dir| path.starts_with(dir)) {
            return true;
        }
        let name = path.file_name().unwrap_or_default();
        if name == ".git" || path.components().any(|c| c.as_os_str() == ".git") {
            return true;
        }
        if !is_dir && self.editor.matched(Path::new(name), false).is_ignore() {
            return true;
        }
        for matcher in &self.matchers {
            let root = matcher.path();
            if path == root || !path.starts_with(root) {
                continue;
            }
            match matcher.matched_path_or_any_parents(path, is_dir) {
                Match::Ignore(_) => return true,
                Match::Whitelist(_) => return false,
                Match::None => {}
            }
        }
        false
    }

    /// Reads `dir`'s `.gitignore` and `.fcignore`, if it has either, into one matcher in which
    /// `.fcignore`'s lines come last and so win.
    fn load(&mut self, dir: &Path, ui: &Ui) {
        let files: Vec<PathBuf> = [GITIGNORE, IGNORE_FILE]
            .iter()
            .map(|name| dir.join(name))
            .filter(|path| path.is_file())
            .collect();
        if files.is_empty() {
            return;
        }
        let mut builder = GitignoreBuilder::new(dir);
        for file in &files {
            // A bad line is reported and the others still apply, as git does.
            if let Some(error) = builder.add(file) {
                ui.warn(format!("{}: {error}", file.display()));
            }
        }
        match builder.build() {
            Ok(matcher) => {
                let depth = dir.components().count();
                let at = self
                    .matchers
                    .iter()
                    .position(|m| m.path().components().count() < depth)
                    .unwrap_or(self.matchers.len());
                self.matchers.insert(at, matcher);
            }
            Err(error) => ui.warn(format!("{}: {error}", dir.display())),
        }
    }
}

/// The folders below `trees` to watch, and the rules that apply there: one walk that loads each
/// folder's ignore files before looking at its entries, so that it never enters an ignored
/// folder. Symbolic links to folders are not followed (they could loop).
pub fn scan(trees: &[PathBuf], skipped: Vec<PathBuf>, ui: &Ui) -> (Rules, BTreeSet<PathBuf>) {
    let mut rules = Rules::new(skipped);
    let mut dirs = BTreeSet::new();
    let mut stack: Vec<PathBuf> = trees.iter().rev().cloned().collect();
    while let Some(dir) = stack.pop() {
        if !dirs.insert(dir.clone()) {
            continue;
        }
        rules.load(&dir, ui);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            // A folder removed since it was seen, or one this user cannot read: nothing in it
            // can be built either.
            continue;
        };
        let mut children = Vec::new();
        for entry in entries.flatten() {
            let path = entry.path();
            if entry.file_type().is_ok_and(|t| t.is_dir()) && !rules.ignored(&path, true) {
                children.push(path);
            }
        }
        children.sort();
        stack.extend(children.into_iter().rev());
    }
    (rules, dirs)
}

/// What a change can call for, gathered over one burst of changes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Changes {
    /// A source changed: build.
    pub build: bool,
    /// A manifest changed: read the project again (its functions, its path dependencies).
    pub manifest: bool,
    /// A template changed: read the settings again, from the packages there are.
    pub settings: bool,
    /// A folder appeared or went, or an ignore file changed: walk the trees again.
    pub rescan: bool,
}

impl Changes {
    fn merge(&mut self, other: Changes) {
        self.build |= other.build;
        self.manifest |= other.manifest;
        self.settings |= other.settings;
        self.rescan |= other.rescan;
    }

    fn any_work(&self) -> bool {
        self.build || self.settings
    }
}

/// What is watched, from the project: the packages of its functions and their path
/// dependencies (with everything below them), the workspace's build files and the templates.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Watched {
    pub trees: Vec<PathBuf>,
    /// Files outside the trees whose change calls for a build (their folders are watched on
    /// their own).
    pub files: Vec<PathBuf>,
    /// The deployment templates found, and the folders a new template would be found in.
    pub templates: Vec<PathBuf>,
    pub template_dirs: Vec<PathBuf>,
    pub target_dir: PathBuf,
}

impl Watched {
    /// The folders and rules to watch them by.
    fn scan(&self, ui: &Ui) -> (Rules, BTreeSet<PathBuf>) {
        let mut skipped = vec![self.target_dir.clone()];
        skipped.extend(self.trees.iter().map(|tree| tree.join("target")));
        let (rules, mut dirs) = scan(&self.trees, skipped, ui);
        for file in self.files.iter().chain(&self.templates) {
            if let Some(parent) = file.parent()
                && parent.is_dir()
            {
                dirs.insert(parent.to_path_buf());
            }
        }
        dirs.extend(self.template_dirs.iter().filter(|d| d.is_dir()).cloned());
        (rules, dirs)
    }

    /// What a change to `path` calls for.
    pub fn classify(&self, rules: &Rules, path: &Path, kind: &EventKind) -> Changes {
        let mut changes = Changes::default();
        if !counts(kind) {
            return changes;
        }
        let name = path.file_name().unwrap_or_default();
        let is_template = self.templates.iter().any(|t| t == path)
            || (TEMPLATE_NAMES.iter().any(|t| name == *t)
                && path
                    .parent()
                    .is_some_and(|parent| self.template_dirs.iter().any(|d| d == parent)));
        if is_template {
            changes.settings = true;
            return changes;
        }
        if self.files.iter().any(|f| f == path) {
            changes.build = true;
            changes.manifest = true;
            return changes;
        }
        if !self.trees.iter().any(|tree| path.starts_with(tree)) {
            return changes;
        }
        if name == GITIGNORE || name == IGNORE_FILE {
            changes.rescan = true;
            return changes;
        }
        let is_dir = match kind {
            EventKind::Create(CreateKind::Folder) | EventKind::Remove(RemoveKind::Folder) => true,
            _ => path.is_dir(),
        };
        if rules.ignored(path, is_dir) {
            return changes;
        }
        changes.build = true;
        changes.rescan = is_dir || matches!(kind, EventKind::Modify(ModifyKind::Name(_)));
        changes.manifest = name == "Cargo.toml";
        changes
    }
}

/// Whether an event is a change: reading a file (cargo does, on every build) is not.
fn counts(kind: &EventKind) -> bool {
    match kind {
        EventKind::Access(AccessKind::Close(AccessMode::Write)) => true,
        EventKind::Access(_) => false,
        _ => true,
    }
}

/// The watched folders, and the debounced events from them.
struct Watcher {
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: mpsc::UnboundedReceiver<DebounceEventResult>,
    watched: Watched,
    rules: Rules,
    dirs: BTreeSet<PathBuf>,
    /// The burst being gathered, and the files it changed.
    gathered: Changes,
    paths: Vec<PathBuf>,
}

impl Watcher {
    fn start(watched: Watched, ui: &Ui) -> Result<Watcher, WatchError> {
        let (sender, events) = mpsc::unbounded_channel();
        let debouncer = notify_debouncer_full::new_debouncer(
            DEBOUNCE,
            Some(DEBOUNCE / 4),
            move |result: DebounceEventResult| {
                let _ = sender.send(result);
            },
        )
        .map_err(|e| WatchError::Watcher { why: e.to_string() })?;
        let mut watcher = Watcher {
            debouncer,
            events,
            watched: Watched::default(),
            rules: Rules::new(Vec::new()),
            dirs: BTreeSet::new(),
            gathered: Changes::default(),
            paths: Vec::new(),
        };
        watcher.sync(watched, ui)?;
        Ok(watcher)
    }

    /// Watches what `watched` names now, and stops watching what it no longer does.
    fn sync(&mut self, watched: Watched, ui: &Ui) -> Result<(), WatchError> {
        let (rules, mut dirs) = watched.scan(ui);
        for gone in self.dirs.difference(&dirs) {
            // It may be gone from the disk already, and its watch with it.
            let _ = self.debouncer.unwatch(gone);
        }
        let mut failure = None;
        let new: Vec<PathBuf> = dirs.difference(&self.dirs).cloned().collect();
        for dir in new {
            if let Err(error) = self.debouncer.watch(&dir, RecursiveMode::NonRecursive) {
                dirs.remove(&dir);
                // A folder that went between the walk and now has nothing to watch.
                if dir.exists() && failure.is_none() {
                    failure = Some(WatchError::Watch {
                        path: dir,
                        why: error.to_string(),
                    });
                }
            }
        }
        ui.detail(
            "Watching",
            format!(
                "{} folders below {}",
                dirs.len(),
                watched
                    .trees
                    .iter()
                    .map(|t| t.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        self.dirs = dirs;
        self.rules = rules;
        self.watched = watched;
        failure.map_or(Ok(()), Err)
    }

    /// [`Watcher::sync`] once serving: a folder that cannot be watched is reported, and the rest
    /// is still watched.
    fn resync(&mut self, watched: Watched, ui: &Ui) {
        if let Err(error) = self.sync(watched, ui) {
            ui.warn(crate::error::Error::from(error));
        }
    }

    /// The next burst of changes: reports until [`SETTLE`] passes without one. `None` when the
    /// watcher has stopped. Cancel-safe: what a dropped call had gathered stays for the next.
    async fn next(&mut self, ui: &Ui) -> Option<(Changes, Vec<PathBuf>)> {
        loop {
            let received = if self.gathered == Changes::default() && self.paths.is_empty() {
                self.events.recv().await
            } else {
                match tokio::time::timeout(SETTLE, self.events.recv()).await {
                    Ok(received) => received,
                    Err(_) => {
                        let changes = std::mem::take(&mut self.gathered);
                        return Some((changes, std::mem::take(&mut self.paths)));
                    }
                }
            };
            self.take(received?, ui);
        }
    }

    fn take(&mut self, result: DebounceEventResult, ui: &Ui) {
        match result {
            Ok(events) => {
                for event in events {
                    if event.need_rescan() {
                        // The kernel dropped events: anything may have changed.
                        self.gathered.merge(Changes {
                            build: true,
                            manifest: true,
                            settings: true,
                            rescan: true,
                        });
                    }
                    for path in &event.paths {
                        let one = self.watched.classify(&self.rules, path, &event.kind);
                        if one.any_work() && !self.paths.contains(path) {
                            self.paths.push(path.clone());
                        }
                        self.gathered.merge(one);
                    }
                }
            }
            Err(errors) => {
                for error in errors {
                    ui.warn(format!("watching for changes: {error}"));
                }
            }
        }
    }
}

/// What the watch loop asks of a rebuild; [`Session`] is the project's.
pub trait Rebuild: Send + 'static {
    /// Builds, verifies, packs and prepares every function; with `reload`, reads the project
    /// (its manifests) again first.
    fn build(&mut self, reload: bool, ui: &Ui) -> Result<Vec<Prepared>>;
    /// Prepares the last build's packages again, with the template's settings read anew.
    fn reconfigure(&mut self, ui: &Ui) -> Result<Vec<Prepared>>;
    /// What to watch.
    fn watched(&self, ui: &Ui) -> Watched;
}

/// Picks the functions to serve out of the project the selection loads.
pub type Select = Box<dyn Fn(Project) -> Result<Project> + Send>;

/// What a rebuild needs, and what the last one made.
pub struct Session {
    selection: Selection,
    select: Select,
    options: pipeline::Options,
    overrides: Overrides,
    project: Project,
    /// The packages the last build made, which a template change re-prepares.
    packed: Vec<Packed>,
}

impl Session {
    /// Loads the project. `options` are the first build's: `--no-build` starts from the last
    /// build, and every later build builds.
    pub fn new(
        selection: Selection,
        select: Select,
        options: pipeline::Options,
        overrides: Overrides,
    ) -> Result<Session> {
        let project = select(project::load(&selection)?)?;
        Ok(Session {
            selection,
            select,
            options,
            overrides,
            project,
            packed: Vec::new(),
        })
    }

    /// What `local start` serves of the packages: the functions the template declares.
    fn prepare(&self, packed: &[Packed], ui: &Ui) -> Result<Vec<Prepared>> {
        super::prepare_all(&self.project, packed.to_vec(), &self.overrides, ui)
    }
}

impl Rebuild for Session {
    /// Builds, verifies and packs every function through the project's pipeline, then prepares
    /// each as FC would run it. With `reload`, the project (its manifests) is read again first.
    fn build(&mut self, reload: bool, ui: &Ui) -> Result<Vec<Prepared>> {
        if reload {
            self.project = (self.select)(project::load(&self.selection)?)?;
        }
        // Packages only this machine runs: stored, not deflated (src/pack: Purpose::Local).
        let packed = pipeline::pack_for(
            crate::pack::Purpose::Local,
            &self.project,
            &self.options,
            ui,
        )?;
        // Only the first build may start from the last one: later ones are for a change.
        self.options.reuse_build = false;
        let prepared = self.prepare(&packed, ui)?;
        self.packed = packed;
        Ok(prepared)
    }

    /// Prepares the packages of the last build again: the template's settings are read anew,
    /// the code is not rebuilt.
    fn reconfigure(&mut self, ui: &Ui) -> Result<Vec<Prepared>> {
        let packed = self.packed.clone();
        self.prepare(&packed, ui)
    }

    /// What to watch for this project.
    fn watched(&self, ui: &Ui) -> Watched {
        watched(&self.project, ui)
    }
}

/// The folders, files and templates to watch for `project`.
pub fn watched(project: &Project, ui: &Ui) -> Watched {
    let mut trees: Vec<PathBuf> = project
        .functions
        .iter()
        .map(|f| f.package_dir.clone())
        .collect();
    match path_dependencies(project) {
        Ok(dirs) => trees.extend(dirs),
        Err(why) => ui.warn(format!(
            "the functions' path dependencies are not watched: cargo metadata failed ({why})"
        )),
    }
    trees.sort();
    trees.dedup();
    // A tree inside another is watched as part of it.
    let outer = trees.clone();
    trees.retain(|tree| !outer.iter().any(|o| o != tree && tree.starts_with(o)));
    let files: Vec<PathBuf> = WORKSPACE_FILES
        .iter()
        .map(|name| project.workspace_root.join(name))
        .filter(|file| !trees.iter().any(|tree| file.starts_with(tree)))
        .collect();
    let templates = match crate::deployment::find_templates(project) {
        Ok(found) => found.into_iter().map(|f| f.path).collect(),
        Err(error) => {
            ui.warn(format!(
                "the templates are not watched: {}",
                crate::error::Error::from(error)
            ));
            Vec::new()
        }
    };
    let mut template_dirs: Vec<PathBuf> = project
        .functions
        .iter()
        .map(|f| f.package_dir.clone())
        .chain([project.workspace_root.clone()])
        .collect();
    template_dirs.sort();
    template_dirs.dedup();
    Watched {
        trees,
        files,
        templates,
        template_dirs,
        target_dir: project.target_dir.clone(),
    }
}

/// The folders of the local packages the functions depend on, directly or not (normal and build
/// dependencies; dev-dependencies do not go into a bootstrap). Read offline: the first build has
/// resolved and fetched everything already.
fn path_dependencies(project: &Project) -> std::result::Result<Vec<PathBuf>, String> {
    use std::collections::{HashMap, HashSet};
    let metadata = cargo_metadata::MetadataCommand::new()
        .manifest_path(project.workspace_manifest())
        .other_options(vec!["--offline".to_string()])
        .exec()
        .map_err(|e| e.to_string().lines().next().unwrap_or_default().to_string())?;
    let Some(resolve) = &metadata.resolve else {
        return Ok(Vec::new());
    };
    let nodes: HashMap<_, _> = resolve.nodes.iter().map(|n| (&n.id, n)).collect();
    let packages: HashMap<_, _> = metadata.packages.iter().map(|p| (&p.id, p)).collect();
    let mut stack: Vec<_> = metadata
        .packages
        .iter()
        .filter(|p| project.functions.iter().any(|f| f.package_id == p.id.repr))
        .map(|p| &p.id)
        .collect();
    let mut seen = HashSet::new();
    let mut dirs = Vec::new();
    while let Some(id) = stack.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(package) = packages.get(id) else {
            continue;
        };
        // A package without a source is a path dependency (or a workspace member).
        if package.source.is_none()
            && let Some(dir) = package.manifest_path.parent()
        {
            dirs.push(dir.to_path_buf().into_std_path_buf());
        }
        let Some(node) = nodes.get(id) else { continue };
        for dep in &node.deps {
            let shipped = dep
                .dep_kinds
                .iter()
                .any(|k| !matches!(k.kind, cargo_metadata::DependencyKind::Development));
            if shipped && packages.get(&dep.pkg).is_some_and(|p| p.source.is_none()) {
                stack.push(&dep.pkg);
            }
        }
    }
    Ok(dirs)
}

/// How long a rebuild still running at Ctrl-C is waited for (cargo got the terminal's Ctrl-C as
/// well and is stopping) before cargo fc ends without it.
const STOP_WAIT: Duration = Duration::from_secs(2);

/// `cargo fc local start --watch`: the first build (or, with `--no-build`, the last one) is
/// served while the loop watches; the server ends at Ctrl-C, and the watching with it.
pub fn start(
    selection: Selection,
    function: Option<String>,
    pipeline: pipeline::Options,
    overrides: Overrides,
    options: ServeOptions,
    ui: &Ui,
) -> Result<()> {
    let select: Select = Box::new(move |project: Project| match &function {
        Some(name) => Ok(project.only(Some(name))?),
        None => Ok(project),
    });
    let mut session = Session::new(selection, select, pipeline, overrides)?;
    let functions = session.build(false, ui)?;
    // Watching starts before serving, so that a folder that cannot be watched stops the
    // command rather than leaving a server that never reloads.
    let watcher = Watcher::start(session.watched(ui), ui)?;
    let runtime = super::runtime()?;
    let outcome = runtime.block_on(async {
        let (sender, receiver) = mpsc::channel(4);
        let watching = {
            let ui = ui.clone();
            tokio::spawn(async move { watch_loop(session, watcher, sender, &ui).await })
        };
        let served = super::serve(functions, options, ui, Some(receiver)).await;
        watching.abort();
        served
    });
    runtime.shutdown_timeout(STOP_WAIT);
    outcome
}

/// Watches the project until the server stops listening to `control`: each change rebuilds
/// (or, for a template, re-prepares) on a blocking thread while the server holds new requests,
/// then hands the server the new functions, or lets it go on with the old ones.
pub async fn run<R: Rebuild>(session: R, control: mpsc::Sender<Control>, ui: &Ui) -> Result<()> {
    let watcher = Watcher::start(session.watched(ui), ui)?;
    watch_loop(session, watcher, control, ui).await;
    Ok(())
}

async fn watch_loop<R: Rebuild>(
    session: R,
    mut watcher: Watcher,
    control: mpsc::Sender<Control>,
    ui: &Ui,
) {
    ui.status(
        "Watching",
        format!(
            "{} for changes (Ctrl-C stops)",
            watcher
                .watched
                .trees
                .iter()
                .map(|t| crate::deployment::display_path(t))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    let mut session = Some(session);
    let mut pending = Changes::default();
    let mut changed: Vec<PathBuf> = Vec::new();
    let mut running: Option<Running<R>> = None;
    loop {
        tokio::select! {
            next = watcher.next(ui) => {
                let Some((changes, paths)) = next else { return };
                if changes.rescan {
                    let watched = watcher.watched.clone();
                    watcher.resync(watched, ui);
                }
                pending.merge(changes);
                for path in paths {
                    if !changed.contains(&path) {
                        changed.push(path);
                    }
                }
            }
            finished = async { running.as_mut().expect("guarded").join().await }, if running.is_some() => {
                let work = running.take().expect("guarded");
                let (back, outcome) = finished;
                let message = match outcome {
                    Ok(prepared) => {
                        ui.status(
                            work.done_verb(),
                            format!("in {:.1} s: the new version serves from now on", work.started.elapsed().as_secs_f64()),
                        );
                        Control::Replace(prepared)
                    }
                    Err(error) => {
                        ui.error(&error);
                        ui.warn("the previous version keeps serving; save again to retry");
                        Control::Resume
                    }
                };
                if work.changes.manifest {
                    let watched = back.watched(ui);
                    if watched != watcher.watched {
                        watcher.resync(watched, ui);
                    }
                }
                session = Some(back);
                if control.send(message).await.is_err() {
                    return;
                }
            }
        }
        if running.is_none() && pending.any_work() {
            let changes = std::mem::take(&mut pending);
            let paths = std::mem::take(&mut changed);
            if control.send(Control::Rebuilding).await.is_err() {
                return;
            }
            ui.status(
                "Changed",
                format!(
                    "{}: {}",
                    describe_paths(&paths),
                    if changes.build {
                        "rebuilding"
                    } else {
                        "reading the settings again"
                    }
                ),
            );
            let session = session.take().expect("no build is running");
            running = Some(Running::start(session, changes, ui.clone()));
        }
    }
}

/// A rebuild (or re-preparation) on a blocking thread, which hands the session back.
struct Running<R> {
    changes: Changes,
    started: Instant,
    handle: tokio::task::JoinHandle<(R, Result<Vec<Prepared>>)>,
}

impl<R: Rebuild> Running<R> {
    fn start(mut session: R, changes: Changes, ui: Ui) -> Running<R> {
        let handle = tokio::task::spawn_blocking(move || {
            let outcome = if changes.build {
                session.build(changes.manifest, &ui)
            } else {
                session.reconfigure(&ui)
            };
            (session, outcome)
        });
        Running {
            changes,
            started: Instant::now(),
            handle,
        }
    }

    async fn join(&mut self) -> (R, Result<Vec<Prepared>>) {
        match (&mut self.handle).await {
            Ok(done) => done,
            // A panic is a bug of cargo fc's: it is shown as one, not swallowed.
            Err(error) => std::panic::resume_unwind(error.into_panic()),
        }
    }

    fn done_verb(&self) -> &'static str {
        if self.changes.build {
            "Rebuilt"
        } else {
            "Reloaded"
        }
    }
}

/// The changed files as a user reads them: the first few, then how many more.
fn describe_paths(paths: &[PathBuf]) -> String {
    const SHOWN: usize = 3;
    let mut shown: Vec<String> = paths
        .iter()
        .take(SHOWN)
        .map(|p| crate::deployment::display_path(p))
        .collect();
    if paths.len() > SHOWN {
        shown.push(format!("{} more", paths.len() - SHOWN));
    }
    if shown.is_empty() {
        "files changed".into()
    } else {
        shown.join(", ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{DataChange, MetadataKind};
    use std::sync::{Arc, Mutex};

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A package folder with sources, ignore files, a target dir and a `.git`.
    fn tree() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(&root.join("Cargo.toml"), "[package]\n");
        write(&root.join("src/main.rs"), "fn main() {}\n");
        write(&root.join(".gitignore"), "*.log\n/generated/\nnotes/\n");
        write(&root.join(IGNORE_FILE), "docs/\n!keep.log\n");
        write(&root.join("src/deep/.gitignore"), "*.tmp\n!wanted.log\n");
        write(&root.join("src/deep/mod.rs"), "");
        write(&root.join("generated/out.rs"), "");
        write(&root.join("docs/guide.md"), "");
        write(&root.join("target/debug/app"), "");
        write(&root.join(".git/HEAD"), "ref: refs/heads/main\n");
        write(&root.join("assets/notes/todo.txt"), "");
        dir
    }

    #[test]
    fn ignore_files_target_git_and_editor_files_are_not_changes() {
        let dir = tree();
        let root = dir.path().to_path_buf();
        let (rules, dirs) = scan(
            std::slice::from_ref(&root),
            vec![root.join("target")],
            &Ui::silent(),
        );
        let ignored = |relative: &str| rules.ignored(&root.join(relative), false);
        assert!(!ignored("src/main.rs"));
        assert!(!ignored("Cargo.toml"));
        assert!(ignored("server.log"), "the root .gitignore");
        assert!(!ignored("keep.log"), ".fcignore's `!` wins over .gitignore");
        assert!(ignored("docs/guide.md"), ".fcignore");
        assert!(ignored("generated/out.rs"), "an anchored folder pattern");
        assert!(
            ignored("assets/notes/todo.txt"),
            "an unanchored folder pattern"
        );
        assert!(ignored("src/deep/x.tmp"), "a nested .gitignore");
        assert!(
            !ignored("src/deep/wanted.log"),
            "the deeper .gitignore is asked first"
        );
        assert!(ignored("src/other.log"), "the root rules apply below");
        assert!(ignored("target/debug/app"));
        assert!(ignored(".git/HEAD"));
        assert!(ignored("src/.main.rs.swp"));
        assert!(ignored("src/main.rs~"));
        assert!(ignored("src/4913"));
        // The walk never entered what is ignored, so those folders are not watched.
        let relative: Vec<String> = dirs
            .iter()
            .map(|d| d.strip_prefix(&root).unwrap().display().to_string())
            .collect();
        assert_eq!(
            relative,
            ["", "assets", "src", "src/deep"],
            "watched folders: {relative:?}"
        );
    }

    fn watched(root: &Path) -> Watched {
        Watched {
            trees: vec![root.join("pkg"), root.join("dep")],
            files: vec![root.join("Cargo.toml"), root.join("Cargo.lock")],
            templates: vec![root.join("pkg/template.yml")],
            template_dirs: vec![root.join("pkg"), root.to_path_buf()],
            target_dir: root.join("target"),
        }
    }

    #[test]
    fn each_change_calls_for_what_it_changes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        write(&root.join("pkg/.gitignore"), "*.log\n");
        write(&root.join("pkg/src/main.rs"), "");
        write(&root.join("dep/src/lib.rs"), "");
        let watched = watched(root);
        let (rules, _) = watched.scan(&Ui::silent());
        let modify = EventKind::Modify(ModifyKind::Data(DataChange::Content));
        let of =
            |relative: &str, kind: &EventKind| watched.classify(&rules, &root.join(relative), kind);
        let build = Changes {
            build: true,
            ..Changes::default()
        };
        assert_eq!(of("pkg/src/main.rs", &modify), build);
        assert_eq!(of("dep/src/lib.rs", &modify), build, "a path dependency");
        assert_eq!(
            of(
                "pkg/src/main.rs",
                &EventKind::Modify(ModifyKind::Metadata(MetadataKind::WriteTime))
            ),
            build,
            "touch"
        );
        assert_eq!(
            of(
                "pkg/src/main.rs",
                &EventKind::Access(AccessKind::Open(AccessMode::Any))
            ),
            Changes::default(),
            "cargo reads every source on every build"
        );
        assert_eq!(
            of(
                "pkg/src/main.rs",
                &EventKind::Access(AccessKind::Close(AccessMode::Write))
            ),
            build
        );
        assert_eq!(of("pkg/debug.log", &modify), Changes::default());
        assert_eq!(of("elsewhere/main.rs", &modify), Changes::default());
        let settings = Changes {
            settings: true,
            ..Changes::default()
        };
        assert_eq!(of("pkg/template.yml", &modify), settings);
        assert_eq!(of("s.yaml", &modify), settings, "a new template");
        let manifest = Changes {
            build: true,
            manifest: true,
            ..Changes::default()
        };
        assert_eq!(of("Cargo.lock", &modify), manifest);
        assert_eq!(of("pkg/Cargo.toml", &modify), manifest);
        assert_eq!(
            of("pkg/.gitignore", &modify),
            Changes {
                rescan: true,
                ..Changes::default()
            },
            "an ignore file changes what is watched, not what is built"
        );
        assert_eq!(
            of("pkg/src/new", &EventKind::Create(CreateKind::Folder)),
            Changes {
                build: true,
                rescan: true,
                ..Changes::default()
            }
        );
    }

    fn prepared(version: &str) -> Prepared {
        Prepared::unpacked_in(
            PathBuf::from("/code"),
            super::super::settings::Settings::defaults(&super::super::settings::tests::function(
                version,
            )),
            "custom",
        )
    }

    /// A rebuild that reads `src/main.rs`: it fails while the file says `broken`, and names
    /// the functions it makes after what the file says.
    struct Fake {
        root: PathBuf,
        builds: Arc<Mutex<Vec<String>>>,
        reconfigured: Arc<Mutex<usize>>,
    }

    impl Rebuild for Fake {
        fn build(&mut self, _reload: bool, _ui: &Ui) -> Result<Vec<Prepared>> {
            let source = std::fs::read_to_string(self.root.join("pkg/src/main.rs")).unwrap();
            self.builds.lock().unwrap().push(source.clone());
            if source.contains("slow") {
                // Held until the test has saved again, so that the save lands during the build.
                while !self.root.join("pkg/src/during.rs").exists() {
                    std::thread::sleep(Duration::from_millis(5));
                }
            }
            if source.contains("broken") {
                return Err(crate::build::BuildError::CargoFailed {
                    what: "cargo build",
                    status: Some(101),
                }
                .into());
            }
            Ok(vec![prepared(&source)])
        }

        fn reconfigure(&mut self, _ui: &Ui) -> Result<Vec<Prepared>> {
            *self.reconfigured.lock().unwrap() += 1;
            Ok(vec![prepared("reconfigured")])
        }

        fn watched(&self, _ui: &Ui) -> Watched {
            watched(&self.root)
        }
    }

    /// What the server was told, in order.
    async fn told(control: &mut mpsc::Receiver<Control>, count: usize) -> Vec<String> {
        let mut messages = Vec::new();
        while messages.len() < count {
            messages.push(match control.recv().await.expect("the loop runs") {
                Control::Rebuilding => "rebuilding".to_string(),
                Control::Resume => "resume".to_string(),
                Control::Replace(functions) => format!(
                    "replace {}",
                    functions
                        .iter()
                        .map(|f| f.settings.function_name.clone())
                        .collect::<Vec<_>>()
                        .join(",")
                ),
            });
        }
        messages
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn saves_rebuild_once_per_burst_failures_keep_the_old_version_templates_only_reconfigure()
    {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        write(&root.join("pkg/src/main.rs"), "v1");
        write(&root.join("pkg/template.yml"), "a");
        write(&root.join("pkg/.gitignore"), "*.log\n");
        write(&root.join("dep/src/lib.rs"), "");
        let builds = Arc::new(Mutex::new(Vec::new()));
        let reconfigured = Arc::new(Mutex::new(0));
        let fake = Fake {
            root: root.clone(),
            builds: builds.clone(),
            reconfigured: reconfigured.clone(),
        };
        let (sender, mut control) = mpsc::channel(8);
        let ui = Ui::silent();
        let watching = tokio::spawn(async move { run(fake, sender, &ui).await });
        // The watcher is in place once a change is seen; until then, keep saving. Saves made
        // before it was can still be on their way: a last one, waited for, flushes them.
        let main = root.join("pkg/src/main.rs");
        for attempt in 0.. {
            assert!(attempt < 100, "no change was ever seen");
            write(&main, "v2");
            if let Ok(Some(message)) =
                tokio::time::timeout(Duration::from_secs(1), control.recv()).await
            {
                assert!(matches!(message, Control::Rebuilding));
                break;
            }
        }
        write(&main, "flush");
        while told(&mut control, 1).await != ["replace flush"] {}

        // A burst of saves, to several files, is one build: saves that come within DEBOUNCE of
        // each other. A machine that stalled this thread for longer made two bursts of it.
        builds.lock().unwrap().clear();
        let burst = Instant::now();
        for round in 0..5 {
            write(&main, &format!("v3 {round}"));
            write(&root.join("dep/src/lib.rs"), &format!("{round}"));
        }
        write(&main, "v3");
        if burst.elapsed() < DEBOUNCE {
            assert_eq!(told(&mut control, 2).await, ["rebuilding", "replace v3"]);
        } else {
            while told(&mut control, 1).await != ["replace v3"] {}
            let mut built = builds.lock().unwrap();
            built.retain(|b| b == "v3");
            built.dedup();
        }

        // A broken build keeps the old version: the server is told to go on with it.
        write(&main, "broken");
        assert_eq!(told(&mut control, 2).await, ["rebuilding", "resume"]);
        write(&main, "v4");
        assert_eq!(told(&mut control, 2).await, ["rebuilding", "replace v4"]);

        // An ignored file is no change: the next message is for the template's edit, which
        // re-prepares without a build.
        write(&root.join("pkg/debug.log"), "noise");
        write(&root.join("pkg/template.yml"), "b");
        assert_eq!(
            told(&mut control, 2).await,
            ["rebuilding", "replace reconfigured"]
        );
        assert_eq!(*reconfigured.lock().unwrap(), 1);
        assert_eq!(
            *builds.lock().unwrap(),
            ["v3", "broken", "v4"],
            "one build per burst, none for the ignored file or the template"
        );

        // A save during a build is built after it.
        write(&main, "slow");
        assert_eq!(told(&mut control, 1).await, ["rebuilding"]);
        while !builds.lock().unwrap().iter().any(|b| b == "slow") {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        write(&main, "v5");
        write(&root.join("pkg/src/during.rs"), "");
        assert_eq!(
            told(&mut control, 3).await,
            ["replace slow", "rebuilding", "replace v5"]
        );

        // A new folder is watched from then on.
        std::fs::create_dir(root.join("pkg/src/new")).unwrap();
        assert_eq!(told(&mut control, 2).await, ["rebuilding", "replace v5"]);
        write(&main, "v6");
        assert_eq!(told(&mut control, 2).await, ["rebuilding", "replace v6"]);
        write(&root.join("pkg/src/new/module.rs"), "");
        assert_eq!(told(&mut control, 2).await, ["rebuilding", "replace v6"]);

        drop(control);
        // The loop ends once the server stops listening (at its next message).
        write(&main, "v7");
        watching.await.unwrap().unwrap();
    }
}
