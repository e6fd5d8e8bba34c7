//! Errors as a person and a program see them: `error: <message>` on stderr, a JSON line too
//! with `--json`, and an exit code that tells bad input (2) from trouble (1).

use std::process::ExitCode;

use std::path::Path;

use cdesk_core::store;
use cdesk_core::CoreError;

/// The stable code and the exit code of an error.
fn classify(err: &anyhow::Error) -> (&'static str, u8) {
    if let Some(core) = err.downcast_ref::<CoreError>() {
        let exit = match core {
            // The command was wrong: fixing the input fixes it.
            CoreError::Invalid { .. } | CoreError::NotFound { .. } | CoreError::Duplicate(_) => 2,
            _ => 1,
        };
        return (core.code(), exit);
    }
    if err.downcast_ref::<cdesk_client::DbKeyError>().is_some() {
        return ("keyring", 1);
    }
    if err.downcast_ref::<std::io::Error>().is_some() {
        return ("io", 1);
    }
    ("error", 1)
}

/// What the person can do about a damaged database: restore the newest backup, if any.
fn advice(err: &anyhow::Error) -> Option<String> {
    let Some(CoreError::Corrupt { path, .. }) = err.downcast_ref::<CoreError>() else {
        return None;
    };
    let db = Path::new(path);
    Some(
        match store::list_backups(db)
            .ok()
            .and_then(|b| b.into_iter().next())
        {
            Some(latest) => format!(
                "Your newest backup is from {} UTC. Run `cdesk restore --latest` to put it in \
             place of the damaged file (which is kept, not deleted); `cdesk backup list` shows \
             the others.",
                latest.taken_at.0.format("%Y-%m-%d %H:%M")
            ),
            None => format!(
                "No backup was found in {}. Keep the damaged file: it may still be recoverable.",
                store::backup_dir(db).display()
            ),
        },
    )
}

fn print(code: &str, message: &str, hint: Option<&str>, json: bool) {
    eprintln!("error: {message}");
    if let Some(hint) = hint {
        eprintln!("hint: {hint}");
    }
    if json {
        let mut error = serde_json::json!({ "code": code, "message": message });
        if let Some(hint) = hint {
            error["hint"] = hint.into();
        }
        eprintln!("{}", serde_json::json!({ "error": error }));
    }
}

/// Whether the reader of our output went away (`cdesk … | head`): not a failure of cdesk.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind)
            .or_else(|| cause.downcast_ref::<serde_json::Error>()?.io_error_kind());
        kind == Some(std::io::ErrorKind::BrokenPipe)
    })
}

/// Reports a failed command and gives its exit code.
pub fn report(err: &anyhow::Error, json: bool) -> ExitCode {
    if is_broken_pipe(err) {
        return ExitCode::SUCCESS;
    }
    let (code, exit) = classify(err);
    print(code, &format!("{err:#}"), advice(err).as_deref(), json);
    ExitCode::from(exit)
}

/// Reports a command line clap could not parse (exit 2), or prints help/version (exit 0).
pub fn usage(err: clap::Error) -> ExitCode {
    use clap::error::ErrorKind;
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
    ) {
        let _ = err.print();
        return ExitCode::SUCCESS;
    }
    if matches!(
        err.kind(),
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
    ) {
        let _ = err.print();
        return ExitCode::from(2);
    }
    let json = std::env::args().any(|a| a == "--json");
    let _ = err.print();
    if json {
        // The message without clap's usage line and hint, as one line.
        let rendered = err.to_string();
        let message = rendered
            .split("\n\nUsage:")
            .next()
            .unwrap_or("invalid usage")
            .trim_start_matches("error: ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let body = serde_json::json!({ "error": { "code": "usage", "message": message } });
        eprintln!("{body}");
    }
    ExitCode::from(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_input_exits_two_and_trouble_exits_one() {
        let invalid = anyhow::Error::from(CoreError::invalid("due_on", "bad"));
        assert_eq!(classify(&invalid), ("invalid", 2));
        let missing = anyhow::Error::from(CoreError::NotFound {
            entity: "partner",
            id: "x".into(),
        });
        assert_eq!(classify(&missing), ("not_found", 2));
        let io = anyhow::Error::from(std::io::Error::other("disk"));
        assert_eq!(classify(&io), ("io", 1));
    }
}
