//! Reading a bulk CSV file strictly, before anything is sent: every problem (unknown or missing
//! column, a bad number, bytes that are not UTF-8, a short row) is reported with its line number.

use crate::exit::CliError;
use cpaas_reseller::Decimal;
use std::path::Path;
use std::str::FromStr;

/// Problems listed in full before the rest are counted.
const MAX_LISTED: usize = 20;

/// A parsed file: canonical column names and the data rows with their line numbers.
#[derive(Debug)]
pub struct CsvFile {
    pub bytes_hash: u64,
    columns: Vec<&'static str>,
    pub rows: Vec<CsvRow>,
}

/// One data row.
#[derive(Debug)]
pub struct CsvRow {
    /// 1-based position among the data rows.
    pub row: usize,
    /// Line of the file where the row starts (the header is line 1).
    pub line: u64,
    fields: Vec<String>,
}

/// Problems found while reading, with their lines.
#[derive(Debug, Default)]
pub struct Problems(Vec<(u64, String)>);

impl Problems {
    pub fn push(&mut self, line: u64, message: impl std::fmt::Display) {
        self.0.push((line, message.to_string()));
    }

    /// Fails with every problem listed (the first [`MAX_LISTED`]), or passes.
    pub fn into_result(mut self, path: &Path) -> Result<(), CliError> {
        if self.0.is_empty() {
            return Ok(());
        }
        self.0.sort_by_key(|(line, _)| *line);
        let mut text = format!(
            "{}: {} problem(s), nothing was sent:",
            path.display(),
            self.0.len()
        );
        for (line, problem) in self.0.iter().take(MAX_LISTED) {
            text.push_str(&format!("\n  line {line}: {problem}"));
        }
        if self.0.len() > MAX_LISTED {
            text.push_str(&format!("\n  ... and {} more", self.0.len() - MAX_LISTED));
        }
        Err(CliError::Input(text))
    }
}

