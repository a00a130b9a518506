//! Benefit schemes: who is eligible, as a rule over the registry's fields written one
//! condition a line (`age between 18 and 40`, `employment_type = informal`,
//! `enrolled pmjjby = no`), checked when saved and turned into a query so a worklist
//! of a million members needs no code per scheme; where a member stands with a scheme;
//! and the dated milestones of a member's life in the union.

use crate::{string_enum, Date};

string_enum!(
    /// Where a member stands with a scheme.
    EnrollmentStatus, "invalid_enrollment_status" {
        Eligible => "eligible",
        Helped => "helped",
        Applied => "applied",
        Enrolled => "enrolled",
        Rejected => "rejected",
        Lapsed => "lapsed",
    }
);

impl EnrollmentStatus {
    /// Whether the member still needs a visit: not enrolled, not waiting on an
    /// application, not turned down.
    pub fn on_worklist(self) -> bool {
        matches!(
            self,
            EnrollmentStatus::Eligible | EnrollmentStatus::Helped | EnrollmentStatus::Lapsed
        )
    }
}

string_enum!(
    /// A dated record of a member's life in the union.
    MilestoneKind, "invalid_milestone_kind" {
        ReferredToParty => "referred_to_party",
        ElectedToCommittee => "elected_to_committee",
        CompletedCadreTraining => "completed_cadre_training",
        Recognized => "recognized",
        Other => "other",
    }
);

/// A field a rule may name, with what its values are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Field {
    /// Whole years on the day the rule is read for.
    Age,
    BirthDate,
    /// A registry column of codes: gender, employment type, informal category,
    /// occupation code, sector code.
    Code(&'static str),
    /// Whether the member is enrolled in the scheme of this code.
    Enrolled(String),
}

/// The registry's columns of codes a rule may compare, by the name a rule uses.
pub const CODE_FIELDS: [(&str, &str); 5] = [
    ("gender", "gender"),
    ("employment_type", "employment_type"),
    ("informal_category", "informal_category"),
    ("occupation", "occupation_code"),
    ("sector", "sector_code"),
];

/// One condition of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Condition {
    /// Age in whole years, both ends included.
    AgeBetween(i64, i64),
    BornBetween(Date, Date),
    /// The column holds one of these codes (`negate`: none of them, or nothing).
    CodeIn {
        column: &'static str,
        values: Vec<String>,
        negate: bool,
    },
    Enrolled {
        scheme: String,
        yes: bool,
    },
}

/// A whole rule: every condition must hold. An empty rule admits every member.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rule {
    pub conditions: Vec<Condition>,
}

/// What a rule's line is refused for: its number (from 1) and the code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleError {
    pub line: usize,
    pub code: &'static str,
}

fn field(name: &str) -> Option<Field> {
    match name {
        "age" => Some(Field::Age),
        "birth_date" => Some(Field::BirthDate),
        _ => CODE_FIELDS
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| Field::Code(c)),
    }
}

fn number(s: &str) -> Option<i64> {
    let s = crate::names::digits_to_ascii(s.trim());
    (!s.is_empty() && s.len() <= 3 && s.bytes().all(|b| b.is_ascii_digit()))
        .then(|| s.parse().ok())
        .flatten()
}

fn code_list(s: &str) -> Option<Vec<String>> {
    let values: Vec<String> = s
        .split(',')
        .map(|v| v.trim().to_ascii_lowercase())
        .filter(|v| !v.is_empty())
        .collect();
    let ok = |v: &String| {
        v.len() <= 40
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.')
    };
    (!values.is_empty() && values.iter().all(ok)).then_some(values)
}

