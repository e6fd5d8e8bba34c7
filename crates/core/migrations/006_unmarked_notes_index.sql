-- The Today view's flag "via-partner notes lacking (ii)" scanned every note (450 ms at 100,000
-- notes, on every start). A partial index holds exactly the candidates, newest first; the
-- expression matches `Reader::via_partner_notes_without_mark`'s WHERE, so SQLite uses it.
CREATE INDEX call_notes_unmarked ON call_notes(occurred_at)
  WHERE via_partner = 1 AND instr(title, '(ii)') = 0;
