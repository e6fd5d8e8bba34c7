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
        // Keep this WHERE identical to the partial index `call_notes_unmarked` (migration 006).
        select(
            self.conn,
            "via_partner = 1 AND instr(title, '(ii)') = 0",
            [],
            &format!("occurred_at DESC, id DESC LIMIT {}", limit.min(10_000)),
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::store::Store;

    #[test]
    fn the_unmarked_notes_query_uses_its_partial_index() {
        let store = Store::open_in_memory().unwrap();
        let plan: Vec<String> = store
            .read()
            .conn
            .prepare(
                "EXPLAIN QUERY PLAN SELECT id FROM call_notes
                 WHERE via_partner = 1 AND instr(title, '(ii)') = 0
                 ORDER BY occurred_at DESC, id DESC LIMIT 50",
            )
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert!(
            plan.iter().any(|step| step.contains("call_notes_unmarked")),
            "a scan of every note would slow each start: {plan:?}"
        );
    }
}
