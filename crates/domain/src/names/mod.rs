//! Search keys for personal names.
//!
//! Members write their names in Vietnamese, Persian, Hindi (Devanagari) and
//! English, and whoever searches for them types the same name differently:
//! without Vietnamese tone marks, with the Arabic instead of the Persian form
//! of ی and ک, with or without a ZWNJ, with a half nasal instead of an
//! anusvara, or in Latin letters from memory. Nothing here is for display;
//! every function throws information away on purpose so that those variants
//! meet:
//!
//! * [`tokens`] / [`fold`]: the same script typed on different keyboards or
//!   with different habits. Precise enough for exact search.
//! * [`transliterate`] + [`skeleton`]: different scripts or spellings.
//!   Deliberately coarse; good for proposing possible duplicates, never for
//!   deciding that two members are the same person.
//!
//! Every function is total: any `&str`, however odd, gives a (possibly empty)
//! result and never panics.

mod latin;
mod sort;
pub use latin::{skeleton, skeleton_of, transliterate};
pub use sort::sort_key;

use unicode_normalization::char::is_combining_mark;
use unicode_normalization::UnicodeNormalization;

/// Writing system of a token or name, by its letters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Script {
    Latin,
    Arabic,
    Devanagari,
    Other,
}

/// Script of the first letter that belongs to a known script; `Other` when none.
pub fn script_of(s: &str) -> Script {
    s.chars()
        .filter(|c| c.is_alphabetic())
        .map(char_script)
        .find(|script| *script != Script::Other)
        .unwrap_or(Script::Other)
}

/// Block-based, which is enough here: callers only need to know which of our
/// three tables applies, not the exact Unicode Script property.
fn char_script(c: char) -> Script {
    match u32::from(c) {
        0x41..=0x5A
        | 0x61..=0x7A
        | 0xAA
        | 0xBA
        | 0xC0..=0x2AF
        | 0x1E00..=0x1EFF
        | 0x2C60..=0x2C7F
        | 0xA720..=0xA7FF
        | 0xAB30..=0xAB6F
        | 0xFB00..=0xFB06
        | 0xFF21..=0xFF3A
        | 0xFF41..=0xFF5A => Script::Latin,
        0x0600..=0x06FF | 0x0750..=0x077F | 0x0870..=0x08FF | 0xFB50..=0xFDFF | 0xFE70..=0xFEFF => {
            Script::Arabic
        }
        0x0900..=0x097F | 0xA8E0..=0xA8FF | 0x11B00..=0x11B5F => Script::Devanagari,
        _ => Script::Other,
    }
}

// ---------------------------------------------------------------------------
// Digits
// ---------------------------------------------------------------------------

/// Persian ۰-۹, Arabic-Indic ٠-٩ and Devanagari ०-९ digits to ASCII 0-9; everything else unchanged.
pub fn digits_to_ascii(s: &str) -> String {
    s.chars().map(|c| ascii_digit(c).unwrap_or(c)).collect()
}

/// Persian keyboards type ۴ (U+06F4) and Arabic ones ٤ (U+0664): they look
/// alike but are different code points, so dates and member numbers would
/// otherwise never match.
fn ascii_digit(c: char) -> Option<char> {
    let zero = match c {
        '\u{06F0}'..='\u{06F9}' => 0x06F0,
        '\u{0660}'..='\u{0669}' => 0x0660,
        '\u{0966}'..='\u{096F}' => 0x0966,
        _ => return None,
    };
    char::from_digit(u32::from(c) - zero, 10)
}

// ---------------------------------------------------------------------------
// Folding: tokens / fold
// ---------------------------------------------------------------------------

/// The folded search tokens of a name, in order: see rules below. Empty tokens are dropped.
///
/// Rules, applied to the whole string before splitting:
/// 1. NFKC, then lowercase;
/// 2. Persian, Arabic-Indic and Devanagari digits to ASCII;
/// 3. Arabic letter variants to their Persian form, harakat, tatweel and
///    hamza removed;
/// 4. invisible format characters removed (ZWNJ, ZWJ, bidi controls, ...);
/// 5. diacritics removed from Latin letters (đ → d, ø → o, ...);
/// 6. Devanagari nukta removed, chandrabindu → anusvara, half nasal before a
///    stop → anusvara;
/// 7. split on everything that is not a letter, mark or digit.
pub fn tokens(s: &str) -> Vec<String> {
    let lowered: String = s.nfkc().flat_map(char::to_lowercase).collect();
    let folded = fold_devanagari(&fold_chars(&lowered));
    split_words(&folded)
}

