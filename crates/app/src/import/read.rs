//! Reading a file as a table: CSV in its encodings and delimiters, spreadsheets within their limits, and which field each column holds.

use super::*;

/// A file read into rows of text: the header and the data rows.
pub struct Table {
    pub headers: Vec<String>,
    rows: Rows,
    /// Data rows, counted before reading (CSV: by lines, so an estimate when a
    /// field holds a line break).
    pub estimated_rows: i64,
}

enum Rows {
    Csv(Box<csv::Reader<std::io::Cursor<Vec<u8>>>>),
    Sheet(std::vec::IntoIter<Vec<String>>),
}

impl Table {
    /// Reads a CSV (UTF-8 with or without a byte order mark, or UTF-16 with one;
    /// comma, semicolon or tab between fields) or a spreadsheet (XLSX, XLS, ODS: its
    /// first sheet).
    pub fn read(bytes: Vec<u8>) -> Result<Table, AppError> {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
            return read_sheet(bytes);
        }
        let text = decode(bytes)?;
        let first_line = text.split(|b| *b == b'\n').next().unwrap_or_default();
        let delimiter = [b',', b';', b'\t']
            .into_iter()
            .max_by_key(|d| first_line.iter().filter(|b| *b == d).count())
            .unwrap_or(b',');
        let lines = text.iter().filter(|b| **b == b'\n').count() as i64;
        let last_open = !text.ends_with(b"\n") && !text.is_empty();
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .has_headers(false)
            .from_reader(std::io::Cursor::new(text));
        let mut header = csv::StringRecord::new();
        match reader.read_record(&mut header) {
            Ok(true) => {}
            Ok(false) => return Err(AppError::bad_file("empty_file", None)),
            Err(_) => return Err(AppError::bad_file("unreadable_row", Some(1))),
        }
        Ok(Table {
            headers: header.iter().map(|h| h.trim().to_string()).collect(),
            rows: Rows::Csv(Box::new(reader)),
            estimated_rows: (lines + i64::from(last_open) - 1).max(0),
        })
    }

    /// The next data row; `Err` for one that cannot be read.
    pub(crate) fn next_row(
        &mut self,
        record: &mut csv::StringRecord,
    ) -> Option<Result<Vec<String>, ()>> {
        match &mut self.rows {
            Rows::Csv(r) => match r.read_record(record) {
                Ok(true) => Some(Ok(record.iter().map(str::to_string).collect())),
                Ok(false) => None,
                Err(_) => Some(Err(())),
            },
            Rows::Sheet(rows) => rows.next().map(Ok),
        }
    }
}

/// The text of a CSV file as UTF-8, or where it is not.
fn decode(bytes: Vec<u8>) -> Result<Vec<u8>, AppError> {
    let utf16 = |le: bool| {
        let units: Vec<u16> = bytes[2..]
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units)
            .map(String::into_bytes)
            .map_err(|_| AppError::bad_file("not_utf8", None))
    };
    let text = if bytes.starts_with(&[0xFF, 0xFE]) {
        utf16(true)?
    } else if bytes.starts_with(&[0xFE, 0xFF]) {
        utf16(false)?
    } else if bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
        bytes[3..].to_vec()
    } else {
        bytes
    };
    if let Err(e) = std::str::from_utf8(&text) {
        let at = e.valid_up_to();
        let row = text[..at].iter().filter(|b| **b == b'\n').count() as i64 + 1;
        return Err(AppError::bad_file("not_utf8", Some(row)));
    }
    Ok(text)
}

/// The most a spreadsheet may unpack to: its sheets are read whole, at several times
/// their unpacked size in memory. (A 694 KB XLSX once unpacked to 204 MB and took
/// 1.9 GB.) Larger registries come as CSV, which is read row by row.
pub const MAX_SHEET_UNPACKED: u64 = 32 << 20;
/// The most rows a spreadsheet may have, for the same reason.
pub const MAX_SHEET_ROWS: usize = 200_000;

/// Refuses a zipped spreadsheet (XLSX, ODS) whose parts unpack to more than
/// [`MAX_SHEET_UNPACKED`], from its directory alone, before anything is unpacked.
fn check_unpacked_size(bytes: &[u8]) -> Result<(), AppError> {
    if !bytes.starts_with(b"PK\x03\x04") {
        return Ok(());
    }
    let bad = || AppError::bad_file("unreadable_spreadsheet", None);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| bad())?;
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip.by_index_raw(i).map_err(|_| bad())?;
        total = total.saturating_add(part.size());
    }
    if total > MAX_SHEET_UNPACKED {
        return Err(AppError::bad_file("sheet_too_large", None));
    }
    // The directory's sizes are the sender's word; the worksheets are unpacked here,
    // no further than the limit, and their cells' addresses read: the reader lays a
    // sheet out from its first cell to its last, so one cell at XFD1048576 would ask
    // for seventeen billion.
    let mut unpacked: u64 = 0;
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).map_err(|_| bad())?;
        let name = part.name().map_err(|_| bad())?.to_string();
        let sheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        let mut text = Vec::new();
        std::io::Read::read_to_end(
            &mut std::io::Read::take(&mut part, MAX_SHEET_UNPACKED - unpacked + 1),
            &mut text,
        )
        .map_err(|_| bad())?;
        unpacked += text.len() as u64;
        if unpacked > MAX_SHEET_UNPACKED {
            return Err(AppError::bad_file("sheet_too_large", None));
        }
        if sheet && !cells_within_limits(&text) {
            return Err(AppError::bad_file("sheet_too_large", None));
        }
    }
    Ok(())
}

