//! Full-text search over partners, call notes, business plans and next steps.
//!
//! Whatever a person types is turned into a safe FTS5 query by [`to_match_query`]: words are
//! quoted (so `AND`, `*`, `(`, `:` are just text), a closed `"…"` is a phrase, a word after a
//! space-led `-` is excluded, and the last word matches as a prefix while typing. The result
//! is hits or an empty list, never a syntax error.

use serde::Serialize;

use super::Reader;
use crate::error::Result;

const HIT_START: char = '\u{2}';
const HIT_END: char = '\u{3}';

/// What kind of record a hit is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Partner,
    Note,
    Plan,
    NextStep,
}

/// A piece of a snippet; `hit` pieces are the matched words, to highlight.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Fragment {
    pub text: String,
    pub hit: bool,
}

/// One search result.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SearchHit {
    pub kind: HitKind,
    pub id: String,
    pub title: String,
    pub snippet: Vec<Fragment>,
    /// The partner the record belongs to, when it has one (for navigation).
    pub partner_id: Option<String>,
    /// Lower is better (bm25).
    pub score: f64,
}

impl SearchHit {
    /// The snippet as plain text with hits wrapped in `open` … `close`.
    pub fn snippet_marked(&self, open: &str, close: &str) -> String {
        self.snippet
            .iter()
            .map(|f| {
                if f.hit {
                    format!("{open}{}{close}", f.text)
                } else {
                    f.text.clone()
                }
            })
            .collect()
    }
}

/// Turns typed text into an FTS5 query that cannot be a syntax error; None when there is
/// nothing to search for.
pub fn to_match_query(input: &str) -> Option<String> {
    let mut include: Vec<String> = Vec::new();
    let mut exclude: Vec<String> = Vec::new();
    let mut rest = input;
    while let Some(start) = rest.find(|c: char| !c.is_whitespace()) {
        rest = &rest[start..];
        let negated = rest.starts_with('-');
        let body = if negated { &rest[1..] } else { rest };
        let (phrase_text, consumed) = if let Some(inner) = body.strip_prefix('"') {
            match inner.find('"') {
                Some(end) => (&inner[..end], end + 2),
                None => (inner, inner.len() + 1),
            }
        } else {
            let end = body.find(char::is_whitespace).unwrap_or(body.len());
            (&body[..end], end)
        };
        let words: Vec<&str> = phrase_text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        if !words.is_empty() {
            let term = format!("\"{}\"", words.join(" "));
            if negated {
                exclude.push(term);
            } else {
                include.push(term);
            }
        }
        rest = &body[consumed.min(body.len())..];
    }
    if include.is_empty() {
        return None;
    }
    // Prefix-match the last word while the person is still typing it.
    let still_typing = !input.ends_with(char::is_whitespace) && !input.trim_end().ends_with('"');
    if still_typing {
        if let Some(last) = include.last_mut() {
            if !last.contains(' ') {
                last.push('*');
            }
        }
    }
    let mut query = include.join(" ");
    for term in exclude {
        query = format!("({query}) NOT {term}");
    }
    Some(query)
}