fn parse_line(line: &str) -> Result<Condition, &'static str> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let Some((&name, rest)) = words.split_first() else {
        return Err("invalid_rule");
    };
    let name = name.to_ascii_lowercase();
    // `enrolled <scheme> = yes|no`
    if name == "enrolled" {
        return match rest {
            [code, "=", yn] => {
                let scheme = code_list(code)
                    .filter(|c| c.len() == 1)
                    .ok_or("invalid_rule")?
                    .remove(0);
                let yes = match yn.to_ascii_lowercase().as_str() {
                    "yes" => true,
                    "no" => false,
                    _ => return Err("type_mismatch"),
                };
                Ok(Condition::Enrolled { scheme, yes })
            }
            _ => Err("invalid_rule"),
        };
    }
    let f = field(&name).ok_or("unknown_field")?;
    let Some((&op, values)) = rest.split_first() else {
        return Err("invalid_rule");
    };
    let value = values.join(" ");
    let date = |s: &str| Date::parse_iso(s.trim()).map_err(|_| "type_mismatch");
    let years = |s: &str| number(s).ok_or("type_mismatch");
    match (f, op.to_ascii_lowercase().as_str()) {
        (Field::Age, "between") => {
            let (a, b) = value.split_once(" and ").ok_or("invalid_rule")?;
            let (a, b) = (years(a)?, years(b)?);
            if a > b {
                return Err("invalid_range");
            }
            Ok(Condition::AgeBetween(a, b))
        }
        (Field::Age, ">=") => Ok(Condition::AgeBetween(years(&value)?, 150)),
        (Field::Age, "<=") => Ok(Condition::AgeBetween(0, years(&value)?)),
        (Field::BirthDate, "between") => {
            let (a, b) = value.split_once(" and ").ok_or("invalid_rule")?;
            let (a, b) = (date(a)?, date(b)?);
            if a > b {
                return Err("invalid_range");
            }
            Ok(Condition::BornBetween(a, b))
        }
        (Field::BirthDate, "before") => Ok(Condition::BornBetween(
            Date::new(1, 1, 1).map_err(|_| "invalid_rule")?,
            date(&value)?.add_days(-1),
        )),
        (Field::BirthDate, "after") => Ok(Condition::BornBetween(
            date(&value)?.add_days(1),
            Date::new(9999, 12, 31).map_err(|_| "invalid_rule")?,
        )),
        (Field::Code(column), op @ ("=" | "!=" | "in" | "not_in")) => {
            // A number or a date where a code is compared is refused as such.
            if date(&value).is_ok() {
                return Err("type_mismatch");
            }
            let values = code_list(&value).ok_or("invalid_rule")?;
            if matches!(op, "=" | "!=") && values.len() != 1 {
                return Err("invalid_rule");
            }
            Ok(Condition::CodeIn {
                column,
                values,
                negate: matches!(op, "!=" | "not_in"),
            })
        }
        // Age compared with a date, a birth date with a number, and the like.
        (Field::Age | Field::BirthDate, _) if date(&value).is_ok() || number(&value).is_some() => {
            Err("type_mismatch")
        }
        _ => Err("invalid_rule"),
    }
}

/// A rule as written, one condition a line; blank lines and `#` comments are skipped.
/// Every line is read; each refused line is named.
pub fn parse_rule(text: &str) -> Result<Rule, Vec<RuleError>> {
    let mut conditions = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match parse_line(line) {
            Ok(c) => conditions.push(c),
            Err(code) => errors.push(RuleError { line: i + 1, code }),
        }
    }
    if errors.is_empty() && conditions.len() > 30 {
        errors.push(RuleError {
            line: 31,
            code: "too_many",
        });
    }
    if errors.is_empty() {
        Ok(Rule { conditions })
    } else {
        Err(errors)
    }
}

/// The schemes a rule names (`enrolled <code>`), for checking they exist.
pub fn schemes_named(rule: &Rule) -> Vec<&str> {
    rule.conditions
        .iter()
        .filter_map(|c| match c {
            Condition::Enrolled { scheme, .. } => Some(scheme.as_str()),
            _ => None,
        })
        .collect()
}

/// The day `years` years before `day` (29 February becomes the 28th).
fn years_before(day: Date, years: i64) -> Date {
    let y = (day.year() as i64 - years).clamp(1, 9999) as i32;
    let d = day
        .day()
        .min(crate::date::days_in_month(y, day.month()).max(1));
    Date::new(y, day.month(), d).unwrap_or(day)
}

/// The birth days of those whose age on `on` lies between `min` and `max` years.
pub fn born_for_age(on: Date, min: i64, max: i64) -> (Date, Date) {
    (years_before(on, max + 1).add_days(1), years_before(on, min))
}

/// A member's fields as a rule reads them.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    pub birth_date: Option<Date>,
    /// (column, value) for the code columns.
    pub codes: Vec<(&'a str, Option<&'a str>)>,
    /// The codes of the schemes the member is enrolled in.
    pub enrolled: Vec<&'a str>,
}

impl Rule {
    /// Whether a member with these facts is eligible on `on`.
    pub fn admits(&self, facts: &Facts<'_>, on: Date) -> bool {
        self.conditions.iter().all(|c| match c {
            Condition::AgeBetween(a, b) => {
                let (from, to) = born_for_age(on, *a, *b);
                facts.birth_date.is_some_and(|d| d >= from && d <= to)
            }
            Condition::BornBetween(from, to) => {
                facts.birth_date.is_some_and(|d| d >= *from && d <= *to)
            }
            Condition::CodeIn {
                column,
                values,
                negate,
            } => {
                let v = facts
                    .codes
                    .iter()
                    .find(|(c, _)| c == column)
                    .and_then(|(_, v)| *v);
                let found = v.is_some_and(|v| values.iter().any(|x| x == v));
                found != *negate
            }
            Condition::Enrolled { scheme, yes } => {
                facts.enrolled.contains(&scheme.as_str()) == *yes
            }
        })
    }

