//! A document as one HTML page that stands alone: inline CSS, no scripts, no links, no images,
//! every piece of text escaped. It prints on A4 or Letter without the screen styling.

use std::fmt::Write;

use super::{Bar, Block, Document, Table};

const STYLE: &str = "
  :root { color-scheme: light; }
  body { font-family: -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif; color: #1f2328;
         background: #f4f5f7; margin: 0; line-height: 1.5; font-size: 15px; }
  main { max-width: 820px; margin: 24px auto; background: #fff; padding: 40px 48px;
         border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.08); }
  h1 { font-size: 26px; margin: 0 0 16px; }
  h2 { font-size: 18px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid #e4e6ea; }
  h3 { font-size: 15px; margin: 20px 0 6px; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 0; }
  dl.facts dt { color: #59636e; }
  dl.facts dd { margin: 0; font-weight: 600; }
  .text { white-space: pre-wrap; }
  .empty { color: #59636e; font-style: italic; }
  table { border-collapse: collapse; width: 100%; margin: 4px 0; }
  th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid #e4e6ea; vertical-align: top; }
  th { background: #f6f8fa; font-weight: 600; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  tr.total td { font-weight: 700; border-top: 2px solid #d0d7de; }
  .bar { display: grid; grid-template-columns: 200px 1fr max-content; gap: 12px;
         align-items: center; margin: 6px 0; }
  .track { background: #e4e6ea; height: 12px; border-radius: 6px; overflow: hidden; }
  .fill { background: #2f6feb; height: 100%; }
  .fill.none { background: transparent; }
  footer { margin-top: 32px; color: #59636e; font-size: 12px; }
  @page { margin: 16mm; }
  @media print {
    body { background: #fff; font-size: 11pt; }
    main { margin: 0; padding: 0; max-width: none; box-shadow: none; border-radius: 0; }
    h2 { break-after: avoid; }
    table, tr, .bar { break-inside: avoid; }
    .track, .fill { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
  }
";

/// The document as a self-contained HTML page.
pub fn render(doc: &Document) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(out, "<title>{}</title>", esc(&doc.title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(out, "<h1>{}</h1>", esc(&doc.title));
    for block in &doc.blocks {
        self::block(&mut out, block);
    }
    let _ = writeln!(out, "<footer>{}</footer>", esc(&doc.footer));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn block(out: &mut String, block: &Block) {
    match block {
        Block::Heading(t) => {
            let _ = writeln!(out, "<h2>{}</h2>", esc(t));
        }
        Block::Subheading(t) => {
            let _ = writeln!(out, "<h3>{}</h3>", esc(t));
        }
        Block::Facts(facts) => {
            out.push_str("<dl class=\"facts\">\n");
            for (label, value) in facts {
                let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
            }
            out.push_str("</dl>\n");
        }
        Block::Text(t) => {
            let _ = writeln!(out, "<div class=\"text\">{}</div>", esc(t));
        }
        Block::Empty(t) => {
            let _ = writeln!(out, "<p class=\"empty\">{}</p>", esc(t));
        }
        Block::List(items) => {
            out.push_str("<ul>\n");
            for i in items {
                let _ = writeln!(out, "<li>{}</li>", esc(i));
            }
            out.push_str("</ul>\n");
        }
        Block::Table(t) => table(out, t),
        Block::Bars(bars) => bars.iter().for_each(|b| bar(out, b)),
    }
}

fn bar(out: &mut String, b: &Bar) {
    let fill = match b.fraction {
        Some(f) => format!(
            "<div class=\"fill\" style=\"width: {:.1}%\"></div>",
            f * 100.0
        ),
        None => "<div class=\"fill none\"></div>".to_string(),
    };
    let _ = writeln!(
        out,
        "<div class=\"bar\"><span>{}</span><div class=\"track\">{fill}</div><strong>{}</strong></div>",
        esc(&b.label),
        esc(&b.value)
    );
}

fn table(out: &mut String, t: &Table) {
    let class = |i: usize| {
        if t.numeric.contains(&i) {
            " class=\"num\""
        } else {
            ""
        }
    };
    out.push_str("<table>\n<thead><tr>");
    for (i, h) in t.headers.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(i), esc(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    let all = t
        .rows
        .iter()
        .map(|r| (r, ""))
        .chain(t.total.iter().map(|r| (r, " class=\"total\"")));
    for (row, row_class) in all {
        let _ = write!(out, "<tr{row_class}>");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(i), esc(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// Escapes text for HTML element content and attribute values.
fn esc(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => s.push_str("&amp;"),
            '<' => s.push_str("&lt;"),
            '>' => s.push_str("&gt;"),
            '"' => s.push_str("&quot;"),
            '\'' => s.push_str("&#39;"),
            c => s.push(c),
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn a_bar_is_filled_to_its_fraction_and_text_is_escaped() {
        let doc = Document {
            title: "A <b>".into(),
            blocks: vec![Block::Bars(vec![Bar {
                label: "Growth".into(),
                value: "$1 of $4".into(),
                fraction: Some(0.25),
            }])],
            footer: "f".into(),
        };
        let html = render(&doc);
        assert!(html.contains("<h1>A &lt;b&gt;</h1>"));
        assert!(html.contains("width: 25.0%"));
        assert!(!html.contains("<script"));
    }
}
