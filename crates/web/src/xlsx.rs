//! One-sheet XLSX workbooks by `rust_xlsxwriter`: a bold, frozen and filtered header,
//! real date and number cells, columns as wide as their text, right to left when asked.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    /// An ISO date (`2024-05-15`), written as a date cell a spreadsheet sorts and
    /// computes with; text that is not a date stays text.
    Date(String),
    Empty,
}

impl Cell {
    /// The cell as CSV text.
    pub fn into_text(self) -> String {
        match self {
            Cell::Text(t) | Cell::Date(t) => t,
            Cell::Number(n) => n.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// Rows of cells as CSV text for this reader: dates in their calendar and digits.
pub fn csv_rows(rows: Vec<Vec<Cell>>, lang: &crate::i18n::Lang) -> Vec<Vec<String>> {
    rows.into_iter()
        .map(|r| {
            r.into_iter()
                .map(|c| match c {
                    Cell::Date(iso) => lang.date(&iso),
                    other => other.into_text(),
                })
                .collect()
        })
        .collect()
}

/// A workbook of one sheet named `sheet` as a download named `file.xlsx`.
pub fn response(
    file: &str,
    sheet: &str,
    rows: &[Vec<Cell>],
    right_to_left: bool,
) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                crate::pages::attachment(file, "xlsx"),
            ),
        ],
        workbook(sheet, rows, right_to_left),
    )
        .into_response()
}

/// Widest a column grows to fit its text, in characters.
const MAX_WIDTH: u16 = 60;

/// A workbook of one sheet named `sheet`, whose first row is a header.
pub fn workbook(sheet: &str, rows: &[Vec<Cell>], right_to_left: bool) -> Vec<u8> {
    match build(sheet, rows, right_to_left) {
        Ok(bytes) => bytes,
        // Every value is checked on the way in (a sheet name is cleaned, a date parsed
        // before it is written), so this is a bug, not bad input: log it and answer an
        // empty file rather than none.
        Err(e) => {
            tracing::error!(error = %e, "workbook not written");
            Vec::new()
        }
    }
}

fn build(sheet: &str, rows: &[Vec<Cell>], right_to_left: bool) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(sheet))?;
    if right_to_left {
        ws.set_right_to_left(true);
    }
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let mut widths: Vec<usize> = Vec::new();
    for (r, row) in rows.iter().enumerate() {
        let at = r as u32;
        for (c, cell) in row.iter().enumerate() {
            let col = c as u16;
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            let shown = match cell {
                Cell::Text(t) => {
                    let t = clean(t);
                    if r == 0 {
                        ws.write_string_with_format(at, col, &t, &bold)?;
                    } else {
                        ws.write_string(at, col, &t)?;
                    }
                    t.chars().count()
                }
                Cell::Number(n) if n.is_finite() => {
                    ws.write_number(at, col, *n)?;
                    n.to_string().len()
                }
                Cell::Date(iso) => match excel_date(iso) {
                    Some(d) => {
                        ws.write_datetime_with_format(at, col, &d, &day)?;
                        10
                    }
                    None => {
                        ws.write_string(at, col, clean(iso))?;
                        iso.chars().count()
                    }
                },
                _ => 0,
            };
            widths[c] = widths[c].max(shown);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let w = (*w as u16 + 2).clamp(6, MAX_WIDTH);
        ws.set_column_width(c as u16, w)?;
    }
    if !rows.is_empty() {
        ws.set_freeze_panes(1, 0)?;
        let last_col = widths.len().saturating_sub(1) as u16;
        ws.autofilter(0, 0, (rows.len() - 1) as u32, last_col)?;
    }
    book.save_to_buffer()
}

/// A name a spreadsheet accepts for a sheet: at most 31 characters, none of `[]:*?/\`,
/// not starting or ending with an apostrophe, never empty.
fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control())
        .take(31)
        .collect();
    let cleaned = cleaned.trim_matches('\'').trim().to_string();
    if cleaned.is_empty() {
        "Sheet1".into()
    } else {
        cleaned
    }
}

/// Text without the control characters XML 1.0 cannot hold.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|c| matches!(c, '\t' | '\n' | '\r') || !c.is_control())
        .collect()
}

fn excel_date(iso: &str) -> Option<ExcelDateTime> {
    let d = muster_domain::Date::parse_iso(iso).ok()?;
    ExcelDateTime::from_ymd(u16::try_from(d.year()).ok()?, d.month(), d.day()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sheet_names_a_spreadsheet_accepts() {
        assert_eq!(sheet_name("a/b:c"), "abc");
        assert_eq!(sheet_name("''"), "Sheet1");
        assert_eq!(sheet_name(&"x".repeat(40)).len(), 31);
        assert_eq!(clean("a\u{1}b\tc"), "ab\tc");
        assert!(excel_date("2024-05-15").is_some());
        assert!(excel_date("15/05/2024").is_none());
    }
}
