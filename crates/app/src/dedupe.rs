//! Likely duplicates in a tree: found by a scan of the tree, by an import, or when
//! someone is about to be registered; reviewed side by side; merged (everything
//! recorded of one person moves to the other) or dismissed as two people.

use crate::counting::{rebucket, Bucket};
use crate::members::PersonView;
use crate::members::{commit_err, refresh_keys, snapshot};
use crate::{Actor, App, AppError};
use muster_domain::date::now_utc;
use muster_domain::dedupe::{self, candidate_pairs, score_with, Frequencies, THRESHOLD};
use muster_domain::member::Status;
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::counters;
use muster_store::dedupe::{self as store, MatchRow};
use muster_store::members::{self as members_store, PersonFields};
use muster_store::{import as import_store, units, Conn};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use utoipa::ToSchema;

/// A registered member who may be the same person as the one described.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LikelyDuplicate {
    pub id: i64,
    pub full_name: String,
    pub birth_date: Option<String>,
    pub unit_code: String,
    pub member_number: Option<String>,
    /// The matcher's score: the threshold is 7; higher is surer.
    pub score: f64,
}

/// One side of a pair under review.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PairSide {
    pub id: i64,
    #[serde(flatten)]
    pub person: PersonView,
    pub unit_code: String,
    pub status: String,
    pub member_number: Option<String>,
    pub joined_on: Option<String>,
}

/// A pair of likely duplicates, with the fields on which they differ.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuplicatePair {
    pub a: PairSide,
    pub b: PairSide,
    pub score: f64,
    /// Field names whose values differ (both given and not equal).
    pub differences: Vec<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DuplicatePage {
    pub pairs: Vec<DuplicatePair>,
    pub total: i64,
}

/// What a scan found.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct ScanReport {
    pub people: i64,
    pub candidate_pairs: i64,
    pub likely_pairs: i64,
}

pub(crate) fn record(r: &MatchRow) -> dedupe::Person {
    dedupe::member(
        &r.full_name,
        r.latin_name.as_deref(),
        r.birth_date.as_deref(),
        r.phone.as_deref(),
        r.national_id.as_deref(),
        r.gender.as_deref(),
        r.occupation_code.as_deref(),
    )
}

/// A score as shown: to a tenth.
fn tenths(score: f64) -> f64 {
    (score * 10.0).round() / 10.0
}

/// The likely pairs among `people`: (i, j, score), i < j.
pub(crate) fn likely_pairs(people: &[dedupe::Person]) -> (usize, Vec<(u32, u32, f64)>) {
    let tf = Frequencies::of(people);
    let candidates = candidate_pairs(people);
    let n = candidates.len();
    let pairs = candidates
        .into_iter()
        .filter_map(|(i, j)| {
            let s = score_with(&people[i as usize], &people[j as usize], &tf);
            (s >= THRESHOLD).then_some((i, j, s))
        })
        .collect();
    (n, pairs)
}

/// The tree the actor works in: their unit's, or each tree for an instance admin.
pub(crate) async fn trees_of(conn: &mut Conn, actor: &Actor) -> Result<Vec<i64>, AppError> {
    Ok(match actor.unit_id {
        Some(u) => units::by_id(conn, u)
            .await?
            .map(|u| vec![u.tree_id])
            .unwrap_or_default(),
        None => units::list(conn, actor.scope())
            .await?
            .into_iter()
            .filter(|u| u.parent_id.is_none())
            .map(|u| u.id)
            .collect(),
    })
}

async fn side(conn: &mut Conn, actor: &Actor, id: i64) -> Result<PairSide, AppError> {
    let (p, m) = crate::members::find_member(conn, actor, id).await?;
    let workplace = crate::members::workplace_code(conn, p.fields.workplace_id).await?;
    Ok(PairSide {
        id,
        person: PersonView::of(p.fields, workplace, actor),
        unit_code: m.unit_code,
        status: m.status,
        member_number: m.member_number,
        joined_on: m.joined_on,
    })
}

