//! A document as a PDF on A4 pages: laid out first into pages of positioned text and boxes
//! (words wrapped with the font's own advance widths, tables split across pages with their
//! header repeated), then drawn with `krilla`. The fonts (DejaVu Sans, which covers Latin,
//! Greek and Cyrillic) are embedded, subset, so the file reads the same on every machine.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, TextDirection};
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use super::{Bar, Block, Document, Table};
use crate::error::{CoreError, Result};

const REGULAR: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../../../assets/fonts/DejaVuSans-Bold.ttf");

// A4 in points, with 2 cm margins.
const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.7;
const WIDTH: f32 = PAGE_W - 2.0 * MARGIN;
const BOTTOM: f32 = PAGE_H - MARGIN;

const BODY: f32 = 9.5;
const LEADING: f32 = 1.35;
const CELL_PAD: f32 = 4.0;

const INK: (u8, u8, u8) = (0x1f, 0x23, 0x28);
const MUTED: (u8, u8, u8) = (0x59, 0x63, 0x6e);
const RULE: (u8, u8, u8) = (0xd0, 0xd7, 0xde);
const SHADE: (u8, u8, u8) = (0xf0, 0xf2, 0xf5);
const ACCENT: (u8, u8, u8) = (0x2f, 0x6f, 0xeb);

/// The document as PDF bytes.
pub fn render(doc: &Document) -> Result<Vec<u8>> {
    let fonts = Fonts::load()?;
    let pages = Layout::new(&fonts).document(doc);
    draw(doc, &fonts, &pages)
}

#[derive(Clone, Copy, PartialEq, Debug)]
enum Face {
    Regular,
    Bold,
}

/// One thing drawn on a page; `y` is the baseline of text, the top of a box.
#[derive(Debug, Clone, PartialEq)]
enum Mark {
    Text {
        x: f32,
        y: f32,
        size: f32,
        face: Face,
        color: (u8, u8, u8),
        text: String,
    },
    Box {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        color: (u8, u8, u8),
    },
}

struct Fonts {
    regular: Metrics,
    bold: Metrics,
}

/// A font's bytes and what text set in it measures.
struct Metrics {
    data: &'static [u8],
    font: FontRef<'static>,
}

impl Fonts {
    fn load() -> Result<Self> {
        let metrics = |data: &'static [u8]| -> Result<Metrics> {
            let font = FontRef::new(data)
                .map_err(|e| failed(format!("the embedded PDF font is unreadable: {e}")))?;
            Ok(Metrics { data, font })
        };
        Ok(Fonts {
            regular: metrics(REGULAR)?,
            bold: metrics(BOLD)?,
        })
    }

    fn get(&self, face: Face) -> &Metrics {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
        }
    }

    /// The width of `text` set at `size`; a character the font lacks counts as its notdef box.
    fn width(&self, face: Face, size: f32, text: &str) -> f32 {
        let m = self.get(face);
        let charmap = m.font.charmap();
        let glyphs = m
            .font
            .glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .map(|c| {
                let id = charmap.map(c).unwrap_or_default();
                glyphs.advance_width(id).unwrap_or(size * 0.6)
            })
            .sum()
    }

    /// `text` broken into lines no wider than `width`; a word longer than a line is cut.
    fn wrap(&self, face: Face, size: f32, text: &str, width: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut line = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if line.is_empty() {
                    word.to_string()
                } else {
                    format!("{line} {word}")
                };
                if self.width(face, size, &candidate) <= width {
                    line = candidate;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                // A word wider than the line: cut it where it fills the line.
                let mut rest = word.to_string();
                while self.width(face, size, &rest) > width {
                    let mut cut = String::new();
                    for c in rest.chars() {
                        if self.width(face, size, &format!("{cut}{c}")) > width && !cut.is_empty() {
                            break;
                        }
                        cut.push(c);
                    }
                    rest = rest[cut.len()..].to_string();
                    lines.push(cut);
                }
                line = rest;
            }
            lines.push(line);
        }
        lines
    }
}

/// Places blocks top to bottom, starting a new page when the next piece does not fit.
struct Layout<'f> {
    fonts: &'f Fonts,
    pages: Vec<Vec<Mark>>,
    y: f32,
}

impl<'f> Layout<'f> {
    fn new(fonts: &'f Fonts) -> Self {
        Layout {
            fonts,
            pages: vec![Vec::new()],
            y: MARGIN,
        }
    }