/// `tokens(s).join(" ")`.
pub fn fold(s: &str) -> String {
    tokens(s).join(" ")
}

/// Rules 2 to 5: the ones that look at one character at a time.
fn fold_chars(s: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    // Whether the last base character was Latin: a combining accent is only
    // noise on a Latin letter; on anything else we leave it alone.
    let mut after_latin = false;
    for c in s.chars() {
        let c = ascii_digit(c).unwrap_or(c);
        let Some(c) = fold_arabic(c) else { continue };
        if is_invisible(c) {
            continue;
        }
        if is_latin_accent(c) {
            if !after_latin {
                out.push(c);
            }
        } else if c.is_alphabetic() && char_script(c) == Script::Latin {
            after_latin = true;
            push_unaccented_latin(c, &mut out);
        } else {
            if !is_combining_mark(c) {
                after_latin = false;
            }
            out.push(c);
        }
    }
    out
}

/// Arabic and Persian keyboards produce different code points for what a
/// Persian reader sees as the same letter, and vowel marks, tatweel and
/// hamza are written inconsistently. `None` means "drop".
fn fold_arabic(c: char) -> Option<char> {
    match c {
        'ي' | 'ى' | 'ئ' => Some('ی'),
        'ك' => Some('ک'),
        'ة' | 'ۀ' => Some('ه'),
        'أ' | 'إ' | 'آ' | 'ٱ' => Some('ا'),
        'ؤ' => Some('و'),
        // tatweel, harakat (fatha .. sukun, hamza above/below, ...), superscript alef, hamza
        '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{0621}' => None,
        _ => Some(c),
    }
}

/// Characters that change rendering, not the name. ZWNJ matters most: in
/// Persian it joins the parts of one word ("عبد‌الله"), so removing it (rather
/// than splitting on it) keeps the name one token. Variation selectors are an
/// addition to the brief: they come with pasted emoji and would otherwise
/// leave mark-only debris.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200C}'
            | '\u{200D}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{00AD}'
            | '\u{FEFF}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}

/// Only the Combining Diacritical Marks block: Vietnamese tones and vowel
/// modifiers (including the horn of ơ/ư) all live there, while Devanagari
/// matras, which are marks too, carry the vowel and must survive.
fn is_latin_accent(c: char) -> bool {
    ('\u{0300}'..='\u{036F}').contains(&c)
}

/// Latin letters whose "accent" is not a combining mark, so NFD cannot strip it.
fn latin_special(c: char) -> Option<&'static str> {
    Some(match c {
        'đ' | 'ð' => "d",
        'ø' => "o",
        'æ' => "ae",
        'œ' => "oe",
        'ß' => "ss",
        'ł' => "l",
        'ı' => "i",
        'þ' => "th",
        _ => return None,
    })
}

fn push_unaccented_latin(c: char, out: &mut Vec<char>) {
    match latin_special(c) {
        Some(plain) => out.extend(plain.chars()),
        // A letter that decomposes into a special one and an accent (Ǽ is Æ and an
        // acute) folds as the special one would, so that folding twice changes nothing.
        None => {
            for d in c.nfd().filter(|d| !is_latin_accent(*d)) {
                match latin_special(d) {
                    Some(plain) => out.extend(plain.chars()),
                    None => out.push(d),
                }
            }
        }
    }
}

const NUKTA: char = '\u{093C}';
const VIRAMA: char = '\u{094D}';
const ANUSVARA: char = '\u{0902}';
const CHANDRABINDU: char = '\u{0901}';
const VISARGA: char = '\u{0903}';

