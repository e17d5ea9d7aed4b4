//! A YAML document as a tree in which every node knows where it came from.
//!
//! serde's data model has no room for "this key appears twice" or "report every problem, not the
//! first", and a typed deserializer stops at the first surprise. So the checker reads the event
//! parser that serde-saphyr is built on (granit, re-exported as `serde_saphyr::granit_parser`) and
//! builds its own tree: nodes live in one arena, an alias is the id of the node it names (never a
//! copy, so alias bombs cost nothing), and merge keys (`<<`) are resolved when their mapping ends.

use std::collections::{HashMap, HashSet};

use serde_saphyr::granit_parser::{self, Event, Parser, ScalarStyle};

use super::application::{Rendered, TAG_START};
use super::diagnostic::{Diagnostic, Severity};

pub type NodeId = usize;

/// A position: 1-based line, 0-based column counted in characters. Thirty-two bits each keep
/// every span (and so every value of the model) small; a longer file is clamped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl Pos {
    pub fn new(line: usize, col: usize) -> Self {
        Self {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            col: u32::try_from(col).unwrap_or(u32::MAX),
        }
    }

    pub fn line(self) -> usize {
        self.line as usize
    }

    pub fn col(self) -> usize {
        self.col as usize
    }

    /// The position `n` characters to the right.
    pub fn right(self, n: usize) -> Self {
        Self::new(self.line(), self.col() + n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    fn of(span: &granit_parser::Span) -> Self {
        Self {
            start: Pos::new(span.start.line(), span.start.col()),
            end: Pos::new(span.end.line(), span.end.col()),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Int(i64),
    /// An integer too large for i64: out of every range the checker knows.
    BigInt,
    Float(f64),
    /// A string; its text is the node's `text`.
    Str,
    Seq(Vec<NodeId>),
    Map(Map),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Plain,
    Quoted,
    Block,
    Collection,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    pub key: NodeId,
    pub value: NodeId,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Map {
    /// The entries written in this mapping, in order, duplicates included.
    pub own: Vec<Entry>,
    /// Entries a `<<` merge brings in that the mapping does not override.
    pub merged: Vec<Entry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub span: Span,
    pub value: Value,
    pub style: Style,
    /// The scalar as written after escape processing (keys are compared by it):
    /// [`Document::text`].
    text: Option<Text>,
    /// Carries a tag outside the core schema (`!Ref`, `!Sub`): its value is computed elsewhere.
    pub tagged: bool,
}

/// A scalar's text: where it is in the source when it is written there as it reads (most
/// scalars: no escapes, no folding), else its own copy. Copying every scalar would be the
/// parser's largest cost after scanning.
#[derive(Debug, Clone, PartialEq)]
enum Text {
    Source { start: u32, len: u32 },
    Owned(Box<str>),
}

impl Text {
    /// `text` as a place in `source` when it is a slice of it (the parser hands out
    /// borrowed slices for scalars it did not have to rewrite), else a copy.
    fn of(text: &str, source: &str) -> Self {
        let base = source.as_ptr() as usize;
        let at = text.as_ptr() as usize;
        let inside = at >= base && at + text.len() <= base + source.len();
        match (
            u32::try_from(at.wrapping_sub(base)),
            u32::try_from(text.len()),
        ) {
            (Ok(start), Ok(len)) if inside => Text::Source { start, len },
            _ => Text::Owned(text.into()),
        }
    }

    fn get<'a>(&'a self, source: &'a str) -> &'a str {
        match self {
            Text::Source { start, len } => &source[*start as usize..(*start + *len) as usize],
            Text::Owned(text) => text,
        }
    }
}

#[derive(Debug, Default)]
pub struct Document {
    nodes: Vec<Node>,
    pub root: Option<NodeId>,
    source: Box<str>,
}

pub const MERGE_KEY: &str = "<<";

impl Document {
    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id]
    }

    pub fn text(&self, id: NodeId) -> Option<&str> {
        self.nodes[id].text.as_ref().map(|t| t.get(&self.source))
    }

    pub fn map(&self, id: NodeId) -> Option<&Map> {
        match &self.nodes[id].value {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    pub fn seq(&self, id: NodeId) -> Option<&[NodeId]> {
        match &self.nodes[id].value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// Every entry of a mapping, its own first, then merged ones; `<<` itself is left out.
    pub fn entries(&self, id: NodeId) -> impl Iterator<Item = Entry> + '_ {
        self.map(id)
            .into_iter()
            .flat_map(|map| map.own.iter().chain(map.merged.iter()))
            .copied()
            .filter(|entry| !self.is_merge_key(entry.key))
    }

    /// The first entry named `key` (YAML readers differ on duplicates; those are reported).
    pub fn get(&self, map: NodeId, key: &str) -> Option<Entry> {
        self.entries(map).find(|e| self.text(e.key) == Some(key))
    }

    fn is_merge_key(&self, id: NodeId) -> bool {
        let node = &self.nodes[id];
        node.style == Style::Plain && self.text(id) == Some(MERGE_KEY)
    }

    /// The node as plain data (the first of duplicate keys wins, as in [`Document::get`]);
    /// `None` when it expands, through aliases, to more than `budget` nodes.
    pub fn to_json_bounded(&self, id: NodeId, budget: usize) -> Option<serde_json::Value> {
        let mut left = budget;
        self.json(id, &mut left)
    }

    fn json(&self, id: NodeId, left: &mut usize) -> Option<serde_json::Value> {
        use serde_json::Value as Json;
        *left = left.checked_sub(1)?;
        let node = &self.nodes[id];
        Some(match &node.value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(*b),
            Value::Int(i) => Json::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
            Value::BigInt | Value::Str => {
                Json::String(self.text(id).unwrap_or_default().to_string())
            }
            Value::Seq(items) => Json::Array(
                items
                    .iter()
                    .map(|&item| self.json(item, left))
                    .collect::<Option<_>>()?,
            ),
            Value::Map(_) => {
                let mut object = serde_json::Map::new();
                for entry in self.entries(id) {
                    let key = self.text(entry.key).unwrap_or_default().to_string();
                    if !object.contains_key(&key) {
                        let value = self.json(entry.value, left)?;
                        object.insert(key, value);
                    }
                }
                Json::Object(object)
            }
        })
    }

    /// A mapping made of `top`'s entries over `base`'s, deeply: mappings under the same key are
    /// combined the same way, lists item by item, anything else `top` wins (the way Serverless
    /// Devs' `extend2(true, …)` combines a template's props with a resource's). `base` keys in
    /// `ignore` are left out. New nodes are added for the combined collections; the values
    /// themselves are shared, so every one keeps its position.
    pub fn overlay(&mut self, base: NodeId, top: NodeId, ignore: &[String]) -> NodeId {
        let mut budget = OVERLAY_BUDGET;
        self.overlay_within(base, top, ignore, 0, &mut budget)
    }

    fn overlay_within(
        &mut self,
        base: NodeId,
        top: NodeId,
        ignore: &[String],
        depth: usize,
        budget: &mut usize,
    ) -> NodeId {
        if depth > OVERLAY_DEPTH || *budget == 0 {
            return top;
        }
        match (&self.nodes[base].value, &self.nodes[top].value) {
            (Value::Map(_), Value::Map(_)) => {
                let top_entries: Vec<Entry> = self.entries(top).collect();
                let base_entries: Vec<Entry> = self.entries(base).collect();
                let mut under: HashMap<String, NodeId> = HashMap::new();
                for entry in &base_entries {
                    if let Some(key) = self.text(entry.key)
                        && !ignore.iter().any(|i| i == key)
                    {
                        under.entry(key.to_string()).or_insert(entry.value);
                    }
                }
                let mut taken: HashSet<String> = HashSet::new();
                let mut own = Vec::with_capacity(top_entries.len() + base_entries.len());
                for entry in &top_entries {
                    let key = self.text(entry.key).map(str::to_string);
                    let value = match key.as_ref().and_then(|k| under.get(k)) {
                        Some(&below) => {
                            *budget = budget.saturating_sub(1);
                            self.overlay_within(below, entry.value, &[], depth + 1, budget)
                        }
                        None => entry.value,
                    };
                    taken.extend(key);
                    own.push(Entry {
                        key: entry.key,
                        value,
                    });
                }
                for entry in &base_entries {
                    let Some(key) = self.text(entry.key) else {
                        continue;
                    };
                    if !taken.contains(key) && !ignore.iter().any(|i| i == key) {
                        taken.insert(key.to_string());
                        own.push(*entry);
                    }
                }
                *budget = budget.saturating_sub(own.len());
                let node = Node {
                    value: Value::Map(Map {
                        own,
                        merged: Vec::new(),
                    }),
                    ..self.nodes[top].clone_shallow()
                };
                self.nodes.push(node);
                self.nodes.len() - 1
            }
            (Value::Seq(base_items), Value::Seq(top_items)) => {
                let (base_items, top_items) = (base_items.clone(), top_items.clone());
                let mut items = Vec::with_capacity(base_items.len().max(top_items.len()));
                for index in 0..base_items.len().max(top_items.len()) {
                    let item = match (base_items.get(index), top_items.get(index)) {
                        (Some(&b), Some(&t)) => self.overlay_within(b, t, &[], depth + 1, budget),
                        (Some(&only), None) | (None, Some(&only)) => only,
                        (None, None) => unreachable!("index is below the longer length"),
                    };
                    items.push(item);
                }
                *budget = budget.saturating_sub(items.len());
                let node = Node {
                    value: Value::Seq(items),
                    ..self.nodes[top].clone_shallow()
                };
                self.nodes.push(node);
                self.nodes.len() - 1
            }
            _ => top,
        }
    }

    /// What a node is, for messages: "a string", "a list".
    pub fn kind_name(&self, id: NodeId) -> &'static str {
        match &self.nodes[id].value {
            Value::Null => "nothing (null)",
            Value::Bool(_) => "true/false",
            Value::Int(_) | Value::BigInt => "an integer",
            Value::Float(_) => "a decimal number",
            Value::Str => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }
}

/// Merged entries a whole document may produce; past it, merges stop (hostile input only).
const MERGE_BUDGET: usize = 250_000;

/// How deep and how large an [`Document::overlay`] goes; past it, `top` wins as it is.
const OVERLAY_DEPTH: usize = 64;
const OVERLAY_BUDGET: usize = 100_000;

impl Node {
    /// The node without its children, to carry position and style over to a combined one.
    fn clone_shallow(&self) -> Self {
        Self {
            span: self.span,
            value: Value::Null,
            style: self.style,
            text: self.text.clone(),
            tagged: self.tagged,
        }
    }
}

enum Open {
    Seq {
        id: NodeId,
        items: Vec<NodeId>,
        anchor: usize,
    },
    Map {
        id: NodeId,
        own: Vec<Entry>,
        key: Option<NodeId>,
        anchor: usize,
    },
}

struct Builder<'d> {
    source: &'d str,
    nodes: Vec<Node>,
    stack: Vec<Open>,
    anchors: HashMap<usize, NodeId>,
    open_anchors: HashSet<usize>,
    root: Option<NodeId>,
    merge_budget: usize,
    merges_exhausted: bool,
    diagnostics: &'d mut Vec<Diagnostic>,
    /// The tags of an application template the text was rendered from.
    rendered: Option<&'d Rendered>,
}

/// Parses `text`, reporting syntax errors, tabs, duplicate keys and bad merges. Returns no
/// document when the YAML cannot be read (the syntax error is then among the diagnostics).
pub fn parse(text: &str, diagnostics: &mut Vec<Diagnostic>) -> Option<Document> {
    parse_rendered(text, None, diagnostics)
}

/// [`parse`] of an application template's rendered text: a scalar holding a tag's stand-in gets
/// the tag back in its text and is computed ([`Node::tagged`]), as `s init` fills it in.
pub fn parse_rendered(
    text: &str,
    rendered: Option<&Rendered>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<Document> {
    let mut builder = Builder {
        // About one node per eight bytes of a typical template: growing the arena costs copies.
        source: text,
        nodes: Vec::with_capacity(text.len() / 8),
        stack: Vec::new(),
        anchors: HashMap::new(),
        open_anchors: HashSet::new(),
        root: None,
        merge_budget: MERGE_BUDGET,
        merges_exhausted: false,
        diagnostics,
        rendered,
    };
    let mut documents = 0;
    for item in Parser::new_from_str(text) {
        let (event, span) = match item {
            Ok(item) => item,
            Err(error) => {
                builder.diagnostics.push(syntax_error(text, &error));
                return None;
            }
        };
        let span = Span::of(&span);
        match event {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    builder.diagnostics.push(Diagnostic::new(
                        Severity::Error,
                        "yaml-documents",
                        span,
                        "the file holds more than one YAML document",
                        "Fun and Serverless Devs read one document: remove the second `---` and what follows, or merge it into the first",
                    ));
                    break;
                }
            }
            Event::Scalar(value, style, anchor, tag) => {
                let id = builder.scalar(&value, style, tag.as_deref(), span);
                if anchor != 0 {
                    builder.anchors.insert(anchor, id);
                }
                builder.add(id);
            }
            Event::SequenceStart(_, anchor, tag) => {
                let id = builder.placeholder(span, tag.as_deref());
                builder.open(anchor, id);
                builder.stack.push(Open::Seq {
                    id,
                    items: Vec::new(),
                    anchor,
                });
            }
            Event::MappingStart(_, anchor, tag) => {
                let id = builder.placeholder(span, tag.as_deref());
                builder.open(anchor, id);
                builder.stack.push(Open::Map {
                    id,
                    own: Vec::new(),
                    key: None,
                    anchor,
                });
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(span),
            Event::Alias(anchor) => {
                let id = match builder.anchors.get(&anchor) {
                    Some(&id) if !builder.open_anchors.contains(&anchor) => id,
                    _ => {
                        builder.diagnostics.push(Diagnostic::new(
                            Severity::Error,
                            "yaml-alias",
                            span,
                            "this alias refers to the collection it is part of",
                            "a template cannot contain itself: copy the values instead",
                        ));
                        // Marked as computed so that the rules do not report it a second time.
                        builder.push_node(Node {
                            span,
                            value: Value::Null,
                            style: Style::Plain,
                            text: None,
                            tagged: true,
                        })
                    }
                };
                builder.add(id);
            }
            _ => {}
        }
    }
    Some(Document {
        nodes: builder.nodes,
        root: builder.root,
        source: text.into(),
    })
}

fn syntax_error(text: &str, error: &granit_parser::ScanError) -> Diagnostic {
    let marker = error.marker();
    let at = Pos::new(marker.line().max(1), marker.col());
    let info = error.info();
    // The scanner often notices a tab lines late (blank lines between) or calls it part of a
    // scalar; the problem is the tab, on its own line.
    if let Some(tab) = indentation_tab(text, at.line(), info.contains("tab")) {
        return Diagnostic::new(
            Severity::Error,
            "yaml-tab",
            Span {
                start: tab,
                end: tab.right(1),
            },
            "tab character in indentation",
            "YAML indents with spaces only: replace the tab with spaces",
        );
    }
    let message = if info.is_empty() {
        "invalid YAML".to_string()
    } else {
        format!("invalid YAML: {info}")
    };
    Diagnostic::new(
        Severity::Error,
        "yaml-syntax",
        Span {
            start: at,
            end: at.right(1),
        },
        message,
        "fix the YAML here: nothing after this point could be checked",
    )
}

/// A tab in the leading whitespace of line `line` or the one after it; with `anywhere_after`
/// (the scanner said it found a tab), of any line from `line` on.
fn indentation_tab(text: &str, line: usize, anywhere_after: bool) -> Option<Pos> {
    let lines = if anywhere_after { usize::MAX } else { 2 };
    text.lines()
        .enumerate()
        .skip(line.saturating_sub(1))
        .take(lines)
        .find_map(|(index, content)| {
            let indent = content
                .char_indices()
                .find(|(_, c)| *c != ' ' && *c != '\t')
                .map_or(content, |(at, _)| &content[..at]);
            indent
                .chars()
                .position(|c| c == '\t')
                .map(|col| Pos::new(index + 1, col))
        })
}

impl Builder<'_> {
    fn push_node(&mut self, node: Node) -> NodeId {
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn placeholder(&mut self, span: Span, tag: Option<&granit_parser::Tag>) -> NodeId {
        self.push_node(Node {
            span,
            value: Value::Null,
            style: Style::Collection,
            text: None,
            tagged: tag.is_some_and(|t| !t.is_yaml_core_schema()),
        })
    }

    fn open(&mut self, anchor: usize, id: NodeId) {
        if anchor != 0 {
            self.anchors.insert(anchor, id);
            self.open_anchors.insert(anchor);
        }
    }

    fn scalar(
        &mut self,
        text: &str,
        style: ScalarStyle,
        tag: Option<&granit_parser::Tag>,
        span: Span,
    ) -> NodeId {
        let core = tag.and_then(|t| t.core_suffix());
        let mut tagged = tag.is_some() && core.is_none();
        let restored = match self.rendered {
            Some(rendered) if text.contains(TAG_START) => {
                tagged = true;
                Some(rendered.restore(text, span.start))
            }
            _ => None,
        };
        let value = match (style, core) {
            (_, Some("str")) => Value::Str,
            (ScalarStyle::Plain, _) | (_, Some(_)) => resolve_plain(text),
            _ => Value::Str,
        };
        let style = match style {
            ScalarStyle::Plain => Style::Plain,
            ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => Style::Quoted,
            _ => Style::Block,
        };
        self.push_node(Node {
            span,
            value,
            style,
            text: Some(match restored {
                Some(text) => Text::Owned(text.into()),
                None => Text::of(text, self.source),
            }),
            tagged,
        })
    }

    /// Attaches a finished node to the open collection, or makes it the root.
    fn add(&mut self, id: NodeId) {
        match self.stack.last_mut() {
            None => {
                self.root.get_or_insert(id);
            }
            Some(Open::Seq { items, .. }) => items.push(id),
            Some(Open::Map { own, key, .. }) => match key.take() {
                None => *key = Some(id),
                Some(k) => own.push(Entry { key: k, value: id }),
            },
        }
    }

    fn close(&mut self, end: Span) {
        let Some(open) = self.stack.pop() else {
            return;
        };
        let (id, anchor, value) = match open {
            Open::Seq { id, items, anchor } => (id, anchor, Value::Seq(items)),
            Open::Map {
                id,
                mut own,
                key,
                anchor,
            } => {
                // A key without a value (possible only in broken input) maps to null.
                if let Some(key) = key {
                    let value = self.push_node(Node {
                        span: self.nodes[key].span,
                        value: Value::Null,
                        style: Style::Plain,
                        text: None,
                        tagged: false,
                    });
                    own.push(Entry { key, value });
                }
                self.report_duplicates(&own);
                let merged = self.merge(&own);
                (id, anchor, Value::Map(Map { own, merged }))
            }
        };
        let node = &mut self.nodes[id];
        node.value = value;
        // Block collections start at their first key; the end is where the next token begins.
        if end.end.line >= node.span.start.line {
            node.span.end = end.end;
        }
        self.open_anchors.remove(&anchor);
        self.add(id);
    }

    fn report_duplicates(&mut self, own: &[Entry]) {
        let mut seen: HashMap<&str, NodeId> = HashMap::with_capacity(own.len());
        for entry in own {
            let Some(text) = self.nodes[entry.key]
                .text
                .as_ref()
                .map(|t| t.get(self.source))
            else {
                continue;
            };
            if let Some(&first) = seen.get(text) {
                let line = self.nodes[first].span.start.line;
                self.diagnostics.push(Diagnostic::new(
                    Severity::Error,
                    "duplicate-key",
                    self.nodes[entry.key].span,
                    format!("duplicate key `{text}` (first defined on line {line})"),
                    "YAML readers disagree on which value wins: keep one of them",
                ));
            } else {
                seen.insert(text, entry.key);
            }
        }
    }

    /// The entries `<<: *anchor` (or `<<: [*a, *b]`) brings in, earlier sources winning.
    fn merge(&mut self, own: &[Entry]) -> Vec<Entry> {
        let nodes = &self.nodes;
        let source = self.source;
        let text_of = |id: NodeId| nodes[id].text.as_ref().map(|t| t.get(source));
        let is_merge =
            |e: &&Entry| nodes[e.key].style == Style::Plain && text_of(e.key) == Some(MERGE_KEY);
        if !own.iter().any(|e| is_merge(&e)) {
            return Vec::new();
        }
        // Keys are compared by their text, borrowed: a merge chain visits every key it brings
        // in, and copying each would cost more than the rest of the check.
        let mut taken: HashSet<&str> = own.iter().filter_map(|e| text_of(e.key)).collect();
        let mut merged = Vec::new();
        let mut not_mappings = Vec::new();
        let mut exhausted = None;
        'sources: for source in own.iter().filter(is_merge) {
            let maps: &[NodeId] = match &nodes[source.value].value {
                Value::Seq(items) => items,
                _ => std::slice::from_ref(&source.value),
            };
            for &map in maps {
                let Value::Map(inner) = &nodes[map].value else {
                    not_mappings.push(map);
                    continue;
                };
                for entry in inner.own.iter().chain(inner.merged.iter()) {
                    let Some(text) = text_of(entry.key) else {
                        continue;
                    };
                    if text == MERGE_KEY || taken.contains(text) {
                        continue;
                    }
                    if self.merge_budget == 0 {
                        exhausted = Some(source.key);
                        break 'sources;
                    }
                    self.merge_budget -= 1;
                    taken.insert(text);
                    merged.push(*entry);
                }
            }
        }
        for map in not_mappings {
            let found = match &self.nodes[map].value {
                Value::Seq(_) => "a list",
                Value::Str => "a string",
                _ => "a scalar",
            };
            self.diagnostics.push(Diagnostic::new(
                Severity::Error,
                "yaml-merge",
                self.nodes[map].span,
                format!("`<<` merges mappings, but this is {found}"),
                "write `<<: *anchor` where the anchor names a mapping",
            ));
        }
        if let Some(key) = exhausted
            && !self.merges_exhausted
        {
            self.merges_exhausted = true;
            self.diagnostics.push(Diagnostic::new(
                Severity::Warning,
                "yaml-merge",
                self.nodes[key].span,
                format!(
                    "merge keys bring in more than {MERGE_BUDGET} entries; from here on they are left out, and what they would bring is not checked"
                ),
                "a template this size is most likely generated by mistake: merge a few shared mappings rather than chains of them",
            ));
        }
        merged
    }
}

/// YAML 1.2 core schema resolution of a plain scalar, as js-yaml (Fun, Serverless Devs) reads it
/// for the types that matter here.
fn resolve_plain(text: &str) -> Value {
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return Value::Null,
        "true" | "True" | "TRUE" => return Value::Bool(true),
        "false" | "False" | "FALSE" => return Value::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return Value::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Value::Float(f64::NAN),
        _ => {}
    }
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let radix_digits = |prefix: &str, radix: u32| {
        text.strip_prefix(prefix)
            .filter(|d| !d.is_empty() && d.chars().all(|c| c.is_digit(radix)))
            .map(|d| i64::from_str_radix(d, radix).map_or(Value::BigInt, Value::Int))
    };
    if let Some(value) = radix_digits("0o", 8).or_else(|| radix_digits("0x", 16)) {
        return value;
    }
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return match digits.parse::<i64>() {
            Ok(n) if negative => Value::Int(-n),
            Ok(n) => Value::Int(n),
            Err(_) => Value::BigInt,
        };
    }
    if is_float(digits)
        && let Ok(n) = text.parse::<f64>()
    {
        return Value::Float(n);
    }
    Value::Str
}

