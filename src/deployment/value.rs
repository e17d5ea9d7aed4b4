//! The values of the model: what a template writes at one place, with where it writes it.
//!
//! A template value is one of three things: a literal of the expected type, a value the deploy
//! tool computes (`${vars.region}`, `!Ref Name`), or something of the wrong type. Readers never
//! drop the last two: `check` reports the wrong ones, the deployer refuses to guess the computed
//! ones, and both can point at them.

use std::fmt;

pub use super::yaml::{NodeId, Span};

/// A value as the template writes it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value<T> {
    /// A value of the expected type.
    Literal(T, Span),
    /// A value the deploy tool fills in: the text as written (`${vars.region}`; the scalar of a
    /// custom tag such as `!Ref`).
    Computed(String, Span),
    /// Something else: what was found instead.
    Invalid(Found, Span),
}

impl<T> Value<T> {
    pub fn span(&self) -> Span {
        match self {
            Value::Literal(_, span) | Value::Computed(_, span) | Value::Invalid(_, span) => *span,
        }
    }

    pub fn literal(&self) -> Option<&T> {
        match self {
            Value::Literal(value, _) => Some(value),
            _ => None,
        }
    }

    pub fn is_computed(&self) -> bool {
        matches!(self, Value::Computed(..))
    }

    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Value<U> {
        match self {
            Value::Literal(value, span) => Value::Literal(f(value), span),
            Value::Computed(text, span) => Value::Computed(text, span),
            Value::Invalid(found, span) => Value::Invalid(found, span),
        }
    }

    pub fn as_ref(&self) -> Value<&T> {
        match self {
            Value::Literal(value, span) => Value::Literal(value, *span),
            Value::Computed(text, span) => Value::Computed(text.clone(), *span),
            Value::Invalid(found, span) => Value::Invalid(found.clone(), *span),
        }
    }
}

impl Value<String> {
    pub fn as_str(&self) -> Option<&str> {
        self.literal().map(String::as_str)
    }
}

/// What a template holds where a value of another type was expected.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    Null,
    Bool(bool),
    /// An integer, as written.
    Integer(String),
    /// An integer too large for 64 bits, as written: out of every range FC has.
    LargeInteger(String),
    Float(f64),
    /// A string: `quoted` when written in quotes, `block` for `|` and `>` scalars.
    String {
        text: String,
        quoted: bool,
        block: bool,
    },
    List,
    Mapping,
}

impl Found {
    /// What it is, for messages: "a string", "a list".
    pub fn describe(&self) -> &'static str {
        match self {
            Found::Null => "nothing (null)",
            Found::Bool(_) => "true/false",
            Found::Integer(_) | Found::LargeInteger(_) => "an integer",
            Found::Float(_) => "a decimal number",
            Found::String { .. } => "a string",
            Found::List => "a list",
            Found::Mapping => "a mapping",
        }
    }

    /// The scalar as written, or `""` for collections and null.
    pub fn text(&self) -> String {
        match self {
            Found::Null | Found::List | Found::Mapping => String::new(),
            Found::Bool(b) => b.to_string(),
            Found::Integer(text) | Found::LargeInteger(text) => text.clone(),
            Found::Float(n) => n.to_string(),
            Found::String { text, .. } => text.clone(),
        }
    }
}

impl fmt::Display for Found {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.describe())
    }
}

/// A value under a key of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Field<T> {
    /// The key as this template's format spells it (`MemorySize`, `memorySize`).
    pub name: &'static str,
    /// Where the key is written.
    pub key: Span,
    pub value: Value<T>,
}

impl<T> Field<T> {
    pub fn literal(&self) -> Option<&T> {
        self.value.literal()
    }

    /// Where the value is written.
    pub fn span(&self) -> Span {
        self.value.span()
    }
}

/// So that code takes a field whether it is held boxed or not.
impl<T> AsRef<Field<T>> for Field<T> {
    fn as_ref(&self) -> &Field<T> {
        self
    }
}

impl Field<String> {
    pub fn as_str(&self) -> Option<&str> {
        self.value.as_str()
    }
}

/// A list of strings (layers, a start command, HTTP methods).
pub type Strings = Vec<Value<String>>;

/// A part of the template the model keeps as written, for the deployer to pass on
/// ([`super::Deployment::json`]) and for messages to point at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Raw {
    pub span: Span,
    pub node: NodeId,
}

/// A key the format does not define at its place, kept with its value.
#[derive(Debug, Clone, PartialEq)]
pub struct UnknownKey {
    pub name: String,
    pub key: Span,
    pub value: Raw,
}
