//! The partner review (QBR) as a document to send to the partner: the blocks are decided here,
//! once, and rendered as a self-contained HTML page or a PDF.

use super::document::{Bar, Block, Document, Table};
use super::plan_doc::ComplianceView;
use crate::domain::{Currency, Money};
use crate::ops::{AgainstTarget, ClosedDeal, PartnerReview};

/// The review as a [`Document`]; render it with [`super::document::to_html`] or
/// [`super::document::to_pdf`].
pub fn review_document(r: &PartnerReview) -> Document {
    let a = &r.actuals;
    let fy = format!("FY{:02}", a.fiscal_year.rem_euclid(100));
    let mut blocks = vec![Block::Facts(vec![
        ("Partner".into(), r.partner_name.clone()),
        ("Channel account manager".into(), r.channel_manager.clone()),
        ("Track".into(), r.track.label().into()),
        ("Region".into(), r.region.label().into()),
        (
            "Quarter".into(),
            format!(
                "{} ({} to {})",
                r.quarter.label(),
                r.quarter.first_day,
                r.quarter.last_day
            ),
        ),
        (
            format!("{fy} business plan"),
            r.plan_status
                .map_or("none yet".to_string(), |s| s.label().to_string()),
        ),
        ("Prepared on".into(), r.as_of.to_string()),
    ])];

    blocks.push(Block::Heading(format!(
        "Plan against actuals, {fy} to date"
    )));
    if !a.has_plan {
        blocks.push(Block::Empty(format!(
            "No business plan for {fy}: closed-won ARR is shown without targets."
        )));
    }
    blocks.push(Block::Bars(vec![
        bar("Growth ARR won", &a.growth_arr, &a.currency),
        bar("New-customer ARR won", &a.new_customer_arr, &a.currency),
    ]));
    let money = |m| a.currency.format(m);
    let target = |t: &AgainstTarget| t.target.map_or("—".to_string(), money);
    blocks.push(Block::Table(Table::new(
        &["Measure", "Plan", "Actual"],
        &[1, 2],
        vec![
            vec![
                "Growth ARR (closed won)".into(),
                target(&a.growth_arr),
                money(a.growth_arr.actual),
            ],
            vec![
                "New-customer ARR (closed won)".into(),
                target(&a.new_customer_arr),
                money(a.new_customer_arr.actual),
            ],
            vec![
                "Open pipeline closing this year".into(),
                "—".into(),
                money(a.open_pipeline),
            ],
            vec![
                "Services attached to won deals".into(),
                "—".into(),
                money(a.services_attach_won),
            ],
            vec!["MDF requested".into(), money(a.mdf_requested), "—".into()],
            vec![
                "Journey stage".into(),
                a.target_stage.map_or("—", |s| s.label()).into(),
                a.journey_stage.label().into(),
            ],
        ],
    )));
    if !a.conversion.lines.is_empty() {
        blocks.push(Block::List(a.conversion.lines.clone()));
    }

    blocks.push(Block::Subheading("Certification commitments".into()));
    if a.certifications.is_empty() {
        blocks.push(Block::Empty(
            "The plan commits to no certifications.".into(),
        ));
    } else {
        blocks.push(Block::Table(Table::new(
            &[
                "Certification",
                "Committed",
                "By",
                "Certified",
                "Planned by then",
                "Track and badges need",
                "Status",
            ],
            &[1, 3, 4, 5],
            a.certifications
                .iter()
                .map(|c| {
                    vec![
                        c.certification_name.clone(),
                        c.committed.to_string(),
                        c.by.to_string(),
                        c.certified.to_string(),
                        c.planned_by_date.to_string(),
                        c.program_needs.to_string(),
                        c.label.clone(),
                    ]
                })
                .collect(),
        )));
    }

    if !a.commitment_gaps.is_empty() {
        blocks.push(Block::List(a.commitment_gaps.clone()));
    }

    blocks.extend(ComplianceView::new(&r.compliance, r.as_of).blocks());

    let quarter = r.quarter.label();
    deals(
        &mut blocks,
        &format!("Deals won in {quarter}"),
        &r.won_in_quarter,
        &a.currency,
        "No deal closed won in the quarter.",
    );
    deals(
        &mut blocks,
        &format!("Deals lost in {quarter}"),
        &r.lost_in_quarter,
        &a.currency,
        "No deal closed lost in the quarter.",
    );

    blocks.push(Block::Heading("Open next steps".into()));
    if r.open_next_steps.is_empty() {
        blocks.push(Block::Empty("No open next steps.".into()));
    } else {
        blocks.push(Block::Table(Table::new(
            &["Due", "Next step", "Owner", "Agreed with partner"],
            &[],
            r.open_next_steps
                .iter()
                .map(|s| {
                    vec![
                        if s.overdue {
                            format!("{} (overdue)", s.due_on)
                        } else {
                            s.due_on.to_string()
                        },
                        s.description.clone(),
                        s.owner.clone(),
                        if s.agreed_with_partner { "yes" } else { "no" }.into(),
                    ]
                })
                .collect(),
        )));
    }

    blocks.push(Block::Heading(format!("Notes of {quarter}")));
    if r.notes.is_empty() {
        blocks.push(Block::Empty("No call notes in the quarter.".into()));
    }
    for n in &r.notes {
        let about = n
            .account_name
            .as_ref()
            .map_or(String::new(), |a| format!(", {a}"));
        blocks.push(Block::Subheading(format!(
            "{} — {} ({}{about})",
            n.occurred_on, n.title, n.author
        )));
        if !n.body.trim().is_empty() {
            blocks.push(Block::Text(n.body.trim().to_string()));
        }
    }

    Document {
        title: format!("{} — Partner review, {quarter}", r.partner_name),
        blocks,
        footer: format!(
            "Prepared with Channel Desk by {} for {}, {}.",
            r.channel_manager, r.partner_name, r.as_of
        ),
    }
}

fn bar(label: &str, t: &AgainstTarget, currency: &Currency) -> Bar {
    Bar {
        label: label.into(),
        value: match t.target {
            Some(target) => format!(
                "{} of {}",
                currency.format(t.actual),
                currency.format(target)
            ),
            None => currency.format(t.actual),
        },
        fraction: Bar::fraction(t.actual.cents(), t.target.map(|m| m.cents())),
    }
}

/// The deals closed, each in its own currency; the total in the plan's (`currency`), of those
/// with an exchange rate.
fn deals(
    blocks: &mut Vec<Block>,
    title: &str,
    deals: &[ClosedDeal],
    currency: &Currency,
    none: &str,
) {
    blocks.push(Block::Heading(title.into()));
    if deals.is_empty() {
        blocks.push(Block::Empty(none.into()));
        return;
    }
    let total: Money = deals.iter().filter_map(|d| d.iacv_converted).sum();
    blocks.push(Block::Table(
        Table::new(
            &["Closed", "Deal", "Account", "Type", "IACV", "Reason"],
            &[4],
            deals
                .iter()
                .map(|d| {
                    vec![
                        d.close_date.to_string(),
                        d.name.clone(),
                        d.account_name.clone(),
                        d.opportunity_type.label().into(),
                        d.currency.format(d.iacv),
                        d.reason.clone(),
                    ]
                })
                .collect(),
        )
        .with_total(vec![
            "Total".into(),
            match deals.len() {
                1 => "1 deal".to_string(),
                n => format!("{n} deals"),
            },
            String::new(),
            String::new(),
            currency.format(total),
            String::new(),
        ]),
    ));
}
