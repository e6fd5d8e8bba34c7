//! A document a CAM shares with a partner, as plain blocks of text (headings, facts, tables,
//! bars), rendered to a self-contained HTML page or to a PDF. What a document says is decided
//! once, where its blocks are built; the renderers only lay them out.

mod html;
mod pdf;

pub use html::render as to_html;
pub use pdf::render as to_pdf;

/// A titled document of blocks, with a closing line.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub title: String,
    pub blocks: Vec<Block>,
    pub footer: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// A section title.
    Heading(String),
    /// A title within a section.
    Subheading(String),
    /// Label–value pairs.
    Facts(Vec<(String, String)>),
    /// Running text; line breaks are kept.
    Text(String),
    /// What a section shows when it has nothing, in a muted voice.
    Empty(String),
    List(Vec<String>),
    Table(Table),
    /// Progress bars: an actual against a target.
    Bars(Vec<Bar>),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Table {
    pub headers: Vec<String>,
    /// Columns aligned right.
    pub numeric: Vec<usize>,
    pub rows: Vec<Vec<String>>,
    /// A last, bold row.
    pub total: Option<Vec<String>>,
}

impl Table {
    pub fn new(headers: &[&str], numeric: &[usize], rows: Vec<Vec<String>>) -> Self {
        Table {
            headers: headers.iter().map(|h| h.to_string()).collect(),
            numeric: numeric.to_vec(),
            rows,
            total: None,
        }
    }

    pub fn with_total(mut self, total: Vec<String>) -> Self {
        self.total = Some(total);
        self
    }
}

/// "Growth ARR: $40,000 of $100,000" drawn as a bar filled to `fraction` (0 to 1).
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: String,
    /// `None` when there is no target to measure against.
    pub fraction: Option<f64>,
}

impl Bar {
    /// The share of `target` that `actual` reached, capped at 1; none without a target.
    pub fn fraction(actual: i64, target: Option<i64>) -> Option<f64> {
        match target {
            Some(t) if t > 0 => Some((actual as f64 / t as f64).clamp(0.0, 1.0)),
            Some(_) => Some(1.0),
            None => None,
        }
    }
}

impl Document {
    /// Every piece of text in reading order, for tests and search.
    pub fn text(&self) -> Vec<&str> {
        let mut out = vec![self.title.as_str()];
        for b in &self.blocks {
            match b {
                Block::Heading(t) | Block::Subheading(t) | Block::Text(t) | Block::Empty(t) => {
                    out.push(t)
                }
                Block::Facts(f) => f.iter().for_each(|(l, v)| out.extend([l.as_str(), v])),
                Block::List(items) => out.extend(items.iter().map(String::as_str)),
                Block::Table(t) => {
                    out.extend(t.headers.iter().map(String::as_str));
                    for row in t.rows.iter().chain(t.total.iter()) {
                        out.extend(row.iter().map(String::as_str));
                    }
                }
                Block::Bars(bars) => bars
                    .iter()
                    .for_each(|b| out.extend([b.label.as_str(), b.value.as_str()])),
            }
        }
        out.push(&self.footer);
        out
    }
}
