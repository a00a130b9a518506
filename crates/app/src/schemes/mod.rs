//! Benefit schemes: a tree's schemes with their eligibility rules (data, checked when
//! saved), the worklist of a subtree's members who are eligible and not enrolled, and
//! each scheme's figures for a subtree and the units right below it. Where a member
//! stands with a scheme, and their milestones, are in `enrollments`.

mod enrollments;
mod import;

pub use enrollments::{
    EnrollmentInput, EnrollmentView, MilestoneInput, MilestoneQuery, MilestoneView,
};
pub use import::{Column as EnrollmentColumn, EnrollmentFile, EnrollmentImport};

use crate::error::Check;
use crate::{page_size, Actor, App, AppError};
use muster_domain::schemes::{parse_rule, schemes_named, EnrollmentStatus, Rule};
use muster_domain::unit::{optional_text, required_text};
use muster_domain::user::Permission;
use muster_domain::Date;
use muster_store::events::Named;
use muster_store::schemes::{self as store, SchemeFields, SchemeRow};
use muster_store::units::UnitRow;
use muster_store::Conn;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SchemeView {
    pub id: i64,
    /// The tree it belongs to.
    pub tree_code: String,
    pub code: String,
    pub name: String,
    pub names: BTreeMap<String, String>,
    /// Who runs it: a ministry, a board, the union.
    pub runner: Option<String>,
    /// Who is eligible, one condition a line.
    pub rule: String,
    /// The documents an application needs.
    pub documents: Option<String>,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct SchemeInput {
    /// The tree's root; the caller's tree when not given.
    pub tree_code: Option<String>,
    /// Only when adding one.
    pub code: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    pub runner: Option<String>,
    /// One condition a line: `age between 18 and 40`, `employment_type = informal`,
    /// `informal_category in domestic, construction`, `gender != male`,
    /// `birth_date before 1990-01-01`, `enrolled epfo = no`.
    pub rule: Option<String>,
    pub documents: Option<String>,
    pub link: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubtreeQuery {
    /// A unit code; the caller's own unit when not given.
    pub unit: Option<String>,
    pub limit: Option<i64>,
}

/// One member to visit.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct WorklistItem {
    pub person_id: i64,
    pub name: String,
    pub member_number: Option<String>,
    pub phone: Option<String>,
    pub unit_code: String,
    pub workplace_code: Option<String>,
    pub region: Option<String>,
    /// Where they stand with the scheme: none yet, `eligible`, `helped` or `lapsed`.
    pub status: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SchemeRollup {
    pub scheme: String,
    pub unit_code: String,
    /// The day the eligible figures were counted for, in the background after the rule
    /// last changed and each day; none when they were counted for this answer (a count
    /// is then started).
    pub counted_on: Option<String>,
    /// A count under way: (branches done, branches).
    pub counting: Option<(i64, i64)>,
    pub rows: Vec<SchemeFigures>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct SchemeFigures {
    pub unit_code: String,
    /// `total` for the unit's whole subtree, `child` for each unit right below it.
    pub row: String,
    /// Active members the rule admits today.
    pub eligible: i64,
    /// Members by where they stand: `eligible`, `helped`, `applied`, `enrolled`,
    /// `rejected`, `lapsed`.
    pub by_status: BTreeMap<String, i64>,
}

fn view(s: SchemeRow, names: &[(i64, String, String)]) -> SchemeView {
    SchemeView {
        names: names
            .iter()
            .filter(|(i, _, _)| *i == s.id)
            .map(|(_, l, n)| (l.clone(), n.clone()))
            .collect(),
        id: s.id,
        tree_code: s.tree_code,
        code: s.code,
        name: s.name,
        runner: s.runner,
        rule: s.rule,
        documents: s.documents,
        link: s.link,
    }
}

/// The caller's tree: the tree of `unit` when given (in scope), else of their unit.
pub(crate) async fn tree_of(
    conn: &mut Conn,
    actor: &Actor,
    unit: Option<&str>,
) -> Result<UnitRow, AppError> {
    match unit.filter(|u| !u.trim().is_empty()) {
        Some(code) => crate::units::find_in_scope(conn, actor.scope(), code).await,
        None => {
            let own = actor.unit_id().ok_or(AppError::field("unit", "required"))?;
            muster_store::units::by_id(conn, own)
                .await?
                .ok_or(AppError::NotFound("unit"))
        }
    }
}

/// A scheme of the tree by code.
pub(crate) async fn find(conn: &mut Conn, tree_id: i64, code: &str) -> Result<SchemeRow, AppError> {
    store::by_code(conn, tree_id, code.trim())
        .await?
        .ok_or(AppError::NotFound("scheme"))
}

/// When who the rule admits today was kept by a count of the rule in force: the moment
/// from which changes are tested again.
fn kept_since(s: &SchemeRow, today: Date) -> Option<&str> {
    // A count under way rewrites what is kept, branch by branch.
    let current = s.counted_rule.as_deref() == Some(s.rule.as_str())
        && s.counted_on.as_deref() == Some(today.to_string().as_str())
        && s.counting_since.is_none();
    s.counted_at.as_deref().filter(|_| current)
}

/// A scheme's rule as stored (it was checked when saved).
pub(crate) fn rule_of(s: &SchemeRow) -> Rule {
    parse_rule(&s.rule).unwrap_or_default()
}

/// A scheme's fields checked: each refused line of the rule named `rule.N`, a scheme
/// the rule names that the tree lacks refused on `rule`.
async fn check_fields(
    conn: &mut Conn,
    check: &mut Check,
    tree_id: i64,
    own_code: Option<&str>,
    input: &SchemeInput,
) -> Result<Option<SchemeFields>, AppError> {
    let name = check.take(
        "name",
        required_text(input.name.as_deref().unwrap_or(""), 200),
    );
    let runner = check
        .take("runner", optional_text(input.runner.as_deref(), 200))
        .flatten();
    let documents = check
        .take("documents", optional_text(input.documents.as_deref(), 2000))
        .flatten();
    let link = check
        .take("link", optional_text(input.link.as_deref(), 500))
        .flatten();
    if link
        .as_deref()
        .is_some_and(|l| !(l.starts_with("https://") || l.starts_with("http://")))
    {
        check.fail("link", "invalid_link");
    }
    let text = input.rule.clone().unwrap_or_default();
    let rule = match parse_rule(&text) {
        Ok(r) => Some(r),
        Err(errors) => {
            for e in errors {
                check.fail(&format!("rule.{}", e.line), e.code);
            }
            None
        }
    };
    if let Some(r) = &rule {
        let known: Vec<String> = store::schemes(conn, tree_id)
            .await?
            .into_iter()
            .map(|s| s.code)
            .collect();
        if schemes_named(r)
            .iter()
            .any(|c| Some(*c) == own_code || !known.iter().any(|k| k == c))
        {
            check.fail("rule", "unknown_scheme");
        }
    }
    Ok(match (name, rule) {
        (Some(name), Some(_)) => Some(SchemeFields {
            name,
            runner,
            rule: text.trim().to_string(),
            documents,
            link,
        }),
        _ => None,
    })
}

impl App {
    /// The schemes of the caller's tree (of every tree for an instance-wide caller).
    pub async fn schemes(&self, actor: &Actor) -> Result<Vec<SchemeView>, AppError> {
        let mut conn = self.db().read().await?;
        let tree = match actor.unit_id() {
            None => 0,
            Some(own) => {
                muster_store::units::by_id(&mut conn, own)
                    .await?
                    .ok_or(AppError::NotFound("unit"))?
                    .tree_id
            }
        };
        let rows = store::schemes(&mut conn, tree).await?;
        let ids: Vec<i64> = rows.iter().map(|s| s.id).collect();
        let names = muster_store::events::names(&mut conn, Named::Scheme, &ids).await?;
        Ok(rows.into_iter().map(|s| view(s, &names)).collect())
    }

    /// One scheme of the caller's tree (of the tree of `unit` when given).
    pub async fn scheme(
        &self,
        actor: &Actor,
        code: &str,
        unit: Option<&str>,
    ) -> Result<SchemeView, AppError> {
        let mut conn = self.db().read().await?;
        let tree = tree_of(&mut conn, actor, unit).await?;
        let s = find(&mut conn, tree.tree_id, code).await?;
        let names = muster_store::events::names(&mut conn, Named::Scheme, &[s.id]).await?;
        Ok(view(s, &names))
    }

    /// Adds a scheme to a tree, or changes one (`existing`): by the tree's top officer.
    pub async fn save_scheme(
        &self,
        actor: &Actor,
        existing: Option<&str>,
        input: SchemeInput,
    ) -> Result<SchemeView, AppError> {
        let permit = actor.permit(Permission::ManageUnits)?;
        let mut tx = self.write(permit).await?;
        let root = tx.tree_root(input.tree_code.as_deref()).await?;
        let before = match existing {
            Some(code) => Some(find(&mut tx, root.tree_id, code).await?),
            None => None,
        };
        let mut check = Check::default();
        let code = match &before {
            Some(b) => Some(b.code.clone()),
            None => check.take(
                "code",
                crate::honors::code_of(input.code.as_deref().unwrap_or("")),
            ),
        };
        let fields =
            check_fields(&mut tx, &mut check, root.tree_id, code.as_deref(), &input).await?;
        let names = crate::events::check_names(&mut check, &input.names);
        check.finish()?;
        let (Some(code), Some(fields)) = (code, fields) else {
            return Err(AppError::Internal("checked scheme".into()));
        };
        let now = tx.now().to_string();
        let id = match &before {
            Some(b) => {
                store::update(&mut tx, b.id, &fields, &now).await?;
                muster_store::events::clear_names(&mut tx, Named::Scheme, b.id).await?;
                b.id
            }
            None => {
                if store::by_code(&mut tx, root.tree_id, &code)
                    .await?
                    .is_some()
                {
                    return Err(AppError::Conflict {
                        field: "code".into(),
                        code: "taken".into(),
                    });
                }
                store::insert(&mut tx, root.tree_id, &code, &fields, &now).await?
            }
        };
        for (l, n) in &names {
            muster_store::events::set_name(&mut tx, Named::Scheme, id, l, n).await?;
        }
        tx.audit(
            if before.is_some() { "update" } else { "create" },
            "scheme",
            id,
            Some(root.id),
            before
                .as_ref()
                .map(|b| serde_json::json!({ "name": b.name, "rule": b.rule })),
            Some(serde_json::json!({ "code": code, "name": fields.name, "rule": fields.rule })),
        )
        .await?;
        let row = find(&mut tx, root.tree_id, &code).await?;
        let names = muster_store::events::names(&mut tx, Named::Scheme, &[id]).await?;
        tx.commit().await?;
        // The rule may have changed: who it admits is counted again, off the request.
        self.count_in_background(id);
        Ok(view(row, &names))
    }

    /// Members of a subtree the scheme's rule admits today who are not enrolled, have
    /// not applied and were not turned down: by unit, then workplace or area.
    pub async fn scheme_worklist(
        &self,
        actor: &Actor,
        code: &str,
        q: &SubtreeQuery,
    ) -> Result<Vec<WorklistItem>, AppError> {
        let mut conn = self.db().read().await?;
        let unit = tree_of(&mut conn, actor, q.unit.as_deref()).await?;
        let s = find(&mut conn, unit.tree_id, code).await?;
        let rule = rule_of(&s);
        let today = Date::today();
        let limit = page_size(q.limit);
        let rows = match kept_since(&s, today) {
            Some(since) => {
                store::worklist_kept(
                    &mut conn,
                    unit.id,
                    s.id,
                    limit,
                    unit.tree_id,
                    (&rule, today),
                    since,
                )
                .await?
            }
            None => {
                // Read live for this answer; the count for the next ones starts.
                self.count_in_background(s.id);
                store::worklist(
                    &mut conn,
                    unit.id,
                    s.id,
                    limit,
                    unit.tree_id,
                    (&rule, today),
                )
                .await?
            }
        };
        Ok(rows
            .into_iter()
            .map(|r| WorklistItem {
                person_id: r.person_id,
                name: r.full_name,
                member_number: r.member_number,
                phone: r.phone,
                unit_code: r.unit_code,
                workplace_code: r.workplace_code,
                region: r.region,
                status: r.status,
            })
            .collect())
    }

    /// A scheme's figures for a subtree and each unit right below it: who the rule
    /// admits today, and members by where they stand with it.
    pub async fn scheme_rollup(
        &self,
        actor: &Actor,
        code: &str,
        q: &SubtreeQuery,
    ) -> Result<SchemeRollup, AppError> {
        let mut conn = self.db().read().await?;
        let unit = tree_of(&mut conn, actor, q.unit.as_deref()).await?;
        let s = find(&mut conn, unit.tree_id, code).await?;
        let children = muster_store::governance::children(&mut conn, unit.id).await?;
        let mut roots = vec![(unit.id, unit.code.clone(), "total")];
        roots.extend(children.into_iter().map(|(id, code)| (id, code, "child")));
        let ids: Vec<i64> = roots.iter().map(|(id, _, _)| *id).collect();
        let today = Date::today().to_string();
        // Counts of the rule in force are read, a day old at worst (a new count starts
        // with the day's first read); a rule changed since is read live meanwhile.
        let fresh = s.counted_rule.as_deref() == Some(s.rule.as_str());
        if fresh && s.counted_on.as_deref() != Some(today.as_str()) {
            self.count_in_background(s.id);
        }
        let eligible = if fresh {
            store::counted(&mut conn, s.id, &ids).await?
        } else {
            // Counted for this answer; the count for the next ones starts meanwhile.
            self.count_in_background(s.id);
            store::eligible_counts(&mut conn, &ids, unit.tree_id, (&rule_of(&s), Date::today()))
                .await?
        };
        let figures: Vec<String> = EnrollmentStatus::ALL
            .iter()
            .map(|st| format!("sch:{}:{}", s.id, st.as_str()))
            .collect();
        let tallied = muster_store::tallies::read(
            &mut conn,
            &ids,
            &[muster_store::tallies::Range {
                figures,
                from: Some(muster_store::cases::STATE_DAY.into()),
                to: "0000-01-02".into(),
            }],
        )
        .await?;
        let rows = roots
            .into_iter()
            .map(|(id, code, row)| SchemeFigures {
                unit_code: code,
                row: row.into(),
                eligible: eligible
                    .iter()
                    .find(|(u, _)| *u == id)
                    .map_or(0, |(_, n)| *n),
                by_status: EnrollmentStatus::ALL
                    .iter()
                    .map(|st| {
                        let key = (id, format!("sch:{}:{}", s.id, st.as_str()));
                        (
                            st.as_str().to_string(),
                            tallied.get(&key).copied().unwrap_or(0),
                        )
                    })
                    .collect(),
            })
            .collect();
        Ok(SchemeRollup {
            counted_on: s.counted_on.clone().filter(|_| fresh),
            counting: s
                .counting_since
                .is_some()
                .then_some((s.counting_done, s.counting_total)),
            scheme: s.code,
            unit_code: unit.code,
            rows,
        })
    }

    /// Starts counting a scheme's eligibility in the background (unless a count is
    /// under way).
    pub fn count_in_background(&self, scheme: i64) {
        let app = self.clone();
        tokio::spawn(async move {
            if let Err(e) = app.count_scheme(scheme).await {
                tracing::warn!(error = %e, scheme, "eligibility not counted");
            }
        });
    }

    /// Counts who a scheme's rule admits today, per unit, branch by branch of its tree
    /// (the progress is kept on the scheme), and keeps the counts the roll-ups read.
    /// False when another count is under way.
    pub async fn count_scheme(&self, scheme: i64) -> Result<bool, AppError> {
        // One count at a time, so counts started together (ten schemes saved in a row)
        // do not take every connection from the requests.
        static ONE: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
        let _turn = ONE
            .get_or_init(|| tokio::sync::Semaphore::new(1))
            .acquire()
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let s = {
            let mut conn = self.db().read().await?;
            store::by_id(&mut conn, scheme)
                .await?
                .ok_or(AppError::NotFound("scheme"))?
        };
        let now = muster_domain::date::now_utc();
        let stale = muster_domain::date::utc_in(-600);
        {
            let mut tx = self.db().begin().await?;
            let claimed = store::claim_count(&mut tx, s.id, &now, &stale).await?;
            tx.commit().await.map_err(muster_store::StoreError::from)?;
            if !claimed {
                return Ok(false);
            }
        }
        let today = Date::today();
        let rule = rule_of(&s);
        let branches = {
            let mut conn = self.db().read().await?;
            muster_store::governance::children(&mut conn, s.tree_id).await?
        };
        let total = branches.len() as i64 + 1;
        let mut counts = Vec::new();
        // The tree's own members, then branch by branch, each in a transaction of its
        // own: writers and requests get their turn between two.
        let parts = std::iter::once((s.tree_id, true))
            .chain(branches.iter().map(|(branch, _)| (*branch, false)));
        for (i, (branch, own_only)) in parts.enumerate() {
            let mut tx = self.db().begin().await?;
            counts.extend(
                store::keep_branch(&mut tx, s.id, branch, own_only, s.tree_id, (&rule, today))
                    .await?,
            );
            if i % 5 == 4 {
                store::count_progress(&mut tx, s.id, i as i64 + 1, total).await?;
            }
            tx.commit().await.map_err(muster_store::StoreError::from)?;
        }
        let mut tx = self.db().begin().await?;
        // Who changed from a little before the count began is tested again by the
        // worklists: a change committed while the count read its branch is not lost.
        store::save_counts(
            &mut tx,
            s.id,
            &counts,
            &s.rule,
            (&today.to_string(), &stale),
        )
        .await?;
        tx.commit().await.map_err(muster_store::StoreError::from)?;
        Ok(true)
    }
}
