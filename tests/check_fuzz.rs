//! The checker never panics, whatever it is fed: arbitrary text, YAML-shaped noise, and the
//! corpus templates with random edits. Every diagnostic must also point inside the file, and
//! rendering it must work. (A failing case is shrunk by proptest; add it to tests/check-corpus.)

use std::path::Path;

use cargo_fc::check::{self, Expectations, ExpectedFunction};
use cargo_fc::platform::Runtime;
use proptest::prelude::*;

fn project() -> Expectations {
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check-corpus");
    Expectations {
        functions: Some(vec![ExpectedFunction {
            name: "hello".into(),
            bin: "hello".into(),
            runtime: Runtime::default_runtime(),
            zip: base.join("target/fc/hello.zip"),
            bootstrap_dir: base.join("target/fc/hello"),
        }]),
        base_dir: base,
    }
}

fn corpus() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/check-corpus");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml" || e == "yaml"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    texts.sort();
    texts
}

/// Runs the checker both with and without a project and checks what comes out.
fn check_everything(name: &str, text: &str) {
    let lines = check::normalize_breaks(text).split('\n').count();
    for expectations in [project(), Expectations::default()] {
        let diagnostics = check::check_source(name, text, &expectations);
        for d in &diagnostics {
            assert!(d.line >= 1 && d.column >= 1, "{d:?}");
            assert!(d.line <= lines, "{d:?} is past the end ({lines} lines)");
            assert!(!d.message.is_empty() && !d.help.is_empty(), "{d:?}");
        }
        let rendered = check::render_human(name, text, &diagnostics, true);
        assert_eq!(rendered.is_empty(), diagnostics.is_empty());
        for d in &diagnostics {
            check::to_json(name, d);
        }
    }
}

/// Pieces of YAML and template syntax to splice into templates.
const SNIPPETS: &[&str] = &[
    ":",
    ": ",
    "- ",
    "-",
    "{",
    "}",
    "[",
    "]",
    ",",
    "&a ",
    "*a",
    "<<: *a",
    "!!str ",
    "!Ref ",
    "'",
    "\"",
    "\\",
    "#",
    "\n",
    "\n  ",
    "\t",
    "|",
    ">-",
    "---\n",
    "...\n",
    "? ",
    "~",
    "null",
    "${vars.x}",
    "Handler",
    "Runtime: custom",
    "CodeUri: ",
    "MemorySize: 99999999999999999999",
    "Type: 'Aliyun::Serverless::Function'",
    "Properties:",
    "edition: 3.0.0",
    "resources:",
    "component: fc3",
    "props: {",
    "triggers: [",
    "0x",
    "1e",
    ".inf",
    "é",
    "\u{feff}",
    "\u{0}",
    "\r",
    "\r\n",
    "%YAML 1.2\n",
    "%TAG ! tag:x,2000:\n",
    "&x [*x]",
    "<<: [*a, *b]",
];

#[derive(Debug, Clone)]
enum Edit {
    Insert(usize, usize),
    Delete(usize, usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<usize>(), 0..SNIPPETS.len()).prop_map(|(at, s)| Edit::Insert(at, s)),
        (any::<usize>(), 1usize..40).prop_map(|(at, n)| Edit::Delete(at, n)),
        any::<usize>().prop_map(Edit::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
    ]
}

fn apply(text: &str, edits: &[Edit]) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    for edit in edits {
        match *edit {
            Edit::Insert(at, snippet) => {
                let at = at % (chars.len() + 1);
                chars.splice(at..at, SNIPPETS[snippet].chars());
            }
            Edit::Delete(at, n) => {
                if !chars.is_empty() {
                    let at = at % chars.len();
                    let end = (at + n).min(chars.len());
                    chars.drain(at..end);
                }
            }
            Edit::DuplicateLine(line) | Edit::SwapLines(line, _) if chars.is_empty() => {
                let _ = line;
            }
            Edit::DuplicateLine(line) => {
                let text: String = chars.iter().collect();
                let mut lines: Vec<&str> = text.split('\n').collect();
                let line = line % lines.len();
                lines.insert(line, lines[line]);
                chars = lines.join("\n").chars().collect();
            }
            Edit::SwapLines(a, b) => {
                let text: String = chars.iter().collect();
                let mut lines: Vec<&str> = text.split('\n').collect();
                let (a, b) = (a % lines.len(), b % lines.len());
                lines.swap(a, b);
                chars = lines.join("\n").chars().collect();
            }
        }
    }
    chars.into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in any::<String>()) {
        check_everything("template.yml", &text);
        check_everything("s.yaml", &text);
    }

    #[test]
    fn yaml_shaped_noise_never_panics(pieces in prop::collection::vec(0..SNIPPETS.len(), 0..60)) {
        let text: String = pieces.iter().map(|&i| SNIPPETS[i]).collect();
        check_everything("template.yml", &text);
    }

    #[test]
    fn edited_corpus_templates_never_panic(
        index in any::<usize>(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let corpus = corpus();
        let original = &corpus[index % corpus.len()];
        let text = apply(original, &edits);
        check_everything("template.yml", &text);
        check_everything("s.yaml", &text);
    }
}