fn fragments(snippet: &str) -> Vec<Fragment> {
    let mut out = Vec::new();
    let mut hit = false;
    let mut current = String::new();
    for c in snippet.chars() {
        if c == HIT_START || c == HIT_END {
            if !current.is_empty() {
                out.push(Fragment {
                    text: std::mem::take(&mut current),
                    hit,
                });
            }
            hit = c == HIT_START;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        out.push(Fragment { text: current, hit });
    }
    out
}

impl Reader<'_> {
    /// Searches everything, best matches first, at most `limit` hits.
    pub fn search(&self, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let Some(query) = to_match_query(input) else {
            return Ok(Vec::new());
        };
        let limit = limit.clamp(1, 200) as i64;
        let snip = |table: &str| format!("snippet({table}, -1, char(2), char(3), '…', 12)");
        let sql = format!(
            "SELECT * FROM (
               SELECT 'partner', p.id, p.name, {sp}, p.id, bm25(partners_fts, 10.0, 2.0, 1.0) AS score
                 FROM partners_fts JOIN partners p ON p.seq = partners_fts.rowid
                WHERE partners_fts MATCH ?1 ORDER BY score LIMIT ?2)
             UNION ALL SELECT * FROM (
               SELECT 'note', n.id, n.title, {sn}, n.partner_id, bm25(call_notes_fts, 5.0, 1.0) AS score
                 FROM call_notes_fts JOIN call_notes n ON n.seq = call_notes_fts.rowid
                WHERE call_notes_fts MATCH ?1 ORDER BY score LIMIT ?2)
             UNION ALL SELECT * FROM (
               SELECT 'plan', b.id, 'FY' || b.fiscal_year || ' business plan: ' || p.name, {sb},
                      b.partner_id, bm25(business_plans_fts, 2.0, 1.0) AS score
                 FROM business_plans_fts JOIN business_plans b ON b.seq = business_plans_fts.rowid
                 JOIN partners p ON p.id = b.partner_id
                WHERE business_plans_fts MATCH ?1 ORDER BY score LIMIT ?2)
             UNION ALL SELECT * FROM (
               SELECT 'next_step', s.id, s.description, {ss}, s.partner_id,
                      bm25(next_steps_fts, 3.0, 1.0) AS score
                 FROM next_steps_fts JOIN next_steps s ON s.seq = next_steps_fts.rowid
                WHERE next_steps_fts MATCH ?1 ORDER BY score LIMIT ?2)
             ORDER BY score LIMIT ?2",
            sp = snip("partners_fts"),
            sn = snip("call_notes_fts"),
            sb = snip("business_plans_fts"),
            ss = snip("next_steps_fts"),
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let rows = stmt.query_map((query.as_str(), limit), |r| {
            let kind = match r.get_ref(0)?.as_str()? {
                "partner" => HitKind::Partner,
                "note" => HitKind::Note,
                "plan" => HitKind::Plan,
                _ => HitKind::NextStep,
            };
            Ok(SearchHit {
                kind,
                id: r.get(1)?,
                title: r.get(2)?,
                snippet: fragments(&r.get::<_, String>(3)?),
                partner_id: r.get(4)?,
                score: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_become_plain_words() {
        assert_eq!(to_match_query("acme AND"), Some("\"acme\" \"AND\"*".into()));
        assert_eq!(to_match_query("foo* (bar"), Some("\"foo\" \"bar\"*".into()));
        assert_eq!(
            to_match_query("a:b"),
            Some("\"a b\"".into()),
            "one token, two words"
        );
    }

    #[test]
    fn closed_quotes_make_a_phrase_and_unbalanced_ones_do_not_break() {
        assert_eq!(
            to_match_query("\"pitch deck\" acme "),
            Some("\"pitch deck\" \"acme\"".into())
        );
        assert_eq!(
            to_match_query("\"pitch deck"),
            Some("\"pitch deck\"".into())
        );
    }

    #[test]
    fn a_leading_minus_excludes() {
        assert_eq!(
            to_match_query("acme -lost "),
            Some("(\"acme\") NOT \"lost\"".into())
        );
        assert_eq!(to_match_query("-lost"), None, "nothing to include");
    }

    #[test]
    fn nothing_searchable_is_none() {
        for q in ["", "   ", "***", "()", "\"\"", "-", "AND"] {
            if q == "AND" {
                assert!(to_match_query(q).is_some());
            } else {
                assert_eq!(to_match_query(q), None, "{q:?}");
            }
        }
    }

    #[test]
    fn snippet_markers_split_into_fragments() {
        let f = fragments("the \u{2}pitch\u{3} deck");
        assert_eq!(f.len(), 3);
        assert!(f[1].hit && f[1].text == "pitch");
    }
}
