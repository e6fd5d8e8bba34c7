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
        // Each kind ranks its matches inside FTS5 first (`ORDER BY rank` with the kind's bm25
        // weights) and only its best `limit` rows are joined to their table and get a snippet.
        // Joining and snippeting every match before sorting cost ~10 ms for a word found in
        // a few thousand of 100,000 notes; see docs/benchmarks.md.
        let top = |table: &str, weights: &str| {
            format!(
                "SELECT rowid AS hit, rank AS score,
                        snippet({table}, -1, char(2), char(3), '…', 12) AS snip
                   FROM {table} WHERE {table} MATCH ?1 AND rank MATCH 'bm25({weights})'
                  ORDER BY rank LIMIT ?2"
            )
        };
        let sql = format!(
            "SELECT 'partner', p.id, p.name, t.snip, p.id, t.score AS score
               FROM ({tp}) t JOIN partners p ON p.seq = t.hit
             UNION ALL
             SELECT 'note', n.id, n.title, t.snip, n.partner_id, t.score
               FROM ({tn}) t JOIN call_notes n ON n.seq = t.hit
             UNION ALL
             SELECT 'plan', b.id, 'FY' || b.fiscal_year || ' business plan: ' || p.name, t.snip,
                    b.partner_id, t.score
               FROM ({tb}) t JOIN business_plans b ON b.seq = t.hit
               JOIN partners p ON p.id = b.partner_id
             UNION ALL
             SELECT 'next_step', s.id, s.description, t.snip, s.partner_id, t.score
               FROM ({ts}) t JOIN next_steps s ON s.seq = t.hit
             ORDER BY score LIMIT ?2",
            tp = top("partners_fts", "10.0, 2.0, 1.0"),
            tn = top("call_notes_fts", "5.0, 1.0"),
            tb = top("business_plans_fts", "2.0, 1.0"),
            ts = top("next_steps_fts", "3.0, 1.0"),
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
    use crate::domain::{CallNote, Partner, Region, Track};
    use crate::store::Store;

    #[test]
    fn with_more_matches_than_the_limit_the_best_come_back_in_score_order() {
        let mut store = Store::open_in_memory().unwrap();
        let p = Partner::new("Acme", Track::Open, Region::Emea, "cam");
        let note = |title: &str, body: &str| {
            let mut n = CallNote::new(title, body, "ae");
            n.partner_id = Some(p.id.clone());
            n
        };
        store
            .write(|w| {
                w.put(&p)?;
                for i in 0..40 {
                    w.put(&note(
                        &format!("Sync {i}"),
                        "We talked about kubernetes and more.",
                    ))?;
                }
                w.put(&note("Kubernetes rollout", "Plan agreed."))?;
                w.put(&note("Kubernetes sizing", "Runners."))?;
                Ok(())
            })
            .unwrap();
        let hits = store.read().search("kubernetes", 3).unwrap();
        assert_eq!(hits.len(), 3, "the limit holds with 42 matches");
        let mut titles: Vec<&str> = hits[..2].iter().map(|h| h.title.as_str()).collect();
        titles.sort_unstable();
        assert_eq!(
            titles,
            ["Kubernetes rollout", "Kubernetes sizing"],
            "title matches first"
        );
        assert!(
            hits.windows(2).all(|w| w[0].score <= w[1].score),
            "best (lowest) score first"
        );
        assert!(
            hits.iter().all(|h| h.snippet.iter().any(|f| f.hit)),
            "each hit has its highlighted snippet: {hits:#?}"
        );
    }

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
