//! Multilingual members in Muster's import CSV, with duplicates injected and labelled,
//! and the quality of duplicate detection (`dedupe::member`) measured on such a file.
//!
//! The file is UTF-8 with a header row, fields quoted as RFC 4180 says when they hold
//! a comma, a quote or a line break, and these columns:
//!
//! ```text
//! external_id,unit_code,full_name,latin_name,gender,birth_date,phone,email,national_id,
//! occupation_code,sector_code,employment_type,informal_category,workplace_code,
//! joined_on,member_number,status,true_person
//! ```
//!
//! `true_person` is the ground truth, not an import column: the `external_id` of the
//! original record (its own for an original). `workplace_code` is always empty.
//!
//! Names come from the demo's pools: Vietnamese 40 %, Persian 30 % and Hindi 20 % in
//! their own scripts (Persian and Hindi with a `latin_name`), and 10 % Persian or
//! Hindi names written in Latin letters only.
//!
//! Unit codes are `IMP-{VI|FA|HI|EN}-{01..20}` by the language of the original
//! record (`EN` for the Latin-only names): no generated database has these units, so
//! an import benchmark must create the 80 of them before importing.
//!
//! A duplicate copies one of the last 50,000 originals (so memory stays bounded),
//! with a new `external_id`, unit and `joined_on`, no `member_number`, and one to
//! three changes: the birth date missing or its day and month transposed (a fifth of
//! the duplicates), and among those that apply to the record: Persian in Arabic
//! letter forms (ي ك), without its ZWNJ or with a space for it, or in Latin letters;
//! Vietnamese without marks or with the family name last; Hindi in Latin letters,
//! without nukta or with a half nasal for an anusvara; and for all a typo in a word of
//! four letters or more, a new or missing phone, a missing national id.

use crate::dedupe::fields;
use crate::generate::Error;
use muster_app::demo::pools::{self, Lang, Rng};
use muster_domain::dedupe::{self, candidate_pairs, cluster, pairwise_quality, THRESHOLD};
use std::collections::HashMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::time::Instant;

const HEADER: &str = "external_id,unit_code,full_name,latin_name,gender,birth_date,phone,\
                      email,national_id,occupation_code,sector_code,employment_type,\
                      informal_category,workplace_code,joined_on,member_number,status,\
                      true_person\n";

/// Originals kept for duplicating: the most recent ones.
const RECENT: usize = 50_000;

/// Units per language: `IMP-VI-01` to `IMP-VI-20`.
const UNITS: u64 = 20;

/// Language groups, in the order of the per-language figures of [`quality`].
const GROUPS: [&str; 4] = ["VI", "FA", "HI", "EN"];

/// ISCO-08 occupation, ISIC Rev.4 division, and the informal category of those who do
/// this work informally.
const JOBS: &[(&str, &str, &str)] = &[
    ("8153", "C14", "other"),          // sewing-machine operators, garments
    ("7531", "C14", "other"),          // tailors and dressmakers
    ("8156", "C15", "other"),          // shoemaking-machine operators
    ("8160", "C10", "daily_wage"),     // food products machine operators
    ("9329", "C13", "daily_wage"),     // manufacturing labourers, textiles
    ("7212", "C25", "daily_wage"),     // welders
    ("9313", "F41", "construction"),   // building construction labourers
    ("7112", "F41", "construction"),   // bricklayers
    ("9211", "A01", "agriculture"),    // crop farm labourers
    ("6111", "A01", "agriculture"),    // field crop growers
    ("9111", "T97", "domestic"),       // domestic cleaners and helpers
    ("9112", "N81", "sanitation"),     // cleaners in offices and hotels
    ("9613", "E38", "sanitation"),     // sweepers
    ("5211", "G47", "street_vending"), // stall and market salespersons
    ("5212", "I56", "street_vending"), // street food salespersons
    ("8321", "H49", "platform"),       // motorcycle drivers
    ("9621", "H53", "platform"),       // messengers and package deliverers
    ("9333", "H52", "daily_wage"),     // freight handlers
];

const EMAIL_DOMAINS: &[&str] = &["example.com", "example.org", "example.net"];

#[derive(Debug, Clone, Copy)]
enum Group {
    Vi,
    Fa,
    Hi,
    /// A Persian or Hindi name written in Latin letters only.
    Latin(Lang),
}