/// Rule 6. Hindi writers drop or add the nukta freely (ज़ / ज), and write a
/// nasal before a stop either as a half letter or as an anusvara (हिन्दी /
/// हिंदी); both pairs are the same name to a reader.
///
/// Adjustment to the brief: the half nasal becomes an anusvara only before a
/// stop (क..म), not before any consonant. Before य र ल व श ष स ह the half
/// nasal is the normal spelling and which nasal it is cannot be recovered
/// from the next letter ("सम्राट" samrat must not turn into "sanrat").
///
/// The danda (।) is not deleted but left to rule 7 as punctuation: deleting it
/// would glue the words on both sides into one token.
fn fold_devanagari(chars: &[char]) -> Vec<char> {
    let mut out: Vec<char> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c == NUKTA {
            continue;
        }
        if c == CHANDRABINDU {
            out.push(ANUSVARA);
            continue;
        }
        let c = drop_nukta(c);
        // An anusvara needs a syllable to sit on; at the start of a word the
        // half nasal is kept.
        let has_syllable = out
            .last()
            .is_some_and(|p| char_script(*p) == Script::Devanagari);
        if is_nasal(c)
            && has_syllable
            && chars.get(i) == Some(&VIRAMA)
            && chars.get(i + 1).is_some_and(|n| is_stop(drop_nukta(*n)))
        {
            out.push(ANUSVARA);
            i += 1; // the virama
            continue;
        }
        out.push(c);
    }
    out
}

/// NFKC already splits क़..य़ (U+0958..U+095F) into letter + nukta, but it
/// composes ऩ ऱ ऴ, so those need mapping too.
fn drop_nukta(c: char) -> char {
    match c {
        '\u{0958}' => 'क',
        '\u{0959}' => 'ख',
        '\u{095A}' => 'ग',
        '\u{095B}' => 'ज',
        '\u{095C}' => 'ड',
        '\u{095D}' => 'ढ',
        '\u{095E}' => 'फ',
        '\u{095F}' => 'य',
        '\u{0929}' => 'न',
        '\u{0931}' => 'र',
        '\u{0934}' => 'ळ',
        _ => c,
    }
}

fn is_nasal(c: char) -> bool {
    matches!(c, 'ङ' | 'ञ' | 'ण' | 'न' | 'म')
}

/// The five-by-five grid of stops and nasals, क to म.
fn is_stop(c: char) -> bool {
    ('\u{0915}'..='\u{092E}').contains(&c)
}

fn is_deva_consonant(c: char) -> bool {
    matches!(c, '\u{0915}'..='\u{0939}' | '\u{0958}'..='\u{095F}' | '\u{0978}'..='\u{097F}')
}

