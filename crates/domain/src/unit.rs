//! The organization tree: unit codes and names.

use crate::FieldError;
use std::fmt;

/// Declares a closed set of values stored and exchanged as stable snake_case strings.
#[macro_export]
macro_rules! string_enum {
    ($(#[$meta:meta])* $name:ident, $err:literal { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Result<Self, $crate::FieldError> {
                match s.trim() {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::FieldError::new($err)),
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// A unit's human-readable code, unique across the instance: `BT-CT`, `UP-LKO-MLB`.
/// ASCII letters, digits, `-` and `_`, 1 to 32 characters, kept upper case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnitCode(String);

impl UnitCode {
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        let ok = (1..=32).contains(&s.len())
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(s.to_ascii_uppercase()))
        } else {
            Err(FieldError::new("invalid_unit_code"))
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A required human text (a name, a level): trimmed, 1 to 200 characters.
pub fn required_text(s: &str, max_chars: usize) -> Result<String, FieldError> {
    let s = s.trim();
    if s.is_empty() {
        return Err(FieldError::new("required"));
    }
    // A NUL byte (PostgreSQL refuses it in text) or another control character is no
    // part of a name, an address or a note; line breaks and tabs are.
    if s.chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(FieldError::new("invalid_characters"));
    }
    if s.chars().count() > max_chars {
        return Err(FieldError::new("too_long"));
    }
    Ok(s.to_string())
}

/// An optional human text: blank becomes `None`.
pub fn optional_text(s: Option<&str>, max_chars: usize) -> Result<Option<String>, FieldError> {
    match s.map(str::trim) {
        None | Some("") => Ok(None),
        Some(s) => required_text(s, max_chars).map(Some),
    }
}

/// Whether a unit of `level` may stand under a unit of `parent` level with children of
/// `children` levels, in a tree whose levels run `levels` from the top. A unit stands
/// strictly below its parent and above its children: a grassroots unit under another
/// grassroots unit, or a district given the province's level, is refused. A tree that
/// declares no levels takes any.
pub fn level_fits(
    levels: &[String],
    level: &str,
    parent: Option<&str>,
    children: &[String],
) -> Result<(), FieldError> {
    if levels.is_empty() {
        return Ok(());
    }
    let at = |l: &str| levels.iter().position(|x| x == l);
    let Some(own) = at(level) else {
        return Err(FieldError::new("unknown_level"));
    };
    if parent.and_then(at).is_some_and(|p| p >= own) {
        return Err(FieldError::new("level_not_below_parent"));
    }
    if children.iter().filter_map(|c| at(c)).any(|c| c <= own) {
        return Err(FieldError::new("level_not_above_children"));
    }
    Ok(())
}

/// Locales a name or a page can be written in.
pub const LOCALES: &[&str] = &["en", "vi", "fa", "hi"];

pub fn parse_locale(s: &str) -> Result<&'static str, FieldError> {
    LOCALES
        .iter()
        .copied()
        .find(|l| *l == s.trim())
        .ok_or(FieldError::new("invalid_locale"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unit_codes_are_normalized_and_checked() {
        assert_eq!(UnitCode::parse(" bt-ct ").unwrap().as_str(), "BT-CT");
        assert!(UnitCode::parse("").is_err());
        assert!(UnitCode::parse("BT CT").is_err());
        assert!(UnitCode::parse("Bến-Tre").is_err());
    }
}