impl Group {
    fn pick(rng: &mut Rng) -> Self {
        match rng.below(100) {
            0..=39 => Group::Vi,
            40..=69 => Group::Fa,
            70..=89 => Group::Hi,
            _ => Group::Latin(if rng.chance(50) { Lang::Fa } else { Lang::Hi }),
        }
    }

    fn code(self) -> &'static str {
        match self {
            Group::Vi => GROUPS[0],
            Group::Fa => GROUPS[1],
            Group::Hi => GROUPS[2],
            Group::Latin(_) => GROUPS[3],
        }
    }

    fn lang(self) -> Lang {
        match self {
            Group::Vi => Lang::Vi,
            Group::Fa => Lang::Fa,
            Group::Hi => Lang::Hi,
            Group::Latin(lang) => lang,
        }
    }

    /// Informal workers among the members, per cent.
    fn informal_percent(self) -> u64 {
        match self {
            Group::Vi => 25,
            Group::Fa => 35,
            Group::Hi => 80,
            Group::Latin(_) => 50,
        }
    }
}

/// One row of the file.
#[derive(Debug, Clone)]
struct Member {
    id: usize,
    true_person: usize,
    group: Group,
    unit: u64,
    full_name: String,
    latin_name: Option<String>,
    gender: &'static str,
    birth: Option<String>,
    phone: Option<String>,
    email: Option<String>,
    national_id: Option<String>,
    /// Index in [`JOBS`].
    job: usize,
    informal: bool,
    joined: String,
    member_number: bool,
    status: &'static str,
}

/// What a duplicate changes, in the order the changes are made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Change {
    /// Persian or Hindi in Latin letters: the latin name as the full name.
    Latin,
    /// Persian as typed on an Arabic keyboard: ي and ك for ی and ک.
    ArabicLetters,
    /// Persian without its ZWNJ.
    NoZwnj,
    /// Persian with a space for its ZWNJ.
    ZwnjSpace,
    /// Vietnamese without tone and vowel marks.
    NoMarks,
    /// Vietnamese with the family name last.
    FamilyLast,
    /// Hindi without nukta.
    NoNukta,
    /// Hindi with a half nasal for an anusvara before a stop (नरेन्द्र for नरेंद्र).
    HalfNasal,
    /// One letter deleted, transposed or replaced in a word of four or more.
    Typo,
    /// A new phone number, or none.
    Phone,
    /// No national id.
    NationalId,
}

/// Writes `rows` members, `duplicate_percent` of them duplicates, to a CSV at `path`.
pub fn generate(path: &str, rows: usize, duplicate_percent: u64, seed: u64) -> Result<(), Error> {
    let started = Instant::now();
    if let Some(dir) = std::path::Path::new(path).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    out.write_all(HEADER.as_bytes())?;
    let mut rng = Rng::new(seed);
    let mut recent: Vec<Member> = Vec::with_capacity(RECENT.min(rows));
    let (mut originals, mut duplicates) = (0usize, 0usize);
    for id in 1..=rows {
        if !recent.is_empty() && rng.chance(duplicate_percent) {
            let i = rng.below(recent.len() as u64) as usize;
            let copy = duplicate(&mut rng, &recent[i], id);
            write_row(&mut out, &copy)?;
            duplicates += 1;
        } else {
            let person = original(&mut rng, id);
            write_row(&mut out, &person)?;
            if recent.len() < RECENT {
                recent.push(person);
            } else {
                recent[originals % RECENT] = person;
            }
            originals += 1;
        }
    }
    out.flush()?;
    println!(
        "{rows} members ({originals} people, {duplicates} duplicates) written to {path} in {:.2?}",
        started.elapsed()
    );
    Ok(())
}

