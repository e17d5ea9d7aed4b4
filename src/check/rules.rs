//! Rules every template format shares: types, handler strings, runtimes, code paths, names,
//! ranges, triggers. Each rule reads a value of the model and adds diagnostics pointing at it.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use super::{Diagnostic, Expectations, ExpectedFunction, Severity};
use crate::deployment::{
    Field, FoundValue as Found, Pos, Span, Strings, UnknownKey, Value, normalize,
};
use crate::platform::{self, CONTAINER_RUNTIME, HANDLER_MAX, Range, Runtime};

/// Who builds a function the template declares. cargo fc's Rust-specific rules (a custom
/// runtime, a start command that runs the bootstrap, the packed zip as code) apply to
/// [`Owner::Ours`] and [`Owner::ByCode`] only.
#[derive(Debug, Clone, Copy)]
pub enum Owner<'e> {
    /// A bin of this cargo project.
    Ours(&'e ExpectedFunction),
    /// No bin is built under this name, but the code is a bin's package: deploying the function
    /// runs that bin.
    ByCode(&'e ExpectedFunction),
    /// No bin is built under this name, and the code points into cargo fc's package folder at
    /// something cargo fc does not pack.
    Stale,
    /// The project builds no function of that name (another language, another package).
    Foreign,
    /// There is no cargo project to compare with.
    NoProject,
    /// The name is computed (`${vars.name}`), so it cannot be matched.
    Dynamic,
}

/// What a function's runtime turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RuntimeKind {
    Custom,
    Container,
    Other,
    /// Missing, computed, or of the wrong type: nothing more can be said.
    Unknown,
}

/// One of FC's documented ranges, with the rule and unit its diagnostics use.
pub struct Limit {
    pub rule: &'static str,
    pub range: Range,
    /// Shown after the range in messages: a unit, or which product the range is for.
    pub unit: &'static str,
}

pub const MEMORY_SIZE: Limit = Limit {
    rule: "memory-size",
    range: platform::MEMORY_MB,
    unit: " MB",
};
pub const TIMEOUT: Limit = Limit {
    rule: "timeout",
    range: platform::TIMEOUT_S,
    unit: " s",
};
pub const INITIALIZATION_TIMEOUT: Limit = Limit {
    rule: "initialization-timeout",
    range: platform::INITIALIZATION_TIMEOUT_S,
    unit: " s",
};
/// PreStop and PreFreeze hooks.
pub const HOOK_TIMEOUT: Limit = Limit {
    rule: "hook-timeout",
    range: platform::HOOK_TIMEOUT_S,
    unit: " s",
};
pub const PORT: Limit = Limit {
    rule: "port",
    range: platform::PORT,
    unit: "",
};
pub const FC3_CONCURRENCY: Limit = Limit {
    rule: "instance-concurrency",
    range: platform::FC3_CONCURRENCY,
    unit: "",
};
pub const FUN_CONCURRENCY: Limit = Limit {
    rule: "instance-concurrency",
    range: platform::FC2_CONCURRENCY,
    unit: " in a Fun template",
};
pub const FC2_CONCURRENCY: Limit = Limit {
    rule: "instance-concurrency",
    range: platform::FC2_CONCURRENCY,
    unit: " for FC 2.0 functions",
};

/// An integer as a rule sees it: its value (saturated past 64 bits) and how to show it.
pub struct Integer {
    pub value: i128,
    pub shown: String,
}

/// Unknown keys compared with the known ones per template. A hand-written template has a few;
/// past this many, the file is generated and a "did you mean" per key helps nobody, while each
/// comparison costs a string distance per known key.
const SUGGESTION_BUDGET: usize = 10_000;

pub struct Context<'a> {
    source: &'a str,
    line_starts: Vec<usize>,
    pub expectations: &'a Expectations,
    diagnostics: Vec<Diagnostic>,
    /// What was reported, so that a problem reached through an alias or a merge key many times
    /// is reported once.
    reported: HashSet<Diagnostic>,
    /// Unknown keys already judged (by where they are written): a key merged into a thousand
    /// mappings is looked up among the known ones once.
    judged_keys: HashSet<Span>,
    /// How many more unknown keys may be compared with the known ones for "did you mean".
    suggestions_left: usize,
    /// Where the first key past that budget is, to say so once.
    suggestions_stopped: Option<Span>,
    declared: HashSet<String>,
    dynamic_names: bool,
    /// Where the warning about functions missing from the template points.
    pub functions_anchor: Option<Span>,
    /// Set while checking props whose component is computed: which settings that component
    /// requires is a guess, so a missing one is a warning.
    pub guessing_component: bool,
}

