//! `cdesk plan …`: business plans, one per partner and fiscal year.

use std::io::IsTerminal;
use std::path::PathBuf;

use anyhow::Context as _;
use cdesk_core::domain::BusinessPlan;
use cdesk_core::ops::{self, CommitmentInput, MdfRequestInput, PlanChanges};
use cdesk_core::CoreError;
use clap::{Args, Subcommand, ValueEnum};

use super::split_fields;
use crate::context::Ctx;
use crate::output::{self, or_dash};
use crate::say;

#[derive(Debug, Subcommand)]
pub enum PlanCmd {
    /// Create or update a partner's plan for a fiscal year; only the options given change
    #[command(after_help = "Example:\n  cdesk plan set --partner Acme --year FY27 \
--goals \"Grow the public sector practice\" \\\n        --growth-arr 250000 --new-customer-arr 100000 \
--practice migration,education --target-stage leading \\\n        \
--mdf \"Joint webinar series;12000;Q2\" --commit \"PSE;3;2027-06-30\" --first-value-days 30")]
    Set(Box<SetArgs>),
    /// Set a plan's status: draft, agreed (with the partner), archived
    #[command(after_help = "Example:\n  cdesk plan status --partner Acme --year FY27 agreed")]
    Status {
        #[arg(long)]
        partner: String,
        #[arg(long, value_parser = parse_year)]
        year: i32,
        status: String,
    },
    /// Show a partner's plan (the latest one unless --year is given)
    #[command(after_help = "Example:\n  cdesk plan show --partner Acme --year 2027")]
    Show {
        #[arg(long)]
        partner: String,
        #[arg(long, value_parser = parse_year)]
        year: Option<i32>,
    },
    /// A partner's plan against its fiscal year: closed-won ARR against the targets, open
    /// pipeline, deals won and lost with their reasons
    #[command(after_help = "Example:\n  cdesk plan actuals --partner Acme --year FY27")]
    Actuals {
        #[arg(long)]
        partner: String,
        /// Fiscal year: 2027, FY27 or FY2027
        #[arg(long, value_parser = parse_year)]
        year: i32,
    },
    /// Export a plan as a document to share with the partner: Markdown or HTML
    #[command(
        after_help = "Examples:\n  cdesk plan export --partner Acme --year FY27 --format md\n  \
cdesk plan export --partner Acme --year FY27 --format html --out acme-fy27.html\n\n\
With --json and no --out, the document is printed inside a JSON object."
    )]
    Export {
        #[arg(long)]
        partner: String,
        /// The plan's fiscal year (the latest plan when not given)
        #[arg(long, value_parser = parse_year)]
        year: Option<i32>,
        #[arg(long, value_enum, default_value_t = DocFormat::Md)]
        format: DocFormat,
        /// Write to this file instead of stdout
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// The document formats of `plan export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DocFormat {
    /// Markdown
    Md,
    /// A self-contained HTML page
    Html,
    /// A PDF on A4 pages
    Pdf,
}

#[derive(Debug, Args)]
pub struct SetArgs {
    /// Partner id or name
    #[arg(long)]
    pub partner: String,
    /// Fiscal year: 2027, FY27 or FY2027
    #[arg(long, value_parser = parse_year)]
    pub year: i32,
    #[arg(long)]
    pub goals: Option<String>,
    /// Growth ARR target, e.g. 250000 or $250,000
    #[arg(long, value_name = "AMOUNT")]
    pub growth_arr: Option<String>,
    /// New-customer ARR target
    #[arg(long, value_name = "AMOUNT")]
    pub new_customer_arr: Option<String>,
    /// ISO 4217 currency of the targets and MDF, e.g. EUR (default for a new plan: the
    /// partner's)
    #[arg(long, value_name = "CODE")]
    pub currency: Option<String>,
    /// Services practice, comma-separated: assessment, migration, integration, implementation,
    /// education, optimization, managed_hosted, security_compliance (replaces the list)
    #[arg(long, value_delimiter = ',', value_name = "OFFERING")]
    pub practice: Option<Vec<String>>,
    /// Target journey stage
    #[arg(long)]
    pub target_stage: Option<String>,
    #[arg(long)]
    pub marketing: Option<String>,
    /// MDF request "activity;amount;quarter[;status[;reviewed-with-CAM date]]", repeatable
    /// (replaces the list); status: drafted, reviewed_with_cam, submitted, approved, claimed
    #[arg(long, value_name = "ACTIVITY;AMOUNT;QUARTER[;STATUS[;DATE]]")]
    pub mdf: Vec<String>,
    #[arg(long)]
    pub webinars: Option<i64>,
    /// Certification commitment "certification;count;by-date", repeatable (replaces the list)
    #[arg(long, value_name = "CERT;COUNT;DATE")]
    pub commit: Vec<String>,
    /// Time to value: days to Infrastructure Ready
    #[arg(long, value_name = "DAYS")]
    pub infra_ready_days: Option<i64>,
    /// Days to First Value
    #[arg(long, value_name = "DAYS")]
    pub first_value_days: Option<i64>,
    /// Days to Outcome Achieved
    #[arg(long, value_name = "DAYS")]
    pub outcome_days: Option<i64>,
    /// draft, agreed, archived
    #[arg(long)]
    pub status: Option<String>,
}

