//! Rendering results: aligned tables for people, JSON for scripts, CSV for spreadsheets.
//!
//! Everything is rendered from the record's JSON form (vendor field names, exact decimals as
//! strings, RFC 3339 dates, unknown fields kept), so the three formats always agree and a field
//! the service adds shows up without a code change.

use serde::Serialize;
use serde_json::{Map, Value};
use std::io::{self, Write};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Json,
    Csv,
}

/// Prints one record: a field/value table, the JSON object, or a one-row CSV. Fields come in
/// the order of `columns`, then the rest by name.
pub fn record<T: Serialize>(value: &T, columns: &[&str], format: Format) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if format == Format::Json {
        return write_json(&mut out, value);
    }
    let object = as_object(&to_json(value)?);
    match format {
        Format::Csv => write_csv(&mut out, std::slice::from_ref(&object), columns),
        _ => {
            let rows: Vec<Vec<String>> = ordered_keys(std::slice::from_ref(&object), columns)
                .into_iter()
                .map(|key| {
                    vec![
                        key.to_owned(),
                        object.get(key).map(cell).unwrap_or_default(),
                    ]
                })
                .collect();
            write_table(&mut out, None, &rows)
        }
    }
}

/// Prints the list found under `key` of a list response: a table of `columns` (plus nothing
/// else), the whole response as JSON, or every field of every item as CSV.
pub fn list<T: Serialize>(
    whole: &T,
    key: &str,
    columns: &[&str],
    format: Format,
) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if format == Format::Json {
        return write_json(&mut out, whole);
    }
    let json = to_json(whole)?;
    let items: Vec<Map<String, Value>> = json
        .get(key)
        .and_then(Value::as_array)
        .map(|items| items.iter().map(as_object).collect())
        .unwrap_or_default();
    rows(&mut out, &items, columns, format)
}

/// Prints plain rows (already JSON objects) in the chosen format; JSON prints them as an array.
pub fn objects(items: &[Map<String, Value>], columns: &[&str], format: Format) -> io::Result<()> {
    let mut out = io::stdout().lock();
    if format == Format::Json {
        let keys = ordered_keys(items, columns);
        let ordered: Vec<Ordered<'_>> = items
            .iter()
            .map(|item| Ordered { item, keys: &keys })
            .collect();
        return write_json(&mut out, &ordered);
    }
    rows(&mut out, items, columns, format)
}

/// A result-less operation: a confirmation line for people, `null` for JSON, nothing for CSV.
pub fn done(message: &str, format: Format) -> io::Result<()> {
    let mut out = io::stdout().lock();
    match format {
        Format::Table => writeln!(out, "{message}"),
        Format::Json => writeln!(out, "null"),
        Format::Csv => Ok(()),
    }
}

/// Pretty JSON on stdout.
pub fn json(value: &Value) -> io::Result<()> {
    write_json(&mut io::stdout().lock(), value)
}

fn rows(
    out: &mut impl Write,
    items: &[Map<String, Value>],
    columns: &[&str],
    format: Format,
) -> io::Result<()> {
    match format {
        Format::Csv => write_csv(out, items, columns),
        _ => {
            let headers: Vec<String> = columns.iter().map(|c| (*c).to_owned()).collect();
            let cells: Vec<Vec<String>> = items
                .iter()
                .map(|item| {
                    columns
                        .iter()
                        .map(|c| item.get(*c).map(cell).unwrap_or_default())
                        .collect()
                })
                .collect();
            if cells.is_empty() {
                return writeln!(out, "(none)");
            }
            write_table(out, Some(&headers), &cells)
        }
    }
}

/// A JSON object written with its keys in a chosen order.
struct Ordered<'a> {
    item: &'a Map<String, Value>,
    keys: &'a [&'a str],
}

impl Serialize for Ordered<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for key in self.keys {
            if let Some(value) = self.item.get(*key) {
                map.serialize_entry(key, value)?;
            }
        }
        map.end()
    }
}

pub fn to_json<T: Serialize>(value: &T) -> io::Result<Value> {
    serde_json::to_value(value).map_err(io::Error::other)
}

fn as_object(value: &Value) -> Map<String, Value> {
    match value {
        Value::Object(map) => map.clone(),
        other => {
            let mut map = Map::new();
            map.insert("value".to_owned(), other.clone());
            map
        }
    }
}

/// Serialized directly, so records keep their field order (a `Value` map would sort it).
fn write_json<T: Serialize + ?Sized>(out: &mut impl Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(io::Error::other)?;
    writeln!(out)
}