impl<'a> Context<'a> {
    pub fn new(source: &'a str, expectations: &'a Expectations) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        Self {
            source,
            line_starts,
            expectations,
            diagnostics: Vec::new(),
            reported: HashSet::new(),
            judged_keys: HashSet::new(),
            suggestions_left: SUGGESTION_BUDGET,
            suggestions_stopped: None,
            declared: HashSet::new(),
            dynamic_names: false,
            functions_anchor: None,
            guessing_component: false,
        }
    }

    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        if self.reported.insert(diagnostic.clone()) {
            self.diagnostics.push(diagnostic);
        }
    }

    pub fn error(
        &mut self,
        rule: &'static str,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Diagnostic::new(Severity::Error, rule, span, message, help));
    }

    pub fn warn(
        &mut self,
        rule: &'static str,
        span: Span,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.push(Diagnostic::new(
            Severity::Warning,
            rule,
            span,
            message,
            help,
        ));
    }

    /// Whether a value that should be a mapping is one; an error when it is something else.
    /// Computed values pass: only the deploy tool knows them.
    pub fn mapping<T>(&mut self, value: &Value<T>, what: &str) -> bool {
        match value {
            Value::Literal(..) => true,
            Value::Computed(..) => false,
            Value::Invalid(found, span) => {
                self.error(
                    "property-type",
                    *span,
                    format!("{what} must be a mapping, found {found}"),
                    format!("write {what} as indented `key: value` lines"),
                );
                false
            }
        }
    }

    pub fn list<'v, T>(&mut self, value: &'v Value<Vec<T>>, what: &str) -> Option<&'v [T]> {
        match value {
            Value::Literal(items, _) => Some(items),
            Value::Computed(..) => None,
            Value::Invalid(found, span) => {
                self.error(
                    "property-type",
                    *span,
                    format!("{what} must be a list, found {found}"),
                    format!("write {what} as `[a, b]` or as lines starting with `- `"),
                );
                None
            }
        }
    }

    /// A string value; `None` (after an error when the type is wrong) otherwise. Computed values
    /// come back as `None` without an error.
    pub fn string<'v>(&mut self, value: &'v Value<String>, what: &str) -> Option<&'v str> {
        match value {
            Value::Literal(text, _) => Some(text),
            Value::Computed(..) => None,
            Value::Invalid(found, span) => {
                let help = match found {
                    Found::Null => format!("give {what} a value"),
                    Found::List | Found::Mapping => format!("{what} is a single string"),
                    other => format!("quote it: {what}: '{}'", other.text()),
                };
                self.error(
                    "property-type",
                    *span,
                    format!("{what} must be a string, found {found}"),
                    help,
                );
                None
            }
        }
    }

    /// Each item of a list of strings.
    pub fn strings<'v>(&mut self, items: &'v [Value<String>], what: &str) -> Vec<Option<&'v str>> {
        items.iter().map(|item| self.string(item, what)).collect()
    }

    /// An integer value; `None` after an error when it is not one, or when it is computed.
    pub fn integer(&mut self, value: &Value<i64>, what: &str) -> Option<Integer> {
        let (found, span) = match value {
            Value::Literal(n, _) => {
                return Some(Integer {
                    value: i128::from(*n),
                    shown: n.to_string(),
                });
            }
            Value::Computed(..) => return None,
            Value::Invalid(found, span) => (found, *span),
        };
        match found {
            Found::LargeInteger(text) => Some(Integer {
                value: if text.starts_with('-') {
                    i128::MIN
                } else {
                    i128::MAX
                },
                shown: text.clone(),
            }),
            Found::String {
                text, quoted: true, ..
            } if text.trim().parse::<i64>().is_ok() => {
                self.error(
                    "property-type",
                    span,
                    format!("{what} must be a number, found the string \"{text}\""),
                    format!("remove the quotes: {what}: {}", text.trim()),
                );
                None
            }
            Found::Float(n) => {
                self.error(
                    "property-type",
                    span,
                    format!("{what} must be a whole number, found {n}"),
                    format!("FC takes {what} as an integer"),
                );
                None
            }
            other => {
                self.error(
                    "property-type",
                    span,
                    format!("{what} must be an integer, found {other}"),
                    format!("write {what} as a plain number"),
                );
                None
            }
        }
    }

    pub fn boolean(&mut self, value: &Value<bool>, what: &str) {
        if let Value::Invalid(found, span) = value {
            self.error(
                "property-type",
                *span,
                format!("{what} must be true or false, found {found}"),
                format!("write {what}: true or {what}: false, without quotes"),
            );
        }
    }

    /// A value checked against one of FC's documented [`Limit`]s.
    pub fn limit(&mut self, limit: &Limit, value: &Value<i64>, what: &str) -> Option<i64> {
        let range = limit.range;
        self.range(
            limit.rule,
            value,
            what,
            (range.min, range.max),
            range.step,
            limit.unit,
        )
    }

    /// An integer in `min..=max`, optionally in steps of `step` counted from `min`.
    pub fn range(
        &mut self,
        rule: &'static str,
        value: &Value<i64>,
        what: &str,
        (min, max): (i64, i64),
        step: Option<i64>,
        unit: &str,
    ) -> Option<i64> {
        let span = value.span();
        let Integer { value, shown } = self.integer(value, what)?;
        if value < i128::from(min) || value > i128::from(max) {
            self.error(
                rule,
                span,
                format!("{what} {shown} is out of range: FC accepts {min}–{max}{unit}"),
                format!("use a value from {min} to {max}"),
            );
            return None;
        }
        let value = value as i64;
        if let Some(step) = step
            && (value - min) % step != 0
        {
            let below = value - (value - min) % step;
            let above = (below + step).min(max);
            self.error(
                rule,
                span,
                format!("{what} {value} is not a multiple of {step}{unit}"),
                format!("FC accepts {min}–{max}{unit} in steps of {step}: use {below} or {above}"),
            );
            return None;
        }
        Some(value)
    }

    /// The source position of character `index` of a string written on one line without
    /// escapes, plain or quoted (otherwise the caret goes to the start of the value).
    fn char_position(&self, span: Span, text: &str, index: usize) -> Option<Pos> {
        if span.start.line != span.end.line {
            return None;
        }
        let start = *self.line_starts.get(span.start.line().checked_sub(1)?)?;
        let line = self.source.get(start..)?.lines().next()?;
        let raw: String = line
            .chars()
            .skip(span.start.col())
            .take(span.end.col().saturating_sub(span.start.col()))
            .collect();
        let offset = if raw == text {
            0
        } else {
            let count = raw.chars().count();
            let quoted = raw.starts_with(['\'', '"']) && count >= 2;
            let inner: String = raw.chars().skip(1).take(count.saturating_sub(2)).collect();
            if !quoted || inner != text {
                return None;
            }
            1
        };
        Some(span.start.right(offset + index))
    }

    /// A lifecycle hook's handler: empty means the hook is not set (FC takes `handler: ''` so,
    /// and fc3 itself sends it to remove a hook), anything else is a [`Self::handler`].
    pub fn hook_handler(&mut self, value: &Value<String>, what: &str) {
        if value.as_str() != Some("") {
            self.handler(value, what);
        }
    }

    /// Handler, Initializer and hook handlers: 1–128 characters from `A–Z a–z 0–9 _ . - : /`.
    pub fn handler(&mut self, value: &Value<String>, what: &str) {
        let Some(text) = self.string(value, what) else {
            return;
        };
        let span = value.span();
        const EXAMPLE: &str =
            "a custom runtime ignores the value, so any name such as `index.handler` will do";
        if text.is_empty() {
            self.error(
                "handler",
                span,
                format!("{what} is empty"),
                format!("FC requires 1–{HANDLER_MAX} characters: {EXAMPLE}"),
            );
            return;
        }
        let length = text.chars().count();
        if length > HANDLER_MAX {
            self.error(
                "handler",
                span,
                format!("{what} is {length} characters long; FC accepts at most {HANDLER_MAX}"),
                format!("shorten it: {EXAMPLE}"),
            );
            return;
        }
        let bad = text
            .chars()
            .enumerate()
            .find(|(_, c)| !platform::is_handler_char(*c));
        if let Some((index, c)) = bad {
            let at = self.char_position(span, text, index);
            let caret = match at {
                Some(pos) => Span {
                    start: pos,
                    end: pos.right(1),
                },
                None => span,
            };
            let column = at.map_or(caret.start.col() + 1, |p| p.col() + 1);
            let name = describe_char(c);
            self.push(Diagnostic::new(
                Severity::Error,
                "handler",
                caret,
                format!("{what} \"{text}\" contains {name} at column {column}"),
                format!("use only letters, digits and _ . - : / ({EXAMPLE})"),
            ));
        }
    }

    /// Records a function the template declares and says who builds it: by its name, or, when
    /// no bin has that name, by where its code is (`code`, a literal path).
    pub fn owner(&mut self, name: Option<&str>, code: Option<&str>) -> Owner<'a> {
        let expectations = self.expectations;
        let Some(functions) = &expectations.functions else {
            if name.is_none() {
                self.dynamic_names = true;
            }
            return Owner::NoProject;
        };
        match name {
            Some(name) => {
                self.declared.insert(name.to_string());
                if let Some(ours) = functions.iter().find(|f| f.name == name) {
                    return Owner::Ours(ours);
                }
            }
            None => self.dynamic_names = true,
        }
        let Some(code) = code.filter(|c| !c.is_empty() && !c.contains("://")) else {
            return if name.is_some() {
                Owner::Foreign
            } else {
                Owner::Dynamic
            };
        };
        let resolved = normalize(&expectations.base_dir.join(code));
        if let Some(built) = functions.iter().find(|f| {
            same_path(&resolved, &normalize(&f.zip))
                || same_path(&resolved, &normalize(&f.bootstrap_dir))
        }) {
            self.declared.insert(built.name.clone());
            return Owner::ByCode(built);
        }
        let in_packages = functions
            .iter()
            .filter_map(|f| f.zip.parent())
            .any(|dir| resolved.starts_with(normalize(dir)));
        match (in_packages, name) {
            (true, _) => Owner::Stale,
            (false, Some(_)) => Owner::Foreign,
            (false, None) => Owner::Dynamic,
        }
    }

    /// A function's name: checked against FC's rule; `None` when it is computed or invalid.
    /// FC 3.0 documents 64 characters at most; for FC 2.0 (`fc2`) the limit is not documented
    /// and its tools check none, so a longer name is a warning there.
    pub fn function_name<'v>(
        &mut self,
        value: &'v Value<String>,
        what: &str,
        fc2: bool,
    ) -> Option<&'v str> {
        let name = self.string(value, what)?;
        match platform::name_problem(name, platform::FUNCTION_NAME_MAX) {
            None => {}
            Some(problem @ platform::NameProblem::TooLong(_)) if fc2 => self.warn(
                "function-name",
                value.span(),
                format!("function name `{name}` {problem}: FC 3.0 takes at most {}", platform::FUNCTION_NAME_MAX),
                "FC 2.0's tools take it, but the function cannot move to FC 3.0 under this name: shorten it",
            ),
            Some(problem) => self.error(
                "function-name",
                value.span(),
                format!("function name `{name}` {problem}"),
                platform::function_name_help(),
            ),
        }
        Some(name)
    }

    /// docs/platform.md#names. Service names follow the function rule with up to 128 characters.
    pub fn service_name(&mut self, span: Span, name: &str) {
        if let Some(problem) = platform::name_problem(name, platform::SERVICE_NAME_MAX) {
            let problem = match problem {
                platform::NameProblem::BadChar(c) => format!("contains {}", describe_char(c)),
                other => other.to_string(),
            };
            self.error(
                "service-name",
                span,
                format!("service name `{name}` {problem}"),
                format!(
                    "FC service names are 1–{} characters of {}",
                    platform::SERVICE_NAME_MAX,
                    platform::NAME_RULE
                ),
            );
        }
    }

    /// The runtime must be one FC runs; for a function cargo fc builds, a custom runtime a Rust
    /// bootstrap runs on, and the one cargo fc builds the function for.
    pub fn runtime(
        &mut self,
        value: &Value<String>,
        what: &str,
        owner: Owner<'_>,
        has_image: bool,
        image_key: &str,
        fun: bool,
    ) -> RuntimeKind {
        let Some(id_text) = self.string(value, what) else {
            return RuntimeKind::Unknown;
        };
        let span = value.span();
        if id_text == CONTAINER_RUNTIME {
            if !has_image {
                self.error(
                    "runtime",
                    span,
                    format!("{what} `custom-container` runs an image, but the function has no {image_key}"),
                    format!("add {image_key} with the image to run, or use a zip runtime such as `custom` for the package cargo fc builds"),
                );
            }
            return RuntimeKind::Container;
        }
        let built = match owner {
            Owner::Ours(expected) | Owner::ByCode(expected) => Some(expected),
            _ => None,
        };
        let Some(runtime) = Runtime::find(id_text) else {
            let Some(expected) = built else {
                self.other_runtime(span, what, id_text, fun);
                return RuntimeKind::Other;
            };
            let mut known = Runtime::ids();
            known.push(CONTAINER_RUNTIME);
            let suggestion = crate::ui::closest(id_text, &known)
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            self.error(
                "runtime",
                span,
                format!(
                    "{what} `{id_text}` is not a custom runtime, so it cannot run a Rust bootstrap"
                ),
                format!(
                    "{suggestion}use one of: {} (cargo fc builds `{}` for `{}`)",
                    Runtime::ids().join(", "),
                    expected.bin,
                    expected.runtime
                ),
            );
            return RuntimeKind::Unknown;
        };
        if fun && runtime.id != "custom" {
            self.warn(
                "fun-runtime",
                span,
                format!("Fun's template schema does not list `{}`; `fun deploy` may refuse it although FC accepts it", runtime.id),
                "deploy Debian 10+ runtimes with Serverless Devs (s.yaml), or use `custom`",
            );
        }
        if let Some(expected) = built {
            let built = expected.runtime;
            if built.glibc > runtime.glibc {
                self.error(
                    "runtime-mismatch",
                    span,
                    format!(
                        "`{}` runs on `{}` (glibc {}), but cargo fc builds `{}` for `{}` (glibc {}): it would fail to start",
                        expected.name, runtime.id, runtime.glibc, expected.bin, built.id, built.glibc
                    ),
                    format!(
                        "set runtime = \"{}\" in [package.metadata.fc], or change {what} to `{}`",
                        runtime.id, built.id
                    ),
                );
            } else if built.id != runtime.id {
                self.warn(
                    "runtime-mismatch",
                    span,
                    format!(
                        "`{}` runs on `{}`, but cargo fc builds `{}` for `{}`: it runs, but against an older glibc than it could",
                        expected.name, runtime.id, expected.bin, built.id
                    ),
                    format!(
                        "set runtime = \"{}\" in [package.metadata.fc] so the two agree",
                        runtime.id
                    ),
                );
            }
        }
        RuntimeKind::Custom
    }

    /// A language runtime (or a custom one of a function cargo fc does not build): FC's list is
    /// long and grows, so an id outside it is a warning, with the closest one.
    fn other_runtime(&mut self, span: Span, what: &str, id: &str, fun: bool) {
        if !platform::FC_RUNTIMES.contains(&id) {
            let help = match crate::ui::closest(id, platform::FC_RUNTIMES) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("FC runs: {}", platform::FC_RUNTIMES.join(", ")),
            };
            self.warn(
                "runtime",
                span,
                format!("{what} `{id}` is not a runtime FC lists; the deploy may be refused"),
                help,
            );
        } else if fun && !platform::FUN_RUNTIMES.contains(&id) {
            self.warn(
                "fun-runtime",
                span,
                format!("Fun's template schema does not list `{id}`; `fun deploy` may refuse it although FC accepts it"),
                "deploy it with Serverless Devs (s.yaml), or use a runtime Fun lists",
            );
        }
    }

    /// What cargo fc says about who builds a function: the naming mix-up of a function that
    /// deploys a bin's package under another name, and (issue 8 §6) the custom-runtime function
    /// no bin builds, whose code deploy uploads as it is.
    pub fn ownership(
        &mut self,
        span: Span,
        name: &str,
        owner: Owner<'_>,
        runtime: RuntimeKind,
        code: Option<&str>,
    ) {
        match owner {
            Owner::ByCode(built) => self.warn(
                "unmatched-function",
                span,
                format!(
                    "function `{name}` deploys the package of bin `{}`, which cargo fc builds as function `{}`",
                    built.bin, built.name
                ),
                format!(
                    "name the function `{}`, or map the bin to this name with `function = {{ {} = \"{name}\" }}` in [package.metadata.fc]",
                    built.name, built.bin
                ),
            ),
            Owner::Foreign if runtime == RuntimeKind::Custom => self.unmatched(span, name, code),
            _ => {}
        }
    }

    /// A function with a custom runtime that no bin of the project builds.
    fn unmatched(&mut self, span: Span, name: &str, code: Option<&str>) {
        let expectations = self.expectations;
        let Some(functions) = &expectations.functions else {
            return;
        };
        let names: Vec<&str> = functions.iter().map(|f| f.name.as_str()).collect();
        let suggestion = crate::ui::closest(name, &names)
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default();
        let bins = if names.is_empty() {
            "none".to_string()
        } else {
            names.join(", ")
        };
        let uploads = match code.filter(|c| !c.is_empty() && !c.contains("://")) {
            Some(path) => {
                format!(": deploying it uploads `{path}` as it is, not anything cargo fc builds")
            }
            None => String::new(),
        };
        self.warn(
            "unmatched-function",
            span,
            format!("function `{name}` has a custom runtime, but no bin of this project is built as `{name}`{uploads}"),
            format!("{suggestion}the project builds: {bins}; map a bin to this name with `function = {{ BIN = \"{name}\" }}` in [package.metadata.fc]"),
        );
    }

    /// The code path: the zip `cargo fc pack` writes for a function cargo fc builds (or the
    /// folder holding its bootstrap), and nothing else of cargo fc's package folder for any other.
    pub fn code_path(&mut self, value: &Value<String>, what: &str, owner: Owner<'_>) {
        let Some(path) = self.string(value, what) else {
            return;
        };
        let span = value.span();
        if path.is_empty() {
            self.error(
                "code-path",
                span,
                format!("{what} is empty"),
                "point it at the zip `cargo fc pack` writes, such as ./target/fc/NAME.zip",
            );
            return;
        }
        if path.contains("://") {
            // oss:// and similar are uploads made by `fun package` or by hand; nothing to compare.
            return;
        }
        let expectations = self.expectations;
        let base = &expectations.base_dir;
        match owner {
            Owner::Ours(expected) => {
                let resolved = normalize(&base.join(path));
                let zip = normalize(&expected.zip);
                let folder = normalize(&expected.bootstrap_dir);
                if same_path(&resolved, &zip) || same_path(&resolved, &folder) {
                    return;
                }
                let want = relative(base, &zip);
                self.error(
                    "code-path",
                    span,
                    format!("{what} `{path}` is not the package cargo fc builds for `{}`", expected.name),
                    format!(
                        "set {what} to `{want}`: `cargo fc pack` writes bin `{}` there (or use its folder `{}`)",
                        expected.bin,
                        relative(base, &folder)
                    ),
                );
            }
            Owner::Stale => {
                let functions = expectations.functions.as_deref().unwrap_or_default();
                let zips: Vec<String> = functions.iter().map(|f| relative(base, &f.zip)).collect();
                let candidates: Vec<&str> = zips.iter().map(String::as_str).collect();
                let suggestion = crate::ui::closest(path, &candidates)
                    .map(|k| format!("did you mean `{k}`? "))
                    .unwrap_or_default();
                let packs = functions
                    .iter()
                    .zip(&zips)
                    .map(|(f, zip)| format!("{zip} (bin `{}`)", f.bin))
                    .collect::<Vec<_>>()
                    .join(", ");
                self.error(
                    "code-path",
                    span,
                    format!("{what} `{path}` is in cargo fc's package folder, but cargo fc packs nothing there: deploy would upload a stale file or none"),
                    format!("{suggestion}cargo fc packs {packs}; or map a bin to this function's name with `function = {{ BIN = \"…\" }}` in [package.metadata.fc]"),
                );
            }
            _ => {}
        }
    }

    /// docs/platform.md#the-package. The start command must run the packaged bootstrap. FC
    /// starts it in `/code`, so `./bootstrap` is the bootstrap too.
    pub fn command(&mut self, value: &Value<Strings>, what: &str) {
        let Some(items) = self.list(value, what) else {
            return;
        };
        let Some(first) = items.first() else {
            self.error(
                "command",
                value.span(),
                format!("{what} is empty"),
                "remove it (FC then runs /code/bootstrap) or set it to ['/code/bootstrap']",
            );
            return;
        };
        self.strings(items, &format!("each item of {what}"));
        let Value::Literal(program, span) = first else {
            return;
        };
        if !runs_bootstrap(program) {
            self.error(
                "command",
                *span,
                format!("{what} starts `{program}`, but the package's executable is /code/bootstrap"),
                "cargo fc packs the binary as `bootstrap` at the zip root: start the command with /code/bootstrap (or ./bootstrap), or remove it to get that default",
            );
        }
    }

    /// A trigger's AuthType / authType.
    pub fn auth_type(&mut self, value: &Value<String>, what: &str, allowed: &[&str]) {
        let Some(text) = self.string(value, what) else {
            return;
        };
        let span = value.span();
        if allowed.contains(&text) {
            return;
        }
        if let Some(exact) = allowed.iter().find(|a| a.eq_ignore_ascii_case(text)) {
            self.error(
                "http-auth-type",
                span,
                format!("{what} `{text}` must be written `{exact}`"),
                format!("accepted values: {}", allowed.join(", ")),
            );
            return;
        }
        let help = match crate::ui::closest(text, allowed) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("use one of: {}", allowed.join(", ")),
        };
        self.error(
            "http-auth-type",
            span,
            format!("{what} `{text}` is not an HTTP trigger auth type"),
            help,
        );
    }

    /// A trigger's HTTP methods: a non-empty list from `allowed`.
    pub fn methods(&mut self, value: &Value<Strings>, what: &str, allowed: &[&str]) {
        let Some(items) = self.list(value, what) else {
            return;
        };
        if items.is_empty() {
            self.error(
                "http-methods",
                value.span(),
                format!("{what} is empty, so the trigger accepts no request"),
                format!("list some of: {}", allowed.join(", ")),
            );
            return;
        }
        for item in items {
            let Some(method) = self.string(item, &format!("each item of {what}")) else {
                continue;
            };
            if allowed.contains(&method) {
                continue;
            }
            let help = match allowed.iter().find(|a| a.eq_ignore_ascii_case(method)) {
                Some(exact) => format!("write it in capitals: {exact}"),
                None => format!("use some of: {}", allowed.join(", ")),
            };
            self.error(
                "http-methods",
                item.span(),
                format!("`{method}` is not an HTTP method an FC trigger accepts here"),
                help,
            );
        }
    }

    /// Keys of a closed schema (Fun's `additionalProperties: false`): unknown ones are errors.
    pub fn closed_keys(&mut self, unknown: &[UnknownKey], known: &[&str], what: &str) {
        for key in unknown {
            if !self.judged_keys.insert(key.key) {
                continue;
            }
            let close = if self.spend_suggestion(key.key) {
                crate::ui::closest(&key.name, known)
            } else {
                None
            };
            let help = match close {
                Some(k) => format!("did you mean `{k}`?"),
                None => format!("{what} accepts: {}", known.join(", ")),
            };
            self.error(
                "unknown-property",
                key.key,
                format!("unknown property `{}` in {what}", key.name),
                help,
            );
        }
    }

    /// Keys of an open schema (Serverless Devs components grow new keys often): only near misses
    /// of known keys are reported, as warnings.
    pub fn near_miss_keys(&mut self, unknown: &[UnknownKey], known: &[&str], what: &str) {
        let mut lowered: Vec<String> = Vec::new();
        for key in unknown {
            if key.name.chars().count() < 4
                || !self.judged_keys.insert(key.key)
                || !self.spend_suggestion(key.key)
            {
                continue;
            }
            // Built only when needed: this runs for every function of a large template.
            if lowered.is_empty() {
                lowered = known.iter().map(|k| k.to_ascii_lowercase()).collect();
            }
            let candidates: Vec<&str> = lowered.iter().map(String::as_str).collect();
            let Some(close) = crate::ui::closest(&key.name.to_ascii_lowercase(), &candidates)
            else {
                continue;
            };
            let index = candidates.iter().position(|k| *k == close).unwrap_or(0);
            let suggestion = known[index];
            self.warn(
                "unknown-property",
                key.key,
                format!(
                    "unknown key `{}` in {what}; the deploy tool will ignore it",
                    key.name
                ),
                format!("did you mean `{suggestion}`?"),
            );
        }
    }

    /// Whether another unknown key may be compared with the known ones.
    fn spend_suggestion(&mut self, at: Span) -> bool {
        if self.suggestions_left == 0 {
            self.suggestions_stopped.get_or_insert(at);
            return false;
        }
        self.suggestions_left -= 1;
        true
    }

    /// Says where cargo fc stopped looking for misspelt keys, if it did.
    pub fn report_suggestion_budget(&mut self) {
        if let Some(span) = self.suggestions_stopped.take() {
            self.warn(
                "unknown-property",
                span,
                format!("past {SUGGESTION_BUDGET} unknown keys, cargo fc stopped looking for misspelt ones"),
                "a template with this many keys the format does not define is most likely generated by mistake",
            );
        }
    }

    /// A required field, or an error pointing at `owner` (the key naming the mapping).
    pub fn require<'v, T, S: AsRef<Field<T>>>(
        &mut self,
        field: &'v Option<S>,
        key: &str,
        owner: Span,
        what: &str,
        help: &str,
    ) -> Option<&'v Field<T>> {
        if field.is_none() {
            let severity = if self.guessing_component {
                Severity::Warning
            } else {
                Severity::Error
            };
            self.push(Diagnostic::new(
                severity,
                "required-property",
                owner,
                format!("{what} is missing required `{key}`"),
                help,
            ));
        }
        field.as_ref().map(AsRef::as_ref)
    }

    /// Warns about functions the project builds that the template does not declare.
    pub fn report_missing_functions(&mut self) {
        if self.dynamic_names {
            return;
        }
        let expectations = self.expectations;
        let Some(functions) = &expectations.functions else {
            return;
        };
        let span = self.functions_anchor.unwrap_or_default();
        for function in functions {
            if self.declared.contains(&function.name) {
                continue;
            }
            self.push(Diagnostic::new(
                Severity::Warning,
                "missing-function",
                span,
                format!(
                    "bin `{}` is built as function `{}`, which this template does not declare",
                    function.bin, function.name
                ),
                "declare the function here, or map the bin to an existing function name with `function` in [package.metadata.fc]",
            ));
        }
    }
}

