//! Duplicate detection measured against a labelled set: `historical_50k.csv` of the
//! splink datasets (ground truth in `cluster`).

use crate::generate::Error;
use muster_domain::dedupe::{candidate_pairs, cluster, pairwise_quality, Person};
use std::collections::HashMap;
use std::time::Instant;

/// Splits one CSV line, with double-quoted fields.
pub(crate) fn fields(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

pub fn run(file: &str, thresholds: &[f64]) -> Result<(), Error> {
    let text = std::fs::read_to_string(file)?;
    let mut lines = text.lines();
    let header = fields(lines.next().ok_or("empty file")?);
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or(format!("no column {name}"))
    };
    let (cl, full, first, last, dob, place, post, gender, occ) = (
        col("cluster")?,
        col("full_name")?,
        col("first_name")?,
        col("surname")?,
        col("dob")?,
        col("birth_place")?,
        col("postcode_fake")?,
        col("gender")?,
        col("occupation")?,
    );
    let mut people = Vec::new();
    let mut truth = Vec::new();
    let mut clusters: HashMap<String, u32> = HashMap::new();
    for line in lines {
        let f = fields(line);
        let get = |i: usize| {
            f.get(i)
                .map(|s| s.trim().to_lowercase())
                .filter(|s| !s.is_empty())
        };
        let n = clusters.len() as u32;
        truth.push(*clusters.entry(f[cl].clone()).or_insert(n));
        people.push(Person {
            first: get(first).unwrap_or_default(),
            last: get(last).unwrap_or_default(),
            words: get(full)
                .unwrap_or_default()
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_string)
                .collect(),
            birth: get(dob),
            place: get(place),
            postcode: get(post),
            gender: get(gender),
            occupation: get(occ),
            ..Person::default()
        });
    }
    let t = Instant::now();
    let candidates = candidate_pairs(&people);
    let took = t.elapsed();
    let true_pairs: u64 = {
        let mut sizes: HashMap<u32, u64> = HashMap::new();
        for c in &truth {
            *sizes.entry(*c).or_default() += 1;
        }
        sizes.values().map(|n| n * (n - 1) / 2).sum()
    };
    let found = candidates
        .iter()
        .filter(|(i, j)| truth[*i as usize] == truth[*j as usize])
        .count();
    println!(
        "{} records, {} true clusters ({true_pairs} true pairs); {} candidate pairs in {took:.2?}, \
         {found} of them true ({:.1} % of true pairs)",
        people.len(),
        clusters.len(),
        candidates.len(),
        found as f64 * 100.0 / true_pairs as f64
    );
    for &threshold in thresholds {
        let t = Instant::now();
        let predicted = cluster(&people, threshold);
        let took = t.elapsed();
        let (p, r, f1) = pairwise_quality(&predicted, &truth);
        println!(
            "threshold {threshold:>5.1}: precision {p:.3} recall {r:.3} F1 {f1:.3} in {took:.2?}"
        );
    }
    Ok(())
}
