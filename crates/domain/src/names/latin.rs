//! Latin transliteration of folded tokens, and consonant skeletons that let Latin
//! spellings of one name meet.

use super::*;

// ---------------------------------------------------------------------------
// Transliteration
// ---------------------------------------------------------------------------

/// ASCII lowercase Latin transliteration of ONE folded token (output of `tokens`), any script.
///
/// A search key, not a romanisation standard: it only has to land close
/// enough to what people type in Latin letters that [`skeleton`] can bridge
/// the rest. Letters of scripts without a table here are dropped.
pub fn transliterate(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    let mut out = String::with_capacity(token.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(d) = ascii_digit(c) {
            out.push(d);
            i += 1;
            continue;
        }
        i += match char_script(c) {
            Script::Devanagari => push_devanagari(&chars, i, &mut out),
            Script::Arabic => {
                push_arabic(&chars, i, &mut out);
                1
            }
            Script::Latin | Script::Other => {
                push_latin(c, &mut out);
                1
            }
        };
    }
    out
}

/// Folded tokens are already plain ASCII; this also copes with unfolded input.
fn push_latin(c: char, out: &mut String) {
    for l in c.to_lowercase() {
        match latin_special(l) {
            Some(plain) => out.push_str(plain),
            None => out.extend(
                l.nfkd()
                    .filter(char::is_ascii_alphanumeric)
                    .map(|a| a.to_ascii_lowercase()),
            ),
        }
    }
}

/// Also accepts the unfolded Arabic variants, so that `skeleton_of` of a raw
/// token agrees with that of its folded form.
fn arabic_latin(c: char) -> Option<&'static str> {
    Some(match c {
        'ا' | 'أ' | 'إ' | 'آ' | 'ٱ' => "a",
        'ب' => "b",
        'پ' => "p",
        'ت' => "t",
        'ث' => "s",
        'ج' => "j",
        'چ' => "ch",
        'ح' => "h",
        'خ' => "kh",
        'د' => "d",
        'ذ' => "z",
        'ر' => "r",
        'ز' => "z",
        'ژ' => "zh",
        'س' => "s",
        'ش' => "sh",
        'ص' => "s",
        'ض' => "z",
        'ط' => "t",
        'ظ' => "z",
        'غ' => "gh",
        'ف' => "f",
        'ق' => "gh",
        'ک' | 'ك' => "k",
        'گ' => "g",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'و' | 'ؤ' => "v",
        'ه' | 'ة' | 'ۀ' => "h",
        'ی' | 'ي' | 'ى' | 'ئ' => "y",
        // ع has no Latin letter; people simply leave it out ("Ali", "Abbas").
        'ع' | '\u{0621}' | '\u{0640}' | '\u{064B}'..='\u{065F}' | '\u{0670}' => "",
        _ => return None,
    })
}

/// Adjustment to the brief: Persian leaves short vowels unwritten, so ه and
/// ح often directly follow a consonant in the letters (زهرا, بهنام, محمد) while
/// a vowel is spoken between them. Writing "zhra" would make the skeleton
/// read the ژ digraph "zh" and "bhnam" the aspirate "bh", and a bare h after a
/// consonant is dropped by the skeleton. So a vowel is supplied there: "a"
/// inside the word, "eh" at its end (زهرا → "zahra", فاطمه → "fatmeh").
fn push_arabic(chars: &[char], i: usize, out: &mut String) {
    let Some(latin) = arabic_latin(chars[i]) else {
        return;
    };
    let after_consonant = out.ends_with(|p: char| p.is_ascii_alphabetic() && !is_soft(p));
    if latin == "h" && after_consonant {
        let at_end = chars[i + 1..]
            .iter()
            .all(|n| arabic_latin(*n).is_none_or(str::is_empty));
        out.push_str(if at_end { "eh" } else { "ah" });
    } else {
        out.push_str(latin);
    }
}

fn deva_consonant(c: char) -> Option<&'static str> {
    Some(match drop_nukta(c) {
        'क' => "k",
        'ख' => "kh",
        'ग' => "g",
        'घ' => "gh",
        'ङ' => "n",
        'च' => "ch",
        'छ' => "chh",
        'ज' => "j",
        'झ' => "jh",
        'ञ' => "n",
        'ट' => "t",
        'ठ' => "th",
        'ड' => "d",
        'ढ' => "dh",
        'ण' => "n",
        'त' => "t",
        'थ' => "th",
        'द' => "d",
        'ध' => "dh",
        'न' => "n",
        'प' => "p",
        'फ' => "ph",
        'ब' => "b",
        'भ' => "bh",
        'म' => "m",
        'य' => "y",
        'र' => "r",
        'ल' => "l",
        'ळ' => "l",
        'व' => "v",
        'श' | 'ष' => "sh",
        'स' => "s",
        'ह' => "h",
        _ => return None,
    })
}

/// Independent vowels and vowel signs (matras) read the same; long and short
/// vowels are not distinguished because Latin spellings rarely do.
fn deva_vowel(c: char) -> Option<&'static str> {
    Some(match c {
        'अ' | 'आ' | '\u{093E}' | 'ॲ' => "a",
        'इ' | 'ई' | '\u{093F}' | '\u{0940}' => "i",
        'उ' | 'ऊ' | '\u{0941}' | '\u{0942}' => "u",
        'ऋ' | 'ॠ' | '\u{0943}' | '\u{0944}' => "ri",
        'ऌ' | 'ॡ' | '\u{0962}' | '\u{0963}' => "li",
        'ए' | 'ऍ' | 'ऎ' | '\u{0945}' | '\u{0946}' | '\u{0947}' | '\u{094E}' => "e",
        'ऐ' | '\u{0948}' => "ai",
        'ओ' | 'ऑ' | 'ऒ' | '\u{0949}' | '\u{094A}' | '\u{094B}' => "o",
        'औ' | '\u{094C}' | '\u{094F}' => "au",
        'ॐ' => "om",
        _ => return None,
    })
}

