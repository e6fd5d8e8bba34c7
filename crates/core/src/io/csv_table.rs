//! Reading a CSV file into a header and records, each with the line it starts on.
//!
//! What makes a whole file unreadable (not UTF-8, empty, a broken header) is an error; what is
//! wrong with one record (a quote never closed, the wrong number of fields) is kept on the
//! record, so every bad row can be reported at once.

use crate::error::{CoreError, Result};

/// One data record of the file.
pub(crate) struct Record {
    /// 1-based line where the record starts (the header is line 1).
    pub line: u64,
    pub cells: Vec<String>,
    /// Why the record cannot be read as a row, if it cannot.
    pub problem: Option<String>,
}

pub(crate) struct Table {
    pub headers: Vec<String>,
    /// Data records, without the lines that hold nothing but empty cells.
    pub records: Vec<Record>,
}

const UTF8_BOM: char = '\u{feff}';

/// Parses `data` as UTF-8 CSV with a header row; a leading byte order mark is skipped. The
/// delimiter is a comma, or the semicolon or tab the header row uses instead (spreadsheets in
/// many locales save "CSV" with semicolons).
pub(crate) fn read_table(data: &[u8]) -> Result<Table> {
    if data.starts_with(&[0xff, 0xfe]) || data.starts_with(&[0xfe, 0xff]) {
        return Err(CoreError::Csv(
            "the file is UTF-16 text; save it as \"CSV UTF-8\" and import it again".into(),
        ));
    }
    let text = std::str::from_utf8(data).map_err(|e| {
        let at = e.valid_up_to();
        let line = 1 + data[..at].iter().filter(|b| **b == b'\n').count();
        CoreError::Csv(format!(
            "the file is not UTF-8 text (line {line} has a byte that is not UTF-8, at byte \
             offset {at}); save it as \"CSV UTF-8\" and import it again"
        ))
    })?;
    let text = text.strip_prefix(UTF8_BOM).unwrap_or(text);
    if text.trim().is_empty() {
        return Err(CoreError::Csv(
            "the file is empty; it needs a header row naming its columns".into(),
        ));
    }

    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut raw = csv::StringRecord::new();
    let mut headers: Option<Vec<String>> = None;
    let mut records = Vec::new();
    // Lines are counted here from byte offsets: the csv crate counts lines wrongly in files
    // with CRLF line ends.
    let mut lines = LineCounter::default();
    while reader.read_record(&mut raw).map_err(unreadable)? {
        let bytes = text.as_bytes();
        let mut start = (raw.position().map_or(0, |p| p.byte()) as usize).min(bytes.len());
        // After a CRLF the reported start is the LF; skipped blank lines come before it too.
        while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        let end = (reader.position().byte() as usize).clamp(start, bytes.len());
        let line = lines.line_at(bytes, start);
        let unclosed_quote = bytes[start..end].iter().filter(|b| **b == b'"').count() % 2 == 1;
        let cells: Vec<String> = raw.iter().map(str::to_string).collect();

        let Some(header) = &headers else {
            if unclosed_quote {
                return Err(CoreError::Csv(format!(
                    "the header row (line {line}) has a quote that is never closed"
                )));
            }
            headers = Some(cells.iter().map(|h| h.trim().to_string()).collect());
            continue;
        };
        if cells.iter().all(|c| c.trim().is_empty()) && !unclosed_quote {
            continue;
        }
        let problem = if unclosed_quote {
            Some(
                "a quoted field that starts on this line is never closed, so the rest of \
                 the file runs into it; close the quote (write \"\" for a quote inside a \
                 quoted field)"
                    .to_string(),
            )
        } else if cells.len() != header.len() {
            Some(format!(
                "the row has {} fields but the header has {}; check for a missing or extra \
                 comma, or a comma inside an unquoted value",
                cells.len(),
                header.len()
            ))
        } else {
            None
        };
        records.push(Record {
            line,
            cells,
            problem,
        });
    }
    let headers = headers.ok_or_else(|| {
        CoreError::Csv("the file is empty; it needs a header row naming its columns".into())
    })?;
    Ok(Table { headers, records })
}