pub(crate) fn parse_year(text: &str) -> Result<i32, String> {
    ops::parse_fiscal_year("year", text).map_err(|e| e.to_string())
}

fn mdf(text: &str) -> cdesk_core::Result<MdfRequestInput> {
    let f: Vec<&str> = text.split(';').map(str::trim).collect();
    if !(3..=5).contains(&f.len()) {
        return Err(cdesk_core::CoreError::invalid(
            "mdf",
            format!("{text:?} should look like \"activity;amount;quarter[;status[;YYYY-MM-DD]]\""),
        ));
    }
    let given = |i: usize| f.get(i).filter(|v| !v.is_empty()).map(|v| v.to_string());
    Ok(MdfRequestInput {
        activity: f[0].into(),
        amount: f[1].into(),
        quarter: f[2].into(),
        status: given(3),
        reviewed_with_cam_on: given(4),
    })
}

fn commitment(text: &str) -> cdesk_core::Result<CommitmentInput> {
    let f = split_fields("commit", text, 3, false, "certification;count;YYYY-MM-DD")?;
    let count = f[1].parse().map_err(|_| {
        CoreError::invalid("commit", format!("{:?} is not a number of people", f[1]))
    })?;
    Ok(CommitmentInput {
        certification: f[0].into(),
        count,
        by: f[2].into(),
    })
}

pub fn run(ctx: &mut Ctx, cmd: PlanCmd) -> anyhow::Result<()> {
    let plan = match cmd {
        PlanCmd::Set(a) => {
            let changes = PlanChanges {
                partner: a.partner,
                fiscal_year: a.year,
                goals: a.goals,
                growth_arr_target: a.growth_arr,
                new_customer_arr_target: a.new_customer_arr,
                currency: a.currency,
                services_practice: a.practice,
                target_stage: a.target_stage,
                marketing_plan: a.marketing,
                mdf_requests: (!a.mdf.is_empty())
                    .then(|| a.mdf.iter().map(|m| mdf(m)).collect::<Result<_, _>>())
                    .transpose()?,
                joint_webinars: a.webinars,
                certification_plan: (!a.commit.is_empty())
                    .then(|| {
                        a.commit
                            .iter()
                            .map(|c| commitment(c))
                            .collect::<Result<_, _>>()
                    })
                    .transpose()?,
                infrastructure_ready_days: a.infra_ready_days,
                first_value_days: a.first_value_days,
                outcome_achieved_days: a.outcome_days,
                status: a.status,
            };
            ops::save_plan(&mut ctx.store, &changes)?
        }
        PlanCmd::Status {
            partner,
            year,
            status,
        } => ops::set_plan_status(&mut ctx.store, &partner, year, &status)?,
        PlanCmd::Show { partner, year } => {
            let plan = ops::plan_for(ctx.store.read(), &partner, year)?;
            if ctx.json {
                return output::json(&plan);
            }
            return show(ctx, &plan);
        }
        PlanCmd::Export {
            partner,
            year,
            format,
            out,
        } => return export(ctx, &partner, year, format, out),
        PlanCmd::Actuals { partner, year } => {
            let actuals = ops::plan_actuals(ctx.store.read(), &partner, year, ctx.today)?;
            if ctx.json {
                return output::json(&actuals);
            }
            return show_actuals(&actuals);
        }
    };
    if ctx.json {
        return output::json(&plan);
    }
    say!(
        "saved FY{} plan ({}, {})",
        plan.fiscal_year % 100,
        plan.status.label(),
        plan.id
    );
    Ok(())
}

fn export(
    ctx: &Ctx,
    partner: &str,
    year: Option<i32>,
    format: DocFormat,
    out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let reader = ctx.store.read();
    let plan = ops::plan_for(reader, partner, year)?;
    let document = match format {
        DocFormat::Md => cdesk_core::io::plan_markdown(reader, &plan)?.into_bytes(),
        DocFormat::Html => cdesk_core::io::plan_html(reader, &plan)?.into_bytes(),
        DocFormat::Pdf => {
            if out.is_none() && (ctx.json || std::io::stdout().is_terminal()) {
                anyhow::bail!("a PDF is not for the terminal: give --out FILE.pdf");
            }
            cdesk_core::io::plan_pdf(reader, &plan)?
        }
    };
    if let Some(path) = &out {
        std::fs::write(path, &document).with_context(|| format!("writing {}", path.display()))?;
    }
    let out = out.map(|p| p.display().to_string());
    if ctx.json {
        let format = match format {
            DocFormat::Md => "md",
            DocFormat::Html => "html",
            DocFormat::Pdf => "pdf",
        };
        let document = out
            .is_none()
            .then(|| String::from_utf8_lossy(&document).into_owned());
        return output::json(&serde_json::json!({
            "plan_id": plan.id, "format": format, "out": out, "document": document,
        }));
    }
    match out {
        Some(path) => say!("wrote the FY{} plan to {path}", plan.fiscal_year % 100),
        None => std::io::Write::write_all(&mut std::io::stdout().lock(), &document)?,
    }
    Ok(())
}