fn is_matra(c: char) -> bool {
    matches!(
        c,
        '\u{093A}'..='\u{093B}'
            | '\u{093E}'..='\u{094C}'
            | '\u{094E}'..='\u{094F}'
            | '\u{0955}'..='\u{0957}'
            | '\u{0962}'..='\u{0963}'
    )
}

/// Writes the Latin for the Devanagari at `chars[i]` and returns how many
/// characters it used.
fn push_devanagari(chars: &[char], i: usize, out: &mut String) -> usize {
    let c = chars[i];
    if is_deva_consonant(c) {
        let mut next = i + 1;
        // ज्ञ is said "gy" in Hindi (ज्ञान "gyan"), not "jn".
        if c == 'ज' && chars.get(i + 1) == Some(&VIRAMA) && chars.get(i + 2) == Some(&'ञ') {
            out.push_str("gy");
            next = i + 3;
        } else {
            out.push_str(deva_consonant(c).unwrap_or(""));
        }
        while chars.get(next) == Some(&NUKTA) {
            next += 1;
        }
        // The inherent vowel: silenced by a virama, replaced by a matra, and
        // not pronounced at the end of a word in Hindi (राम is "ram").
        match chars.get(next) {
            Some(&VIRAMA) => return next + 1 - i,
            Some(&m) if is_matra(m) => {}
            None => {}
            Some(&n) if char_script(n) != Script::Devanagari => {}
            Some(_) => out.push('a'),
        }
        return next - i;
    }
    match c {
        // The anusvara sounds like the nasal of the following stop; only the
        // m/n difference survives into the skeleton (संपत "sampat").
        ANUSVARA | CHANDRABINDU => {
            let labial = chars
                .get(i + 1)
                .is_some_and(|n| matches!(drop_nukta(*n), 'प' | 'फ' | 'ब' | 'भ' | 'म'));
            out.push(if labial { 'm' } else { 'n' });
        }
        VISARGA => out.push('h'),
        _ => out.push_str(deva_vowel(c).unwrap_or("")),
    }
    1
}

// ---------------------------------------------------------------------------
// Skeleton
// ---------------------------------------------------------------------------

/// Consonant skeleton of an ASCII Latin token: what stays equal when a name is
/// transliterated differently ("hosseini", "hoseyni", "حسینی" all give the same).
///
/// Vowels are dropped because Persian does not write short vowels and Latin
/// spellings of all three languages disagree on them; doubled letters
/// collapse because Persian does not write gemination (shadda is folded away).
pub fn skeleton(latin: &str) -> String {
    let letters: Vec<char> = latin
        .chars()
        .filter(char::is_ascii_alphabetic)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    let sounds = sounds(&letters);
    let mut kept: Vec<char> = Vec::with_capacity(sounds.len());
    for (i, &s) in sounds.iter().enumerate() {
        let keep = match s {
            'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'v' => false,
            // ح/ه are real consonants in Persian names (Hosseini, Zahra),
            // while after a consonant an h is usually a spelling habit
            // (Vietnamese "nh", Hindi "Singh"/"Sinha").
            // Adjustment to the brief: y, v and w count as vowels here, because
            // that is how they are used before h ("Keyhan" کیهان, "Towhid" توحید).
            'h' => i == 0 || is_soft(sounds[i - 1]),
            _ => true,
        };
        if keep {
            kept.push(s);
        }
    }
    kept.dedup();
    kept.into_iter().collect()
}

/// `skeleton(&transliterate(token))`.
pub fn skeleton_of(token: &str) -> String {
    skeleton(&transliterate(token))
}

/// Vowels and the weak letters the skeleton drops.
fn is_soft(c: char) -> bool {
    matches!(c, 'a' | 'e' | 'i' | 'o' | 'u' | 'y' | 'v')
}

/// One symbol per sound, so that the different Latin spellings of one letter
/// (kh/x, q/gh, ph/f, c/k, w/v) become one symbol.
///
/// Adjustment to the brief: a lone Latin "x" reads "ks" ("Laxmi" / "Lakshmi"),
/// which also keeps it apart from the "x" that stands for "kh".
fn sounds(letters: &[char]) -> Vec<char> {
    let mut out = Vec::with_capacity(letters.len());
    let mut i = 0;
    while i < letters.len() {
        let digraph = letters.get(i + 1).and_then(|&n| match (letters[i], n) {
            ('k', 'h') => Some('x'),
            ('g', 'h') => Some('g'),
            ('c', 'h') => Some('c'),
            ('s', 'h') => Some('s'),
            ('z', 'h') => Some('j'),
            ('p', 'h') => Some('f'),
            ('t', 'h') => Some('t'),
            ('d', 'h') => Some('d'),
            ('b', 'h') => Some('b'),
            ('j', 'h') => Some('j'),
            ('n', 'g') => Some('n'),
            ('c', 'k') => Some('k'),
            _ => None,
        });
        if let Some(d) = digraph {
            out.push(d);
            i += 2;
            continue;
        }
        match letters[i] {
            'q' => out.push('g'),
            'c' => out.push('k'),
            'w' => out.push('v'),
            'x' => out.extend(['k', 's']),
            other => out.push(other),
        }
        i += 1;
    }
    out
}