    fn document(mut self, doc: &Document) -> Vec<Vec<Mark>> {
        self.paragraph(&doc.title, 18.0, Face::Bold, INK, 0.0, WIDTH);
        self.y += 6.0;
        for block in &doc.blocks {
            self.block(block);
        }
        self.y += 14.0;
        self.paragraph(&doc.footer, 8.0, Face::Regular, MUTED, 0.0, WIDTH);
        // Page numbers, once the count is known.
        let count = self.pages.len();
        for (i, page) in self.pages.iter_mut().enumerate() {
            let text = format!("{} of {count}", i + 1);
            let w = self.fonts.width(Face::Regular, 8.0, &text);
            page.push(Mark::Text {
                x: PAGE_W - MARGIN - w,
                y: PAGE_H - MARGIN / 2.0,
                size: 8.0,
                face: Face::Regular,
                color: MUTED,
                text,
            });
        }
        self.pages
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::Heading(t) => {
                // Keep a heading with at least a few lines of what follows.
                self.need(14.0 * LEADING + 60.0);
                self.y += 12.0;
                self.paragraph(t, 13.0, Face::Bold, INK, 0.0, WIDTH);
                self.rule(self.y - 2.0, 1.2, RULE);
                self.y += 4.0;
            }
            Block::Subheading(t) => {
                self.need(BODY * LEADING * 3.0);
                self.y += 6.0;
                self.paragraph(t, 10.5, Face::Bold, INK, 0.0, WIDTH);
            }
            Block::Facts(facts) => {
                let label_w = facts
                    .iter()
                    .map(|(l, _)| self.fonts.width(Face::Regular, BODY, l))
                    .fold(0.0, f32::max)
                    .min(WIDTH * 0.4)
                    + 12.0;
                for (label, value) in facts {
                    let top = self.y;
                    let values = self.fonts.wrap(Face::Bold, BODY, value, WIDTH - label_w);
                    self.need(values.len() as f32 * BODY * LEADING);
                    let top = top.max(self.y);
                    self.y = top;
                    self.paragraph(label, BODY, Face::Regular, MUTED, 0.0, label_w - 12.0);
                    let after_label = self.y;
                    self.y = top;
                    self.paragraph(value, BODY, Face::Bold, INK, label_w, WIDTH - label_w);
                    self.y = self.y.max(after_label);
                }
            }
            Block::Text(t) => self.paragraph(t, BODY, Face::Regular, INK, 0.0, WIDTH),
            Block::Empty(t) => self.paragraph(t, BODY, Face::Regular, MUTED, 0.0, WIDTH),
            Block::List(items) => {
                for item in items {
                    let top = self.y;
                    self.need(BODY * LEADING);
                    let top = top.max(self.y);
                    self.y = top;
                    self.paragraph("•", BODY, Face::Regular, INK, 4.0, 10.0);
                    self.y = top;
                    self.paragraph(item, BODY, Face::Regular, INK, 16.0, WIDTH - 16.0);
                }
            }
            Block::Table(t) => self.table(t),
            Block::Bars(bars) => bars.iter().for_each(|b| self.bar(b)),
        }
        self.y += 4.0;
    }

    /// Starts a new page unless `height` more fits on this one.
    fn need(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.pages.push(Vec::new());
            self.y = MARGIN;
        }
    }

    fn mark(&mut self, mark: Mark) {
        self.pages.last_mut().expect("a page").push(mark);
    }

    fn rule(&mut self, y: f32, thickness: f32, color: (u8, u8, u8)) {
        self.mark(Mark::Box {
            x: MARGIN,
            y,
            w: WIDTH,
            h: thickness,
            color,
        });
    }

    /// Wrapped text from the current line down, `x` from the left margin.
    fn paragraph(
        &mut self,
        text: &str,
        size: f32,
        face: Face,
        color: (u8, u8, u8),
        x: f32,
        w: f32,
    ) {
        let line_h = size * LEADING;
        for line in self.fonts.wrap(face, size, text, w) {
            self.need(line_h);
            self.y += line_h;
            if !line.is_empty() {
                self.mark(Mark::Text {
                    x: MARGIN + x,
                    y: self.y - (line_h - size) / 2.0 - size * 0.2,
                    size,
                    face,
                    color,
                    text: line,
                });
            }
        }
    }

    fn bar(&mut self, b: &Bar) {
        let label_w = WIDTH * 0.28;
        let value_w = WIDTH * 0.36;
        let track_w = WIDTH - label_w - value_w - 16.0;
        let lines = self
            .fonts
            .wrap(Face::Bold, BODY, &b.value, value_w)
            .len()
            .max(
                self.fonts
                    .wrap(Face::Regular, BODY, &b.label, label_w)
                    .len(),
            );
        self.need(lines as f32 * BODY * LEADING + 4.0);
        let top = self.y;
        self.paragraph(&b.label, BODY, Face::Regular, INK, 0.0, label_w);
        let after_label = self.y;
        self.y = top;
        self.paragraph(
            &b.value,
            BODY,
            Face::Bold,
            INK,
            label_w + track_w + 16.0,
            value_w,
        );
        let track_y = top + (BODY * LEADING - 8.0) / 2.0 + 1.0;
        self.mark(Mark::Box {
            x: MARGIN + label_w + 8.0,
            y: track_y,
            w: track_w,
            h: 8.0,
            color: SHADE,
        });
        if let Some(f) = b.fraction.filter(|f| *f > 0.0) {
            self.mark(Mark::Box {
                x: MARGIN + label_w + 8.0,
                y: track_y,
                w: track_w * f as f32,
                h: 8.0,
                color: ACCENT,
            });
        }
        self.y = self.y.max(after_label) + 4.0;
    }

    fn table(&mut self, t: &Table) {
        let widths = self.column_widths(t);
        let header: Vec<&str> = t.headers.iter().map(String::as_str).collect();
        self.need(2.0 * (BODY * LEADING + 2.0 * CELL_PAD));
        self.row(&widths, &header, &t.numeric, Face::Bold, Some(SHADE));
        for row in &t.rows {
            let cells: Vec<&str> = row.iter().map(String::as_str).collect();
            if self.row_height(&widths, &cells, Face::Regular) + self.y > BOTTOM {
                self.need(f32::MAX);
                self.row(&widths, &header, &t.numeric, Face::Bold, Some(SHADE));
            }
            self.row(&widths, &cells, &t.numeric, Face::Regular, None);
        }
        if let Some(total) = &t.total {
            let cells: Vec<&str> = total.iter().map(String::as_str).collect();
            self.need(self.row_height(&widths, &cells, Face::Bold));
            self.rule(self.y, 1.2, RULE);
            self.row(&widths, &cells, &t.numeric, Face::Bold, None);
        }
    }

    /// The browser's automatic table layout: each column gets its natural width (its widest
    /// cell on one line) when the table fits; otherwise at least its longest word, and the
    /// rest of the page in proportion to how much more it would like.
    fn column_widths(&self, t: &Table) -> Vec<f32> {
        let cells = |i: usize| {
            let bold = t.total.iter().chain(std::iter::once(&t.headers));
            bold.filter_map(move |r| r.get(i))
                .map(|c| (Face::Bold, c.as_str()))
                .chain(
                    t.rows
                        .iter()
                        .filter_map(move |r| r.get(i))
                        .map(|c| (Face::Regular, c.as_str())),
                )
        };
        let pad = 2.0 * CELL_PAD + 1.0;
        let widest = |i: usize, text: &dyn Fn(&str) -> Vec<String>| {
            cells(i)
                .flat_map(|(face, c)| text(c).into_iter().map(move |t| (face, t)))
                .map(|(face, t)| self.fonts.width(face, BODY, &t))
                .fold(0.0, f32::max)
                + pad
        };
        let columns = 0..t.headers.len();
        let natural: Vec<f32> = columns
            .clone()
            .map(|i| widest(i, &|c| vec![c.to_string()]))
            .collect();
        let minimum: Vec<f32> = columns
            .map(|i| widest(i, &|c| c.split_whitespace().map(str::to_string).collect()))
            .collect();
        let (nat, min): (f32, f32) = (natural.iter().sum(), minimum.iter().sum());
        if nat <= WIDTH {
            let spare = (WIDTH - nat) / natural.len().max(1) as f32;
            natural.iter().map(|w| w + spare).collect()
        } else if min >= WIDTH {
            minimum.iter().map(|w| w / min * WIDTH).collect()
        } else {
            let share = (WIDTH - min) / (nat - min);
            natural
                .iter()
                .zip(&minimum)
                .map(|(n, m)| m + (n - m) * share)
                .collect()
        }
    }

    fn row_height(&self, widths: &[f32], cells: &[&str], face: Face) -> f32 {
        cells
            .iter()
            .zip(widths)
            .map(|(c, w)| self.fonts.wrap(face, BODY, c, w - 2.0 * CELL_PAD).len())
            .max()
            .unwrap_or(1) as f32
            * BODY
            * LEADING
            + 2.0 * CELL_PAD
    }

    fn row(
        &mut self,
        widths: &[f32],
        cells: &[&str],
        numeric: &[usize],
        face: Face,
        shade: Option<(u8, u8, u8)>,
    ) {
        let h = self.row_height(widths, cells, face);
        let top = self.y;
        if let Some(color) = shade {
            self.mark(Mark::Box {
                x: MARGIN,
                y: top,
                w: WIDTH,
                h,
                color,
            });
        }
        let mut x = 0.0;
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            self.y = top + CELL_PAD;
            if numeric.contains(&i) {
                let text_w = self.fonts.width(face, BODY, cell).min(w - 2.0 * CELL_PAD);
                self.paragraph(
                    cell,
                    BODY,
                    face,
                    INK,
                    x + w - CELL_PAD - text_w,
                    text_w + 1.0,
                );
            } else {
                self.paragraph(cell, BODY, face, INK, x + CELL_PAD, w - 2.0 * CELL_PAD);
            }
            x += w;
        }
        self.y = top + h;
        self.rule(self.y - 0.5, 0.5, RULE);
    }
}

