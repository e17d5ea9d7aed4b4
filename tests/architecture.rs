//! The shape ARCHITECTURE.md promises, read from the sources: no stage knows the command line,
//! and the modules below it import each other in one direction only.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The top of the crate: the only modules that may import the command line.
const TOP: &[&str] = &["cli", "commands"];

fn sources(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level module a file of `src/` belongs to.
fn module_of(src: &Path, file: &Path) -> Option<String> {
    let relative = file.strip_prefix(src).ok()?;
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.trim_end_matches(".rs");
    (!matches!(name, "lib" | "main")).then(|| name.to_string())
}

/// The crate's top-level modules a file refers to as `crate::NAME`, outside its tests.
fn references(text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let code = match text.find("#[cfg(test)]") {
        Some(tests) => &text[..tests],
        None => text,
    };
    let mut found = BTreeSet::new();
    for line in code.lines() {
        let line = line.trim_start();
        if line.starts_with("//") {
            continue;
        }
        for (index, _) in line.match_indices("crate::") {
            let rest = &line[index + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if modules.contains(&name) {
                found.insert(name);
            }
            // `use crate::{a, b::C}`.
            if let Some(group) = rest.strip_prefix('{') {
                for item in group.split(['{', '}', ',']) {
                    let name = item.trim().split("::").next().unwrap_or("").trim();
                    if modules.contains(name) {
                        found.insert(name.to_string());
                    }
                }
            }
        }
    }
    found
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| module_of(&src, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let Some(module) = module_of(&src, file) else {
            continue;
        };
        let text = std::fs::read_to_string(file).expect("a source file is readable");
        let mut imports = references(&text, &modules);
        imports.remove(&module);
        graph.entry(module).or_default().extend(imports);
    }
    graph
}

#[test]
fn no_stage_imports_the_command_line() {
    let graph = graph();
    assert!(
        graph.contains_key("pipeline") && graph.contains_key("cli"),
        "{graph:?}"
    );
    for (module, imports) in &graph {
        if TOP.contains(&module.as_str()) {
            continue;
        }
        for top in TOP {
            assert!(
                !imports.contains(*top),
                "src/{module} imports crate::{top}: stages take their own options, and only commands/ converts from the CLI"
            );
        }
    }
}

#[test]
fn modules_below_the_commands_import_each_other_one_way() {
    let graph = graph();
    // Depth-first search for a cycle among everything below the top.
    fn visit<'g>(
        module: &'g str,
        graph: &'g BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'g str>,
        done: &mut BTreeSet<&'g str>,
    ) {
        if done.contains(module) {
            return;
        }
        if let Some(start) = path.iter().position(|m| *m == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module);
            panic!("import cycle: {}", cycle.join(" → "));
        }
        path.push(module);
        for next in graph.get(module).into_iter().flatten() {
            if !TOP.contains(&next.as_str()) {
                visit(next, graph, path, done);
            }
        }
        path.pop();
        done.insert(module);
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        if !TOP.contains(&module.as_str()) {
            visit(module, &graph, &mut Vec::new(), &mut done);
        }
    }
}

#[test]
fn the_reader_sees_grouped_imports_and_paths() {
    let modules: BTreeSet<String> = ["build", "ui", "project"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let found = references(
        "use crate::{build::X, ui};\nlet a = crate::project::load();\n// crate::cli::Foo\n",
        &modules,
    );
    assert_eq!(found, modules);
}
