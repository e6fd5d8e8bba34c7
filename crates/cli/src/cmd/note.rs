//! `cdesk note …`: call notes (R7: every call is logged) and the next steps agreed on them.

use std::io::Read;

use anyhow::Context as _;
use cdesk_core::ops::{self, NewNextStep, NewNote, NoteEdit, NoteQuery};
use cdesk_core::CoreError;
use clap::{ArgGroup, Args, Subcommand};

use super::split_fields;
use crate::context::Ctx;
use crate::output::{self, Table};
use crate::say;

#[derive(Debug, Subcommand)]
pub enum NoteCmd {
    /// Log a call note, with its next steps, in one go
    #[command(after_help = "Examples:\n  \
cdesk note add --partner Acme --title \"Discovery with Initech\" --via-partner \\\n        \
--body \"They run 40 Jenkins servers\" \\\n        \
--next-step \"Send SOW;ana@acme.example;2026-12-01\" --next-step \"Book demo;ae;2026-12-04;agreed\"\n  \
pbpaste | cdesk note add --opportunity \"Initech Premium\" --title \"Pricing call\" --body-file -\n\n\
A note captured through the partner (--via-partner) gets \"(ii)\" in its title. If any next\n\
step is invalid, nothing is saved.")]
    Add(AddArgs),
    /// List notes, newest first, a page at a time
    #[command(
        after_help = "Examples:\n  cdesk note list --partner Acme --limit 20\n  \
cdesk note list --partner Acme --limit 20 --before <last id of the previous page>"
    )]
    List {
        #[arg(long)]
        partner: Option<String>,
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        opportunity: Option<String>,
        /// Page size
        #[arg(long, default_value_t = 20)]
        limit: usize,
        /// Continue after this note id (the last of the previous page)
        #[arg(long, value_name = "NOTE_ID")]
        before: Option<String>,
    },
    /// Show a note with its body and next steps
    #[command(after_help = "Example:\n  cdesk note show 0192f…")]
    Show { id: String },
    /// Edit a note's title, body or via-partner mark (the author's edit)
    #[command(
        after_help = "Example:\n  cdesk note edit 0192f… --title \"Kickoff\" --via-partner yes"
    )]
    Edit {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, conflicts_with = "body_file")]
        body: Option<String>,
        /// Read the body from a file, or stdin with `-`
        #[arg(long, value_name = "FILE")]
        body_file: Option<String>,
        /// yes or no
        #[arg(long, value_parser = clap::builder::BoolishValueParser::new(), value_name = "YES|NO")]
        via_partner: Option<bool>,
    },
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("link").required(true).multiple(true).args(["partner", "account", "opportunity"])))]
pub struct AddArgs {
    /// Partner id or name
    #[arg(long)]
    pub partner: Option<String>,
    /// Account id or name
    #[arg(long)]
    pub account: Option<String>,
    /// Opportunity id or name
    #[arg(long)]
    pub opportunity: Option<String>,
    #[arg(long)]
    pub title: String,
    /// The note's text
    #[arg(long, conflicts_with = "body_file")]
    pub body: Option<String>,
    /// Read the body from a file, or stdin with `-`
    #[arg(long, value_name = "FILE")]
    pub body_file: Option<String>,
    /// Captured through the partner: adds "(ii)" to the title
    #[arg(long)]
    pub via_partner: bool,
    /// When the call happened (YYYY-MM-DD or RFC 3339); now by default
    #[arg(long, value_name = "WHEN")]
    pub at: Option<String>,
    /// Who logs it (default: who signed in on this profile, else the computer's user name)
    #[arg(long, env = "CDESK_AUTHOR")]
    pub author: Option<String>,
    /// A next step "description;owner;YYYY-MM-DD" (add ";agreed" when the date was agreed
    /// with the partner); repeatable
    #[arg(long = "next-step", value_name = "DESC;OWNER;DATE[;agreed]")]
    pub next_steps: Vec<String>,
}

/// Parses `description;owner;date[;agreed]`.
pub fn parse_next_step(text: &str) -> cdesk_core::Result<NewNextStep> {
    let f = split_fields(
        "next-step",
        text,
        4,
        true,
        "description;owner;YYYY-MM-DD[;agreed]",
    )?;
    let agreed = match f.get(3) {
        None => false,
        Some(flag) if flag.eq_ignore_ascii_case("agreed") => true,
        Some(other) => {
            return Err(CoreError::invalid(
                "next-step",
                format!("the fourth part may only be \"agreed\", not {other:?}"),
            ))
        }
    };
    Ok(NewNextStep {
        description: f[0].into(),
        owner: f[1].into(),
        due_on: f[2].into(),
        agreed_with_partner: agreed,
    })
}