/// `(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?` without the sign.
fn is_float(text: &str) -> bool {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some((whole, fraction)) => {
            (!whole.is_empty() || !fraction.is_empty())
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.bytes().all(|b| b.is_ascii_digit())
        }
        None => !mantissa.is_empty() && mantissa.bytes().all(|b| b.is_ascii_digit()),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|b| b.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_ok(text: &str) -> (Document, Vec<Diagnostic>) {
        let mut diagnostics = Vec::new();
        let doc = parse(text, &mut diagnostics).expect("valid YAML");
        (doc, diagnostics)
    }

    #[test]
    fn scalars_resolve_like_the_core_schema() {
        assert_eq!(resolve_plain("512"), Value::Int(512));
        assert_eq!(resolve_plain("-3"), Value::Int(-3));
        assert_eq!(resolve_plain("0x1F"), Value::Int(31));
        assert_eq!(resolve_plain("1.5"), Value::Float(1.5));
        assert_eq!(resolve_plain("1e3"), Value::Float(1000.0));
        assert_eq!(resolve_plain("true"), Value::Bool(true));
        assert_eq!(resolve_plain("~"), Value::Null);
        assert_eq!(resolve_plain("99999999999999999999"), Value::BigInt);
        assert_eq!(resolve_plain("2015-09-01"), Value::Str);
        assert_eq!(resolve_plain("yes"), Value::Str);
        assert_eq!(resolve_plain("."), Value::Str);
        assert_eq!(resolve_plain("-"), Value::Str);
    }

    #[test]
    fn quoted_numbers_stay_strings() {
        let (doc, _) = parse_ok("a: '512'\nb: !!int \"7\"\n");
        let root = doc.root.unwrap();
        let a = doc.get(root, "a").unwrap();
        assert_eq!(doc.node(a.value).value, Value::Str);
        assert_eq!(doc.text(a.value), Some("512"));
        let b = doc.get(root, "b").unwrap();
        assert_eq!(doc.node(b.value).value, Value::Int(7));
    }

    #[test]
    fn duplicate_keys_are_reported_with_the_first_line() {
        let (_, diagnostics) = parse_ok("a: 1\nb: 2\na: 3\n");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].rule, "duplicate-key");
        assert_eq!((diagnostics[0].line, diagnostics[0].column), (3, 1));
        assert!(diagnostics[0].message.contains("line 1"));
    }

    #[test]
    fn merge_keys_bring_in_entries_the_mapping_does_not_set() {
        let (doc, diagnostics) = parse_ok("base: &b {x: 1, y: 2}\nitem:\n  <<: *b\n  y: 3\n");
        assert!(diagnostics.is_empty(), "{diagnostics:?}");
        let item = doc.get(doc.root.unwrap(), "item").unwrap().value;
        let x = doc.get(item, "x").unwrap();
        assert_eq!(doc.node(x.value).value, Value::Int(1));
        let y = doc.get(item, "y").unwrap();
        assert_eq!(doc.node(y.value).value, Value::Int(3));
        assert_eq!(doc.entries(item).count(), 2);
    }

    #[test]
    fn tabs_in_indentation_point_at_the_tab() {
        let mut diagnostics = Vec::new();
        assert!(parse("a:\n  b: 1\n\tc: 2\n", &mut diagnostics).is_none());
        assert_eq!(diagnostics[0].rule, "yaml-tab");
        assert_eq!((diagnostics[0].line, diagnostics[0].column), (3, 1));
    }

    #[test]
    fn a_tab_noticed_lines_late_is_reported_on_its_own_line() {
        let mut diagnostics = Vec::new();
        assert!(parse("a:\n  b: x\n\n\n\tc: 2\n", &mut diagnostics).is_none());
        assert_eq!(diagnostics[0].rule, "yaml-tab");
        assert_eq!((diagnostics[0].line, diagnostics[0].column), (5, 1));
    }

    #[test]
    fn syntax_errors_carry_the_position() {
        let mut diagnostics = Vec::new();
        assert!(parse("a: [1, 2\n", &mut diagnostics).is_none());
        assert_eq!(diagnostics[0].rule, "yaml-syntax");
        assert_eq!(diagnostics[0].line, 1);
    }

    #[test]
    fn self_referencing_aliases_are_refused() {
        let (_, diagnostics) = parse_ok("&a [*a]");
        assert_eq!(diagnostics[0].rule, "yaml-alias");
    }

    #[test]
    fn aliases_share_the_node_instead_of_copying_it() {
        let text = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n";
        let (doc, _) = parse_ok(text);
        assert!(doc.nodes.len() < 100);
    }
}
