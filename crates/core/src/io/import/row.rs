//! One row being imported: its cells by field, and the errors found in it.

use super::RowError;
use crate::error::CoreError;
use crate::io::headers::Columns;

pub(super) struct RowCtx<'a> {
    pub line: u64,
    cells: &'a [String],
    columns: &'a Columns,
    errors: Vec<RowError>,
}

impl<'a> RowCtx<'a> {
    pub fn new(line: u64, cells: &'a [String], columns: &'a Columns) -> Self {
        RowCtx {
            line,
            cells,
            columns,
            errors: Vec::new(),
        }
    }

    /// The trimmed cell of `field`; None when the file has no such column or the cell is empty
    /// (an empty cell means "not given").
    pub fn get(&self, field: &str) -> Option<&'a str> {
        let cell = self.cells.get(self.columns.position(field)?)?.trim();
        (!cell.is_empty()).then_some(cell)
    }

    pub fn has_column(&self, field: &str) -> bool {
        self.columns.position(field).is_some()
    }

    /// The cell of a field every row must fill.
    pub fn require(&mut self, field: &str) -> Option<&'a str> {
        let cell = self.get(field);
        if cell.is_none() {
            self.fail(field, "must not be empty");
        }
        cell
    }

    /// The cell of `field` parsed with `parse`; None when empty, or when it does not parse
    /// (then the error is recorded).
    pub fn parse<T, E: Into<CoreError>>(
        &mut self,
        field: &str,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let cell = self.get(field)?;
        match parse(cell) {
            Ok(value) => Some(value),
            Err(e) => {
                self.fail(field, message_of(e.into()));
                None
            }
        }
    }

    /// Records a problem with the cell of `field`.
    pub fn fail(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(RowError {
            line: self.line,
            column: self.columns.header_of(field).map(str::to_string),
            message: message.into(),
        });
    }

    /// Records a problem with the row as a whole.
    pub fn fail_row(&mut self, message: impl Into<String>) {
        self.errors.push(RowError {
            line: self.line,
            column: None,
            message: message.into(),
        });
    }

    /// Records a record's validation error against the column of the field it names;
    /// `rename` maps record fields to file fields where they differ.
    pub fn invalid_record(&mut self, err: impl Into<CoreError>, rename: &[(&str, &str)]) {
        match err.into() {
            CoreError::Invalid { field, message } => {
                let file_field = rename
                    .iter()
                    .find(|(from, _)| *from == field)
                    .map_or(field.as_str(), |(_, to)| to);
                if self.columns.position(file_field).is_some() {
                    self.fail(file_field, message);
                } else {
                    self.fail_row(format!("{field}: {message}"));
                }
            }
            other => self.fail_row(other.to_string()),
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }

    pub fn into_errors(self) -> Vec<RowError> {
        self.errors
    }
}

/// The message of a validation error without its field (the column says which).
fn message_of(err: CoreError) -> String {
    match err {
        CoreError::Invalid { message, .. } => message,
        other => other.to_string(),
    }
}
