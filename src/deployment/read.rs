//! Typed reads of the YAML tree: a node as a [`Value`] of the expected type, a mapping entry as a
//! [`Field`]. Shared by the format readers ([`super::fun`], [`super::devs`]).

use std::cell::Cell;

use super::value::{Field, Found, NodeId, Raw, Span, Strings, UnknownKey, Value};
use super::yaml::{self, Document, Entry, Style};

/// Entries and list items the readers visit at most. A 1 MB template holds a few hundred
/// thousand; only aliases and merge keys, which share one node among many places, can make a
/// small file reach this, and then the rest is left unread rather than read for minutes.
pub const VISIT_BUDGET: usize = 1_000_000;

pub(super) struct Reader<'d> {
    pub doc: &'d Document,
    /// An s.yaml's `vars`, which `${vars.NAME}` values stand for.
    vars: Option<NodeId>,
    budget: Cell<usize>,
    truncated: Cell<Option<Span>>,
    /// Whether a mapping `{Ref: X}` or `{'Fn::GetAtt': [...]}` is a ROS function call, as Fun
    /// (which deploys through ROS) reads it: computed, like the `!Ref X` tag form.
    ros_functions: bool,
    /// Whether a key with no value (`caPort:`) is a key not written: Serverless Devs hands the
    /// props to FC's API as JSON, where null is an absent value. Fun's closed schema refuses it.
    nulls_unset: bool,
}

/// Values written as `${vars.x}` or `${env(X)}` are filled in by the deploy tool.
pub fn is_computed(text: &str) -> bool {
    text.contains("${")
}

impl<'d> Reader<'d> {
    pub fn new(doc: &'d Document, vars: Option<NodeId>) -> Self {
        Self {
            doc,
            vars,
            budget: Cell::new(VISIT_BUDGET),
            truncated: Cell::new(None),
            ros_functions: false,
            nulls_unset: false,
        }
    }

    /// A reader of a Serverless Devs s.yaml: a key without a value is not set.
    pub fn with_nulls_unset(doc: &'d Document, vars: Option<NodeId>) -> Self {
        Self {
            nulls_unset: true,
            ..Self::new(doc, vars)
        }
    }

    /// A reader of a Fun template, whose values may be ROS function calls.
    pub fn with_ros_functions(doc: &'d Document) -> Self {
        Self {
            ros_functions: true,
            ..Self::new(doc, None)
        }
    }

    /// The text of a mapping that is a ROS function call (`Ref`, `Fn::…`): its one key and
    /// what it is given.
    fn ros_function(&self, id: NodeId) -> Option<String> {
        let map = self.doc.map(id)?;
        let [entry] = map.own.as_slice() else {
            return None;
        };
        let name = self.doc.text(entry.key)?;
        if name != "Ref" && !name.starts_with("Fn::") {
            return None;
        }
        let argument = self
            .doc
            .to_json_bounded(entry.value, 64)
            .map_or_else(|| "…".to_string(), |json| json.to_string());
        Some(format!("{name}: {argument}"))
    }

    /// The node a value stands for: a string that is exactly `${vars.a.b}` (or `${vars.list[0]}`)
    /// is the value under that path of `vars` when the template has it, whatever its type, as
    /// both editions' engines substitute it. Anything else is itself.
    pub fn resolve(&self, mut id: NodeId) -> NodeId {
        let Some(vars) = self.vars else {
            return id;
        };
        // A variable may name another; a loop of them resolves to where it gives up.
        for _ in 0..8 {
            let node = self.doc.node(id);
            if node.tagged || node.value != yaml::Value::Str {
                return id;
            }
            let Some(path) = self.doc.text(id).and_then(vars_path) else {
                return id;
            };
            match self.lookup(vars, path) {
                Some(target) if target != id => id = target,
                _ => return id,
            }
        }
        id
    }

    fn lookup(&self, vars: NodeId, path: &str) -> Option<NodeId> {
        let mut at = vars;
        for segment in path.split('.') {
            let (name, mut indexes) = match segment.find('[') {
                Some(open) => (&segment[..open], &segment[open..]),
                None => (segment, ""),
            };
            if !name.is_empty() {
                at = self.doc.get(at, name)?.value;
            }
            while let Some(rest) = indexes.strip_prefix('[') {
                let (index, after) = rest.split_once(']')?;
                at = *self.doc.seq(at)?.get(index.trim().parse::<usize>().ok()?)?;
                indexes = after;
            }
            if !indexes.is_empty() {
                return None;
            }
        }
        Some(at)
    }

    /// Where reading stopped, when the budget ran out.
    pub fn truncated(&self) -> Option<Span> {
        self.truncated.get()
    }

    pub fn span(&self, id: NodeId) -> Span {
        self.doc.node(id).span
    }

