//! Authorization: who may read and write which record. The server decides on every read and
//! write; these functions are pure, so the whole matrix is unit-tested here, and [`crate::pull`]
//! turns the same rules into an index-friendly SQL filter.
//!
//! - **admin**: everything; the only role that writes the rules kinds (everyone reads those).
//! - **cam**: the partners they own (`partner.owner`) and everything under them; new partners
//!   only with themselves as owner.
//! - **manager**: everything under the partners of their region.
//! - **rep**: reads what is under their assigned partners and owned accounts; writes the
//!   accounts they own and their opportunities, and the notes and next steps they wrote; creates
//!   notes and next steps only where they can read.
//! - Call notes are insert-and-author-edit only: nobody but the author edits one; whoever may
//!   write the partner or account it hangs under (its CAM, the manager, an admin) may remove it.
//! - Every partner and account a record newly names must be one the writer works on, each judged
//!   alone ([`can_name`]): a rep's own account does not open another CAM's partner.
//! - Everyone reads (and, but for a rep outside their scope, writes) the notes and next steps they
//!   authored.

use std::collections::BTreeSet;

use cdesk_protocol::Role;

use crate::kinds::Kind;

/// The user a request acts for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    pub user_id: String,
    /// Normalized (trimmed, lower case).
    pub email: String,
    pub role: Role,
    pub region: Option<String>,
    /// A rep's assigned partner ids (empty for other roles).
    pub assigned: BTreeSet<String>,
}

/// What decides who may see one state of a record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Scope {
    pub kind: Kind,
    /// A call note's `author`, or whoever created a next step (normalized email).
    pub author: Option<String>,
    /// The partner the record hangs under (itself for a partner).
    pub root_partner_id: Option<String>,
    /// The account the record hangs under (itself for an account).
    pub root_account_id: Option<String>,
    /// The root partner's owner (CAM) and region.
    pub partner_owner: Option<String>,
    pub partner_region: Option<String>,
    /// The root account's owner (rep).
    pub account_owner: Option<String>,
}

impl Scope {
    pub fn unrooted(kind: Kind) -> Scope {
        Scope {
            kind,
            author: None,
            root_partner_id: None,
            root_account_id: None,
            partner_owner: None,
            partner_region: None,
            account_owner: None,
        }
    }

    fn same_roots(&self, other: &Scope) -> bool {
        self.root_partner_id == other.root_partner_id
            && self.root_account_id == other.root_account_id
    }
}

/// What a role grants on a record, apart from authorship.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Grant {
    None,
    Read,
    Write,
}

/// Emails compare trimmed and case-insensitively.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

fn is(value: &Option<String>, expected: &str) -> bool {
    value.as_deref() == Some(expected)
}

/// What the subject's role grants on the record through its partner, region or account.
pub fn role_grant(s: &Subject, r: &Scope) -> Grant {
    if r.kind.is_rules() {
        return if s.role == Role::Admin {
            Grant::Write
        } else {
            Grant::Read
        };
    }
    match s.role {
        Role::Admin => Grant::Write,
        Role::Cam if is(&r.partner_owner, &s.email) => Grant::Write,
        Role::Manager if s.region.is_some() && r.partner_region == s.region => Grant::Write,
        Role::Rep => {
            let owns_account = is(&r.account_owner, &s.email);
            if owns_account && matches!(r.kind, Kind::Account | Kind::Opportunity) {
                Grant::Write
            } else if owns_account
                || r.root_partner_id
                    .as_ref()
                    .is_some_and(|p| s.assigned.contains(p))
            {
                Grant::Read
            } else {
                Grant::None
            }
        }
        _ => Grant::None,
    }
}

fn authored(s: &Subject, r: &Scope) -> bool {
    r.kind.is_authored() && is(&r.author, &s.email)
}

/// Whether the subject may see this state of the record (a tombstone: the state before the
/// delete).
pub fn can_read(s: &Subject, r: &Scope) -> bool {
    role_grant(s, r) != Grant::None || authored(s, r)
}

