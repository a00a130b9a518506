//! Enrollments updated in bulk from a file: a scheme's own list of who applied or was
//! enrolled, with their numbers, matched to members by external id or member number.
//!
//! Every row is checked before anything is written; a refused row is reported with its
//! row number (the header is row 1), its column and a reason, and the good rows load.
//! A row that says what is already recorded changes nothing, so the same file imported
//! twice changes nothing the second time.

use super::enrollments::{save, Change};
use super::{find, rule_of, tree_of};
use crate::error::Check;
use crate::import::{ProblemView, Table};
use crate::{Actor, App, AppError};
use muster_domain::calendar::{parse_ordered, Calendar, DateOrder};
use muster_domain::schemes::EnrollmentStatus;
use muster_domain::unit::optional_text;
use muster_domain::user::Permission;
use muster_domain::{string_enum, Date};
use muster_store::schemes as store;
use serde::Serialize;
use std::collections::HashSet;
use utoipa::ToSchema;

string_enum!(
    /// A column of an enrollment file, named by its header.
    Column, "unknown_field" {
        ExternalId => "external_id",
        MemberNumber => "member_number",
        Status => "status",
        SchemeNumber => "scheme_number",
        OnDay => "on_day",
        Reason => "reason",
    }
);

/// How an enrollment file is read.
#[derive(Debug, Clone)]
pub struct EnrollmentFile {
    pub calendar: Calendar,
    pub date_order: DateOrder,
    /// Check and report only; nothing is written.
    pub dry_run: bool,
    /// Other names of the columns' headers (translated ones, lower case).
    pub aliases: Vec<(String, Column)>,
}

/// What an enrollment file did, or would do when only checked.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrollmentImport {
    pub scheme: String,
    pub dry_run: bool,
    /// Data rows read.
    pub rows: i64,
    /// Rows that change where a member stands (or would).
    pub changed: i64,
    /// Rows that say what is already recorded.
    pub unchanged: i64,
    /// Rows refused, each with its problem.
    pub rejected: i64,
    pub problems: Vec<ProblemView>,
}

/// Rows written in one transaction.
const BATCH: usize = 500;

/// A row checked and ready to write.
struct Good {
    membership: muster_store::members::MembershipRow,
    before: Option<store::EnrollmentRow>,
    change: Change,
}

