//! The plan as one HTML page that stands alone: inline CSS, no scripts, no links, no images,
//! every piece of text escaped. It prints on A4 or Letter without the screen styling.

use std::fmt::Write;

use super::PlanView;

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
  footer { margin-top: 32px; color: #59636e; font-size: 12px; }
  @page { margin: 16mm; }
  @media print {
    body { background: #fff; font-size: 11pt; }
    main { margin: 0; padding: 0; max-width: none; box-shadow: none; border-radius: 0; }
    h2 { break-after: avoid; }
    table, tr { break-inside: avoid; }
  }
";

pub(super) fn render(v: &PlanView) -> String {
    let mut h = String::new();
    let out = &mut h;
    push(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
    );
    push(
        out,
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n",
    );
    let _ = writeln!(out, "<title>{}</title>", esc(&v.title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
    let _ = writeln!(out, "<h1>{}</h1>", esc(&v.title));

    push(out, "<dl class=\"facts\">\n");
    for (label, value) in &v.facts {
        let _ = writeln!(out, "<dt>{}</dt><dd>{}</dd>", esc(label), esc(value));
    }
    push(out, "</dl>\n");

    section(out, "Goals");
    text(out, &v.goals, "No goals written yet.");

    section(out, "ARR targets");
    let arr: Vec<Vec<String>> = v
        .arr
        .iter()
        .map(|(l, m)| vec![l.to_string(), m.clone()])
        .collect();
    table(out, &["Target", "ARR"], &[1], &arr, None);

    section(out, "Services practice");
    if v.services.is_empty() {
        empty(out, "No service offerings planned.");
    } else {
        push(out, "<ul>\n");
        for s in &v.services {
            let _ = writeln!(out, "<li>{}</li>", esc(s));
        }
        push(out, "</ul>\n");
    }

    section(out, "Marketing plan");
    text(out, &v.marketing_plan, "No marketing plan written yet.");
    push(out, "<h3>MDF requests</h3>\n");
    if v.mdf.is_empty() {
        empty(out, "No MDF requests.");
    } else {
        let rows: Vec<Vec<String>> = v.mdf.iter().map(|r| r.to_vec()).collect();
        let total = vec!["Total".to_string(), String::new(), v.mdf_total.clone()];
        table(
            out,
            &["Activity", "Quarter", "Amount"],
            &[2],
            &rows,
            Some(&total),
        );
    }
    let _ = writeln!(
        out,
        "<p><strong>Joint webinars:</strong> {}</p>",
        v.joint_webinars
    );

    section(out, "Certification plan");
    if v.certifications.is_empty() {
        empty(out, "No certification commitments.");
    } else {
        let rows: Vec<Vec<String>> = v.certifications.iter().map(|r| r.to_vec()).collect();
        table(out, &["Certification", "People", "By"], &[1], &rows, None);
    }

    section(out, "Time-to-value KPIs");
    let kpis: Vec<Vec<String>> = v
        .kpis
        .iter()
        .map(|(l, d)| vec![l.to_string(), d.clone()])
        .collect();
    table(out, &["Milestone", "Target"], &[], &kpis, None);

    let c = &v.compliance;
    section(out, &format!("Compliance as of {}", c.as_of));
    let _ = writeln!(out, "<p>{}</p>", esc(&c.track));
    if !c.requirements.is_empty() {
        let rows: Vec<Vec<String>> = c.requirements.iter().map(|r| r.to_vec()).collect();
        table(
            out,
            &["Certification", "Required", "Certified", "Status"],
            &[1, 2],
            &rows,
            None,
        );
    }
    if !c.badges.is_empty() {
        push(out, "<ul>\n");
        for b in &c.badges {
            let _ = writeln!(out, "<li>{}</li>", esc(b));
        }
        push(out, "</ul>\n");
    }

    let _ = writeln!(
        out,
        "<footer>Prepared with Channel Desk for {}.</footer>",
        esc(&v.partner)
    );
    push(out, "</main>\n</body>\n</html>\n");
    h
}

fn push(out: &mut String, s: &str) {
    out.push_str(s);
}

fn section(out: &mut String, title: &str) {
    let _ = writeln!(out, "<h2>{}</h2>", esc(title));
}

fn empty(out: &mut String, message: &str) {
    let _ = writeln!(out, "<p class=\"empty\">{}</p>", esc(message));
}

fn text(out: &mut String, body: &str, when_empty: &str) {
    if body.is_empty() {
        empty(out, when_empty);
    } else {
        let _ = writeln!(out, "<div class=\"text\">{}</div>", esc(body));
    }
}

/// A table; `numeric` lists the columns aligned right; `total` is a last, bold row.
fn table(
    out: &mut String,
    headers: &[&str],
    numeric: &[usize],
    rows: &[Vec<String>],
    total: Option<&Vec<String>>,
) {
    let class = |i: usize| {
        if numeric.contains(&i) {
            " class=\"num\""
        } else {
            ""
        }
    };
    push(out, "<table>\n<thead><tr>");
    for (i, h) in headers.iter().enumerate() {
        let _ = write!(out, "<th{}>{}</th>", class(i), esc(h));
    }
    push(out, "</tr></thead>\n<tbody>\n");
    let all = rows
        .iter()
        .map(|r| (r, ""))
        .chain(total.map(|t| (t, " class=\"total\"")));
    for (row, row_class) in all {
        let _ = write!(out, "<tr{row_class}>");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(i), esc(cell));
        }
        push(out, "</tr>\n");
    }
    push(out, "</tbody>\n</table>\n");
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
}