#[test]
fn deep_nesting_is_refused_without_overflowing_the_stack() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    check_everything("template.yml", &deep);
    let block: String = (0..5_000)
        .map(|i| format!("{}k{i}:\n", " ".repeat(i)))
        .collect();
    check_everything("template.yml", &block);
}

#[test]
fn alias_bombs_cost_nothing() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..40 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let start = std::time::Instant::now();
    check_everything("template.yml", &text);
    // Not a benchmark: expanding the aliases would take longer than the universe has left.
    assert!(start.elapsed().as_secs() < 10);
}

#[test]
fn merge_chains_stay_cheap() {
    let mut text = String::from("m0: &m0 {k0: 1}\n");
    for i in 1..2_000 {
        let p = i - 1;
        text.push_str(&format!("m{i}: &m{i} {{<<: *m{p}, k{i}: 1}}\n"));
    }
    check_everything("template.yml", &text);
}

fn count(diagnostics: &[check::Diagnostic], rule: &str) -> usize {
    diagnostics.iter().filter(|d| d.rule == rule).count()
}

#[test]
fn a_problem_reached_through_one_anchor_is_reported_once() {
    let mut text = String::from(
        "edition: 3.0.0\nvars:\n  shared: &shared\n    region: cn-hangzhou\n    functionName: f\n    runtime: nodejs18\n    handler: 'in dex'\n    code: ./f\n    memorysize: 512\nresources:\n",
    );
    for i in 0..500 {
        text.push_str(&format!("  r{i}: {{ component: fc3, props: *shared }}\n"));
    }
    let diagnostics = check::check_source("s.yaml", &text, &Expectations::default());
    assert_eq!(count(&diagnostics, "handler"), 1, "{diagnostics:#?}");
    assert_eq!(
        count(&diagnostics, "unknown-property"),
        1,
        "{diagnostics:#?}"
    );
}

#[test]
fn keys_a_merge_chain_brings_in_are_judged_once_each() {
    // Each function's Properties merge the ones before: 300 unknown keys (errors in Fun's
    // closed schema), reachable 45,150 times.
    let mut text = String::from(
        "ROSTemplateFormatVersion: '2015-09-01'\nTransform: 'Aliyun::Serverless-2018-04-03'\nResources:\n  svc:\n    Type: 'Aliyun::Serverless::Service'\n",
    );
    text.push_str("    f0: { Type: 'Aliyun::Serverless::Function', Properties: &p0 { Handler: index.handler, Runtime: nodejs12, CodeUri: ./c, Extra0: 1 } }\n");
    for i in 1..300 {
        text.push_str(&format!(
            "    f{i}: {{ Type: 'Aliyun::Serverless::Function', Properties: &p{i} {{ <<: *p{}, Extra{i}: 1 }} }}\n",
            i - 1
        ));
    }
    let diagnostics = check::check_source("template.yml", &text, &Expectations::default());
    assert_eq!(count(&diagnostics, "unknown-property"), 300);
    assert_eq!(diagnostics.len(), 300, "{:#?}", &diagnostics[..5]);
}

#[test]
fn a_template_expanding_past_what_is_read_says_where_reading_stopped() {
    // 2,000 resources share a props mapping of 1,000 keys each merged into its own mapping.
    let mut text = String::from("edition: 3.0.0\nvars:\n  base: &base\n");
    for i in 0..1_000 {
        text.push_str(&format!("    k{i}: {i}\n"));
    }
    text.push_str("resources:\n");
    for i in 0..2_000 {
        text.push_str(&format!(
            "  r{i}: {{ component: fc3, props: {{ <<: *base, region: cn-hangzhou, functionName: f{i}, runtime: nodejs18, handler: index.handler, code: ./c }} }}\n"
        ));
    }
    let outcome = check::check_template("s.yaml", &text, &Expectations::default());
    let notes: Vec<_> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.rule == "template-size" || d.rule == "yaml-merge")
        .collect();
    // Merging stops first here (250 copies of the 1,000 keys); either way, said once.
    assert_eq!(notes.len(), 1, "{notes:#?}");
}

#[test]
fn misspelt_keys_are_looked_up_up_to_a_budget_and_the_stop_is_said() {
    let mut text = String::from(
        "edition: 3.0.0\nresources:\n  r:\n    component: fc3\n    props:\n      region: cn-hangzhou\n      functionName: f\n      runtime: nodejs18\n      handler: index.handler\n      code: ./c\n",
    );
    for i in 0..10_050 {
        text.push_str(&format!("      memorySizeX{i}: 1\n"));
    }
    let diagnostics = check::check_source("s.yaml", &text, &Expectations::default());
    let stopped: Vec<_> = diagnostics
        .iter()
        .filter(|d| d.message.contains("stopped looking for misspelt ones"))
        .collect();
    assert_eq!(stopped.len(), 1, "{stopped:#?}");
    assert_eq!(stopped[0].line, 10_011);
}
