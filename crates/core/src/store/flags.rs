//! Queries behind the flags of the Today view that would otherwise scan every note.

use super::entity::select;
use super::Reader;
use crate::domain::CallNote;
use crate::error::Result;

impl Reader<'_> {
    /// Notes marked via the partner whose title lacks "(ii)", newest first, at most `limit`.
    /// The caller re-checks each with `rules::note_lacks_via_partner_mark`, the rule itself;
    /// this only narrows the candidates in SQL.
    pub fn via_partner_notes_without_mark(&self, limit: usize) -> Result<Vec<CallNote>> {
        select(
            self.conn,
            "via_partner = 1 AND instr(title, '(ii)') = 0",
            [],
            &format!("occurred_at DESC, id DESC LIMIT {}", limit.min(10_000)),
        )
    }
}