/// Whether the subject may change a record from `before` (None: it does not exist yet) to
/// `after` (None: deleted). `Err` carries the message shown to the person.
pub fn can_write(s: &Subject, before: Option<&Scope>, after: Option<&Scope>) -> Result<(), String> {
    let Some(kind) = after.or(before).map(|r| r.kind) else {
        return Ok(());
    };
    if kind.is_rules() {
        return if s.role == Role::Admin {
            Ok(())
        } else {
            Err(format!(
                "only an admin edits the rules table {}",
                kind.name()
            ))
        };
    }
    if kind == Kind::CallNote {
        match (before, after) {
            // Moderation: whoever may write the partner or account a note hangs under (its CAM,
            // the region's manager, an admin) may remove it; the audit trail names them.
            (Some(b), None) if !is(&b.author, &s.email) && role_grant(s, b) == Grant::Write => {
                return Ok(())
            }
            (Some(b), _) if !is(&b.author, &s.email) => {
                return Err(
                    "only the author edits a call note; its partner's CAM or manager may \
                            remove it"
                        .into(),
                )
            }
            (_, Some(a)) if !is(&a.author, &s.email) => {
                return Err("a call note's author must be the person writing it".into())
            }
            _ => {}
        }
    }
    if s.role == Role::Admin {
        return Ok(());
    }
    let writable = |r: &Scope| role_grant(s, r) == Grant::Write || authored(s, r);
    if let Some(b) = before {
        if !writable(b) {
            return Err(format!("you may not change this {}", kind.name()));
        }
    }
    if let Some(a) = after {
        if !writable(a) {
            return Err(match kind {
                Kind::Partner if s.role == Role::Cam => {
                    "a CAM creates and keeps partners owned by themselves".into()
                }
                _ => format!("this {} would be outside what you may change", kind.name()),
            });
        }
        // Authorship alone must not let a note or next step land under someone else's partner
        // or account: it must hang where the author can read, unless it stays where it was.
        let unmoved = before.is_some_and(|b| b.same_roots(a));
        if kind.is_authored() && !unmoved && role_grant(s, a) == Grant::None {
            return Err(format!(
                "a {} must belong to a partner or account you work on",
                kind.name()
            ));
        }
    }
    Ok(())
}