    /// The rule as an SQL condition on `p` (people) with its values, bound from
    /// `$first` on, for the day `on`; `enrolled` conditions look in `enrollments` by
    /// the scheme codes of tree `$tree`.
    pub fn to_sql(&self, on: Date, first: usize, tree: usize) -> (String, Vec<String>) {
        let mut parts = Vec::new();
        let mut values: Vec<String> = Vec::new();
        let bind = |v: String, values: &mut Vec<String>| {
            values.push(v);
            format!("${}", first + values.len() - 1)
        };
        for c in &self.conditions {
            match c {
                Condition::AgeBetween(a, b) => {
                    let (from, to) = born_for_age(on, *a, *b);
                    let (x, y) = (
                        bind(from.to_string(), &mut values),
                        bind(to.to_string(), &mut values),
                    );
                    parts.push(format!("p.birth_date >= {x} AND p.birth_date <= {y}"));
                }
                Condition::BornBetween(from, to) => {
                    let (x, y) = (
                        bind(from.to_string(), &mut values),
                        bind(to.to_string(), &mut values),
                    );
                    parts.push(format!("p.birth_date >= {x} AND p.birth_date <= {y}"));
                }
                Condition::CodeIn {
                    column,
                    values: codes,
                    negate,
                } => {
                    let list: Vec<String> =
                        codes.iter().map(|v| bind(v.clone(), &mut values)).collect();
                    let inside = format!("p.{column} IN ({})", list.join(", "));
                    parts.push(if *negate {
                        format!("(p.{column} IS NULL OR NOT ({inside}))")
                    } else {
                        inside
                    });
                }
                Condition::Enrolled { scheme, yes } => {
                    let code = bind(scheme.clone(), &mut values);
                    let exists = format!(
                        "EXISTS (SELECT 1 FROM enrollments e JOIN schemes s ON s.id = e.scheme_id \
                         WHERE e.person_id = p.id AND e.status = 'enrolled' AND s.tree_id = ${tree} AND s.code = {code})"
                    );
                    parts.push(if *yes {
                        exists
                    } else {
                        format!("NOT {exists}")
                    });
                }
            }
        }
        if parts.is_empty() {
            ("1 = 1".into(), values)
        } else {
            (parts.join(" AND "), values)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> Date {
        Date::parse_iso(s).unwrap()
    }

    #[test]
    fn rules_are_read_line_by_line_and_each_refusal_named() {
        let rule = parse_rule(
            "# PM-SYM: unorganised workers 18 to 40\nage between 18 and 40\n\nemployment_type = informal\nenrolled epf = no\ninformal_category in domestic, construction",
        )
        .unwrap();
        assert_eq!(rule.conditions.len(), 4);
        assert_eq!(schemes_named(&rule), vec!["epf"]);
        let errors = parse_rule(
            "salary >= 100\nage > 1990-01-01\nbirth_date before 18\nage between 40 and 18\ngender = 1990-01-01\nage between ۱۸ and ۴۰",
        )
        .unwrap_err();
        let codes: Vec<(usize, &str)> = errors.iter().map(|e| (e.line, e.code)).collect();
        assert_eq!(
            codes,
            vec![
                (1, "unknown_field"),
                (2, "type_mismatch"),
                (3, "type_mismatch"),
                (4, "invalid_range"),
                (5, "type_mismatch"),
            ]
        );
    }

    #[test]
    fn age_is_counted_in_whole_years_on_the_day() {
        let rule = parse_rule("age between 18 and 40").unwrap();
        let on = day("2026-12-03");
        let born = |d: &str| Facts {
            birth_date: Some(day(d)),
            ..Facts::default()
        };
        assert!(rule.admits(&born("2008-12-03"), on), "18 today");
        assert!(!rule.admits(&born("2008-12-04"), on), "18 tomorrow");
        assert!(rule.admits(&born("1985-12-04"), on), "40 until tomorrow");
        assert!(!rule.admits(&born("1985-12-03"), on), "41 today");
        assert!(!rule.admits(&Facts::default(), on), "no birth date, no age");
        // Born on 29 February: of age on the 28th of a common year.
        assert_eq!(born_for_age(day("2026-02-28"), 18, 18).1, day("2008-02-28"));
    }

    #[test]
    fn codes_and_enrollments_are_compared() {
        let rule =
            parse_rule("employment_type = informal\ngender != male\nenrolled pmsby = no").unwrap();
        let on = day("2026-12-03");
        let facts = |emp: Option<&'static str>, gender: Option<&'static str>, enrolled| Facts {
            birth_date: None,
            codes: vec![("employment_type", emp), ("gender", gender)],
            enrolled,
        };
        assert!(rule.admits(&facts(Some("informal"), Some("female"), vec![]), on));
        assert!(rule.admits(&facts(Some("informal"), None, vec!["eshram"]), on));
        assert!(!rule.admits(&facts(Some("formal"), Some("female"), vec![]), on));
        assert!(!rule.admits(&facts(Some("informal"), Some("male"), vec![]), on));
        assert!(!rule.admits(&facts(Some("informal"), None, vec!["pmsby"]), on));
        let (sql, values) = rule.to_sql(on, 3, 2);
        assert_eq!(values, vec!["informal", "male", "pmsby"]);
        assert!(sql.contains("p.employment_type IN ($3)"), "{sql}");
        assert!(sql.contains("s.tree_id = $2 AND s.code = $5"), "{sql}");
    }
}
