//! Errors a scenario can have, located in the file so that a user can fix them without reading code.

use std::fmt;
use std::path::PathBuf;

/// Why a scenario could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    /// The file could not be read at all.
    #[error("cannot read scenario file {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or a field has the wrong type or name.
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax { origin: String, line: usize, column: usize, message: String },
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
    fn falls_back_to_the_deepest_known_parent() {
        let parent = locate(DOC, "agreement.guatemala.phase[1]");
        assert!(parent.is_some());
        assert_eq!(locate(DOC, "agreement.guatemala.phase[1].nonexistent"), parent);
        assert_eq!(line_column("ab\ncd", 4), (2, 2));
    }
}
