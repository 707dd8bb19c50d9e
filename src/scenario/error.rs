//! Errors a scenario can have, located in the file so that a user can fix them without reading code.

use std::fmt;
use std::path::PathBuf;

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read at all.
    #[error("cannot read scenario file {path}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a field has the wrong type or name.
    #[error("{origin}:{line}:{column}: {}{message}", path.as_ref().map_or(String::new(), |p| format!("{p}: ")))]
    Syntax { origin: String, line: usize, column: usize, path: Option<String>, message: String },
    /// The file is well-formed but some values are out of range or inconsistent.
    #[error("{} problem{} in {origin}:\n{}", problems.len(), if problems.len() == 1 { "" } else { "s" },
            problems.iter().map(|p| format!("  {p}")).collect::<Vec<_>>().join("\n"))]
    Invalid { origin: String, problems: Vec<Problem> },
}

/// One thing wrong with a value, with the field path that holds it and, when known, its position.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Dotted field path, e.g. `agreement.guatemala.phase[1].from`.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
    /// 1-based line and column of the value in the file, when it could be found.
    pub position: Option<(usize, usize)>,
}

impl Problem {
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Problem {
        Problem { path: path.into(), message: message.into(), position: None }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.position {
            Some((line, column)) => write!(f, "line {line}, column {column}: {}: {}", self.path, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// 1-based line and column of a byte offset.
pub(crate) fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// Finds where a field path (`a.b[2].c`) is written in a TOML document, to point the user at it.
pub(crate) fn locate(source: &str, path: &str) -> Option<(usize, usize)> {
    let doc: toml_edit::Document<&str> = toml_edit::Document::parse(source).ok()?;
    let mut item: &toml_edit::Item = doc.as_item();
    let mut best = None;
    for segment in split_path(path) {
        let next = match segment {
            Segment::Key(key) => item.get(key),
            Segment::Index(i) => item.get(i),
        };
        match next {
            Some(n) => {
                item = n;
                if let Some(span) = item.span() {
                    best = Some(span.start);
                }
            }
            None => break,
        }
    }
    best.map(|offset| line_column(source, offset))
}

/// The field path (`a.b[2].c`) of the key or value written at byte `offset`: the narrowest one that contains it.
pub(crate) fn path_at(source: &str, offset: usize) -> Option<String> {
    let doc: toml_edit::Document<&str> = toml_edit::Document::parse(source).ok()?;
    let mut spans = Vec::new();
    collect_spans(doc.as_item(), "", &mut spans);
    spans
        .into_iter()
        .filter(|(_, span)| span.contains(&offset) || span.start == offset)
        .min_by_key(|(_, span)| span.len())
        .map(|(path, _)| path)
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() { key.to_string() } else { format!("{path}.{key}") }
}

/// Every key and value of a document with its field path and byte span.
fn collect_spans(item: &toml_edit::Item, path: &str, out: &mut Vec<(String, std::ops::Range<usize>)>) {
    match item {
        toml_edit::Item::ArrayOfTables(tables) => {
            for (i, table) in tables.iter().enumerate() {
                collect_table(table, &format!("{path}[{i}]"), out);
            }
        }
        toml_edit::Item::Value(value) => collect_value(value, path, out),
        toml_edit::Item::Table(table) => collect_table(table, path, out),
        toml_edit::Item::None => {}
    }
}

fn collect_table(table: &dyn toml_edit::TableLike, path: &str, out: &mut Vec<(String, std::ops::Range<usize>)>) {
    for (name, child) in table.iter() {
        let here = join(path, name);
        if let Some(span) = table.get_key_value(name).and_then(|(key, _)| key.span()) {
            out.push((here.clone(), span));
        }
        if let Some(span) = child.span() {
            out.push((here.clone(), span));
        }
        collect_spans(child, &here, out);
    }
}

fn collect_value(value: &toml_edit::Value, path: &str, out: &mut Vec<(String, std::ops::Range<usize>)>) {
    match value {
        toml_edit::Value::InlineTable(table) => collect_table(table, path, out),
        toml_edit::Value::Array(array) => {
            for (i, element) in array.iter().enumerate() {
                let here = format!("{path}[{i}]");
                if let Some(span) = element.span() {
                    out.push((here.clone(), span));
                }
                collect_value(element, &here, out);
            }
        }
        _ => {}
    }
}

/// The candidate closest to `word`, if close enough to be a likely misspelling (Jaro–Winkler ≥ 0.8).
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Rewords a parser message for people who write TOML, not Rust: type names become words, and an unknown field
/// or variant gets "did you mean …?".
pub(crate) fn readable(message: &str) -> String {
    let mut text = message.to_string();
    for (rust, plain) in [
        ("expected f64", "expected a number"),
        ("expected u32", "expected a whole number"),
        ("expected u64", "expected a whole number"),
        ("expected a sequence", "expected a list [ … ]"),
        ("expected a map", "expected a table { … }"),
        ("expected a string", "expected text in quotes"),
    ] {
        text = text.replace(rust, plain);
    }
    with_suggestion(&text)
}

/// Adds "did you mean …?" to serde's "unknown field `x`, expected one of `a`, `b`" (and unknown variants).
fn with_suggestion(message: &str) -> String {
    if !(message.starts_with("unknown field") || message.starts_with("unknown variant")) {
        return message.to_string();
    }
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    match quoted.split_first() {
        Some((unknown, expected)) => match closest(unknown, expected.iter().copied()) {
            Some(best) => format!("{message}; did you mean `{best}`?"),
            None => message.to_string(),
        },
        None => message.to_string(),
    }
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

fn split_path(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, rest) = part.split_once('[').map_or((part, ""), |(k, r)| (k, r));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        for index in rest.split('[') {
            if let Ok(i) = index.trim_end_matches(']').parse() {
                out.push(Segment::Index(i));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "name = \"x\"\n[agreement.guatemala]\nmax_wait_days = 7\n[[agreement.guatemala.phase]]\nfrom = 2019-11-21\n[[agreement.guatemala.phase]]\nfrom = 2019-12-12\n";

    #[test]
    fn locates_nested_keys_and_array_entries() {
        assert_eq!(locate(DOC, "name"), Some((1, 8)));
        assert_eq!(locate(DOC, "agreement.guatemala.max_wait_days"), Some((3, 17)));
        assert_eq!(locate(DOC, "agreement.guatemala.phase[1].from"), Some((7, 8)));
    }

    #[test]
    fn finds_the_path_of_what_is_written_at_an_offset() {
        let offset = DOC.find("max_wait_days").unwrap();
        assert_eq!(path_at(DOC, offset).as_deref(), Some("agreement.guatemala.max_wait_days"));
        let offset = DOC.find("2019-12-12").unwrap() + 3;
        assert_eq!(path_at(DOC, offset).as_deref(), Some("agreement.guatemala.phase[1].from"));
        let inline = "x = { a = [1, { b = 2 }] }";
        assert_eq!(path_at(inline, inline.find('b').unwrap()).as_deref(), Some("x.a[1].b"));
    }

    #[test]
    fn suggests_the_closest_expected_name() {
        let m = "unknown field `max_wait_day`, expected one of `seats_per_month`, `max_wait_days`, `phase`";
        assert!(with_suggestion(m).ends_with("; did you mean `max_wait_days`?"));
        let m = "unknown variant `gama`, expected `exponential` or `gamma`";
        assert!(with_suggestion(m).ends_with("did you mean `gamma`?"));
        let m = "unknown field `zzz`, expected `from` or `value`";
        assert_eq!(with_suggestion(m), m, "no suggestion when nothing is close");
        assert_eq!(closest("el_salvdor", ["honduras", "el_salvador"]), Some("el_salvador"));
        assert_eq!(
            readable("invalid type: string \"3\", expected f64"),
            "invalid type: string \"3\", expected a number"
        );
    }

    #[test]
    fn falls_back_to_the_deepest_known_parent() {
        let parent = locate(DOC, "agreement.guatemala.phase[1]");
        assert!(parent.is_some());
        assert_eq!(locate(DOC, "agreement.guatemala.phase[1].nonexistent"), parent);
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
    }
}