impl App {
    /// Updates where members stand with scheme `code` from a CSV or spreadsheet whose
    /// columns are named by header: the member by `external_id` or `member_number`,
    /// `status`, and optionally `scheme_number`, `on_day` (the file's calendar) and
    /// `reason` (needed for someone the rule does not admit).
    pub async fn import_enrollments(
        &self,
        actor: &Actor,
        code: &str,
        unit: Option<&str>,
        bytes: Vec<u8>,
        file: &EnrollmentFile,
    ) -> Result<EnrollmentImport, AppError> {
        actor.permit(Permission::EditRegistry)?;
        let mut conn = self.db().read().await?;
        let tree = tree_of(&mut conn, actor, unit).await?;
        let scheme = find(&mut conn, tree.tree_id, code).await?;
        let mut table = Table::read(bytes)?;
        let columns: Vec<Option<Column>> = table
            .headers
            .iter()
            .map(|h| column_of(h, &file.aliases))
            .collect();
        let has = |c: Column| columns.contains(&Some(c));
        let mut missing = Vec::new();
        if !has(Column::ExternalId) && !has(Column::MemberNumber) {
            missing.push("external_id".to_string());
        }
        if !has(Column::Status) {
            missing.push("status".to_string());
        }
        if !missing.is_empty() {
            return Err(AppError::BadFile {
                code: "missing_columns",
                row: None,
                names: missing,
            });
        }
        let rule = rule_of(&scheme);
        let mut report = EnrollmentImport {
            scheme: scheme.code.clone(),
            dry_run: file.dry_run,
            rows: 0,
            changed: 0,
            unchanged: 0,
            rejected: 0,
            problems: Vec::new(),
        };
        let mut good = Vec::new();
        let mut seen = HashSet::new();
        let mut record = csv::StringRecord::new();
        let mut row = 1;
        while let Some(cells) = table.next_row(&mut record) {
            row += 1;
            report.rows += 1;
            let Ok(cells) = cells else {
                report.reject(row, "", "unreadable_row", None);
                continue;
            };
            let get = |c: Column| {
                columns
                    .iter()
                    .position(|x| *x == Some(c))
                    .and_then(|i| cells.get(i))
                    .map(|v| v.trim().to_string())
                    .filter(|v| !v.is_empty())
            };
            let mut check = Check::default();
            let person = match (get(Column::ExternalId), get(Column::MemberNumber)) {
                (Some(id), _) => by_external_id(&mut conn, tree.tree_id, &id).await?,
                (None, Some(n)) => {
                    muster_store::events::person_by_number(&mut conn, tree.tree_id, &n).await?
                }
                (None, None) => {
                    check.fail("external_id", "required");
                    None
                }
            };
            let person_field = if get(Column::ExternalId).is_some() {
                "external_id"
            } else {
                "member_number"
            };
            let membership = match person {
                Some(p) => crate::members::find_member(&mut conn, actor, p)
                    .await
                    .ok()
                    .map(|(_, m)| m)
                    .filter(|m| m.tree_id == tree.tree_id),
                None => None,
            };
            if membership.is_none() && !check.has("external_id") {
                check.fail(person_field, "unknown_member");
            }
            let status = match get(Column::Status) {
                None => {
                    check.fail("status", "required");
                    None
                }
                Some(s) => check.take("status", EnrollmentStatus::parse(&s.to_lowercase())),
            };
            let number = check
                .take(
                    "scheme_number",
                    optional_text(get(Column::SchemeNumber).as_deref(), 60),
                )
                .flatten();
            let day = match get(Column::OnDay) {
                None => Some(Date::today()),
                Some(d) => check.take("on_day", parse_ordered(&d, file.calendar, file.date_order)),
            };
            if day.is_some_and(|d| d > Date::today()) {
                check.fail("on_day", "in_future");
            }
            let reason = check
                .take("reason", optional_text(get(Column::Reason).as_deref(), 500))
                .flatten();
            let (Some(membership), Some(status), Some(day)) = (membership, status, day) else {
                report.reject_all(row, check, &cells, &columns);
                continue;
            };
            let fields = check.into_fields();
            if !fields.is_empty() {
                report.reject_fields(row, fields, &cells, &columns);
                continue;
            }
            if !seen.insert(membership.person_id) {
                report.reject(row, person_field, "repeated_in_file", None);
                continue;
            }
            let admitted =
                store::admits(&mut conn, membership.person_id, tree.tree_id, (&rule, day)).await?;
            if !admitted && reason.is_none() {
                report.reject(row, "reason", "not_eligible", None);
                continue;
            }
            let before = store::enrollment(&mut conn, membership.person_id, scheme.id).await?;
            let same = before.as_ref().is_some_and(|b| {
                b.status == status.as_str()
                    && (number.is_none() || b.scheme_number == number)
                    && (b.outside_rule != 0) != admitted
            });
            if same {
                report.unchanged += 1;
                continue;
            }
            report.changed += 1;
            good.push(Good {
                membership,
                before,
                change: Change {
                    status,
                    number,
                    day,
                    admitted,
                    reason,
                },
            });
        }
        drop(conn);
        if file.dry_run {
            return Ok(report);
        }
        let mut rows = good.into_iter().peekable();
        while rows.peek().is_some() {
            let permit = actor.permit(Permission::EditRegistry)?;
            let mut tx = self.write(permit).await?;
            tx.scoped();
            for g in rows.by_ref().take(BATCH) {
                save(&mut tx, &scheme, &g.membership, g.before, g.change).await?;
            }
            tx.commit().await?;
        }
        Ok(report)
    }
}

impl EnrollmentImport {
    fn reject(&mut self, row: i64, column: &str, reason: &str, detail: Option<String>) {
        self.rejected += 1;
        self.problems.push(ProblemView {
            row,
            column: column.into(),
            reason: reason.into(),
            detail,
        });
    }

    fn reject_all(&mut self, row: i64, check: Check, cells: &[String], columns: &[Option<Column>]) {
        self.reject_fields(row, check.into_fields(), cells, columns);
    }

    /// One problem for each field at fault, the value in the file as its detail.
    fn reject_fields(
        &mut self,
        row: i64,
        fields: crate::Fields,
        cells: &[String],
        columns: &[Option<Column>],
    ) {
        self.rejected += 1;
        for (field, reason) in fields {
            let detail = Column::parse(&field)
                .ok()
                .and_then(|c| columns.iter().position(|x| *x == Some(c)))
                .and_then(|i| cells.get(i))
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty());
            self.problems.push(ProblemView {
                row,
                column: field,
                reason,
                detail,
            });
        }
    }
}

/// The column a header names: its code (case, spaces and hyphens do not matter) or one
/// of its translated names.
fn column_of(header: &str, aliases: &[(String, Column)]) -> Option<Column> {
    let key = header.trim().trim_start_matches('\u{feff}').to_lowercase();
    Column::parse(&key.replace([' ', '-'], "_"))
        .ok()
        .or_else(|| aliases.iter().find(|(a, _)| *a == key).map(|(_, c)| *c))
}

/// The person an external id names in a tree: one an export named `muster:<id>`, or
/// one imported with that id.
async fn by_external_id(
    conn: &mut muster_store::Conn,
    tree: i64,
    id: &str,
) -> Result<Option<i64>, AppError> {
    if let Some(p) = crate::import::own_id(id) {
        return Ok(Some(p));
    }
    Ok(muster_store::import::by_external_id(conn, &[(tree, id)])
        .await?
        .into_iter()
        .next()
        .map(|(_, _, p)| p))
}