/// Text of one value in a table or CSV cell.
pub fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(text) => text.clone(),
        Value::Bool(flag) => flag.to_string(),
        Value::Number(number) => number.to_string(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(","),
        Value::Object(_) => value.to_string(),
    }
}

/// `preferred` keys present in any item, then every other key by name.
fn ordered_keys<'a>(items: &'a [Map<String, Value>], preferred: &[&'a str]) -> Vec<&'a str> {
    let mut keys: Vec<&str> = preferred
        .iter()
        .copied()
        .filter(|key| items.iter().any(|item| item.contains_key(*key)))
        .collect();
    let mut rest: Vec<&str> = items
        .iter()
        .flat_map(|item| item.keys().map(String::as_str))
        .filter(|key| !preferred.contains(key))
        .collect();
    rest.sort_unstable();
    rest.dedup();
    keys.extend(rest);
    keys
}

/// Every field of every item: `preferred` columns first, then the rest by name.
fn write_csv(
    out: &mut impl Write,
    items: &[Map<String, Value>],
    preferred: &[&str],
) -> io::Result<()> {
    let headers = ordered_keys(items, preferred);
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(&headers).map_err(io::Error::other)?;
    for item in items {
        let row: Vec<String> = headers
            .iter()
            .map(|h| item.get(*h).map(cell).unwrap_or_default())
            .collect();
        writer.write_record(&row).map_err(io::Error::other)?;
    }
    writer.flush()
}

/// Columns separated by two spaces; numeric columns right-aligned.
pub fn write_table(
    out: &mut impl Write,
    headers: Option<&[String]>,
    rows: &[Vec<String>],
) -> io::Result<()> {
    let columns = rows
        .iter()
        .map(Vec::len)
        .chain(headers.map(<[String]>::len))
        .max()
        .unwrap_or(0);
    let mut widths = vec![0usize; columns];
    let mut numeric = vec![true; columns];
    for row in rows {
        for (i, text) in row.iter().enumerate() {
            widths[i] = widths[i].max(text.chars().count());
            numeric[i] &= text.is_empty() || is_number(text);
        }
    }
    if let Some(headers) = headers {
        for (i, text) in headers.iter().enumerate() {
            widths[i] = widths[i].max(text.chars().count());
        }
        write_row(out, headers, &widths, &vec![false; columns])?;
    } else {
        // A field/value listing: the field column reads best left-aligned.
        if let Some(first) = numeric.first_mut() {
            *first = false;
        }
    }
    for row in rows {
        write_row(out, row, &widths, &numeric)?;
    }
    Ok(())
}

fn write_row(
    out: &mut impl Write,
    row: &[String],
    widths: &[usize],
    right: &[bool],
) -> io::Result<()> {
    let mut line = String::new();
    for (i, text) in row.iter().enumerate() {
        if i > 0 {
            line.push_str("  ");
        }
        let pad = widths[i].saturating_sub(text.chars().count());
        if right[i] {
            line.extend(std::iter::repeat_n(' ', pad));
            line.push_str(text);
        } else {
            line.push_str(text);
            line.extend(std::iter::repeat_n(' ', pad));
        }
    }
    writeln!(out, "{}", line.trim_end())
}

fn is_number(text: &str) -> bool {
    let digits = text.strip_prefix('-').unwrap_or(text);
    !digits.is_empty()
        && digits.chars().filter(|c| *c == '.').count() <= 1
        && digits.chars().all(|c| c.is_ascii_digit() || c == '.')
        && digits.chars().any(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_and_right_align_numbers() {
        let mut out = Vec::new();
        let headers = vec!["Id".to_owned(), "Name".to_owned(), "Amount".to_owned()];
        let rows = vec![
            vec!["7".to_owned(), "Acme".to_owned(), "5.00".to_owned()],
            vec![
                "1042".to_owned(),
                "Globex Corp".to_owned(),
                "125.50".to_owned(),
            ],
        ];
        write_table(&mut out, Some(&headers), &rows).unwrap_or(());
        let text = String::from_utf8(out).unwrap_or_default();
        assert_eq!(
            text,
            "Id    Name         Amount\n   7  Acme           5.00\n1042  Globex Corp  125.50\n"
        );
    }

    #[test]
    fn cells_render_every_json_shape() {
        let value = serde_json::json!([1, "a", null, true, {"k": 2}]);
        assert_eq!(cell(&value), "1,a,,true,{\"k\":2}");
        assert!(is_number("-12.50") && !is_number("1.2.3") && !is_number("+44") && !is_number("."));
    }
}