impl CsvFile {
    /// Reads `path`; `required` and `optional` are the accepted columns (vendor spelling,
    /// matched without regard to case or surrounding spaces). A bad header fails at once; bad
    /// rows are left out and described in the returned problems, so the caller can add its own
    /// and report them all together.
    pub fn read(
        path: &Path,
        required: &[&'static str],
        optional: &[&'static str],
    ) -> Result<(CsvFile, Problems), CliError> {
        let bytes = std::fs::read(path)
            .map_err(|e| CliError::Input(format!("cannot read {}: {e}", path.display())))?;
        Self::parse(path, &bytes, required, optional)
    }

    pub fn parse(
        path: &Path,
        bytes: &[u8],
        required: &[&'static str],
        optional: &[&'static str],
    ) -> Result<(CsvFile, Problems), CliError> {
        let content = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(content);
        let lines = LineIndex::new(content);
        let mut problems = Problems::default();
        let mut records = reader.byte_records();

        let header = match records.next() {
            Some(Ok(header)) => header,
            Some(Err(error)) => {
                return Err(CliError::Input(format!(
                    "{}: {}",
                    path.display(),
                    describe(&error)
                )))
            }
            None => {
                return Err(CliError::Input(format!(
                    "{}: the file is empty",
                    path.display()
                )))
            }
        };
        let header_line = header.position().map_or(1, |p| lines.of(p));
        let mut columns = Vec::new();
        for raw in header.iter() {
            let name = match std::str::from_utf8(raw) {
                Ok(name) => name.trim(),
                Err(_) => {
                    problems.push(
                        header_line,
                        "the header is not valid UTF-8 (save the file as UTF-8)",
                    );
                    ""
                }
            };
            match required
                .iter()
                .chain(optional)
                .find(|known| known.eq_ignore_ascii_case(name))
            {
                Some(known) if columns.contains(known) => {
                    problems.push(header_line, format!("column {known} appears twice"))
                }
                Some(known) => columns.push(*known),
                None => {
                    problems.push(
                        header_line,
                        format!(
                            "unknown column {name:?} (expected {}{}{})",
                            required.join(", "),
                            if optional.is_empty() {
                                ""
                            } else {
                                "; optional "
                            },
                            optional.join(", ")
                        ),
                    );
                    columns.push("");
                }
            }
        }
        for needed in required {
            if !columns.contains(needed) {
                problems.push(header_line, format!("missing column {needed}"));
            }
        }
        problems.into_result(path)?;

        let mut problems = Problems::default();
        let mut rows = Vec::new();
        for record in records {
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    problems.push(
                        error.position().map_or(0, |p| lines.of(p)),
                        describe(&error),
                    );
                    continue;
                }
            };
            let line = record.position().map_or(0, |p| lines.of(p));
            if record.iter().all(|f| f.iter().all(u8::is_ascii_whitespace)) {
                continue;
            }
            if record.len() != columns.len() {
                problems.push(
                    line,
                    format!(
                        "{} field(s), the header has {}",
                        record.len(),
                        columns.len()
                    ),
                );
                continue;
            }
            let mut fields = Vec::with_capacity(record.len());
            for (raw, column) in record.iter().zip(&columns) {
                match std::str::from_utf8(raw) {
                    Ok(text) => fields.push(text.trim().to_owned()),
                    Err(_) => {
                        problems.push(
                            line,
                            format!("column {column} is not valid UTF-8 (save the file as UTF-8)"),
                        );
                        fields.push(String::new());
                    }
                }
            }
            rows.push(CsvRow {
                row: rows.len() + 1,
                line,
                fields,
            });
        }
        if rows.is_empty() && problems.0.is_empty() {
            return Err(CliError::Input(format!(
                "{}: no data rows after the header",
                path.display()
            )));
        }
        Ok((
            CsvFile {
                bytes_hash: fnv1a(bytes),
                columns,
                rows,
            },
            problems,
        ))
    }

    pub fn has_column(&self, name: &str) -> bool {
        self.columns.contains(&name)
    }

    /// A cell, `None` when the column is absent or the cell is empty.
    pub fn get<'a>(&self, row: &'a CsvRow, column: &str) -> Option<&'a str> {
        let at = self.columns.iter().position(|c| *c == column)?;
        row.fields
            .get(at)
            .map(String::as_str)
            .filter(|text| !text.is_empty())
    }
}

/// Line numbers from byte offsets. The csv crate counts neither blank lines in its line
/// numbers nor in where a record starts (its position is where reading began, before any blank
/// lines), so the record's first byte is found here and its line counted.
struct LineIndex<'a> {
    content: &'a [u8],
    breaks: Vec<u64>,
}

impl<'a> LineIndex<'a> {
    fn new(content: &'a [u8]) -> Self {
        let breaks = content
            .iter()
            .enumerate()
            .filter(|(_, b)| **b == b'\n')
            .map(|(at, _)| at as u64)
            .collect();
        Self { content, breaks }
    }

    /// 1-based line of the record whose reading began at `position`.
    fn of(&self, position: &csv::Position) -> u64 {
        let mut start = position.byte();
        while let Some(b'\r' | b'\n') = usize::try_from(start)
            .ok()
            .and_then(|at| self.content.get(at))
        {
            start += 1;
        }
        self.breaks.partition_point(|at| *at < start) as u64 + 1
    }
}

/// Typed cell readers that record a problem and return `None` on failure.
pub struct Cells<'a> {
    pub file: &'a CsvFile,
    pub row: &'a CsvRow,
    pub problems: &'a mut Problems,
}

