//! Application templates: an `s.yaml` (or a Fun `template.yml`) that is itself a template, with
//! `{{ serviceName }}` where `s init` (or `fun init`) writes the value the user chose.
//!
//! Most public Serverless Devs applications (`devsapp/start-*`, awesome-fc's samples) ship their
//! s.yaml this way: `s init` renders it with art-template from the parameters of `publish.yaml`
//! before anything deploys it. Read as YAML it is mostly not even valid (`name: {{ name }}` is a
//! flow mapping inside a flow mapping), and the values are not known until then. So before
//! parsing, [`render`] turns the file into the YAML `s init` makes of it, as far as that is
//! known without the parameters:
//!
//! - an expression tag (`{{ region }}`, `{{ a || 'b' }}`) becomes an opaque run of private-use
//!   characters of the same length, so that every position stays where it was; the YAML
//!   reader gives a scalar holding one back its original text and marks it computed, like
//!   `${vars.region}` (never judged, whatever type the place wants);
//! - a line holding only block tags (`{{if vpc === 'auto'}}`, `{{else}}`, `{{/if}}`,
//!   `{{each}}`, `{{set}}`) becomes empty, and of an `if` only the first branch is kept (the
//!   others would repeat its keys): one of the files `s init` can write is checked;
//! - a line that starts with an `if` closed on the same line (`{{if role}}role: {{role}}{{/if}}`)
//!   is rendered with its first branches, as art-template writes it (so that its key sits at
//!   the indentation it has then); a block tag anywhere else is inside a value, which is then
//!   computed.

use super::yaml::Pos;

/// The first character of a tag's stand-in.
pub const TAG_START: char = '\u{E000}';
/// The other characters of a tag's stand-in.
const TAG_FILL: char = '\u{E001}';

/// An application template made into the YAML the reader parses.
#[derive(Debug, Clone, Default)]
pub struct Rendered {
    /// The text with every tag handled; line numbers are the original's.
    pub text: String,
    /// The expression tags that stand-ins replace, in the order they appear in `text`: where
    /// the stand-in starts (a position in `text`) and the tag as written.
    pub tags: Vec<(Pos, String)>,
    /// Every `{{ … }}` tag of the file, block tags included.
    pub count: usize,
    /// The lines (1-based, ascending) inside an `{{if}}` block or holding one: `s init` may
    /// write one of two blocks that set the same key and never both.
    pub conditional: Vec<usize>,
    /// A byte offset in `text` on the line being rendered and its column in characters.
    cursor: (usize, usize),
}

impl Rendered {
    pub fn is_conditional(&self, line: usize) -> bool {
        self.conditional.binary_search(&line).is_ok()
    }
}

impl Rendered {
    /// `text` (a scalar that starts at `start` in the rendered text) with the stand-ins put
    /// back as the tags they stand for.
    pub fn restore(&self, text: &str, start: Pos) -> String {
        let mut next = self
            .tags
            .partition_point(|(at, _)| (at.line, at.col) < (start.line, start.col));
        let mut out = String::with_capacity(text.len());
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                TAG_START => {
                    while chars.peek() == Some(&TAG_FILL) {
                        chars.next();
                    }
                    match self.tags.get(next) {
                        Some((_, tag)) => out.push_str(tag),
                        None => out.push_str("{{…}}"),
                    }
                    next += 1;
                }
                TAG_FILL => {}
                c => out.push(c),
            }
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `{{ value }}`: writes a value.
    Expression,
    /// `{{if …}}`, `{{each …}}`, `{{block …}}`.
    Open,
    /// `{{else}}`, `{{else if …}}`.
    Else,
    /// `{{/if}}`, `{{/each}}`, `{{/block}}`.
    Close,
    /// `{{set …}}`, `{{include …}}`, `{{extend …}}`: write nothing here.
    Statement,
}

#[derive(Debug, Clone, Copy)]
struct Tag {
    /// Byte offsets in the line: `{{` starts at `start`, `}}` ends at `end`.
    start: usize,
    end: usize,
    kind: Kind,
}

fn kind(inner: &str) -> Kind {
    let inner = inner.trim();
    if inner.starts_with('/') {
        return Kind::Close;
    }
    let word = inner
        .split(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or_default();
    match word {
        "if" | "each" | "block" => Kind::Open,
        "else" => Kind::Else,
        "set" | "include" | "extend" => Kind::Statement,
        _ => Kind::Expression,
    }
}

/// The `{{ … }}` tags of one line (a tag does not span lines in any template seen).
fn tags(line: &str) -> Vec<Tag> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(open) = line[from..].find("{{").map(|at| from + at) {
        let Some(close) = line[open + 2..].find("}}").map(|at| open + 2 + at) else {
            break;
        };
        found.push(Tag {
            start: open,
            end: close + 2,
            kind: kind(&line[open + 2..close]),
        });
        from = close + 2;
    }
    found
}

/// Which branch of each open block the text is in: only branch 0 of every block is kept.
#[derive(Default)]
struct Blocks(Vec<usize>);

impl Blocks {
    fn apply(&mut self, kind: Kind) {
        match kind {
            Kind::Open => self.0.push(0),
            Kind::Else => {
                if let Some(branch) = self.0.last_mut() {
                    *branch += 1;
                }
            }
            Kind::Close => {
                self.0.pop();
            }
            Kind::Expression | Kind::Statement => {}
        }
    }

    fn inside(&self) -> bool {
        !self.0.is_empty()
    }

    fn kept(&self) -> bool {
        self.0.iter().all(|&branch| branch == 0)
    }
}