fn original(rng: &mut Rng, id: usize) -> Member {
    let group = Group::pick(rng);
    let lang = group.lang();
    let name = pools::person_name(rng, lang);
    let (full_name, latin_name) = match (group, name.latin_name) {
        (Group::Latin(_), Some(latin)) => (latin, None),
        (_, latin) => (name.full_name, latin),
    };
    let born = date(rng, 1960, 2004, 12);
    let email = rng.chance(30).then(|| {
        let latin = match (group, &latin_name) {
            (_, Some(latin)) => latin.clone(),
            (Group::Vi, None) => strip_vietnamese(&full_name),
            (_, None) => full_name.clone(),
        };
        email_address(rng, &latin)
    });
    Member {
        id,
        true_person: id,
        group,
        unit: 1 + rng.below(UNITS),
        full_name,
        latin_name,
        gender: name.gender,
        birth: Some(iso(born)),
        phone: rng.chance(90).then(|| pools::phone(rng, lang)),
        email,
        national_id: rng
            .chance(60)
            .then(|| format!("{:012}", rng.below(1_000_000_000_000))),
        job: rng.below(JOBS.len() as u64) as usize,
        informal: rng.chance(group.informal_percent()),
        joined: joined(rng, born.0),
        member_number: rng.chance(70),
        status: status(rng),
    }
}

fn duplicate(rng: &mut Rng, original: &Member, id: usize) -> Member {
    let mut copy = original.clone();
    copy.id = id;
    copy.unit = 1 + rng.below(UNITS);
    copy.member_number = false;
    copy.status = status(rng);
    if rng.chance(50) {
        copy.email = None;
    }
    let birth_year = original
        .birth
        .as_deref()
        .and_then(|b| b.get(..4))
        .and_then(|y| y.parse().ok())
        .unwrap_or(1980);
    copy.joined = joined(rng, birth_year);
    let mut wanted = 1 + rng.below(3) as usize;
    // Only here, so that four duplicates in five keep their birth date.
    if rng.chance(20) {
        copy.birth = match copy.birth.take() {
            Some(birth) if rng.chance(50) => transposed(&birth),
            _ => None,
        };
        wanted -= 1;
    }
    let mut changes = changes_for(&copy);
    let wanted = wanted.min(changes.len());
    for k in 0..wanted {
        let j = k + rng.below((changes.len() - k) as u64) as usize;
        changes.swap(k, j);
    }
    changes.truncate(wanted);
    changes.sort_unstable();
    for change in changes {
        apply(rng, change, &mut copy);
    }
    copy
}

/// The changes that would change something in `m`.
fn changes_for(m: &Member) -> Vec<Change> {
    let name = m.full_name.as_str();
    let mut changes = Vec::with_capacity(8);
    match m.group {
        Group::Fa => {
            if m.latin_name.is_some() {
                changes.push(Change::Latin);
            }
            if name.contains(['ی', 'ک']) {
                changes.push(Change::ArabicLetters);
            }
            if name.contains('\u{200c}') {
                changes.extend([Change::NoZwnj, Change::ZwnjSpace]);
            }
        }
        Group::Vi => changes.extend([Change::NoMarks, Change::FamilyLast]),
        Group::Hi => {
            if m.latin_name.is_some() {
                changes.push(Change::Latin);
            }
            if name.contains(|c: char| c == NUKTA || is_nukta_letter(c)) {
                changes.push(Change::NoNukta);
            }
            if half_nasal(name) != name {
                changes.push(Change::HalfNasal);
            }
        }
        Group::Latin(_) => {}
    }
    if name.split(' ').any(|w| w.chars().count() >= 4) {
        changes.push(Change::Typo);
    }
    changes.push(Change::Phone);
    if m.national_id.is_some() {
        changes.push(Change::NationalId);
    }
    changes
}

fn apply(rng: &mut Rng, change: Change, m: &mut Member) {
    match change {
        Change::Latin => {
            if let Some(latin) = m.latin_name.take() {
                m.full_name = latin;
            }
        }
        Change::ArabicLetters => {
            m.full_name = m
                .full_name
                .chars()
                .map(|c| match c {
                    'ی' => 'ي',
                    'ک' => 'ك',
                    c => c,
                })
                .collect();
        }
        Change::NoZwnj => m.full_name = m.full_name.replace('\u{200c}', ""),
        Change::ZwnjSpace => m.full_name = m.full_name.replace('\u{200c}', " "),
        Change::NoMarks => m.full_name = strip_vietnamese(&m.full_name),
        Change::FamilyLast => {
            if let Some((family, rest)) = m.full_name.split_once(' ') {
                m.full_name = format!("{rest} {family}");
            }
        }
        Change::NoNukta => {
            m.full_name = m
                .full_name
                .chars()
                .filter(|&c| c != NUKTA)
                .map(without_nukta)
                .collect();
        }
        Change::HalfNasal => m.full_name = half_nasal(&m.full_name),
        Change::Typo => m.full_name = typo(rng, &m.full_name),
        Change::Phone => {
            m.phone = if m.phone.is_some() && rng.chance(50) {
                None
            } else {
                Some(pools::phone(rng, m.group.lang()))
            };
        }
        Change::NationalId => m.national_id = None,
    }
}