/// The body from `--body`, or from `--body-file` (stdin for `-`).
fn read_body(body: Option<String>, file: Option<&str>) -> anyhow::Result<Option<String>> {
    match (body, file) {
        (Some(b), _) => Ok(Some(b)),
        (None, Some("-")) => {
            let mut text = String::new();
            std::io::stdin()
                .read_to_string(&mut text)
                .context("reading the note body from stdin")?;
            Ok(Some(text))
        }
        (None, Some(path)) => Ok(Some(
            std::fs::read_to_string(path).with_context(|| format!("reading {path}"))?,
        )),
        (None, None) => Ok(None),
    }
}

/// Who is logging: --author / CDESK_AUTHOR, else the person whose profile this is (who signed
/// in), else the computer's user name.
pub(crate) fn author(ctx: &Ctx, given: Option<String>) -> anyhow::Result<String> {
    let author = match given.filter(|a| !a.trim().is_empty()) {
        Some(given) => Some(given),
        None => ctx.store.read().default_author()?,
    };
    Ok(author.ok_or_else(|| {
        CoreError::invalid(
            "author",
            "who logs the note? sign in, pass --author or set CDESK_AUTHOR",
        )
    })?)
}

pub fn run(ctx: &mut Ctx, cmd: NoteCmd) -> anyhow::Result<()> {
    match cmd {
        NoteCmd::Add(a) => add(ctx, a),
        NoteCmd::List {
            partner,
            account,
            opportunity,
            limit,
            before,
        } => {
            let query = NoteQuery {
                partner,
                account,
                opportunity,
                before,
                limit,
            };
            list(ctx, &query)
        }
        NoteCmd::Show { id } => show(ctx, &id),
        NoteCmd::Edit {
            id,
            title,
            body,
            body_file,
            via_partner,
        } => {
            let edit = NoteEdit {
                note: id,
                title,
                body: read_body(body, body_file.as_deref())?,
                via_partner,
            };
            let note = ops::update_note(&mut ctx.store, &edit)?;
            if ctx.json {
                return output::json(&note);
            }
            say!("saved note {} ({})", note.title, note.id);
            Ok(())
        }
    }
}

fn add(ctx: &mut Ctx, a: AddArgs) -> anyhow::Result<()> {
    let next_steps = a
        .next_steps
        .iter()
        .map(|s| parse_next_step(s))
        .collect::<Result<Vec<_>, _>>()?;
    let input = NewNote {
        title: a.title,
        body: read_body(a.body, a.body_file.as_deref())?.unwrap_or_default(),
        via_partner: a.via_partner,
        partner: a.partner,
        account: a.account,
        opportunity: a.opportunity,
        author: author(ctx, a.author)?,
        occurred_at: a.at,
        next_steps,
    };
    let logged = ops::log_note(&mut ctx.store, &input)?;
    if ctx.json {
        return output::json(&logged);
    }
    say!("logged note {} ({})", logged.note.title, logged.note.id);
    for s in &logged.next_steps {
        say!(
            "  next step: {} ({}, due {}) {}",
            s.description,
            s.owner,
            s.due_on,
            s.id
        );
    }
    Ok(())
}

fn list(ctx: &Ctx, query: &NoteQuery) -> anyhow::Result<()> {
    let page = ops::list_notes(ctx.store.read(), query)?;
    if ctx.json {
        return output::json(&page);
    }
    let mut t = Table::new(&["WHEN", "TITLE", "AUTHOR", "ID"]);
    for n in &page.notes {
        t.row(vec![
            n.occurred_at.0.format("%Y-%m-%d %H:%M").to_string(),
            n.title.clone(),
            n.author.clone(),
            n.id.clone(),
        ]);
    }
    t.print("no notes")?;
    if let Some(last) = &page.next_before {
        say!("more: --before {last}");
    }
    Ok(())
}

fn show(ctx: &Ctx, id: &str) -> anyhow::Result<()> {
    let reader = ctx.store.read();
    let note = ops::note(reader, id)?;
    let steps = reader.next_steps_for_note(&note.id)?;
    if ctx.json {
        return output::json(&serde_json::json!({ "note": note, "next_steps": steps }));
    }
    say!("{}", note.title);
    say!("  when:   {}", note.occurred_at.to_text());
    say!("  author: {}", note.author);
    if note.via_partner {
        say!("  via the partner");
    }
    say!("\n{}\n", note.body);
    for s in steps {
        say!(
            "  [{}] {} ({}, due {})",
            if s.status.code() == "done" { "x" } else { " " },
            s.description,
            s.owner,
            s.due_on
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_step_syntax() {
        let s = parse_next_step("Send SOW; ana@acme.example ;2026-12-01").unwrap();
        assert_eq!(
            (s.description.as_str(), s.owner.as_str()),
            ("Send SOW", "ana@acme.example")
        );
        assert!(!s.agreed_with_partner);
        assert!(
            parse_next_step("Send SOW;ana;2026-12-01;agreed")
                .unwrap()
                .agreed_with_partner
        );
        assert!(parse_next_step("Send SOW;2026-12-01").is_err());
        assert!(parse_next_step("a;b;c;maybe").is_err());
    }
}