fn draw(doc: &Document, fonts: &Fonts, pages: &[Vec<Mark>]) -> Result<Vec<u8>> {
    let font = |m: &Metrics| {
        Font::new(m.data.into(), 0)
            .ok_or_else(|| failed("the embedded PDF font is unreadable".into()))
    };
    let regular = font(&fonts.regular)?;
    let bold = font(&fonts.bold)?;
    let mut pdf = krilla::Document::new();
    pdf.set_metadata(
        Metadata::new()
            .title(doc.title.clone())
            .creator("Channel Desk".into()),
    );
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid page size");
    for marks in pages {
        let mut page = pdf.start_page_with(settings.clone());
        let mut surface = page.surface();
        for mark in marks {
            match mark {
                Mark::Text {
                    x,
                    y,
                    size,
                    face,
                    color,
                    text,
                } => {
                    surface.set_fill(Some(fill(*color)));
                    let font = match face {
                        Face::Regular => regular.clone(),
                        Face::Bold => bold.clone(),
                    };
                    surface.draw_text(
                        Point::from_xy(*x, *y),
                        font,
                        *size,
                        text,
                        false,
                        TextDirection::Auto,
                    );
                }
                Mark::Box { x, y, w, h, color } => {
                    let mut path = PathBuilder::new();
                    if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                        path.push_rect(rect);
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(Some(fill(*color)));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    pdf.finish()
        .map_err(|e| failed(format!("the PDF could not be written: {e:?}")))
}

fn failed(message: String) -> CoreError {
    CoreError::Io(std::io::Error::other(message))
}

fn fill((r, g, b): (u8, u8, u8)) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fonts() -> Fonts {
        Fonts::load().unwrap()
    }

    #[test]
    fn wrapping_keeps_every_word_and_no_line_is_wider_than_asked() {
        let f = fonts();
        let text = "Joint webinar with the partner's solution architects, then a workshop \
                    at Überbank GmbH — a supercalifragilisticexpialidociouslylongword";
        let lines = f.wrap(Face::Regular, 10.0, text, 120.0);
        assert!(lines.len() > 3, "{lines:?}");
        for l in &lines {
            assert!(f.width(Face::Regular, 10.0, l) <= 120.0, "{l:?}");
        }
        assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
    }

    #[test]
    fn a_long_table_runs_onto_more_pages_with_its_header_repeated() {
        let f = fonts();
        let rows = (0..120)
            .map(|i| vec![format!("Deal {i}"), "$1,000".to_string()])
            .collect();
        let doc = Document {
            title: "Review".into(),
            blocks: vec![Block::Table(Table::new(&["Deal", "IACV"], &[1], rows))],
            footer: "end".into(),
        };
        let pages = Layout::new(&f).document(&doc);
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for (i, page) in pages.iter().enumerate() {
            let texts: Vec<&str> = page
                .iter()
                .filter_map(|m| match m {
                    Mark::Text { text, .. } => Some(text.as_str()),
                    Mark::Box { .. } => None,
                })
                .collect();
            assert!(texts.contains(&"Deal"), "page {i} repeats the header");
            assert!(texts.contains(&format!("{} of {}", i + 1, pages.len()).as_str()));
            for m in page {
                if let Mark::Text { y, .. } = m {
                    assert!(
                        *y <= PAGE_H - MARGIN / 2.0 + 0.1,
                        "text below the page: {y}"
                    );
                }
            }
        }
        let pdf = render(&doc).unwrap();
        assert!(pdf.starts_with(b"%PDF-"));
    }
}