impl Cells<'_> {
    pub fn text(&self, column: &str) -> Option<String> {
        self.file.get(self.row, column).map(str::to_owned)
    }

    pub fn required_text(&mut self, column: &str) -> Option<String> {
        let value = self.text(column);
        if value.is_none() {
            self.problems
                .push(self.row.line, format!("{column} is empty"));
        }
        value
    }

    pub fn int(&mut self, column: &str) -> Option<i32> {
        let text = self.file.get(self.row, column)?;
        match text.parse::<i32>() {
            Ok(value) => Some(value),
            Err(_) => {
                self.problems.push(
                    self.row.line,
                    format!("{column} {text:?} is not a whole number"),
                );
                None
            }
        }
    }

    pub fn required_int(&mut self, column: &str) -> Option<i32> {
        if self.file.get(self.row, column).is_none() {
            self.problems
                .push(self.row.line, format!("{column} is empty"));
            return None;
        }
        self.int(column)
    }

    pub fn required_decimal(&mut self, column: &str) -> Option<Decimal> {
        let Some(text) = self.file.get(self.row, column) else {
            self.problems
                .push(self.row.line, format!("{column} is empty"));
            return None;
        };
        match Decimal::from_str(text) {
            Ok(value) => Some(value),
            Err(_) => {
                self.problems.push(
                    self.row.line,
                    format!("{column} {text:?} is not a decimal number such as 125.50"),
                );
                None
            }
        }
    }

    pub fn bool(&mut self, column: &str) -> Option<bool> {
        let text = self.file.get(self.row, column)?;
        match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "y" | "1" => Some(true),
            "false" | "no" | "n" | "0" => Some(false),
            _ => {
                self.problems.push(
                    self.row.line,
                    format!("{column} {text:?} is not true or false"),
                );
                None
            }
        }
    }
}

fn describe(error: &csv::Error) -> String {
    match error.kind() {
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8 (save the file as UTF-8)".to_owned(),
        csv::ErrorKind::Io(e) => format!("read error: {e}"),
        _ => error.to_string(),
    }
}

/// FNV-1a, 64 bits: a stable fingerprint of the file for generated references.
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(text: &[u8]) -> Result<CsvFile, String> {
        let path = Path::new("f.csv");
        let (file, problems) = CsvFile::parse(path, text, &["AccountId", "Amount"], &["Reference"])
            .map_err(|e| e.to_string())?;
        problems.into_result(path).map_err(|e| e.to_string())?;
        Ok(file)
    }

    #[test]
    fn reads_rows_with_lines_bom_case_and_blank_lines() {
        let file = parse(b"\xEF\xBB\xBFaccountid, Amount \n1001,5.00\n\n1002,\"7.5\"\n").unwrap();
        assert_eq!(file.rows.len(), 2);
        assert_eq!((file.rows[1].row, file.rows[1].line), (2, 4));
        assert_eq!(file.get(&file.rows[1], "Amount"), Some("7.5"));
        assert_eq!(file.get(&file.rows[1], "Reference"), None);
        assert!(!file.has_column("Reference"));
    }

    #[test]
    fn reports_problems_with_line_numbers() {
        let missing = parse(b"AccountId,Reference\n1,a\n")
            .err()
            .unwrap_or_default();
        assert!(
            missing.contains("line 1: missing column Amount"),
            "{missing}"
        );
        let unknown = parse(b"AccountId,Amount,Amuont\n")
            .err()
            .unwrap_or_default();
        assert!(
            unknown.contains("line 1: unknown column \"Amuont\""),
            "{unknown}"
        );
        let short = parse(b"AccountId,Amount\n1,2\n3\n")
            .err()
            .unwrap_or_default();
        assert!(
            short.contains("line 3: 1 field(s), the header has 2"),
            "{short}"
        );
        let bad_utf8 = parse(b"AccountId,Amount\n1,2\n\xff\xfe,3\n")
            .err()
            .unwrap_or_default();
        assert!(
            bad_utf8.contains("line 3: column AccountId is not valid UTF-8"),
            "{bad_utf8}"
        );
        let empty = parse(b"AccountId,Amount\n").err().unwrap_or_default();
        assert!(empty.contains("no data rows"), "{empty}");
    }
}