fn differences(a: &PairSide, b: &PairSide) -> Vec<String> {
    let fields: [(&str, Option<&str>, Option<&str>); 12] = [
        (
            "full_name",
            Some(&a.person.full_name),
            Some(&b.person.full_name),
        ),
        (
            "latin_name",
            a.person.latin_name.as_deref(),
            b.person.latin_name.as_deref(),
        ),
        (
            "gender",
            a.person.gender.as_deref(),
            b.person.gender.as_deref(),
        ),
        (
            "birth_date",
            a.person.birth_date.as_deref(),
            b.person.birth_date.as_deref(),
        ),
        (
            "phone",
            a.person.phone.as_deref(),
            b.person.phone.as_deref(),
        ),
        (
            "email",
            a.person.email.as_deref(),
            b.person.email.as_deref(),
        ),
        (
            "national_id",
            a.person.national_id.as_deref(),
            b.person.national_id.as_deref(),
        ),
        (
            "occupation_code",
            a.person.occupation_code.as_deref(),
            b.person.occupation_code.as_deref(),
        ),
        ("unit_code", Some(&a.unit_code), Some(&b.unit_code)),
        ("status", Some(&a.status), Some(&b.status)),
        (
            "member_number",
            a.member_number.as_deref(),
            b.member_number.as_deref(),
        ),
        ("joined_on", a.joined_on.as_deref(), b.joined_on.as_deref()),
    ];
    fields
        .into_iter()
        .filter(|(_, x, y)| x != y)
        .map(|(f, _, _)| f.to_string())
        .collect()
}

/// Likely duplicates of a person about to be registered in `tree_id`, among the
/// members the actor can see, best first.
pub(crate) async fn likely_duplicates_of(
    conn: &mut Conn,
    actor: &Actor,
    tree_id: i64,
    f: &PersonFields,
    except: Option<i64>,
) -> Result<Vec<LikelyDuplicate>, AppError> {
    let me = crate::import::matcher_record(f);
    // A likely duplicate agrees on more than the name (see `dedupe::score_with`): on
    // the birth date (or the date with day and month swapped), the national id or the
    // phone. Those are the people to compare.
    let days: Vec<String> = f
        .birth_date
        .iter()
        .flat_map(|b| [Some(b.clone()), dedupe::swapped_day_month(b)])
        .flatten()
        .collect();
    let phone_key = f
        .phone
        .as_deref()
        .and_then(muster_domain::search::phone_key);
    let rows = store::candidates(
        conn,
        tree_id,
        &days,
        f.national_id.as_deref(),
        phone_key.as_deref(),
    )
    .await?;
    let tf = Frequencies::default();
    let mut found: Vec<(f64, MatchRow)> = rows
        .into_iter()
        .filter(|r| Some(r.id) != except)
        .filter_map(|r| {
            let s = score_with(&me, &record(&r), &tf);
            (s >= THRESHOLD).then_some((s, r))
        })
        .collect();
    found.sort_by(|x, y| y.0.total_cmp(&x.0));
    let mut out = Vec::new();
    for (score, r) in found.into_iter().take(5) {
        let Some(m) = members_store::current_membership(conn, r.id).await? else {
            continue;
        };
        if !units::in_scope(conn, actor.scope(), m.unit_id).await? {
            continue;
        }
        out.push(LikelyDuplicate {
            id: r.id,
            full_name: r.full_name,
            birth_date: r.birth_date,
            unit_code: m.unit_code,
            member_number: m.member_number,
            score: tenths(score),
        });
    }
    Ok(out)
}

impl App {
    /// Open pairs in the actor's subtree, surest first.
    pub async fn list_duplicates(
        &self,
        actor: &Actor,
        limit: i64,
        offset: i64,
    ) -> Result<DuplicatePage, AppError> {
        let mut conn = self.db().read().await?;
        let (rows, total) =
            store::open_pairs(&mut conn, actor.scope(), limit.clamp(1, 200), offset.max(0)).await?;
        let mut pairs = Vec::with_capacity(rows.len());
        for r in rows {
            let a = side(&mut conn, actor, r.person_a).await?;
            let b = side(&mut conn, actor, r.person_b).await?;
            pairs.push(DuplicatePair {
                differences: differences(&a, &b),
                a,
                b,
                score: tenths(r.score),
            });
        }
        Ok(DuplicatePage { pairs, total })
    }