/// Whether the subject may name these partners and accounts (each judged alone, see
/// [`crate::records::named_roots`]) in a record that named `before`: every partner or account a
/// change newly names must be one the subject works on. One that stays named passes, so an
/// author keeps their notes after leaving a partner.
pub fn can_name(s: &Subject, before: &[Scope], after: &[Scope]) -> Result<(), String> {
    if s.role == Role::Admin {
        return Ok(());
    }
    for root in after {
        if before.iter().any(|b| b.same_roots(root)) || role_grant(s, root) != Grant::None {
            continue;
        }
        let what = match (&root.root_account_id, &root.root_partner_id) {
            (Some(a), _) => format!("account {a}"),
            (None, Some(p)) => format!("partner {p}"),
            (None, None) => continue,
        };
        return Err(format!(
            "this {} names {what}, which you do not work on",
            root.kind.name()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn subject(role: Role, email: &str) -> Subject {
        Subject {
            user_id: email.into(),
            email: email.into(),
            role,
            region: (role == Role::Manager).then(|| "emea".to_string()),
            assigned: if role == Role::Rep {
                ["p1".to_string()].into()
            } else {
                BTreeSet::new()
            },
        }
    }

    fn under_partner(kind: Kind, owner: &str, region: &str, partner: &str) -> Scope {
        Scope {
            root_partner_id: Some(partner.into()),
            partner_owner: Some(owner.into()),
            partner_region: Some(region.into()),
            ..Scope::unrooted(kind)
        }
    }

    fn note(author: &str, partner: &str, owner: &str) -> Scope {
        Scope {
            author: Some(author.into()),
            ..under_partner(Kind::CallNote, owner, "emea", partner)
        }
    }

    #[test]
    fn everyone_reads_rules_only_admin_writes_them() {
        let rule = Scope::unrooted(Kind::Badge);
        for role in [Role::Cam, Role::Rep, Role::Manager] {
            let s = subject(role, "u@x");
            assert!(can_read(&s, &rule), "{role:?} reads rules");
            assert!(
                can_write(&s, None, Some(&rule)).is_err(),
                "{role:?} writes no rules"
            );
        }
        let admin = subject(Role::Admin, "a@x");
        assert!(can_write(&admin, Some(&rule), None).is_ok());
    }

    #[test]
    fn cam_creates_only_partners_they_own() {
        let cam = subject(Role::Cam, "cam@x");
        let mine = under_partner(Kind::Partner, "cam@x", "emea", "p9");
        let theirs = under_partner(Kind::Partner, "other@x", "emea", "p9");
        assert!(can_write(&cam, None, Some(&mine)).is_ok());
        assert!(can_write(&cam, None, Some(&theirs)).is_err());
        assert!(
            can_write(&cam, Some(&mine), Some(&theirs)).is_err(),
            "a CAM does not hand a partner away"
        );
        assert!(!can_read(&cam, &theirs));
    }

    #[test]
    fn manager_sees_their_region_only() {
        let m = subject(Role::Manager, "m@x");
        assert!(can_read(
            &m,
            &under_partner(Kind::Account, "c@x", "emea", "p1")
        ));
        assert!(!can_read(
            &m,
            &under_partner(Kind::Account, "c@x", "apac", "p1")
        ));
        let moved_out = under_partner(Kind::Partner, "c@x", "apac", "p1");
        let here = under_partner(Kind::Partner, "c@x", "emea", "p1");
        assert!(can_write(&m, Some(&here), Some(&moved_out)).is_err());
    }

    #[test]
    fn rep_reads_assigned_partner_but_does_not_write_it() {
        let rep = subject(Role::Rep, "rep@x");
        let plan = under_partner(Kind::BusinessPlan, "c@x", "emea", "p1");
        assert!(can_read(&rep, &plan));
        assert!(can_write(&rep, Some(&plan), Some(&plan)).is_err());
        let unassigned = under_partner(Kind::BusinessPlan, "c@x", "emea", "p2");
        assert!(!can_read(&rep, &unassigned));
    }

    #[test]
    fn rep_writes_owned_accounts_and_their_opportunities() {
        let rep = subject(Role::Rep, "rep@x");
        for kind in [Kind::Account, Kind::Opportunity] {
            let owned = Scope {
                root_account_id: Some("a1".into()),
                account_owner: Some("rep@x".into()),
                ..Scope::unrooted(kind)
            };
            assert!(can_write(&rep, None, Some(&owned)).is_ok(), "{kind:?}");
            let other = Scope {
                account_owner: Some("rep2@x".into()),
                ..owned.clone()
            };
            assert!(can_write(&rep, None, Some(&other)).is_err(), "{kind:?}");
        }
    }

    #[test]
    fn only_the_author_edits_a_call_note() {
        let cam = subject(Role::Cam, "cam@x");
        let admin = subject(Role::Admin, "a@x");
        let by_rep = note("rep@x", "p1", "cam@x");
        assert!(
            can_read(&cam, &by_rep),
            "the CAM reads notes on their partner"
        );
        assert!(can_write(&cam, Some(&by_rep), Some(&by_rep)).is_err());
        assert!(can_write(&admin, Some(&by_rep), Some(&by_rep)).is_err());
        assert!(
            can_write(&cam, Some(&by_rep), None).is_ok(),
            "the partner's CAM removes a note under it"
        );
        assert!(
            can_write(&admin, Some(&by_rep), None).is_ok(),
            "so does an admin"
        );
        let manager = subject(Role::Manager, "m@x");
        assert!(
            can_write(&manager, Some(&by_rep), None).is_ok(),
            "and the manager"
        );
        let other_cam = subject(Role::Cam, "other@x");
        assert!(can_write(&other_cam, Some(&by_rep), None).is_err());
        let other_rep = subject(Role::Rep, "rep2@x");
        assert!(
            can_write(&other_rep, Some(&by_rep), None).is_err(),
            "an assigned rep reads the note but does not remove it"
        );
        let rep = subject(Role::Rep, "rep@x");
        assert!(can_write(&rep, Some(&by_rep), Some(&by_rep)).is_ok());
        assert!(can_write(&rep, Some(&by_rep), None).is_ok());
    }

    #[test]
    fn notes_are_created_only_where_the_author_works() {
        let rep = subject(Role::Rep, "rep@x");
        assert!(can_write(&rep, None, Some(&note("rep@x", "p1", "c@x"))).is_ok());
        assert!(
            can_write(&rep, None, Some(&note("rep@x", "p2", "c@x"))).is_err(),
            "p2 is not assigned"
        );
        assert!(
            can_write(&rep, None, Some(&note("cam@x", "p1", "c@x"))).is_err(),
            "nobody writes notes in another's name"
        );
    }

    #[test]
    fn authors_keep_their_notes_after_leaving_the_partner() {
        let mut rep = subject(Role::Rep, "rep@x");
        rep.assigned.clear();
        let n = note("rep@x", "p1", "c@x");
        assert!(can_read(&rep, &n));
        assert!(can_write(&rep, Some(&n), Some(&n)).is_ok());
    }

    #[test]
    fn rep_reads_but_does_not_write_others_next_steps() {
        let rep = subject(Role::Rep, "rep@x");
        let step = Scope {
            author: Some("cam@x".into()),
            ..under_partner(Kind::NextStep, "cam@x", "emea", "p1")
        };
        assert!(can_read(&rep, &step));
        assert!(can_write(&rep, Some(&step), Some(&step)).is_err());
        let cam = subject(Role::Cam, "cam@x");
        let reps = Scope {
            author: Some("rep@x".into()),
            ..step.clone()
        };
        assert!(
            can_write(&cam, Some(&reps), Some(&reps)).is_ok(),
            "the CAM chases next steps on their partners"
        );
    }

    fn account_root(
        kind: Kind,
        account: &str,
        owner: &str,
        partner: Option<(&str, &str)>,
    ) -> Scope {
        Scope {
            root_account_id: Some(account.into()),
            account_owner: Some(owner.into()),
            root_partner_id: partner.map(|p| p.0.to_string()),
            partner_owner: partner.map(|p| p.1.to_string()),
            partner_region: partner.map(|_| "emea".to_string()),
            ..Scope::unrooted(kind)
        }
    }

    #[test]
    fn every_named_root_is_judged_alone() {
        let rep = subject(Role::Rep, "rep@x");
        // The rep's own account does not open partner q, which the rep is not assigned to.
        let own_account = account_root(Kind::CallNote, "a1", "rep@x", None);
        let q = under_partner(Kind::CallNote, "cam@x", "emea", "q");
        assert!(can_name(&rep, &[], std::slice::from_ref(&own_account)).is_ok());
        let err = can_name(&rep, &[], &[q.clone(), own_account.clone()]).unwrap_err();
        assert!(err.contains("partner q"), "{err}");
        // An assigned partner and an owned account together are fine.
        let p1 = under_partner(Kind::CallNote, "cam@x", "emea", "p1");
        assert!(can_name(&rep, &[], &[p1.clone(), own_account.clone()]).is_ok());
        // Someone else's account is not the rep's to name, even under an assigned partner.
        let theirs = account_root(Kind::Opportunity, "a2", "rep2@x", None);
        assert!(can_name(&rep, &[], std::slice::from_ref(&theirs)).is_err());
        // What a record named before stays nameable (an author keeps notes after reassignment).
        assert!(can_name(&rep, std::slice::from_ref(&q), std::slice::from_ref(&q)).is_ok());
        // A CAM names the accounts under their partners, whoever owns them.
        let cam = subject(Role::Cam, "cam@x");
        let under_cams = account_root(Kind::CallNote, "a2", "rep2@x", Some(("p1", "cam@x")));
        assert!(can_name(&cam, &[], &[under_cams, p1]).is_ok());
        assert!(can_name(
            &cam,
            &[],
            &[under_partner(Kind::Account, "o@x", "emea", "p7")]
        )
        .is_err());
        // A manager names what is in their region; an admin names anything.
        let manager = subject(Role::Manager, "m@x");
        assert!(can_name(&manager, &[], std::slice::from_ref(&q)).is_ok());
        let apac = Scope {
            partner_region: Some("apac".into()),
            ..q.clone()
        };
        assert!(can_name(&manager, &[], std::slice::from_ref(&apac)).is_err());
        assert!(can_name(&subject(Role::Admin, "a@x"), &[], &[apac]).is_ok());
    }
}