/// Vietnamese letters without tone and vowel marks, case kept (Đ becomes D).
fn strip_vietnamese(s: &str) -> String {
    const LETTERS: [(&str, char); 12] = [
        ("àáảãạăằắẳẵặâầấẩẫậ", 'a'),
        ("ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ", 'A'),
        ("èéẻẽẹêềếểễệ", 'e'),
        ("ÈÉẺẼẸÊỀẾỂỄỆ", 'E'),
        ("ìíỉĩị", 'i'),
        ("ÌÍỈĨỊ", 'I'),
        ("òóỏõọôồốổỗộơờớởỡợ", 'o'),
        ("ÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ", 'O'),
        ("ùúủũụưừứửữự", 'u'),
        ("ÙÚỦŨỤƯỪỨỬỮỰ", 'U'),
        ("ỳýỷỹỵ", 'y'),
        ("ỲÝỶỸỴ", 'Y'),
    ];
    s.chars()
        // Combining marks, should a name come decomposed.
        .filter(|c| !('\u{0300}'..='\u{036F}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c if c.is_ascii() => c,
            c => LETTERS
                .iter()
                .find(|(marked, _)| marked.contains(c))
                .map_or(c, |&(_, plain)| plain),
        })
        .collect()
}

const NUKTA: char = '\u{093C}';
const VIRAMA: char = '\u{094D}';
const ANUSVARA: char = '\u{0902}';

/// क़ to य़ (U+0958 to U+095F), precomposed with their nukta.
fn is_nukta_letter(c: char) -> bool {
    ('\u{0958}'..='\u{095F}').contains(&c)
}

fn without_nukta(c: char) -> char {
    const PLAIN: [char; 8] = ['क', 'ख', 'ग', 'ज', 'ड', 'ढ', 'फ', 'य'];
    if is_nukta_letter(c) {
        PLAIN[(u32::from(c) - 0x0958) as usize]
    } else {
        c
    }
}

/// An anusvara before a stop written as the half nasal of the stop's row: म् before
/// प फ ब भ म, न् before the others.
fn half_nasal(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == ANUSVARA && ('\u{0915}'..='\u{092E}').contains(&next) => {
                out.push(if next >= '\u{092A}' { 'म' } else { 'न' });
                out.push(VIRAMA);
            }
            _ => out.push(c),
        }
    }
    out
}

/// One letter (never the first) deleted, swapped with the one before, or replaced by
/// another letter of the same word, in a word of four letters or more.
fn typo(rng: &mut Rng, name: &str) -> String {
    let mut words: Vec<Vec<char>> = name.split(' ').map(|w| w.chars().collect()).collect();
    let long: Vec<usize> = words
        .iter()
        .enumerate()
        .filter(|(_, w)| w.len() >= 4)
        .map(|(i, _)| i)
        .collect();
    if long.is_empty() {
        return name.to_string();
    }
    let word = &mut words[*rng.pick(&long)];
    let i = 1 + rng.below(word.len() as u64 - 1) as usize;
    match rng.below(3) {
        0 => {
            word.remove(i);
        }
        1 if word[i - 1] != word[i] => word.swap(i - 1, i),
        _ => {
            let j = rng.below(word.len() as u64) as usize;
            if word[j] == word[i] {
                word.remove(i);
            } else {
                word[i] = word[j];
            }
        }
    }
    words
        .iter()
        .map(|w| w.iter().collect::<String>())
        .collect::<Vec<_>>()
        .join(" ")
}

/// An address from the first and last word of a Latin name.
fn email_address(rng: &mut Rng, latin: &str) -> String {
    let words: Vec<String> = latin
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .collect();
    let (first, last) = match words.as_slice() {
        [] => ("member", ""),
        [only] => (only.as_str(), ""),
        [first, .., last] => (first.as_str(), last.as_str()),
    };
    let separator = if last.is_empty() { "" } else { "." };
    format!(
        "{first}{separator}{last}{}@{}",
        rng.below(1000),
        rng.pick(EMAIL_DOMAINS)
    )
}