/// The most columns a sheet may reach.
const MAX_SHEET_COLUMNS: u64 = 256;

/// Whether every cell address (`<c r="AB12"`) of a worksheet lies within the limits.
fn cells_within_limits(xml: &[u8]) -> bool {
    let mut rest = xml;
    while let Some(at) = find(rest, b"<c r=\"") {
        rest = &rest[at + 6..];
        let (mut col, mut row) = (0u64, 0u64);
        for &b in rest.iter().take_while(|b| **b != b'"') {
            match b {
                b'A'..=b'Z' => {
                    col = col
                        .saturating_mul(26)
                        .saturating_add(u64::from(b - b'A' + 1))
                }
                b'0'..=b'9' => row = row.saturating_mul(10).saturating_add(u64::from(b - b'0')),
                _ => {}
            }
        }
        if col > MAX_SHEET_COLUMNS || row > MAX_SHEET_ROWS as u64 + 1 {
            return false;
        }
    }
    true
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn read_sheet(bytes: Vec<u8>) -> Result<Table, AppError> {
    use calamine::{Data, Reader};
    check_unpacked_size(&bytes)?;
    let bad = || AppError::bad_file("unreadable_spreadsheet", None);
    let mut book =
        calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(|_| bad())?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        _ => return Err(bad()),
    };
    let cell = |d: &Data| -> String {
        match d {
            Data::Empty => String::new(),
            Data::String(s) => s.clone(),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
            Data::Float(f) => f.to_string(),
            Data::Int(i) => i.to_string(),
            Data::Bool(b) => b.to_string(),
            Data::DateTime(t) => excel_date(t.as_f64()),
            Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
            Data::DurationIso(s) => s.clone(),
            Data::Error(_) => "#ERROR".into(),
        }
    };
    if range.height() > MAX_SHEET_ROWS + 1 {
        return Err(AppError::bad_file("sheet_too_large", None));
    }
    let mut rows = range.rows().map(|r| r.iter().map(cell).collect::<Vec<_>>());
    let headers: Vec<String> = match rows.next() {
        Some(h) => h.into_iter().map(|h| h.trim().to_string()).collect(),
        None => return Err(AppError::bad_file("empty_file", None)),
    };
    let rows: Vec<Vec<String>> = rows.collect();
    Ok(Table {
        headers,
        estimated_rows: rows.len() as i64,
        rows: Rows::Sheet(rows.into_iter()),
    })
}

/// An Excel serial day (1 is 1900-01-01, with Excel's phantom 1900-02-29) as ISO.
fn excel_date(serial: f64) -> String {
    // Excel's dates end on 9999-12-31, day 2958465; what lies outside is no date, and
    // stays a number for the check to refuse.
    if !(1.0..=2_958_465.0).contains(&serial) {
        return serial.to_string();
    }
    // Day 25569 is 1970-01-01.
    Date::from_days(serial.floor() as i64 - 25569).to_string()
}

/// The fields of each column: as mapped, or from the headers (their field names, or
/// one of the `aliases`).
pub fn mapping_of(
    headers: &[String],
    mapping: Option<&[Option<Field>]>,
    aliases: &[(String, Field)],
) -> Vec<Option<Field>> {
    match mapping {
        Some(m) => (0..headers.len())
            .map(|i| m.get(i).copied().flatten())
            .collect(),
        None => headers
            .iter()
            .map(|h| {
                Field::of_header(h).or_else(|| {
                    let h = header_key(h);
                    aliases.iter().find(|(a, _)| *a == h).map(|(_, f)| *f)
                })
            })
            .collect(),
    }
}

/// How a run read its file, as its record keeps it (and tells a rerun of the same file
/// with the same options): `calendar|date order|field of each column`.
pub(super) fn options_key(
    calendar: Calendar,
    order: DateOrder,
    columns: &[Option<Field>],
) -> String {
    let fields: Vec<&str> = columns
        .iter()
        .map(|f| f.map_or("-", Field::as_str))
        .collect();
    format!(
        "{}|{}|{}",
        calendar.as_str(),
        order.as_str(),
        fields.join(",")
    )
}

/// The calendar, date order and column fields of an `options_key`.
pub(super) fn read_options_key(key: &str) -> (String, String, Vec<Option<String>>) {
    let mut parts = key.splitn(3, '|');
    let calendar = parts.next().unwrap_or("").to_string();
    let order = parts.next().unwrap_or("").to_string();
    let columns = parts
        .next()
        .unwrap_or("")
        .split(',')
        .map(|f| (f != "-").then(|| f.to_string()))
        .collect();
    (calendar, order, columns)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_date_cells_and_what_is_not_a_date() {
        assert_eq!(excel_date(45292.0), "2024-01-01");
        assert_eq!(excel_date(45292.75), "2024-01-01");
        assert!(Date::parse_iso(&excel_date(1e300)).is_err());
        assert!(Date::parse_iso(&excel_date(-3.0)).is_err());
    }

    #[test]
    fn headers_by_name_whatever_their_case_and_spacing() {
        let headers: Vec<String> = [
            "Full Name",
            "UNIT-CODE",
            "\u{FEFF}external_id",
            "Họ và tên",
            "notes",
        ]
        .iter()
        .map(|h| h.to_string())
        .collect();
        let aliases = vec![("họ và tên".to_string(), Field::FullName)];
        assert_eq!(
            mapping_of(&headers, None, &aliases),
            vec![
                Some(Field::FullName),
                Some(Field::UnitCode),
                Some(Field::ExternalId),
                Some(Field::FullName),
                None
            ]
        );
    }
}