/// The 1-based line of byte offsets, asked in increasing order.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    newlines: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], offset: usize) -> u64 {
        let newlines = bytes[self.offset..offset]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        self.newlines += newlines as u64;
        self.offset = offset;
        self.newlines + 1
    }
}

/// The delimiter the first line uses most: comma, semicolon or tab (a comma on a tie).
fn delimiter(text: &str) -> u8 {
    let first_line = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |d: u8| first_line.bytes().filter(|b| *b == d).count();
    [b';', b'\t'].into_iter().fold(
        b',',
        |best, d| if count(d) > count(best) { d } else { best },
    )
}

fn unreadable(e: csv::Error) -> CoreError {
    let at = e
        .position()
        .map(|p| format!(" at line {}", p.line()))
        .unwrap_or_default();
    CoreError::Csv(format!("the file cannot be read as CSV{at}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_byte_order_mark_is_not_part_of_the_first_header() {
        let t = read_table("\u{feff}Name,Track\nAcme,Open\n".as_bytes()).unwrap();
        assert_eq!(t.headers, ["Name", "Track"]);
    }

    #[test]
    fn records_know_their_starting_line_across_quoted_newlines() {
        let t = read_table(b"a,b\n1,\"two\nlines\"\n3,x\n").unwrap();
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4]);
    }

    #[test]
    fn crlf_inside_a_quoted_field_counts_as_a_line() {
        let t = read_table(b"a,b\r\n1,\"two\r\nlines\"\r\n3,x\r\n").unwrap();
        let lines: Vec<u64> = t.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, [2, 4]);
    }

    #[test]
    fn rows_of_empty_cells_are_skipped() {
        let t = read_table(b"a,b\n,\n1,2\n , \n").unwrap();
        assert_eq!(t.records.len(), 1);
        assert_eq!(t.records[0].line, 3);
    }

    #[test]
    fn an_unclosed_quote_is_a_problem_of_the_row_where_it_opens() {
        let t = read_table(b"a,b\n1,2\n3,\"oops\n5,6\n").unwrap();
        assert_eq!(t.records.len(), 2);
        assert!(t.records[0].problem.is_none());
        assert_eq!(t.records[1].line, 3);
        assert!(t.records[1]
            .problem
            .as_deref()
            .unwrap()
            .contains("never closed"));
    }

    #[test]
    fn escaped_quotes_are_balanced() {
        let t = read_table(b"a,b\n\"say \"\"hi\"\"\",2\n").unwrap();
        assert!(t.records[0].problem.is_none());
        assert_eq!(t.records[0].cells[0], "say \"hi\"");
    }

    #[test]
    fn a_short_row_is_a_problem_not_an_error() {
        let t = read_table(b"a,b,c\n1,2\n").unwrap();
        assert!(t.records[0]
            .problem
            .as_deref()
            .unwrap()
            .contains("2 fields"));
    }

    #[test]
    fn semicolons_or_tabs_delimit_when_the_header_uses_them() {
        let t = read_table("Name;Types\nAcme;\"VAR/VAD; DMR\"\n".as_bytes()).unwrap();
        assert_eq!(t.headers, ["Name", "Types"]);
        assert_eq!(t.records[0].cells, ["Acme", "VAR/VAD; DMR"]);
        let t = read_table(b"Name\tTrack\nAcme\tOpen\n").unwrap();
        assert_eq!(t.records[0].cells, ["Acme", "Open"]);
        let t = read_table(b"Name,Notes\nAcme,\"a; b; c\"\n").unwrap();
        assert_eq!(t.records[0].cells, ["Acme", "a; b; c"], "commas by default");
    }

    #[test]
    fn unreadable_files_say_why() {
        let utf16 = read_table(b"\xff\xfeN\x00").err().unwrap().to_string();
        assert!(utf16.contains("UTF-16"), "{utf16}");
        let not_utf8 = read_table(b"a,b\n1,\xff\n").err().unwrap().to_string();
        assert!(
            not_utf8.contains("not UTF-8") && not_utf8.contains("line 2"),
            "{not_utf8}"
        );
        let empty = read_table(b"\xef\xbb\xbf \n").err().unwrap().to_string();
        assert!(empty.contains("empty"), "{empty}");
    }
}