/// Whether a start command's program is the packaged bootstrap: absolute, or relative to
/// `/code`, where FC starts it.
fn runs_bootstrap(program: &str) -> bool {
    // A bare name is looked up on PATH, not in /code.
    program.contains('/')
        && normalize(&Path::new(platform::CODE_DIR).join(program)) == Path::new(platform::BOOTSTRAP)
}

/// Whether two paths name the same file, literally or once links are followed.
fn same_path(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(x), Ok(y)) if x == y)
}

/// A character for a message: "a space", "a tab", "`/`".
fn describe_char(c: char) -> String {
    match c {
        ' ' => "a space".into(),
        '\t' => "a tab".into(),
        c if c.is_control() => format!("the control character U+{:04X}", c as u32),
        c => format!("`{c}`"),
    }
}

/// `target` relative to `base`, written the way templates write paths (`./target/fc/x.zip`).
pub fn relative(base: &Path, target: &Path) -> String {
    let base_norm = normalize(base);
    let base: Vec<Component> = base_norm.components().collect();
    let target_norm = normalize(target);
    let target: Vec<Component> = target_norm.components().collect();
    let common = base.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..base.len() {
        out.push("..");
    }
    for component in &target[common..] {
        out.push(component.as_os_str());
    }
    let text = out.display().to_string();
    if text.starts_with("..") {
        text
    } else {
        format!("./{text}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_read_like_template_paths() {
        assert_eq!(
            relative(Path::new("/p"), Path::new("/p/target/fc/a.zip")),
            "./target/fc/a.zip"
        );
        assert_eq!(
            relative(Path::new("/w/p"), Path::new("/w/target/fc/a.zip")),
            "../target/fc/a.zip"
        );
    }

    #[test]
    fn the_bootstrap_runs_by_its_absolute_or_code_relative_path() {
        assert!(runs_bootstrap("/code/bootstrap"));
        assert!(runs_bootstrap("./bootstrap"));
        assert!(runs_bootstrap("/code/./bootstrap"));
        assert!(!runs_bootstrap("bootstrap"));
        assert!(!runs_bootstrap("./main"));
        assert!(!runs_bootstrap("/usr/bin/bootstrap"));
    }

    #[test]
    fn characters_are_named_in_messages() {
        assert_eq!(describe_char(' '), "a space");
        assert_eq!(describe_char('/'), "`/`");
        assert_eq!(describe_char('\u{7}'), "the control character U+0007");
    }
}