/// The YAML an application template stands for, or `None` when the text has no tags.
pub fn render(text: &str) -> Option<Rendered> {
    if !text.contains("{{") {
        return None;
    }
    let mut rendered = Rendered {
        text: String::with_capacity(text.len() + text.len() / 8),
        ..Rendered::default()
    };
    let mut blocks = Blocks::default();
    for (index, line) in text.split_inclusive('\n').enumerate() {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        let found = tags(body);
        rendered.count += found.len();
        rendered.cursor = (rendered.text.len(), 0);
        if blocks.inside() || found.iter().any(|t| t.kind != Kind::Expression) {
            rendered.conditional.push(index + 1);
        }
        let in_value = value_blocks(body, &found);
        let mut at = 0;
        for (tag, in_value) in found.iter().zip(in_value) {
            if blocks.kept() {
                rendered.text.push_str(&body[at..tag.start]);
            }
            at = tag.end;
            match tag.kind {
                _ if in_value || tag.kind == Kind::Expression => {
                    if blocks.kept() {
                        stand_in(&body[tag.start..tag.end], index + 1, &mut rendered);
                    }
                }
                Kind::Statement => {}
                kind => blocks.apply(kind),
            }
        }
        if blocks.kept() {
            rendered.text.push_str(&body[at..]);
        }
        rendered.text.push_str(end);
    }
    Some(rendered)
}

/// For each tag of a line, whether it belongs to a block that sits inside a value: one that
/// opens after the line's first character and closes on the line (`caPort: "{{if a}}9000{{else}}
/// 11434{{/if}}"`). Such a value is computed; every other block is rendered with its first
/// branch, across lines.
fn value_blocks(body: &str, found: &[Tag]) -> Vec<bool> {
    let indent = body.len() - body.trim_start().len();
    let mut inside = vec![false; found.len()];
    let mut i = 0;
    while i < found.len() {
        if found[i].kind == Kind::Open && found[i].start > indent {
            let mut depth = 0usize;
            let close = found[i..].iter().position(|tag| {
                match tag.kind {
                    Kind::Open => depth += 1,
                    Kind::Close => depth -= 1,
                    _ => {}
                }
                depth == 0
            });
            if let Some(length) = close {
                inside[i..=i + length].fill(true);
                i += length + 1;
                continue;
            }
        }
        i += 1;
    }
    inside
}

fn stand_in(tag: &str, line: usize, rendered: &mut Rendered) {
    // Counted on from the previous stand-in of the line, so that a long line of many tags
    // costs its length once.
    let (measured, chars) = rendered.cursor;
    let column = chars + rendered.text[measured..].chars().count();
    rendered
        .tags
        .push((Pos::new(line, column), tag.to_string()));
    rendered.text.push(TAG_START);
    let length = tag.chars().count();
    for _ in 1..length {
        rendered.text.push(TAG_FILL);
    }
    rendered.cursor = (rendered.text.len(), column + length);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_keep_their_length_and_come_back() {
        let r = render("name: {{ name }}\nrole: 'acs:ram::{{ id }}:role/x'\n").unwrap();
        let lines: Vec<&str> = r.text.lines().collect();
        assert_eq!(lines[0].chars().count(), "name: {{ name }}".chars().count());
        assert!(!r.text.contains('{'));
        assert_eq!(r.tags[0], (Pos::new(1, 6), "{{ name }}".to_string()));
        assert_eq!(
            r.restore(&lines[1][7..lines[1].len() - 1], Pos::new(2, 6)),
            "acs:ram::{{ id }}:role/x"
        );
    }

    #[test]
    fn only_the_first_branch_of_a_block_is_kept() {
        let text = "a:\n  {{if x}}\n  b: 1\n  {{else}}\n  b: 2\n  {{/if}}\n  c: 3\n";
        let r = render(text).unwrap();
        assert_eq!(r.text, "a:\n  \n  b: 1\n  \n\n\n  c: 3\n");
        assert_eq!(r.count, 3);
        assert!(r.is_conditional(3) && !r.is_conditional(7));
    }

    #[test]
    fn a_conditional_entry_is_written_as_its_first_branch() {
        let r = render("s:\n  {{ if r !== '' }}role: \"{{r}}\"{{/if}}\n").unwrap();
        let second = r.text.lines().nth(1).unwrap();
        assert!(second.starts_with("  role: \""), "{second}");
        assert_eq!(r.tags.len(), 1);
        let inside = r.text.split('"').nth(1).unwrap();
        assert_eq!(r.restore(inside, Pos::new(2, 8)), "{{r}}");
    }

    #[test]
    fn a_block_inside_a_value_makes_it_computed() {
        let r = render("h: \"{{ if a }}x{{ else }}y{{ /if }}\"\n").unwrap();
        assert_eq!(r.tags.len(), 3);
        let line = r.text.lines().next().unwrap();
        assert!(line.starts_with("h: \"\u{E000}"), "{line}");
        assert_eq!(line.chars().count(), 36);
    }

    #[test]
    fn a_block_may_open_before_a_key_and_close_lines_later() {
        let text = "f:\n  {{ if gpu }}gpuConfig:\n    type: t{{ else }}instanceType: c1{{ /if }}\n  cpu: 2\n";
        let r = render(text).unwrap();
        assert_eq!(r.text, "f:\n  gpuConfig:\n    type: t\n  cpu: 2\n");
    }

    #[test]
    fn text_without_tags_is_left_alone() {
        assert!(render("name: ${vars.x}\n").is_none());
    }
}
