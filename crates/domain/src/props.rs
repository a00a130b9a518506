//! Property tests: what must hold for every input, not only the ones we thought of.
//! Dates round-trip through every calendar, order and set of digits; readers of typed
//! text never panic; folding names is stable.

use crate::calendar::{format, parse, parse_ordered, Calendar, DateOrder, Digits, Order};
use crate::names::{fold, sort_key, tokens};
use crate::search::{person_keys, phone_key, terms};
use crate::Date;
use proptest::prelude::*;

/// Days from 1900-01-01 to 2099-12-31: every date a member's record can hold.
fn date() -> impl Strategy<Value = Date> {
    let first = Date::new(1900, 1, 1).unwrap().to_days();
    let last = Date::new(2099, 12, 31).unwrap().to_days();
    (first..=last).prop_map(Date::from_days)
}

fn calendar() -> impl Strategy<Value = Calendar> {
    prop_oneof![
        Just(Calendar::Gregorian),
        Just(Calendar::Persian),
        Just(Calendar::Indian)
    ]
}

fn digits() -> impl Strategy<Value = Digits> {
    prop_oneof![
        Just(Digits::Latin),
        Just(Digits::Persian),
        Just(Digits::Devanagari)
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn a_date_written_in_any_calendar_reads_back(
        d in date(), cal in calendar(), digits in digits(), year_first in any::<bool>()
    ) {
        let order = if year_first { Order::YearFirst } else { Order::DayFirst };
        let text = format(d, cal, order, digits);
        prop_assert_eq!(parse(&text, cal), Ok(d), "{}", text);
        let file_order = if year_first { DateOrder::Ymd } else { DateOrder::Dmy };
        prop_assert_eq!(parse_ordered(&text, cal, file_order), Ok(d), "{}", text);
    }

    #[test]
    fn iso_dates_read_back_in_every_calendar(d in date(), cal in calendar()) {
        let text = format(d, Calendar::Gregorian, Order::Iso, Digits::Latin);
        prop_assert_eq!(parse(&text, cal), Ok(d));
        prop_assert_eq!(Date::parse_iso(&text), Ok(d));
    }

    #[test]
    fn typed_dates_never_panic(s in "\\PC{0,24}", cal in calendar()) {
        let _ = parse(&s, cal);
        let _ = parse_ordered(&s, cal, DateOrder::Mdy);
        let _ = Date::parse_iso(&s);
    }

    #[test]
    fn dates_of_digits_and_separators_never_panic(
        s in "[0-9۰-۹०-९/.\\-]{0,16}", cal in calendar()
    ) {
        let _ = parse(&s, cal);
        let _ = parse_ordered(&s, cal, DateOrder::Dmy);
    }

    #[test]
    fn folding_a_name_twice_changes_nothing(s in "\\PC{0,40}") {
        let once = fold(&s);
        prop_assert_eq!(fold(&once), once.clone());
        for t in tokens(&s) {
            prop_assert!(!t.is_empty());
        }
        let _ = sort_key(&s);
    }

    #[test]
    fn search_keys_never_panic_and_find_the_number(
        name in "\\PC{0,40}", latin in proptest::option::of("[A-Za-z ]{0,20}"),
        phone in proptest::option::of("[+0-9۰-۹ ]{0,16}"), number in "[A-Z]{2}-[0-9]{1,6}"
    ) {
        let keys = person_keys(&name, latin.as_deref(), phone.as_deref(), Some(&number));
        prop_assert!(!keys.is_empty());
        if let Some(p) = &phone { let _ = phone_key(p); }
        let _ = terms(&name);
    }

    #[test]
    fn vietnamese_names_fold_to_ascii_words(s in "[a-zA-Zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ ]{1,30}") {
        let folded = fold(&s);
        prop_assert!(folded.is_ascii(), "{} -> {}", s, folded);
    }
}