fn show_actuals(a: &ops::PlanActuals) -> anyhow::Result<()> {
    let money = |m| a.currency.format(m);
    let against = |t: &ops::AgainstTarget| match t.target {
        Some(target) => format!("{} of {}", money(t.actual), money(target)),
        None => format!("{} (no plan)", money(t.actual)),
    };
    say!(
        "FY{} ({} to {}), closed won:",
        a.fiscal_year % 100,
        a.first_day,
        a.last_day
    );
    say!("  growth ARR:        {}", against(&a.growth_arr));
    say!("  new-customer ARR:  {}", against(&a.new_customer_arr));
    say!("  services attached: {}", money(a.services_attach_won));
    say!("  open pipeline:     {}", money(a.open_pipeline));
    say!(
        "  MDF requested:     {}{}",
        money(a.mdf_requested),
        if a.mdf_eligible {
            ""
        } else {
            " (this track does not submit MDF requests)"
        }
    );
    for q in &a.mdf_by_quarter {
        say!(
            "    {:<16} {} requested, {} approved",
            if q.quarter.is_empty() {
                "no quarter"
            } else {
                &q.quarter
            },
            money(q.requested),
            money(q.approved)
        );
    }
    if let Some(target) = a.target_stage {
        say!(
            "  journey stage:     {} (target {})",
            a.journey_stage.label(),
            target.label()
        );
    }
    for c in &a.certifications {
        say!(
            "  certified {:<25} {} of {} by {} ({} more planned by then, {} later): {}",
            c.certification_name,
            c.certified,
            c.committed,
            c.by,
            c.planned_by_date,
            c.planned_later,
            c.label
        );
    }
    for gap in &a.commitment_gaps {
        say!("  ! {gap}");
    }
    for line in &a.conversion.lines {
        say!("  {line}");
    }
    for (what, deals) in [("won", &a.won), ("lost", &a.lost)] {
        for d in deals {
            say!(
                "  {what:<4} {} {} — {} ({}): {}",
                d.close_date,
                d.name,
                d.account_name,
                d.currency.format(d.iacv),
                d.reason
            );
        }
    }
    Ok(())
}

fn show(ctx: &Ctx, plan: &BusinessPlan) -> anyhow::Result<()> {
    let reader = ctx.store.read();
    let partner = reader.partner(&plan.partner_id)?;
    let book = reader.rule_book()?;
    say!(
        "FY{} business plan: {} ({})",
        plan.fiscal_year % 100,
        partner.name,
        plan.status.label()
    );
    say!(
        "  goals:              {}",
        or_dash(Some(&plan.goals).filter(|g| !g.is_empty()))
    );
    let money = |m| plan.currency.format(m);
    say!("  growth ARR target:  {}", money(plan.growth_arr_target));
    say!(
        "  new-customer ARR:   {}",
        money(plan.new_customer_arr_target)
    );
    say!("  total ARR target:   {}", money(plan.total_arr_target()));
    let practice: Vec<&str> = plan.services_practice.iter().map(|s| s.label()).collect();
    say!(
        "  services practice:  {}",
        or_dash(Some(practice.join(", ")).filter(|p| !p.is_empty()))
    );
    say!("  target stage:       {}", plan.target_stage);
    say!(
        "  marketing plan:     {}",
        or_dash(Some(&plan.marketing_plan).filter(|m| !m.is_empty()))
    );
    say!("  joint webinars:     {}", plan.joint_webinars);
    for m in &plan.mdf_requests {
        say!(
            "  MDF request:        {} — {} ({}), {}{}",
            m.activity,
            money(m.amount),
            m.quarter,
            m.status.label().to_lowercase(),
            m.reviewed_with_cam_on
                .map(|on| format!(", reviewed with the CAM {on}"))
                .unwrap_or_default()
        );
    }
    for c in &plan.certification_plan {
        say!(
            "  certification plan: {} × {} by {}",
            c.count,
            book.certification_name(&c.certification_id),
            c.by
        );
    }
    let k = &plan.kpis;
    say!(
        "  time to value:      infrastructure ready {} d, first value {} d, outcome achieved {} d",
        or_dash(k.infrastructure_ready_days),
        or_dash(k.first_value_days),
        or_dash(k.outcome_achieved_days)
    );
    Ok(())
}
