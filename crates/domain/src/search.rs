//! Search keys of a person and the terms a search text asks for. Both sides are built
//! here so that what is stored and what is looked up can never drift apart.
//!
//! Keys are strings with a kind prefix: `f:` a folded name token (any script), `s:` the
//! consonant skeleton of a token written in a non-Latin script (so Latin input finds
//! it), `m:` a member number, `p:` the digits of a phone number.

use crate::member::phone_digits;
use crate::names::{self, Script};
use std::collections::BTreeSet;

/// Every search key of a person, without repeats.
pub fn person_keys(
    full_name: &str,
    latin_name: Option<&str>,
    phone: Option<&str>,
    member_number: Option<&str>,
) -> Vec<String> {
    let mut keys = BTreeSet::new();
    // A Persian name joined by a zero-width non-joiner ("محمدی‌نژاد") is one word, but
    // people also type its parts apart: index the parts too.
    let parts = full_name.replace('\u{200C}', " ");
    let part_tokens = if parts != full_name {
        names::tokens(&parts)
    } else {
        Vec::new()
    };
    for token in names::tokens(full_name).into_iter().chain(part_tokens) {
        if names::script_of(&token) != Script::Latin {
            let skeleton = names::skeleton_of(&token);
            if skeleton.len() >= 2 {
                keys.insert(format!("s:{skeleton}"));
            }
        }
        keys.insert(format!("f:{token}"));
    }
    for token in latin_name.map(names::tokens).unwrap_or_default() {
        keys.insert(format!("f:{token}"));
    }
    if let Some(key) = phone.and_then(phone_key) {
        keys.insert(key);
    }
    if let Some(number) = member_number {
        keys.insert(format!("m:{}", number.to_ascii_uppercase()));
    }
    keys.into_iter().collect()
}

/// The search key of a phone number: its digits.
pub fn phone_key(phone: &str) -> Option<String> {
    let digits = phone_digits(phone);
    (!digits.is_empty()).then(|| format!("p:{digits}"))
}

/// How one alternative of a term matches a stored key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyMatch {
    /// Keys that start with this text.
    Prefix(String),
    /// This key exactly.
    Exact(String),
}

impl KeyMatch {
    /// The half-open range `[low, high)` of keys this alternative matches, byte-wise.
    pub fn range(&self) -> (String, String) {
        match self {
            KeyMatch::Prefix(p) => (p.clone(), format!("{p}\u{10FFFF}")),
            // Keys hold no control characters, so nothing sorts between `k` and `k\u{1}`
            // but `k` itself (PostgreSQL text cannot hold `\u{0}`).
            KeyMatch::Exact(k) => (k.clone(), format!("{k}\u{1}")),
        }
    }
}

/// One word of the search: a person matches it when one of their keys matches one of
/// the alternatives. A person matches the search when they match every term.
pub type Term = Vec<KeyMatch>;

/// The terms of a search text. Names match word by word, each word as a prefix, and a
/// Latin word also matches names in other scripts through their skeleton. A single
/// word with digits is a member number or a phone number.
pub fn terms(q: &str) -> Vec<Term> {
    let compact = names::digits_to_ascii(q.trim());
    if !compact.is_empty()
        && !compact.contains(char::is_whitespace)
        && compact.chars().any(|c| c.is_ascii_digit())
    {
        let mut term = vec![KeyMatch::Prefix(format!(
            "m:{}",
            compact.to_ascii_uppercase()
        ))];
        let digits = phone_digits(&compact);
        if digits.len() >= 3 {
            term.push(KeyMatch::Prefix(format!("p:{digits}")));
        }
        return vec![term];
    }
    names::tokens(q)
        .into_iter()
        .map(|token| {
            let mut term = vec![KeyMatch::Prefix(format!("f:{token}"))];
            if names::script_of(&token) == Script::Latin {
                let skeleton = names::skeleton(&token);
                if skeleton.len() >= 2 {
                    term.push(KeyMatch::Exact(format!("s:{skeleton}")));
                }
            }
            term
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(keys: &[String], q: &str) -> bool {
        terms(q).iter().all(|term| {
            term.iter().any(|m| {
                let (low, high) = m.range();
                keys.iter()
                    .any(|k| k.as_str() >= low.as_str() && k.as_str() < high.as_str())
            })
        })
    }

    #[test]
    fn latin_input_finds_vietnamese_names() {
        let keys = person_keys("Nguyễn Văn Trần", None, None, None);
        assert!(matches(&keys, "nguyen van tran"));
        assert!(matches(&keys, "Nguyễn trầ"));
        assert!(!matches(&keys, "nguyen thi"));
    }

    #[test]
    fn arabic_letter_variants_find_persian_names() {
        let keys = person_keys("علی حسینی", Some("Ali Hosseini"), None, None);
        assert!(matches(&keys, "حسيني"));
        assert!(matches(&keys, "hosseini"));
        assert!(matches(&keys, "hoseini"));
    }

    #[test]
    fn latin_input_finds_devanagari_names_by_skeleton() {
        let keys = person_keys("सुनीता शर्मा", None, None, None);
        assert!(matches(&keys, "sharma"));
        assert!(!matches(&keys, "verma"));
    }

    #[test]
    fn numbers_find_member_numbers_and_phones() {
        let keys = person_keys("X Y", None, Some("0912 345 6789"), Some("BT-0042"));
        assert!(matches(&keys, "bt-00"));
        assert!(matches(&keys, "۰۹۱۲۳"));
        assert!(!matches(&keys, "0913"));
    }
}
