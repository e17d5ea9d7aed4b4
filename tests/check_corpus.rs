//! The template corpus: every file in tests/check-corpus is checked and its diagnostics, rendered
//! as `cargo fc check` prints them (positions, source line, caret, help), are compared with the
//! snapshot next to it (`NAME.out`). `UPDATE_SNAPSHOTS=1 cargo test --test check_corpus` rewrites
//! the snapshots; review the diff before committing.
//!
//! A corpus file may start with `# cargo-fc-test: function=NAME bin=BIN runtime=ID` lines: the
//! project the template is checked against (its zips are under `target/fc/` next to the file).
//! Without them there is no project. Files named `*-ok*` must produce no diagnostics; every other
//! file must produce at least one, so that each demonstrates its rule.

use std::path::{Path, PathBuf};

use cargo_fc::check::{self, Expectations, ExpectedFunction};
use cargo_fc::platform::Runtime;

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check-corpus")
}

fn corpus_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(corpus_dir())
        .expect("tests/check-corpus exists")
        .map(|e| e.expect("readable corpus entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .collect();
    files.sort();
    files
}

/// The project a corpus file declares in its header comments.
fn expectations_of(text: &str) -> Expectations {
    let base = corpus_dir();
    let mut functions = Vec::new();
    for line in text.lines() {
        let Some(spec) = line.strip_prefix("# cargo-fc-test:") else {
            continue;
        };
        let mut name = None;
        let mut bin = None;
        let mut runtime = None;
        for pair in spec.split_whitespace() {
            match pair.split_once('=') {
                Some(("function", v)) => name = Some(v.to_string()),
                Some(("bin", v)) => bin = Some(v.to_string()),
                Some(("runtime", v)) => runtime = Runtime::find(v),
                _ => panic!("bad corpus header: {line}"),
            }
        }
        let bin = bin.expect("header names a bin");
        functions.push(ExpectedFunction {
            name: name.unwrap_or_else(|| bin.clone()),
            runtime: runtime.expect("header names a known runtime"),
            zip: base.join("target/fc").join(format!("{bin}.zip")),
            bootstrap_dir: base.join("target/fc").join(&bin),
            bin,
        });
    }
    Expectations {
        base_dir: base,
        functions: (!functions.is_empty()).then_some(functions),
    }
}

#[test]
fn corpus_matches_its_snapshots() {
    let update = std::env::var_os("UPDATE_SNAPSHOTS").is_some_and(|v| v != "0");
    let files = corpus_files();
    assert!(
        files.len() >= 30,
        "the corpus has only {} templates",
        files.len()
    );
    let mut failures = Vec::new();
    for path in &files {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(path).unwrap();
        let expectations = expectations_of(&text);
        let diagnostics = check::check_source(&name, &text, &expectations);
        let ok_file = name.contains("-ok");
        if ok_file && !diagnostics.is_empty() {
            failures.push(format!(
                "{name}: expected no diagnostics, got {diagnostics:#?}"
            ));
        }
        if !ok_file && diagnostics.is_empty() {
            failures.push(format!(
                "{name}: expected at least one diagnostic (name it `*-ok*` if it is valid)"
            ));
        }
        let rendered = check::render_human(&name, &text, &diagnostics, false);
        let snapshot = path.with_file_name(format!("{name}.out"));
        if update {
            std::fs::write(&snapshot, &rendered).unwrap();
            continue;
        }
        match std::fs::read_to_string(&snapshot) {
            Ok(expected) if expected == rendered => {}
            Ok(expected) => failures.push(format!(
                "{name}: diagnostics differ from {}\n--- expected\n{expected}\n--- actual\n{rendered}",
                snapshot.display()
            )),
            Err(_) => failures.push(format!("{name}: no snapshot {}", snapshot.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\nrerun with UPDATE_SNAPSHOTS=1 to accept the new output (and review the diff)",
        failures.join("\n\n")
    );
}

#[test]
fn every_snapshot_has_its_template() {
    for entry in std::fs::read_dir(corpus_dir()).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if let Some(template) = name.strip_suffix(".out") {
            assert!(
                path.with_file_name(template).is_file(),
                "{name} is left over: its template is gone"
            );
        }
    }
}

#[test]
fn the_corpus_covers_every_rule_and_both_formats() {
    let mut rules = std::collections::BTreeSet::new();
    let mut formats = std::collections::BTreeSet::new();
    for path in corpus_files() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&path).unwrap();
        let outcome = check::check_template(&name, &text, &expectations_of(&text));
        rules.extend(outcome.diagnostics.iter().map(|d| d.rule));
        formats.extend(outcome.format.map(|f| f.name()));
    }
    for rule in [
        "yaml-syntax",
        "yaml-tab",
        "duplicate-key",
        "format-version",
        "transform",
        "resource-type",
        "required-property",
        "unknown-property",
        "property-type",
        "handler",
        "runtime",
        "runtime-mismatch",
        "code-path",
        "function-name",
        "service-name",
        "memory-size",
        "timeout",
        "initialization-timeout",
        "instance-concurrency",
        "hook-timeout",
        "port",
        "command",
        "http-auth-type",
        "http-methods",
        "unmatched-function",
        "missing-function",
        "edition",
    ] {
        assert!(rules.contains(rule), "no corpus template triggers `{rule}`");
    }
    for format in ["fun", "serverless-devs-3", "serverless-devs-1"] {
        assert!(formats.contains(format), "no corpus template is {format}");
    }
}