fn status(rng: &mut Rng) -> &'static str {
    if rng.chance(90) {
        "active"
    } else {
        "applicant"
    }
}

/// A day from January of `first_year` to `last_month` of `last_year`.
fn date(rng: &mut Rng, first_year: u64, last_year: u64, last_month: u64) -> (u64, u64, u64) {
    let year = first_year + rng.below(last_year - first_year + 1);
    let months = if year == last_year { last_month } else { 12 };
    let month = 1 + rng.below(months);
    let days = match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    (year, month, 1 + rng.below(days))
}

fn iso((year, month, day): (u64, u64, u64)) -> String {
    format!("{year:04}-{month:02}-{day:02}")
}

/// Joined from 2015 to October 2026, at 16 or older.
fn joined(rng: &mut Rng, birth_year: u64) -> String {
    iso(date(rng, (birth_year + 16).max(2015), 2026, 10))
}

/// The date with day and month swapped, `None` when that is no date or the same one.
fn transposed(birth: &str) -> Option<String> {
    let (year, month, day) = (birth.get(..4)?, birth.get(5..7)?, birth.get(8..10)?);
    let swapped_month: u32 = day.parse().ok()?;
    (day != month && (1..=12).contains(&swapped_month)).then(|| format!("{year}-{day}-{month}"))
}

fn write_row(out: &mut impl Write, m: &Member) -> io::Result<()> {
    let (occupation, sector, category) = JOBS[m.job];
    let external_id = format!("X{:07}", m.id);
    let unit = format!("IMP-{}-{:02}", m.group.code(), m.unit);
    let member_number = if m.member_number {
        format!("M{:07}", m.id)
    } else {
        String::new()
    };
    let true_person = format!("X{:07}", m.true_person);
    let row: [&str; 18] = [
        &external_id,
        &unit,
        &m.full_name,
        m.latin_name.as_deref().unwrap_or_default(),
        m.gender,
        m.birth.as_deref().unwrap_or_default(),
        m.phone.as_deref().unwrap_or_default(),
        m.email.as_deref().unwrap_or_default(),
        m.national_id.as_deref().unwrap_or_default(),
        occupation,
        sector,
        if m.informal { "informal" } else { "formal" },
        if m.informal { category } else { "" },
        "",
        &m.joined,
        &member_number,
        m.status,
        &true_person,
    ];
    for (i, cell) in row.iter().enumerate() {
        if i > 0 {
            out.write_all(b",")?;
        }
        if cell.contains([',', '"', '\n', '\r']) {
            write!(out, "\"{}\"", cell.replace('"', "\"\""))?;
        } else {
            out.write_all(cell.as_bytes())?;
        }
    }
    out.write_all(b"\n")
}

