//! `cdesk person …`

use cdesk_core::ops::{self, NewPerson};
use clap::Subcommand;

use crate::context::Ctx;
use crate::output::{self, Table};
use crate::say;

#[derive(Debug, Subcommand)]
pub enum PersonCmd {
    /// Add a person to a partner (one person per email at a partner)
    #[command(
        after_help = "Example:\n  cdesk person add --partner Acme --name \"Ana Lima\" \
--email ana@acme.example --role \"Solutions Architect\""
    )]
    Add {
        /// Partner id or name
        #[arg(long)]
        partner: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "")]
        email: String,
        /// Job title
        #[arg(long, default_value = "")]
        role: String,
    },
    /// List the people of a partner
    #[command(after_help = "Example:\n  cdesk person list --partner Acme")]
    List {
        #[arg(long)]
        partner: String,
    },
    /// Each person's progress through the core and advanced sales enablement curriculum
    #[command(after_help = "Example:\n  cdesk person curriculum --partner Acme")]
    Curriculum {
        #[arg(long)]
        partner: String,
    },
}

pub fn run(ctx: &mut Ctx, cmd: PersonCmd) -> anyhow::Result<()> {
    match cmd {
        PersonCmd::Add {
            partner,
            name,
            email,
            role,
        } => {
            let input = NewPerson {
                partner,
                name,
                email,
                role,
            };
            let person = ops::add_person(&mut ctx.store, &input)?;
            if ctx.json {
                return output::json(&person);
            }
            say!("added {} ({})", person.name, person.id);
        }
        PersonCmd::List { partner } => {
            let reader = ctx.store.read();
            let partner = reader.resolve_partner(&partner)?;
            let people = reader.people(&partner.id)?;
            if ctx.json {
                return output::json(&people);
            }
            let mut t = Table::new(&["NAME", "EMAIL", "ROLE", "ID"]);
            for p in people {
                t.row(vec![p.name, p.email, p.role, p.id]);
            }
            t.print("no people yet")?;
        }
        PersonCmd::Curriculum { partner } => {
            let progress = ops::curriculum_progress(ctx.store.read(), &partner, ctx.today)?;
            if ctx.json {
                return output::json(&progress);
            }
            let mut t = Table::new(&[
                "PERSON", "LEVEL", "DONE", "PLANNED", "MINUTES", "POINTS", "NEXT",
            ]);
            for p in &progress {
                for l in &p.levels {
                    t.row(vec![
                        p.name.clone(),
                        l.level.clone(),
                        format!("{}/{}", l.done, l.modules),
                        l.planned.to_string(),
                        format!("{}/{}", l.minutes_done, l.minutes),
                        format!("{}/{}", l.points_done, l.points),
                        l.next_module.clone().unwrap_or_else(|| "-".into()),
                    ]);
                }
            }
            t.print("no people yet")?;
        }
    }
    Ok(())
}