/// Rule 7. A token made only of marks (an accent typed on nothing, an emoji
/// variation selector) cannot match anything meaningful, so leading marks
/// are dropped with it.
fn split_words(chars: &[char]) -> Vec<String> {
    chars
        .split(|c| !(c.is_alphanumeric() || is_combining_mark(*c)))
        .map(|word| {
            word.iter()
                .skip_while(|c| is_combining_mark(**c))
                .collect::<String>()
        })
        .filter(|word| !word.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_tone_and_vowel_marks_are_removed() {
        assert_eq!(fold("Nguyễn Văn Trần"), "nguyen van tran");
        assert_eq!(fold("ĐẶNG Thị Hồng"), "dang thi hong");
        assert_eq!(fold("Phạm Ngọc Ước"), "pham ngoc uoc");
    }

    #[test]
    fn latin_accents_case_and_spacing_are_folded() {
        assert_eq!(fold("José  MARÍA"), "jose maria");
        // Found by the property test: a special letter under an accent folds like it.
        assert_eq!(fold("Ǽlfred ǿ"), "aelfred o");
        assert_eq!(fold(&fold("Ǽ")), fold("Ǽ"));
        assert_eq!(
            fold("Søren Æbelø Łukasz Strauß"),
            "soren aebelo lukasz strauss"
        );
    }

    #[test]
    fn apostrophes_and_hyphens_split_latin_names() {
        assert_eq!(tokens("O'Brien-Smith"), ["o", "brien", "smith"]);
    }

    #[test]
    fn arabic_yeh_and_kaf_become_persian() {
        assert_eq!(fold("حسيني"), fold("حسینی"));
        assert_eq!(fold("كريمي"), fold("کریمی"));
    }

    #[test]
    fn teh_marbuta_becomes_heh() {
        assert_eq!(fold("فاطمة"), fold("فاطمه"));
    }

    #[test]
    fn zwnj_joins_persian_word_parts_into_one_token() {
        let with_zwnj = "عبد\u{200C}الله";
        assert_eq!(fold(with_zwnj), fold("عبدالله"));
        assert_eq!(tokens(with_zwnj).len(), 1);
    }

    #[test]
    fn tatweel_harakat_and_hamza_forms_are_ignored() {
        assert_eq!(fold("محـــمد"), fold("محمد"));
        assert_eq!(fold("مُحَمَّد"), fold("محمد"));
        assert_eq!(fold("أحمد"), fold("احمد"));
        assert_eq!(fold("مؤمن"), fold("مومن"));
    }

    #[test]
    fn arabic_punctuation_separates_tokens() {
        assert_eq!(tokens("علی، رضا؛ حسن").len(), 3);
    }

    #[test]
    fn half_nasal_before_stop_equals_anusvara() {
        assert_eq!(fold("हिन्दी"), fold("हिंदी"));
        assert_eq!(fold("सम्पत"), fold("संपत"));
    }

    #[test]
    fn half_nasal_before_non_stop_is_kept() {
        assert_ne!(fold("सम्राट"), fold("संराट"));
        assert_eq!(skeleton_of(&fold("सम्राट")), skeleton("samrat"));
    }

    #[test]
    fn nukta_is_ignored_precomposed_or_not() {
        assert_eq!(fold("ज़ैदी"), fold("जैदी"));
        assert_eq!(fold("\u{095B}ैदी"), fold("जैदी"));
        assert_eq!(fold("ज\u{093C}ैदी"), fold("जैदी"));
        assert_eq!(fold("\u{0929}"), fold("न"));
    }

    #[test]
    fn devanagari_matras_are_kept() {
        assert_ne!(fold("सुनीता"), fold("सनत"));
        assert_eq!(fold("सुनीता").chars().count(), "सुनीता".chars().count());
    }

    #[test]
    fn chandrabindu_equals_anusvara() {
        assert_eq!(fold("हँस"), fold("हंस"));
    }

    #[test]
    fn danda_separates_words() {
        assert_eq!(tokens("राम।श्याम॥"), ["राम", "श्याम"]);
    }

    #[test]
    fn digits_of_all_three_scripts_become_ascii() {
        assert_eq!(digits_to_ascii("۱۴۰۲/۰۱/۳۰"), "1402/01/30");
        assert_eq!(digits_to_ascii("१२३"), "123");
        assert_eq!(digits_to_ascii("٤٥"), "45");
        assert_eq!(digits_to_ascii("Tran 7"), "Tran 7");
        assert_eq!(tokens("عضو ۱۲"), ["عضو", "12"]);
    }

    #[test]
    fn persian_and_latin_spellings_share_a_skeleton() {
        let hosseini = skeleton_of(&fold("حسینی"));
        assert_eq!(hosseini, skeleton("hosseini"));
        assert_eq!(hosseini, skeleton("hoseini"));
        assert_eq!(hosseini, skeleton("hosseyni"));
        assert_eq!(skeleton_of("محمد"), skeleton("mohammad"));
        assert_eq!(skeleton("mohammad"), skeleton("muhammad"));
        assert_eq!(skeleton_of("رضا"), skeleton("reza"));
        assert_eq!(skeleton_of("موسوی"), skeleton("mousavi"));
        assert_eq!(skeleton_of("زهرا"), skeleton("zahra"));
    }

    #[test]
    fn persian_h_after_consonant_does_not_fuse_into_a_digraph() {
        assert_eq!(skeleton_of("بهنام"), skeleton("behnam"));
        assert_eq!(skeleton_of("سهراب"), skeleton("sohrab"));
        assert_eq!(skeleton_of("تهرانی"), skeleton("tehrani"));
        assert_eq!(skeleton_of("فاطمه"), skeleton("fatemeh"));
        assert_eq!(skeleton_of("کیهان"), skeleton("keyhan"));
        assert_eq!(skeleton_of("توحید"), skeleton("towhid"));
        assert_eq!(skeleton_of("توحید"), skeleton("tohid"));
        assert_eq!(skeleton_of(&fold("قاسمی")), skeleton("qasemi"));
    }

    #[test]
    fn devanagari_and_latin_spellings_share_a_skeleton() {
        assert_eq!(skeleton_of(&fold("शर्मा")), skeleton("sharma"));
        assert_eq!(skeleton_of(&fold("सिंह")), skeleton("singh"));
        assert_eq!(skeleton_of(&fold("राम")), skeleton("ram"));
        assert_eq!(skeleton_of(&fold("कुमार")), skeleton("kumar"));
        assert_eq!(skeleton_of(&fold("प्रिया")), skeleton("priya"));
        assert_eq!(skeleton_of(&fold("यादव")), skeleton("yadav"));
        assert_eq!(skeleton_of(&fold("लक्ष्मी")), skeleton("laxmi"));
        assert_eq!(skeleton_of(&fold("ज्ञान")), skeleton("gyan"));
    }

    #[test]
    fn devanagari_transliteration_drops_final_schwa_only() {
        assert_eq!(transliterate(&fold("राम")), "ram");
        assert_eq!(transliterate(&fold("शर्मा")), "sharma");
        assert_eq!(transliterate(&fold("यादव")), "yadav");
        assert_eq!(transliterate(&fold("हिन्दी")), "hindi");
    }

    #[test]
    fn transliteration_of_folded_and_raw_tokens_agree() {
        assert_eq!(skeleton_of("حسيني"), skeleton_of(&fold("حسيني")));
        assert_eq!(skeleton_of("ज़ैदी"), skeleton_of(&fold("ज़ैदी")));
        assert_eq!(transliterate("Trần"), "tran");
    }

    #[test]
    fn different_names_keep_different_skeletons() {
        assert_ne!(skeleton("tran"), skeleton("nguyen"));
        assert_ne!(skeleton_of("رضا"), skeleton_of("علی"));
        assert_ne!(skeleton("alex"), skeleton("alekh"));
    }

    #[test]
    fn odd_inputs_give_empty_results_without_panicking() {
        assert!(tokens("").is_empty());
        assert!(tokens("\u{0301}").is_empty());
        assert!(tokens("🙂 \u{200C}").is_empty());
        assert!(tokens("\u{094D}\u{093F}\u{0651}").is_empty());
        assert_eq!(fold("   ,.-  "), "");
        assert_eq!(transliterate(""), "");
        assert_eq!(skeleton(""), "");
        assert_eq!(skeleton_of(""), "");
        assert_eq!(transliterate("🙂"), "");
        assert_eq!(skeleton("123 !?"), "");
    }

    #[test]
    fn mixed_scripts_are_handled_per_character() {
        assert_eq!(
            tokens("Nguyễn حسینی राम 🙂 ok"),
            ["nguyen", "حسینی", "राम", "ok"]
        );
        assert_eq!(transliterate("ramराम"), "ramram");
    }

    #[test]
    fn script_is_that_of_the_first_known_letter() {
        assert_eq!(script_of("Trần"), Script::Latin);
        assert_eq!(script_of("حسینی"), Script::Arabic);
        assert_eq!(script_of("राम"), Script::Devanagari);
        assert_eq!(script_of("123"), Script::Other);
        assert_eq!(script_of(""), Script::Other);
        assert_eq!(script_of("Ωμέγα राम"), Script::Devanagari);
    }

    /// Every code point, in runs of 64 so that each meets neighbours: no
    /// panic, tokens are non-empty and free of separators, and the Latin keys
    /// are plain ASCII.
    #[test]
    fn all_code_points_are_total_and_keys_are_ascii() {
        let all: Vec<char> = (0..=0x10FFFF_u32).filter_map(char::from_u32).collect();
        for chunk in all.chunks(64) {
            let s: String = chunk.iter().collect();
            let _ = script_of(&s);
            for token in tokens(&s) {
                assert!(!token.is_empty());
                assert!(!token.chars().any(char::is_whitespace), "{token:?}");
                let latin = transliterate(&token);
                assert!(
                    latin
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()),
                    "{token:?} -> {latin:?}"
                );
                assert!(skeleton(&latin).chars().all(|c| c.is_ascii_lowercase()));
            }
            let _ = transliterate(&s);
            let _ = skeleton(&s);
        }
    }

    #[test]
    fn folding_is_idempotent_on_names() {
        for name in [
            "Nguyễn Văn Trần",
            "عبد\u{200C}الله",
            "مُحَمَّد",
            "हिन्दी",
            "ज़ैदी",
            "हँस",
            "O'Brien-Smith",
        ] {
            let once = fold(name);
            assert_eq!(fold(&once), once, "{name}");
        }
    }
}
