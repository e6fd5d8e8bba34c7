//! The business plan as Markdown and as a standalone HTML page.

use super::*;

fn plan_for(store: &mut Store, partner_name: &str) -> BusinessPlan {
    let p = partner(store, partner_name);
    let mut plan = BusinessPlan::draft(&p.id, 2027);
    plan.goals = "Grow DACH <script>alert('x')</script> & win \"Initech\"".into();
    plan.growth_arr_target = Money::from_dollars(250_000);
    plan.new_customer_arr_target = Money(1_234_567);
    plan.services_practice = vec![ServiceOffering::Migration, ServiceOffering::Assessment];
    plan.target_stage = JourneyStage::Leading;
    plan.marketing_plan = "Two field events.\nOne case study.".into();
    plan.mdf_requests = vec![
        MdfRequest {
            activity: "DevOps Days booth".into(),
            amount: Money::from_dollars(5_000),
            quarter: "Q2".into(),
            status: MdfStatus::Approved,
            reviewed_with_cam_on: Some(date("2026-04-02")),
        },
        MdfRequest {
            activity: "Webinar | series".into(),
            amount: Money::from_dollars(2_500),
            quarter: "Q3".into(),
            status: MdfStatus::Drafted,
            reviewed_with_cam_on: None,
        },
    ];
    plan.joint_webinars = 3;
    plan.certification_plan = vec![CertificationCommitment {
        certification_id: "pse".into(),
        count: 3,
        by: date("2027-01-31"),
    }];
    plan.kpis.first_value_days = Some(30);
    plan.status = PlanStatus::Agreed;
    store.write(|w| w.put(&plan).map(|_| ())).unwrap();
    plan
}

#[test]
fn the_markdown_plan_shows_targets_practice_marketing_certifications_and_kpis() {
    let mut s = full_store();
    let plan = plan_for(&mut s, "Acme Cloud Services");
    let md = plan_markdown(s.read(), &plan).unwrap();
    for expected in [
        "# Acme Cloud Services — Business plan FY2027",
        "- **Status:** Agreed with partner",
        "- **Target journey stage:** 03 Leading",
        "| Growth ARR | $250,000.00 |",
        "| New-customer ARR | $12,345.67 |",
        "| Total ARR | $262,345.67 |",
        "- Migration",
        "| DevOps Days booth | Q2 | Approved (reviewed 2026-04-02) | $5,000.00 |",
        "| Webinar \\| series | Q3 | Drafted | $2,500.00 |",
        "| **Total** |  |  | $7,500.00 |",
        "| Quarter | Requested | Approved |",
        "| Q2 | $5,000.00 | $5,000.00 |",
        "| Q3 | $2,500.00 | $0.00 |",
        "**Joint webinars:** 3",
        "| Professional Services Engineer (PSE) | 3 | 2027-01-31 |",
        "| First Value | 30 days |",
        "| Outcome Achieved | not set |",
        "Select track: not compliant",
        "| Solution Architect (SA) Core | 2 | 1 |",
    ] {
        assert!(md.contains(expected), "markdown lacks {expected:?}:\n{md}");
    }
    assert!(
        md.contains("Grow DACH \\<script>"),
        "free text is shown:\n{md}"
    );
    assert!(
        !md.replace("\\<", "").contains('<'),
        "every < is escaped, so no tag opens in a Markdown viewer:\n{md}"
    );
}

#[test]
fn the_html_plan_escapes_everything_it_shows() {
    let mut s = full_store();
    let plan = plan_for(&mut s, "Acme Cloud Services");
    let html = plan_html(s.read(), &plan).unwrap();
    assert!(!html.contains("<script"), "no script can run:\n{html}");
    assert!(
        html.contains("Grow DACH &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; win &quot;Initech&quot;"),
        "goals are shown escaped:\n{html}"
    );
    assert!(
        html.contains("<td class=\"num\">$262,345.67</td>"),
        "{html}"
    );
    assert!(
        html.contains("Professional Services Engineer (PSE)"),
        "{html}"
    );
    assert!(html.contains("<h2>Certification plan</h2>"), "{html}");
}

#[test]
fn the_html_plan_stands_alone_without_external_resources() {
    let mut s = full_store();
    let plan = plan_for(&mut s, "Acme Cloud Services");
    let html = plan_html(s.read(), &plan).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(
        html.contains("<style>") && html.contains("@media print"),
        "inline, print-friendly CSS"
    );
    for forbidden in [
        "http://", "https://", "src=", "href=", "<link", "@import", "url(",
    ] {
        assert!(
            !html.contains(forbidden),
            "the page refers to {forbidden:?}:\n{html}"
        );
    }
}

#[test]
fn the_pdf_plan_reads_the_same_as_the_html() {
    let mut s = full_store();
    let plan = plan_for(&mut s, "Acme Cloud Services");
    let pdf = plan_pdf(s.read(), &plan).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_extract::extract_text_from_mem(&pdf).unwrap();
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Acme Cloud Services — Business plan FY2027",
        "Grow DACH <script>alert('x')</script> & win \"Initech\"",
        "$250,000.00",
        "DevOps Days booth",
        "Webinar | series",
        "Professional Services Engineer (PSE)",
    ] {
        assert!(
            flat.contains(expected),
            "the PDF reads {expected:?}:\n{flat}"
        );
    }
}
