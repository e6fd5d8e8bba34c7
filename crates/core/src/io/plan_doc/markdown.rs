//! The plan as Markdown (CommonMark with pipe tables).

use std::fmt::Write;

use super::PlanView;

pub(super) fn render(v: &PlanView) -> String {
    let mut md = String::new();
    let out = &mut md;
    line(out, &format!("# {}", inline(&v.title)));
    blank(out);
    for (label, value) in &v.facts {
        line(out, &format!("- **{label}:** {}", inline(value)));
    }

    section(out, "Goals");
    line(out, &text_or(&v.goals, "No goals written yet."));

    section(out, "ARR targets");
    table(
        out,
        &["Target", "ARR"],
        v.arr.iter().map(|(l, m)| vec![l.to_string(), m.clone()]),
    );

    section(out, "Services practice");
    if v.services.is_empty() {
        line(out, "No service offerings planned.");
    }
    for s in &v.services {
        line(out, &format!("- {s}"));
    }

    section(out, "Marketing plan");
    line(
        out,
        &text_or(&v.marketing_plan, "No marketing plan written yet."),
    );
    blank(out);
    line(out, "### MDF requests");
    blank(out);
    if v.mdf.is_empty() {
        line(out, "No MDF requests.");
    } else {
        let mut rows: Vec<Vec<String>> = v.mdf.iter().map(|r| r.to_vec()).collect();
        rows.push(vec![
            "**Total**".into(),
            String::new(),
            String::new(),
            v.mdf_total.clone(),
        ]);
        table(
            out,
            &["Activity", "Quarter", "Status", "Amount"],
            rows.into_iter(),
        );
        blank(out);
        line(out, "**MDF by quarter**");
        blank(out);
        table(
            out,
            &["Quarter", "Requested", "Approved"],
            v.mdf_quarters.iter().map(|r| r.to_vec()),
        );
    }
    blank(out);
    line(out, &format!("**Joint webinars:** {}", v.joint_webinars));

    section(out, "Certification plan");
    if v.certifications.is_empty() {
        line(out, "No certification commitments.");
    } else {
        table(
            out,
            &["Certification", "People", "By"],
            v.certifications.iter().map(|r| r.to_vec()),
        );
    }

    section(out, "Time-to-value KPIs");
    table(
        out,
        &["Milestone", "Target"],
        v.kpis.iter().map(|(l, d)| vec![l.to_string(), d.clone()]),
    );

    let c = &v.compliance;
    section(out, &format!("Compliance as of {}", c.as_of));
    line(out, &inline(&c.track));
    if !c.requirements.is_empty() {
        blank(out);
        table(
            out,
            &["Certification", "Required", "Certified", "Status"],
            c.requirements.iter().map(|r| r.to_vec()),
        );
    }
    if !c.badges.is_empty() {
        blank(out);
        for b in &c.badges {
            line(out, &format!("- {}", inline(b)));
        }
    }
    md
}

fn line(out: &mut String, text: &str) {
    let _ = writeln!(out, "{text}");
}

fn blank(out: &mut String) {
    out.push('\n');
}

fn section(out: &mut String, title: &str) {
    blank(out);
    line(out, &format!("## {title}"));
    blank(out);
}

/// Free text as written, except that it cannot open an HTML tag in a Markdown viewer.
fn text_or(text: &str, empty: &str) -> String {
    if text.is_empty() {
        format!("_{empty}_")
    } else {
        text.replace('<', "\\<")
    }
}

/// Text on one line (a heading, list item or table cell).
fn inline(text: &str) -> String {
    text.replace(['\r', '\n'], " ")
        .replace('<', "\\<")
        .replace('|', "\\|")
}

fn table(out: &mut String, headers: &[&str], rows: impl Iterator<Item = Vec<String>>) {
    line(out, &format!("| {} |", headers.join(" | ")));
    line(out, &format!("|{}", "---|".repeat(headers.len())));
    for row in rows {
        let cells: Vec<String> = row.iter().map(|c| inline(c)).collect();
        line(out, &format!("| {} |", cells.join(" | ")));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pipe_in_a_cell_does_not_split_the_table() {
        assert_eq!(inline("a|b\nc"), "a\\|b c");
    }
}
