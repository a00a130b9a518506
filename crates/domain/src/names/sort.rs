//! Sort keys: names in the order a reader of their language expects.

use super::*;

/// Persian alphabet order (ا آ ب پ ت ...); Unicode puts پ چ ژ گ after the Arabic letters.
const PERSIAN_ORDER: &str = "اآبپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی";

/// A key that orders names as a reader of their language expects: by the last word
/// first (the given name in Vietnamese, the surname in Persian and Hindi), then the
/// rest; Vietnamese letters in their own order (a < ă < â, d < đ, e < ê, o < ô < ơ,
/// u < ư) with tones ignored; Persian letters in Persian alphabet order; Devanagari in
/// its own (code point) order. Compare the keys byte by byte.
pub fn sort_key(full_name: &str) -> String {
    let words: Vec<String> = full_name
        .nfkc()
        .collect::<String>()
        .to_lowercase()
        .split(|c: char| !(c.is_alphanumeric() || is_mark(c) || c == '\u{200C}'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let mut ordered: Vec<&String> = words.iter().rev().take(1).collect();
    ordered.extend(words.iter().take(words.len().saturating_sub(1)));
    ordered
        .iter()
        .map(|w| word_key(w))
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_mark(c: char) -> bool {
    matches!(c, '\u{0300}'..='\u{036F}' | '\u{064B}'..='\u{065F}' | '\u{0900}'..='\u{0903}' | '\u{093A}'..='\u{094F}')
}

fn word_key(word: &str) -> String {
    let mut out = String::new();
    let mut last_latin: Option<usize> = None;
    for c in word.nfd() {
        match c {
            // Vietnamese letter modifiers: raise the rank digit of the letter before.
            '\u{0306}' | '\u{0302}' | '\u{031B}' => {
                if let Some(i) = last_latin {
                    let rank = match (out.as_bytes()[i - 1], c) {
                        (b'a', '\u{0306}')
                        | (b'e', '\u{0302}')
                        | (b'o', '\u{0302}')
                        | (b'u', '\u{031B}') => b'1',
                        (b'a', '\u{0302}') | (b'o', '\u{031B}') => b'2',
                        _ => b'0',
                    };
                    out.replace_range(i..i + 1, &(rank as char).to_string());
                }
            }
            '\u{0300}'..='\u{036F}' | '\u{200C}' | '\u{0640}' | '\u{064B}'..='\u{065F}' => {}
            'đ' => {
                out.push_str("d1");
                last_latin = Some(out.len() - 1);
            }
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                out.push('0');
                last_latin = Some(out.len() - 1);
            }
            c => {
                let c = match c {
                    'ي' | 'ى' => 'ی',
                    'ك' => 'ک',
                    'ة' => 'ه',
                    'أ' | 'إ' | 'ٱ' => 'ا',
                    c => c,
                };
                match PERSIAN_ORDER.chars().position(|p| p == c) {
                    // Above every Latin and Devanagari letter, in alphabet order.
                    Some(i) => out.push(char::from_u32(0xE000 + i as u32).unwrap_or(c)),
                    None => out.push(c),
                }
                last_latin = None;
            }
        }
    }
    out
}

#[cfg(test)]
mod sort_tests {
    use super::sort_key;

    fn sorted(names: &[&str]) -> Vec<String> {
        let mut v: Vec<&str> = names.to_vec();
        v.sort_by_key(|n| sort_key(n));
        v.into_iter().map(String::from).collect()
    }

    #[test]
    fn vietnamese_names_sort_by_given_name_in_vietnamese_letter_order() {
        assert_eq!(
            sorted(&[
                "Trần Văn Ân",
                "Nguyễn Thị Ăn",
                "Lê Văn An",
                "Phạm Đức Dũng",
                "Võ Thị Bích"
            ]),
            vec![
                "Lê Văn An",
                "Nguyễn Thị Ăn",
                "Trần Văn Ân",
                "Võ Thị Bích",
                "Phạm Đức Dũng"
            ]
        );
        assert!(
            sort_key("Đỗ Văn Đạt") > sort_key("Lê Văn Dũng"),
            "đ after d"
        );
        assert!(
            sort_key("Lê Thị Ước") > sort_key("Lê Thị Uyên"),
            "ư after u"
        );
    }

    #[test]
    fn persian_names_sort_by_surname_in_persian_alphabet_order() {
        assert_eq!(
            sorted(&["مریم گلزار", "علی پاکزاد", "رضا بهرامی", "زهرا کریمی"]),
            vec!["رضا بهرامی", "علی پاکزاد", "زهرا کریمی", "مریم گلزار"]
        );
        assert_eq!(sort_key("علي كريمي"), sort_key("علی کریمی"));
    }

    #[test]
    fn hindi_names_sort_by_surname() {
        assert_eq!(
            sorted(&["सुनीता शर्मा", "राम कुमार", "गीता यादव"]),
            vec!["राम कुमार", "गीता यादव", "सुनीता शर्मा"]
        );
    }
}
