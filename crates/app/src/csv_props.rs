//! Property tests of the file reader: no bytes make it panic, and a table written as
//! CSV (any delimiter it guesses, quotes, line breaks in fields, a byte order mark, or
//! UTF-16) reads back cell for cell.

use crate::import::Table;
use proptest::prelude::*;

fn rows_of(mut table: Table) -> Vec<Vec<String>> {
    let mut record = csv::StringRecord::new();
    let mut rows = Vec::new();
    while let Some(row) = table.next_row(&mut record) {
        rows.push(row.expect("a row the writer wrote reads"));
    }
    rows
}

fn cell() -> impl Strategy<Value = String> {
    // Names in four scripts, with the characters that need quoting.
    "[a-zA-Z0-9 ,;\"'\\nàăđêươ۰-۹آ-ی‌अ-ह्ािीुे]{0,12}"
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn no_bytes_make_the_reader_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(t) = Table::read(bytes) {
            let mut record = csv::StringRecord::new();
            let mut t = t;
            while t.next_row(&mut record).is_some() {}
        }
    }

    #[test]
    fn a_written_table_reads_back(
        header in proptest::collection::vec("[a-z_]{1,10}", 1..6),
        body in proptest::collection::vec(proptest::collection::vec(cell(), 1..6), 0..12),
        bom in any::<bool>(),
        utf16 in any::<bool>(),
    ) {
        let width = header.len();
        let body: Vec<Vec<String>> = body
            .into_iter()
            .map(|mut r| { r.resize(width, String::new()); r })
            // A row of one empty cell is an empty line, which CSV does not keep.
            .filter(|r| !(width == 1 && r[0].is_empty()))
            .collect();
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(&header).unwrap();
        for r in &body {
            w.write_record(r).unwrap();
        }
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let bytes = if utf16 {
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
            b
        } else if bom {
            [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat()
        } else {
            text.into_bytes()
        };
        let table = Table::read(bytes).unwrap();
        prop_assert_eq!(&table.headers, &header);
        prop_assert_eq!(rows_of(table), body);
    }
}