    fn spend(&self, at: NodeId) -> bool {
        let left = self.budget.get();
        if left == 0 {
            if self.truncated.get().is_none() {
                self.truncated.set(Some(self.span(at)));
            }
            return false;
        }
        self.budget.set(left - 1);
        true
    }

    /// The entries of a mapping (its own, then merged ones), with their key text; keys that are
    /// not scalars are left out. Stops when the visit budget is spent.
    pub fn entries(&self, map: NodeId) -> impl Iterator<Item = (&'d str, Entry)> + '_ {
        let doc = self.doc;
        doc.entries(map)
            .take_while(move |_| self.spend(map))
            .filter(move |entry| !(self.nulls_unset && self.is_null(entry.value)))
            .filter_map(move |entry| Some((doc.text(entry.key)?, entry)))
    }

    fn is_null(&self, id: NodeId) -> bool {
        let node = self.doc.node(self.resolve(id));
        !node.tagged && node.value == yaml::Value::Null
    }

    /// The items of a list, within the visit budget.
    pub fn items(&self, list: &'d [NodeId], at: NodeId) -> &'d [NodeId] {
        let left = self.budget.get();
        if list.len() > left {
            self.budget.set(0);
            if self.truncated.get().is_none() {
                self.truncated.set(Some(self.span(at)));
            }
            return &list[..left];
        }
        self.budget.set(left - list.len());
        list
    }

    /// The text of a computed node: a custom tag (`!Ref x`), or a string with `${…}` when
    /// `strings` says such strings count.
    fn computed(&self, id: NodeId) -> Option<String> {
        let node = self.doc.node(id);
        let text = self.doc.text(id);
        if node.tagged {
            return Some(text.unwrap_or_default().to_string());
        }
        match (&node.value, text) {
            (yaml::Value::Str, Some(text)) if is_computed(text) => Some(text.to_string()),
            (yaml::Value::Map(_), _) if self.ros_functions => self.ros_function(id),
            _ => None,
        }
    }

    pub fn found(&self, id: NodeId) -> Found {
        let node = self.doc.node(id);
        let text = || self.doc.text(id).unwrap_or_default().to_string();
        match &node.value {
            yaml::Value::Null => Found::Null,
            yaml::Value::Bool(b) => Found::Bool(*b),
            yaml::Value::Int(_) => Found::Integer(text()),
            yaml::Value::BigInt => Found::LargeInteger(text()),
            yaml::Value::Float(n) => Found::Float(*n),
            yaml::Value::Str => Found::String {
                text: text(),
                quoted: node.style == Style::Quoted,
                block: node.style == Style::Block,
            },
            yaml::Value::Seq(_) => Found::List,
            yaml::Value::Map(_) => Found::Mapping,
        }
    }

    /// `id` read as a `T` by `literal`; `id` is already resolved.
    fn typed<T>(&self, id: NodeId, literal: impl FnOnce(&yaml::Value) -> Option<T>) -> Value<T> {
        let span = self.span(id);
        if let Some(text) = self.computed(id) {
            return Value::Computed(text, span);
        }
        match literal(&self.doc.node(id).value) {
            Some(value) => Value::Literal(value, span),
            None => Value::Invalid(self.found(id), span),
        }
    }

    pub fn string(&self, id: NodeId) -> Value<String> {
        let id = self.resolve(id);
        let text = self.doc.text(id);
        self.typed(id, |value| match value {
            yaml::Value::Str => text.map(str::to_string),
            _ => None,
        })
    }

    /// A scalar of any type as the text it is written with (environment variables, tags).
    pub fn scalar_text(&self, id: NodeId) -> Value<String> {
        let id = self.resolve(id);
        let text = self.doc.text(id);
        self.typed(id, |value| match value {
            yaml::Value::Str
            | yaml::Value::Int(_)
            | yaml::Value::BigInt
            | yaml::Value::Float(_)
            | yaml::Value::Bool(_) => text.map(str::to_string),
            _ => None,
        })
    }

    pub fn integer(&self, id: NodeId) -> Value<i64> {
        let id = self.resolve(id);
        self.typed(id, |value| match value {
            yaml::Value::Int(n) => Some(*n),
            _ => None,
        })
    }

    pub fn float(&self, id: NodeId) -> Value<f64> {
        let id = self.resolve(id);
        self.typed(id, |value| match value {
            yaml::Value::Int(n) => Some(*n as f64),
            yaml::Value::Float(n) => Some(*n),
            _ => None,
        })
    }

    pub fn boolean(&self, id: NodeId) -> Value<bool> {
        let id = self.resolve(id);
        self.typed(id, |value| match value {
            yaml::Value::Bool(b) => Some(*b),
            _ => None,
        })
    }

    /// A mapping: its node, to read further.
    pub fn mapping(&self, id: NodeId) -> Value<NodeId> {
        let id = self.resolve(id);
        self.typed(id, |value| match value {
            yaml::Value::Map(_) => Some(id),
            _ => None,
        })
    }

    pub fn list(&self, id: NodeId) -> Value<&'d [NodeId]> {
        let id = self.resolve(id);
        let doc = self.doc;
        let items = doc.seq(id);
        let value = self.typed(id, |_| items);
        match value {
            Value::Literal(items, span) => Value::Literal(self.items(items, id), span),
            other => other,
        }
    }

    pub fn strings(&self, id: NodeId) -> Value<Strings> {
        self.list(id)
            .map(|items| items.iter().map(|&item| self.string(item)).collect())
    }

    pub fn raw(&self, id: NodeId) -> Raw {
        let id = self.resolve(id);
        Raw {
            span: self.span(id),
            node: id,
        }
    }

    pub fn raw_key(&self, key: &str, entry: Entry) -> UnknownKey {
        UnknownKey {
            name: key.to_string(),
            key: self.span(entry.key),
            value: self.raw(entry.value),
        }
    }

    /// Every entry of a mapping as a kept key (`vars`, `template`).
    pub fn raw_keys(&self, map: NodeId) -> Vec<UnknownKey> {
        self.entries(map)
            .map(|(key, entry)| self.raw_key(key, entry))
            .collect()
    }

    pub fn field<T>(&self, name: &'static str, entry: Entry, value: Value<T>) -> Field<T> {
        Field {
            name,
            key: self.span(entry.key),
            value,
        }
    }

    /// A mapping-valued field read further by `read` when it is a mapping.
    pub fn section<T>(
        &self,
        name: &'static str,
        entry: Entry,
        read: impl FnOnce(NodeId) -> T,
    ) -> Field<T> {
        let value = self.mapping(entry.value).map(read);
        self.field(name, entry, value)
    }

    /// A mapping-valued field, or a string that `is_auto` takes for "let the deploy tool make
    /// it" (`LogConfig: Auto`).
    pub fn section_or_auto<T>(
        &self,
        name: &'static str,
        entry: Entry,
        is_auto: fn(&str) -> bool,
        auto: impl FnOnce() -> T,
        read: impl FnOnce(NodeId) -> T,
    ) -> Field<T> {
        let node = self.doc.node(self.resolve(entry.value));
        if !node.tagged
            && node.value == yaml::Value::Str
            && self
                .doc
                .text(self.resolve(entry.value))
                .is_some_and(is_auto)
        {
            return self.field(name, entry, Value::Literal(auto(), node.span));
        }
        self.section(name, entry, read)
    }

    /// The value under `key` when `map` is a mapping (the first of duplicates).
    pub fn get(&self, map: NodeId, key: &str) -> Option<Entry> {
        self.doc.get(map, key)
    }
}

/// Sets `slot` unless an earlier duplicate key did (the parser reports duplicates; readers take
/// the first, as [`Document::get`] does).
pub fn first<T>(slot: &mut Option<T>, value: impl FnOnce() -> T) {
    if slot.is_none() {
        *slot = Some(value());
    }
}

/// [`first`] for a slot that holds its value boxed.
pub fn first_boxed<T>(slot: &mut Option<Box<T>>, value: impl FnOnce() -> T) {
    if slot.is_none() {
        *slot = Some(Box::new(value()));
    }
}

/// The path of a string that is exactly `${vars.PATH}`.
fn vars_path(text: &str) -> Option<&str> {
    let inner = text.trim().strip_prefix("${")?.strip_suffix('}')?.trim();
    let path = inner.strip_prefix("vars.")?;
    let plain = path
        .chars()
        .all(|c| c.is_alphanumeric() || "_-.[]".contains(c));
    (plain && !path.is_empty()).then_some(path)
}

/// How a format spells the keys FC 3.0 spells in camelCase: Fun writes `AuthType` for
/// `authType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    Camel,
    Pascal,
}

impl Spelling {
    /// The entry of `keys` (pairs of camelCase and PascalCase spellings) that `key` is, and how
    /// this format spells it.
    pub fn find(self, key: &str, keys: &[(&'static str, &'static str)]) -> Option<Key> {
        keys.iter()
            .find(|(camel, pascal)| match self {
                Spelling::Camel => key == *camel,
                Spelling::Pascal => key == *pascal,
            })
            .map(|&(camel, pascal)| Key {
                camel,
                spelled: match self {
                    Spelling::Camel => camel,
                    Spelling::Pascal => pascal,
                },
            })
    }
}

/// A key a reader knows: its FC 3.0 name and the format's spelling.
#[derive(Debug, Clone, Copy)]
pub struct Key {
    pub camel: &'static str,
    pub spelled: &'static str,
}