/// Reads a file written by [`generate`], finds its duplicates with `dedupe::member`
/// records and `cluster` at [`THRESHOLD`], and prints how well they match
/// `true_person`, how long it took and the peak memory.
pub fn quality(path: &str) -> Result<(), Error> {
    let started = Instant::now();
    let mut lines = BufReader::new(File::open(path)?).lines();
    let header = fields(&lines.next().ok_or("empty file")??);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("no column {name}"))
    };
    let (id, unit, full, latin, gender, birth, phone, national_id, occupation, truth_col) = (
        col("external_id")?,
        col("unit_code")?,
        col("full_name")?,
        col("latin_name")?,
        col("gender")?,
        col("birth_date")?,
        col("phone")?,
        col("national_id")?,
        col("occupation_code")?,
        col("true_person")?,
    );
    let mut people = Vec::new();
    let mut truth: Vec<u32> = Vec::new();
    let mut clusters: HashMap<String, u32> = HashMap::new();
    // Row of each original, and each duplicate with its original and language group.
    let mut originals: HashMap<String, u32> = HashMap::new();
    let mut duplicates: Vec<(u32, u32, usize)> = Vec::new();
    for line in lines {
        let line = line?;
        if line.is_empty() {
            continue;
        }
        let f = fields(&line);
        let get = |i: usize| cell(&f, i);
        let row = people.len() as u32;
        let person = get(truth_col).unwrap_or_default();
        let n = clusters.len() as u32;
        truth.push(*clusters.entry(person.to_string()).or_insert(n));
        if get(id) == Some(person) {
            originals.insert(person.to_string(), row);
        } else if let Some(&original) = originals.get(person) {
            let group = get(unit)
                .and_then(|u| u.split('-').nth(1))
                .and_then(|g| GROUPS.iter().position(|x| *x == g))
                .unwrap_or(GROUPS.len());
            duplicates.push((row, original, group));
        }
        people.push(dedupe::member(
            get(full).unwrap_or_default(),
            get(latin),
            get(birth),
            get(phone),
            get(national_id),
            get(gender),
            get(occupation),
        ));
    }
    drop(originals);
    let read = started.elapsed();
    let true_pairs: u64 = {
        let mut sizes: HashMap<u32, u64> = HashMap::new();
        for c in &truth {
            *sizes.entry(*c).or_default() += 1;
        }
        sizes.values().map(|n| n * (n - 1) / 2).sum()
    };
    println!(
        "{} records ({} duplicates), {} true clusters ({true_pairs} true pairs), read in {read:.2?}",
        people.len(),
        duplicates.len(),
        clusters.len(),
    );
    drop(clusters);

    let t = Instant::now();
    let candidates = candidate_pairs(&people);
    let took = t.elapsed();
    let found = candidates
        .iter()
        .filter(|(i, j)| truth[*i as usize] == truth[*j as usize])
        .count();
    println!(
        "{} candidate pairs in {took:.2?}, {found} of them true ({:.1} % of true pairs)",
        candidates.len(),
        found as f64 * 100.0 / true_pairs.max(1) as f64
    );
    // The links themselves, before clusters join them: how many are true, and some
    // that are not (to see what fools the matcher).
    let tf = dedupe::Frequencies::of(&people);
    let mut links = 0u64;
    let mut true_links = 0u64;
    let mut shown = 0;
    let show = std::env::var("MUSTER_SHOW_FALSE_LINKS").is_ok();
    for &(i, j) in &candidates {
        let (a, b) = (&people[i as usize], &people[j as usize]);
        let s = dedupe::score_with(a, b, &tf);
        if s >= THRESHOLD {
            links += 1;
            if truth[i as usize] == truth[j as usize] {
                true_links += 1;
            } else if show && shown < 12 {
                shown += 1;
                println!("  false link {s:.1}: {a:?}\n                 {b:?}");
            }
        }
    }
    println!(
        "{links} links scored at or above the threshold, {:.1} % of them true",
        true_links as f64 * 100.0 / links.max(1) as f64
    );
    // `cluster` makes them again.
    drop(candidates);

    let t = Instant::now();
    let predicted = cluster(&people, THRESHOLD);
    let took = t.elapsed();
    let (p, r, f1) = pairwise_quality(&predicted, &truth);
    let mut sizes: HashMap<u32, u32> = HashMap::new();
    for c in &predicted {
        *sizes.entry(*c).or_default() += 1;
    }
    println!(
        "largest cluster: {} records",
        sizes.values().max().copied().unwrap_or(0)
    );
    println!(
        "threshold {THRESHOLD:>5.1}: precision {p:.3} recall {r:.3} F1 {f1:.3} in {took:.2?} \
         ({:.1} s in all)",
        started.elapsed().as_secs_f64()
    );

    let mut linked = [(0u64, 0u64); GROUPS.len() + 1];
    for &(row, original, group) in &duplicates {
        linked[group].1 += 1;
        if predicted[row as usize] == predicted[original as usize] {
            linked[group].0 += 1;
        }
    }
    let by_group: Vec<String> = GROUPS
        .iter()
        .chain(["other"].iter())
        .zip(linked)
        .filter(|(_, (_, all))| *all > 0)
        .map(|(group, (found, all))| {
            format!(
                "{group} {:.1} % of {all}",
                found as f64 * 100.0 / all as f64
            )
        })
        .collect();
    println!(
        "duplicates in their original's cluster: {}",
        by_group.join(", ")
    );
    match peak_rss_mib() {
        Some(mib) => println!("peak RSS {mib:.0} MiB"),
        None => println!("peak RSS unknown (no /proc/self/status)"),
    }
    Ok(())
}

/// A field of a CSV row, trimmed; `None` when empty or missing.
fn cell(row: &[String], i: usize) -> Option<&str> {
    row.get(i).map(|s| s.trim()).filter(|s| !s.is_empty())
}

/// The peak resident set size (`VmHWM`) in MiB.
fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: f64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .ok()?;
    Some(kib / 1024.0)
}
