//! The plan as blocks of a [`Document`], and as one HTML page that stands alone (see
//! [`crate::io::document`]); the PDF renders the same blocks.

use super::{ComplianceView, PlanView};
use crate::io::document::{to_html, Block, Document, Table};

pub(super) fn render(v: &PlanView) -> String {
    to_html(&document(v))
}

pub(super) fn document(v: &PlanView) -> Document {
    let text = |body: &str, when_empty: &str| {
        if body.is_empty() {
            Block::Empty(when_empty.into())
        } else {
            Block::Text(body.into())
        }
    };
    let pairs = |p: &[(&'static str, String)]| -> Vec<Vec<String>> {
        p.iter()
            .map(|(l, v)| vec![l.to_string(), v.clone()])
            .collect()
    };
    let mut blocks = vec![
        Block::Facts(
            v.facts
                .iter()
                .map(|(l, v)| (l.to_string(), v.clone()))
                .collect(),
        ),
        Block::Heading("Goals".into()),
        text(&v.goals, "No goals written yet."),
        Block::Heading("ARR targets".into()),
        Block::Table(Table::new(&["Target", "ARR"], &[1], pairs(&v.arr))),
        Block::Heading("Services practice".into()),
        if v.services.is_empty() {
            Block::Empty("No service offerings planned.".into())
        } else {
            Block::List(v.services.iter().map(|s| s.to_string()).collect())
        },
        Block::Heading("Marketing plan".into()),
        text(&v.marketing_plan, "No marketing plan written yet."),
        Block::Subheading("MDF requests".into()),
    ];
    blocks.push(if v.mdf.is_empty() {
        Block::Empty("No MDF requests.".into())
    } else {
        Block::Table(
            Table::new(
                &["Activity", "Quarter", "Status", "Amount"],
                &[3],
                v.mdf.iter().map(|r| r.to_vec()).collect(),
            )
            .with_total(vec![
                "Total".into(),
                String::new(),
                String::new(),
                v.mdf_total.clone(),
            ]),
        )
    });
    if !v.mdf_quarters.is_empty() {
        blocks.push(Block::Subheading("MDF by quarter".into()));
        blocks.push(Block::Table(Table::new(
            &["Quarter", "Requested", "Approved"],
            &[1, 2],
            v.mdf_quarters.iter().map(|r| r.to_vec()).collect(),
        )));
    }
    blocks.push(Block::Facts(vec![(
        "Joint webinars".into(),
        v.joint_webinars.to_string(),
    )]));
    blocks.push(Block::Heading("Certification plan".into()));
    blocks.push(if v.certifications.is_empty() {
        Block::Empty("No certification commitments.".into())
    } else {
        Block::Table(Table::new(
            &["Certification", "People", "By"],
            &[1],
            v.certifications.iter().map(|r| r.to_vec()).collect(),
        ))
    });
    blocks.push(Block::Heading("Time-to-value KPIs".into()));
    blocks.push(Block::Table(Table::new(
        &["Milestone", "Target"],
        &[],
        pairs(&v.kpis),
    )));
    blocks.extend(v.compliance.blocks());
    Document {
        title: v.title.clone(),
        blocks,
        footer: format!("Prepared with Channel Desk for {}.", v.partner),
    }
}

impl ComplianceView {
    /// The compliance section: a heading, the track's verdict, its requirements and badges.
    pub(crate) fn blocks(&self) -> Vec<Block> {
        let mut blocks = vec![
            Block::Heading(format!("Compliance as of {}", self.as_of)),
            Block::Text(self.track.clone()),
        ];
        if !self.requirements.is_empty() {
            blocks.push(Block::Table(Table::new(
                &["Certification", "Required", "Certified", "Status"],
                &[1, 2],
                self.requirements.iter().map(|r| r.to_vec()).collect(),
            )));
        }
        if !self.badges.is_empty() {
            blocks.push(Block::List(self.badges.clone()));
        }
        blocks
    }
}