    /// One pair, for review: both people must be in scope.
    pub async fn duplicate_pair(
        &self,
        actor: &Actor,
        a: i64,
        b: i64,
    ) -> Result<DuplicatePair, AppError> {
        let mut conn = self.db().read().await?;
        let (a, b) = (a.min(b), a.max(b));
        let sa = side(&mut conn, actor, a).await?;
        let sb = side(&mut conn, actor, b).await?;
        let score = store::pair(&mut conn, a, b).await?.map_or(0.0, |p| p.score);
        Ok(DuplicatePair {
            differences: differences(&sa, &sb),
            a: sa,
            b: sb,
            score: tenths(score),
        })
    }

    /// Records that two people are not one: the pair is not offered again.
    pub async fn dismiss_duplicate(&self, actor: &Actor, a: i64, b: i64) -> Result<(), AppError> {
        let permit = actor.permit(Permission::MergeMembers)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let (a, b) = (a.min(b), a.max(b));
        let sa = side(&mut tx, actor, a).await?;
        side(&mut tx, actor, b).await?;
        let tree = members_store::person(&mut tx, a)
            .await?
            .map_or(0, |p| p.tree_id);
        let now = tx.now().to_string();
        store::decide(&mut tx, tree, a, b, "dismissed", actor.user_id, &now).await?;
        tx.audit(
            "not_duplicate",
            "person",
            a,
            None,
            None,
            Some(serde_json::json!({ "other": b, "name": sa.person.full_name })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Merges person `drop` into person `keep`: `keep`'s fields stay and take `drop`'s
    /// where they are empty; `drop`'s memberships (as past ones), assessments, committee
    /// seats and history move to `keep`; `drop` is archived as merged.
    pub async fn merge_members(
        &self,
        actor: &Actor,
        keep: i64,
        drop: i64,
    ) -> Result<crate::members::MemberDetail, AppError> {
        let permit = actor.permit(Permission::MergeMembers)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        // Out of sight first: nobody learns of a person outside their subtree, even
        // by a merge that could not be made anyway.
        side(&mut tx, actor, keep).await?;
        side(&mut tx, actor, drop).await?;
        if keep == drop {
            return Err(AppError::field("drop", "same_person"));
        }
        let kp = members_store::person(&mut tx, keep)
            .await?
            .ok_or(AppError::NotFound("member"))?;
        let dp = members_store::person(&mut tx, drop)
            .await?
            .ok_or(AppError::NotFound("member"))?;
        if kp.tree_id != dp.tree_id {
            return Err(AppError::field("drop", "other_tree"));
        }
        let km = members_store::current_membership(&mut tx, keep)
            .await?
            .ok_or(AppError::NotFound("member"))?;
        let dm = members_store::current_membership(&mut tx, drop)
            .await?
            .ok_or(AppError::NotFound("member"))?;
        let now = tx.now().to_string();
        let mut fields = kp.fields.clone();
        let d = &dp.fields;
        macro_rules! fill {
            ($($f:ident),*) => {
                $(if fields.$f.is_none() { fields.$f = d.$f.clone(); })*
            };
        }
        fill!(
            latin_name,
            gender,
            birth_date,
            phone,
            email,
            national_id,
            region,
            address,
            occupation_code,
            sector_code,
            employment_type,
            informal_category,
            workplace_id,
            preferred_language
        );
        if fields.employment_type != kp.fields.employment_type {
            fields.informal_category = kp
                .fields
                .informal_category
                .clone()
                .or(d.informal_category.clone());
        }
        // The dropped person's membership ends: their counts leave with it (not as a
        // member leaving: they were never a second person).
        let status = Status::parse(&dm.status).unwrap_or(Status::Active);
        counters::status_delta(&mut tx, dm.unit_id, status.as_str(), -1).await?;
        if status.is_active() {
            let mut c = Bucket::of_person(d).change(dm.unit_id, Date::today());
            c.active_delta = -1;
            counters::apply(&mut tx, &c).await?;
        }
        store::fold_into(&mut tx, drop, keep, &now).await?;
        // Filling an empty workplace or employment moves the kept member's counts.
        if Status::parse(&km.status).is_ok_and(Status::is_active) {
            rebucket(
                &mut tx,
                &Bucket::of_person(&kp.fields),
                &Bucket::of_person(&fields),
                km.unit_id,
                Date::today(),
            )
            .await?;
        }
        members_store::update_person(&mut tx, keep, &fields, &now).await?;
        refresh_keys(&mut tx, keep).await?;
        let (a, b) = (keep.min(drop), keep.max(drop));
        store::decide(&mut tx, kp.tree_id, a, b, "merged", actor.user_id, &now).await?;
        tx.audit(
            "merge",
            "person",
            keep,
            Some(km.unit_id),
            Some(serde_json::json!({
                "kept": snapshot(&kp.fields, &km),
                "merged": { "id": drop, "record": snapshot(&dp.fields, &dm) },
            })),
            Some(snapshot(&fields, &km)),
        )
        .await?;
        tx.commit().await?;
        self.get_member(actor, keep).await
    }

    /// Likely duplicates of a person about to be registered in unit `unit_code`.
    pub async fn check_duplicates(
        &self,
        actor: &Actor,
        unit_code: &str,
        input: &crate::members::PersonInput,
    ) -> Result<Vec<LikelyDuplicate>, AppError> {
        if !self.checks.take(actor) {
            return Err(AppError::TooMany);
        }
        let mut conn = self.db().read().await?;
        let unit = crate::units::find_in_scope(&mut conn, actor.scope(), unit_code).await?;
        let mut check = crate::error::Check::default();
        let mut fields = crate::members::validate_person(input, &mut check);
        if !actor.role.may(Permission::ReadSensitive) {
            // Matching on a field one may not read would confirm its value by trial.
            fields.national_id = None;
        }
        likely_duplicates_of(&mut conn, actor, unit.tree_id, &fields, None).await
    }

    /// Records the likely duplicates of an import's new rows, among the members the
    /// actor can see and among the rows themselves; each flagged row goes to the
    /// import's report with the first person or row it may be. A few rows are each
    /// looked up as a registration is; many are compared with the whole subtree at once.
    pub(crate) async fn flag_duplicates(
        &self,
        actor: &Actor,
        import_id: i64,
        write_pairs: bool,
        trees: &[i64],
        incoming: Vec<NewRow>,
    ) -> Result<i64, AppError> {
        let mut conn = self.db().read().await?;
        let mut flagged = 0;
        for &tree in trees {
            let rows: Vec<&NewRow> = incoming.iter().filter(|r| r.tree_id == tree).collect();
            if rows.is_empty() {
                continue;
            }
            let found = if rows.len() <= ROW_BY_ROW {
                row_by_row(&mut conn, actor, tree, &rows).await?
            } else {
                whole_subtree(&mut conn, actor, tree, &rows).await?
            };
            let mut problems = Vec::new();
            let mut to_write = Vec::new();
            let mut seen = HashSet::new();
            for (row_index, other, score) in found {
                let me = rows[row_index];
                let (detail, other_id) = match other {
                    Other::Row(o) => (format!("row {}", rows[o].row), rows[o].person_id),
                    Other::Member(id) => (format!("#{id}"), id),
                };
                if seen.insert(me.row) {
                    flagged += 1;
                    problems.push(import_store::RowProblem {
                        row: me.row,
                        column: "full_name".into(),
                        reason: "likely_duplicate".into(),
                        detail: Some(detail),
                    });
                }
                if write_pairs && me.person_id != 0 && other_id != 0 {
                    let (a, b) = (me.person_id, other_id);
                    to_write.push((a.min(b), a.max(b), score));
                }
            }
            to_write.sort_by_key(|p| (p.0, p.1));
            to_write.dedup_by_key(|p| (p.0, p.1));
            let mut tx = self.db().begin().await?;
            import_store::add_problems(&mut tx, import_id, &problems).await?;
            if write_pairs {
                store::add_pairs(&mut tx, tree, &to_write, &now_utc()).await?;
            }
            tx.commit().await.map_err(commit_err)?;
        }
        Ok(flagged)
    }
}

/// A row an import created (or would create): its row, tree, person (0 in a dry run)
/// and fields.
pub(crate) struct NewRow {
    pub row: i64,
    pub tree_id: i64,
    pub person_id: i64,
    pub fields: PersonFields,
}

/// Up to this many new rows, an import looks each one up as a registration does;
/// beyond, comparing the whole subtree at once is quicker.
const ROW_BY_ROW: usize = 2000;

/// Whom a new row may be: another row of the file, or a registered member.
#[derive(Clone, Copy)]
enum Other {
    Row(usize),
    Member(i64),
}

/// Each row looked up among the registered members, and the rows compared with each
/// other (weighed as a registration is, without the subtree's name frequencies).
async fn row_by_row(
    conn: &mut Conn,
    actor: &Actor,
    tree: i64,
    rows: &[&NewRow],
) -> Result<Vec<(usize, Other, f64)>, AppError> {
    let by_person: HashMap<i64, usize> = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| r.person_id != 0)
        .map(|(i, r)| (r.person_id, i))
        .collect();
    let mut found = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let except = Some(r.person_id).filter(|id| *id != 0);
        for d in likely_duplicates_of(conn, actor, tree, &r.fields, except).await? {
            let other = match by_person.get(&d.id) {
                Some(o) => Other::Row(*o),
                None => Other::Member(d.id),
            };
            found.push((i, other, d.score));
        }
    }
    let people: Vec<dedupe::Person> = rows
        .iter()
        .map(|r| crate::import::matcher_record(&r.fields))
        .collect();
    let tf = Frequencies::default();
    for (i, j) in candidate_pairs(&people) {
        let s = score_with(&people[i as usize], &people[j as usize], &tf);
        if s >= THRESHOLD {
            found.push((i as usize, Other::Row(j as usize), s));
            found.push((j as usize, Other::Row(i as usize), s));
        }
    }
    Ok(found)
}

/// The rows and every member of the actor's part of the tree, compared at once.
async fn whole_subtree(
    conn: &mut Conn,
    actor: &Actor,
    tree: i64,
    rows: &[&NewRow],
) -> Result<Vec<(usize, Other, f64)>, AppError> {
    let known = store::members_of(conn, actor.scope(), tree).await?;
    let new_ids: HashSet<i64> = rows.iter().map(|r| r.person_id).collect();
    // Everyone already registered, then the file's rows.
    let mut people: Vec<dedupe::Person> = Vec::new();
    let mut who: Vec<Other> = Vec::new();
    for k in known.iter().filter(|k| !new_ids.contains(&k.id)) {
        people.push(record(k));
        who.push(Other::Member(k.id));
    }
    for (i, r) in rows.iter().enumerate() {
        people.push(crate::import::matcher_record(&r.fields));
        who.push(Other::Row(i));
    }
    let (_, pairs) = likely_pairs(&people);
    let mut found = Vec::new();
    for (i, j, s) in pairs {
        for (me, other) in [(i, j), (j, i)] {
            if let Other::Row(r) = who[me as usize] {
                found.push((r, who[other as usize], s));
            }
        }
    }
    Ok(found)
}

/// How many duplicate checks one login may ask for in a minute: a clerk registering
/// people asks a few; trying values one after another asks many.
const CHECKS_PER_MINUTE: u32 = 30;

/// Duplicate checks asked for per login in the current minute (per server process).
#[derive(Debug, Default)]
pub(crate) struct Allowance {
    minutes: std::sync::Mutex<std::collections::HashMap<String, (u64, u32)>>,
}

impl Allowance {
    /// Counts one check of `actor`; false when their minute's allowance is spent.
    fn take(&self, actor: &Actor) -> bool {
        let minute = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() / 60);
        let Ok(mut minutes) = self.minutes.lock() else {
            return true;
        };
        minutes.retain(|_, (m, _)| *m == minute);
        let used = minutes.entry(actor.username.clone()).or_insert((minute, 0));
        used.1 += 1;
        used.1 <= CHECKS_PER_MINUTE
    }
}
