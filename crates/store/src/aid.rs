//! Aid: a tree's currency and approval limits per level, units' budgets, requests and
//! what was paid on them, and the tallies they make (amounts in minor units).

use crate::error::{ResultExt, StoreError};
use crate::{Conn, Scope};
use sqlx::{AssertSqlSafe, FromRow};

/// A tree's currency, when one was set.
pub async fn currency(conn: &mut Conn, tree_id: i64) -> Result<Option<String>, StoreError> {
    sqlx::query_scalar("SELECT currency FROM aid_settings WHERE tree_id = $1")
        .bind(tree_id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Sets a tree's currency and its limits per level (levels not named have none).
pub async fn set_settings(
    conn: &mut Conn,
    tree_id: i64,
    currency: &str,
    limits: &[(String, i64)],
    now: &str,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO aid_settings (tree_id, currency, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (tree_id) DO UPDATE SET currency = excluded.currency, updated_at = excluded.updated_at",
    )
    .bind(tree_id)
    .bind(currency)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    sqlx::query("DELETE FROM aid_limits WHERE tree_id = $1")
        .bind(tree_id)
        .execute(&mut *conn)
        .await
        .store()?;
    for (level, amount) in limits {
        sqlx::query("INSERT INTO aid_limits (tree_id, level, amount) VALUES ($1, $2, $3)")
            .bind(tree_id)
            .bind(level)
            .bind(amount)
            .execute(&mut *conn)
            .await
            .store()?;
    }
    Ok(())
}

/// A tree's limits by level.
pub async fn limits(conn: &mut Conn, tree_id: i64) -> Result<Vec<(String, i64)>, StoreError> {
    sqlx::query_as("SELECT level, amount FROM aid_limits WHERE tree_id = $1 ORDER BY level")
        .bind(tree_id)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// A unit and those above it, nearest first: (id, code, level).
pub async fn path_up(
    conn: &mut Conn,
    unit_id: i64,
) -> Result<Vec<(i64, String, String)>, StoreError> {
    sqlx::query_as(
        "SELECT u.id, u.code, u.level FROM unit_closure cl JOIN units u ON u.id = cl.ancestor_id \
         WHERE cl.descendant_id = $1 ORDER BY cl.depth",
    )
    .bind(unit_id)
    .fetch_all(&mut *conn)
    .await
    .store()
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct BudgetRow {
    pub id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub tree_id: i64,
    pub label: String,
    pub starts_on: String,
    pub ends_on: String,
    pub amount: i64,
    /// What approvals drawing on it committed.
    pub committed: i64,
    /// What was paid out of it.
    pub paid: i64,
}

const BUDGET: &str = "SELECT b.id, b.unit_id, u.code AS unit_code, COALESCE(u.tree_id, u.id) AS tree_id, \
     b.label, b.starts_on, b.ends_on, b.amount, \
     CAST(COALESCE((SELECT SUM(r.approved_amount) FROM aid_requests r WHERE r.budget_id = b.id \
       AND r.status IN ('approved', 'disbursed')), 0) AS BIGINT) AS committed, \
     CAST(COALESCE((SELECT SUM(r.paid) FROM aid_requests r WHERE r.budget_id = b.id), 0) AS BIGINT) AS paid \
     FROM aid_budgets b JOIN units u ON u.id = b.unit_id";

/// Budgets of units in `scope`, latest first (of one unit when asked).
pub async fn budgets(
    conn: &mut Conn,
    scope: Scope,
    unit: Option<i64>,
    limit: i64,
) -> Result<Vec<BudgetRow>, StoreError> {
    let sql = format!(
        "{BUDGET} WHERE {} AND ($2 = 0 OR b.unit_id = $2) ORDER BY b.starts_on DESC, u.code LIMIT $3",
        scope.condition("b.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(unit.unwrap_or(0))
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// The budget of `unit` whose period holds `day`.
pub async fn budget_on(
    conn: &mut Conn,
    unit: i64,
    day: &str,
) -> Result<Option<BudgetRow>, StoreError> {
    let sql = format!("{BUDGET} WHERE b.unit_id = $1 AND b.starts_on <= $2 AND b.ends_on >= $2");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(unit)
        .bind(day)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// A budget of `unit` whose period overlaps `starts_on..=ends_on`, other than `except`.
pub async fn overlapping(
    conn: &mut Conn,
    unit: i64,
    starts_on: &str,
    ends_on: &str,
    except: i64,
) -> Result<Option<i64>, StoreError> {
    sqlx::query_scalar(
        "SELECT id FROM aid_budgets WHERE unit_id = $1 AND starts_on <= $3 AND ends_on >= $2 AND id <> $4 LIMIT 1",
    )
    .bind(unit)
    .bind(starts_on)
    .bind(ends_on)
    .bind(except)
    .fetch_optional(&mut *conn)
    .await
    .store()
}

/// A budget by unit and label.
pub async fn budget_by_label(
    conn: &mut Conn,
    unit: i64,
    label: &str,
) -> Result<Option<BudgetRow>, StoreError> {
    let sql = format!("{BUDGET} WHERE b.unit_id = $1 AND b.label = $2");
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(unit)
        .bind(label)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// A budget as written, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetFields {
    pub unit_id: i64,
    pub label: String,
    pub starts_on: String,
    pub ends_on: String,
    pub amount: i64,
}

/// Writes a budget: a new one, or the amount and days of `id`.
pub async fn save_budget(
    conn: &mut Conn,
    id: Option<i64>,
    b: &BudgetFields,
    now: &str,
) -> Result<i64, StoreError> {
    match id {
        Some(id) => {
            sqlx::query(
                "UPDATE aid_budgets SET starts_on = $2, ends_on = $3, amount = $4, updated_at = $5 WHERE id = $1",
            )
            .bind(id)
            .bind(&b.starts_on)
            .bind(&b.ends_on)
            .bind(b.amount)
            .bind(now)
            .execute(&mut *conn)
            .await
            .store()?;
            Ok(id)
        }
        None => sqlx::query_scalar(
            "INSERT INTO aid_budgets (unit_id, label, starts_on, ends_on, amount, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
        )
        .bind(b.unit_id)
        .bind(&b.label)
        .bind(&b.starts_on)
        .bind(&b.ends_on)
        .bind(b.amount)
        .bind(now)
        .fetch_one(&mut *conn)
        .await
        .store(),
    }
}

/// A request as listed and shown.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct AidRow {
    pub id: i64,
    pub tree_id: i64,
    pub unit_id: i64,
    pub unit_code: String,
    pub case_id: Option<i64>,
    pub person_id: Option<i64>,
    pub name: String,
    pub kind: String,
    pub amount: Option<i64>,
    pub item: Option<String>,
    pub purpose: String,
    pub status: String,
    pub waits_on: i64,
    pub waits_code: String,
    pub requested_on: String,
    pub requested_by: String,
    pub approved_amount: Option<i64>,
    pub approver_unit_id: Option<i64>,
    pub approver_code: Option<String>,
    pub decided_by: Option<String>,
    pub decided_on: Option<String>,
    pub decision_note: Option<String>,
    pub budget_id: Option<i64>,
    pub override_reason: Option<String>,
    pub paid: i64,
}

const SELECT: &str = "SELECT r.id, r.tree_id, r.unit_id, u.code AS unit_code, r.case_id, r.person_id, \
     COALESCE(p.full_name, r.outside_name, '') AS name, r.kind, r.amount, r.item, r.purpose, r.status, \
     r.waits_on, w.code AS waits_code, r.requested_on, r.requested_by, r.approved_amount, \
     r.approver_unit_id, a.code AS approver_code, r.decided_by, r.decided_on, r.decision_note, \
     r.budget_id, r.override_reason, r.paid \
     FROM aid_requests r JOIN units u ON u.id = r.unit_id JOIN units w ON w.id = r.waits_on \
     LEFT JOIN units a ON a.id = r.approver_unit_id LEFT JOIN people p ON p.id = r.person_id";

/// What a new request writes, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAid {
    pub tree_id: i64,
    pub unit_id: i64,
    pub case_id: Option<i64>,
    pub person_id: Option<i64>,
    pub outside_name: Option<String>,
    pub kind: String,
    pub amount: Option<i64>,
    pub item: Option<String>,
    pub purpose: String,
    pub waits_on: i64,
    pub requested_on: String,
    pub requested_by: String,
}

pub async fn insert(conn: &mut Conn, n: &NewAid, now: &str) -> Result<i64, StoreError> {
    sqlx::query_scalar(
        "INSERT INTO aid_requests (tree_id, unit_id, case_id, person_id, outside_name, kind, amount, item, \
         purpose, status, waits_on, requested_on, requested_by, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'requested', $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(n.tree_id)
    .bind(n.unit_id)
    .bind(n.case_id)
    .bind(n.person_id)
    .bind(&n.outside_name)
    .bind(&n.kind)
    .bind(n.amount)
    .bind(&n.item)
    .bind(&n.purpose)
    .bind(n.waits_on)
    .bind(&n.requested_on)
    .bind(&n.requested_by)
    .bind(now)
    .fetch_one(&mut *conn)
    .await
    .store()
}

/// A request made at a unit in `scope`.
pub async fn by_id(conn: &mut Conn, scope: Scope, id: i64) -> Result<Option<AidRow>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE r.id = $2 AND {}",
        scope.holds("r.unit_id", 1)
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(id)
        .fetch_optional(&mut *conn)
        .await
        .store()
}

/// Which requests a list holds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AidFilter {
    /// Those waiting on this unit's decision.
    pub waiting_on: Option<i64>,
    /// Those made on this case.
    pub case_id: Option<i64>,
    /// Those with this status.
    pub status: Option<String>,
}

/// Requests of the scope, latest first.
pub async fn list(
    conn: &mut Conn,
    scope: Scope,
    filter: &AidFilter,
    limit: i64,
) -> Result<Vec<AidRow>, StoreError> {
    let narrowed = filter.waiting_on.is_some() || filter.case_id.is_some();
    let mut conditions = vec![if narrowed {
        scope.holds("r.unit_id", 1)
    } else {
        scope.condition("r.unit_id", 1)
    }];
    if filter.waiting_on.is_some() {
        conditions.push("r.waits_on = $2 AND r.status = 'requested'".into());
    }
    if filter.case_id.is_some() {
        conditions.push("r.case_id = $3".into());
    }
    if filter.status.is_some() {
        conditions.push("r.status = $4".into());
    }
    let sql = format!(
        "{SELECT} WHERE {} ORDER BY r.requested_on DESC, r.id DESC LIMIT $5",
        conditions.join(" AND ")
    );
    sqlx::query_as(AssertSqlSafe(sql))
        .bind(scope.param())
        .bind(filter.waiting_on.unwrap_or(0))
        .bind(filter.case_id.unwrap_or(0))
        .bind(filter.status.clone().unwrap_or_default())
        .bind(limit)
        .fetch_all(&mut *conn)
        .await
        .store()
}

/// A decision on a request, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub status: String,
    pub approved_amount: Option<i64>,
    pub approver_unit_id: i64,
    pub decided_by: String,
    pub decided_on: String,
    pub note: Option<String>,
    pub budget_id: Option<i64>,
    pub override_reason: Option<String>,
}

/// Records a decision on a request still waiting for one; false when it no longer
/// waits (decided meanwhile).
pub async fn decide(conn: &mut Conn, id: i64, d: &Decision, now: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE aid_requests SET status = $2, approved_amount = $3, approver_unit_id = $4, decided_by = $5, \
         decided_on = $6, decision_note = $7, budget_id = $8, override_reason = $9, updated_at = $10 \
         WHERE id = $1 AND status = 'requested'",
    )
    .bind(id)
    .bind(&d.status)
    .bind(d.approved_amount)
    .bind(d.approver_unit_id)
    .bind(&d.decided_by)
    .bind(&d.decided_on)
    .bind(&d.note)
    .bind(d.budget_id)
    .bind(&d.override_reason)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(done.rows_affected() == 1)
}

/// Withdraws a request still waiting.
pub async fn cancel(conn: &mut Conn, id: i64, note: &str, now: &str) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE aid_requests SET status = 'cancelled', decision_note = $2, updated_at = $3 \
         WHERE id = $1 AND status = 'requested'",
    )
    .bind(id)
    .bind(note)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct PaymentRow {
    pub id: i64,
    pub request_id: i64,
    pub method: String,
    pub amount: i64,
    pub on_day: String,
    pub reference: Option<String>,
    pub receipt: String,
    pub by_name: String,
    pub at: String,
}

/// A payment as written, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewPayment {
    pub method: String,
    pub amount: i64,
    pub on_day: String,
    pub reference: Option<String>,
    pub receipt: String,
    pub by: String,
    /// Whether it pays the request in full.
    pub settles: bool,
}

/// Records a payment and what the request has paid now; `paid_before` must still be
/// what it was read as (two desks paying at once: one of them is refused).
pub async fn pay(
    conn: &mut Conn,
    request: i64,
    paid_before: i64,
    p: &NewPayment,
    now: &str,
) -> Result<bool, StoreError> {
    let done = sqlx::query(
        "UPDATE aid_requests SET paid = paid + $3, status = CASE WHEN $4 = 1 THEN 'disbursed' ELSE status END, \
         updated_at = $5 WHERE id = $1 AND paid = $2 AND status = 'approved'",
    )
    .bind(request)
    .bind(paid_before)
    .bind(p.amount)
    .bind(i64::from(p.settles))
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    if done.rows_affected() != 1 {
        return Ok(false);
    }
    sqlx::query(
        "INSERT INTO aid_disbursements (request_id, method, amount, on_day, reference, receipt, by_name, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(request)
    .bind(&p.method)
    .bind(p.amount)
    .bind(&p.on_day)
    .bind(&p.reference)
    .bind(&p.receipt)
    .bind(&p.by)
    .bind(now)
    .execute(&mut *conn)
    .await
    .store()?;
    Ok(true)
}

/// What was paid on a request, in order.
pub async fn payments(conn: &mut Conn, request: i64) -> Result<Vec<PaymentRow>, StoreError> {
    sqlx::query_as(
        "SELECT id, request_id, method, amount, on_day, reference, receipt, by_name, at \
         FROM aid_disbursements WHERE request_id = $1 ORDER BY id",
    )
    .bind(request)
    .fetch_all(&mut *conn)
    .await
    .store()
}

/// The figures aid makes, for the tallies: requested at the asking unit on the day
/// asked; approved, paid and budgeted at the unit whose budget it is.
pub(crate) fn tally_parts(within: &dyn Fn(&str, &str) -> String) -> Vec<String> {
    vec![
        format!(
            "SELECT r.unit_id, 'aid_requests', r.requested_on, COUNT(*) FROM aid_requests r WHERE {} \
             GROUP BY r.unit_id, r.requested_on",
            within("r.unit_id", "r.requested_on")
        ),
        format!(
            "SELECT r.unit_id, 'aid_requested', r.requested_on, CAST(SUM(r.amount) AS BIGINT) FROM aid_requests r \
             WHERE r.amount IS NOT NULL AND {} GROUP BY r.unit_id, r.requested_on",
            within("r.unit_id", "r.requested_on")
        ),
        format!(
            "SELECT r.approver_unit_id, 'aid_approved', r.decided_on, CAST(SUM(r.approved_amount) AS BIGINT) \
             FROM aid_requests r WHERE r.status IN ('approved', 'disbursed') AND r.approved_amount IS NOT NULL AND {} \
             GROUP BY r.approver_unit_id, r.decided_on",
            within("r.approver_unit_id", "r.decided_on")
        ),
        format!(
            "SELECT r.approver_unit_id, 'aid_paid', d.on_day, CAST(SUM(d.amount) AS BIGINT) \
             FROM aid_disbursements d JOIN aid_requests r ON r.id = d.request_id WHERE {} \
             GROUP BY r.approver_unit_id, d.on_day",
            within("r.approver_unit_id", "d.on_day")
        ),
        format!(
            "SELECT b.unit_id, 'aid_budget', b.starts_on, CAST(SUM(b.amount) AS BIGINT) FROM aid_budgets b \
             WHERE {} GROUP BY b.unit_id, b.starts_on",
            within("b.unit_id", "b.starts_on")
        ),
    ]
}
