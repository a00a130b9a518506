//! Members: a person and their membership in a tree, as one resource.

mod changes;
pub(crate) use changes::register;
mod person;
pub use person::PersonView;
mod lookup;
mod memberships;

pub(crate) use lookup::{find_member, member_field};

pub(crate) use memberships::{
    filter_of, insert_worker, join_or_move, move_membership, person_in_scope, set_workplace,
    workplace_of,
};

use crate::counting::{rebucket, status_change, Bucket};
use crate::error::{on_conflict, Check};
use crate::units::find_in_scope;
use crate::{page_size, Actor, App, AppError};
use muster_domain::member::{
    check_employment, parse_code, parse_email, parse_phone, EmploymentType, Gender,
    InformalCategory, MemberNumber, Status,
};
use muster_domain::unit::{optional_text, parse_locale, required_text};
use muster_domain::user::Permission;
use muster_domain::{search, Date};
use muster_store::audit::trail;
use muster_store::counters;
use muster_store::members::{
    self as store, MemberFilter, MemberListRow, MembershipRow, NewMembership, PersonFields,
};
use muster_store::search::{self as store_search, SearchCursor};
use muster_store::{units, workplaces, Conn, StoreError};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

/// One line of the members list.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MemberItem {
    pub id: i64,
    pub member_number: Option<String>,
    pub full_name: String,
    pub latin_name: Option<String>,
    pub unit_code: String,
    pub status: String,
    pub joined_on: Option<String>,
    pub employment_type: Option<String>,
    pub phone: Option<String>,
}

impl From<MemberListRow> for MemberItem {
    fn from(r: MemberListRow) -> Self {
        Self {
            id: r.person_id,
            member_number: r.member_number,
            full_name: r.full_name,
            latin_name: r.latin_name,
            unit_code: r.unit_code,
            status: r.status,
            joined_on: r.joined_on,
            employment_type: r.employment_type,
            phone: r.phone,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct MemberPage {
    pub items: Vec<MemberItem>,
    /// Pass as `cursor` for the next page; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// Names in any script (Latin input also finds names written in other scripts),
    /// member numbers, phone numbers.
    pub q: Option<String>,
    /// A unit code: that unit's whole subtree.
    pub unit: Option<String>,
    pub status: Option<String>,
    pub employment_type: Option<String>,
    /// `name`: in name order (last word first, as readers of each script expect);
    /// otherwise in order of registration. Searches keep their own order.
    pub sort: Option<String>,
    /// 1 to 500, 50 by default.
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// A membership, current or past.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MembershipView {
    pub unit_code: String,
    pub status: String,
    pub member_number: Option<String>,
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
    pub current: bool,
}

impl From<&MembershipRow> for MembershipView {
    fn from(m: &MembershipRow) -> Self {
        Self {
            unit_code: m.unit_code.clone(),
            status: m.status.clone(),
            member_number: m.member_number.clone(),
            joined_on: m.joined_on.clone(),
            left_on: m.left_on.clone(),
            current: m.is_current,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct AuditView {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// A member with everything known about them.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct MemberDetail {
    pub id: i64,
    #[serde(flatten)]
    pub person: PersonView,
    pub archived: bool,
    pub unit_code: String,
    pub status: String,
    pub member_number: Option<String>,
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
    pub history: Vec<MembershipView>,
    pub audit: Vec<AuditView>,
}

/// Person fields as typed: every one optional but the name.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PersonInput {
    pub full_name: Option<String>,
    pub latin_name: Option<String>,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub national_id: Option<String>,
    pub region: Option<String>,
    pub address: Option<String>,
    pub occupation_code: Option<String>,
    pub sector_code: Option<String>,
    pub employment_type: Option<String>,
    pub informal_category: Option<String>,
    pub workplace_code: Option<String>,
    pub preferred_language: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct NewMember {
    pub unit_code: String,
    #[serde(flatten)]
    pub person: PersonInput,
    /// ISO date; today when absent.
    pub joined_on: Option<String>,
    pub member_number: Option<String>,
    /// `applicant` or `active` (the default).
    pub status: Option<String>,
    /// Register even when a likely duplicate is already registered; otherwise the
    /// answer lists the likely duplicates and nothing is saved.
    #[serde(default)]
    pub allow_duplicate: bool,
}

/// Changes to a member: a field that is present replaces the stored value (an empty
/// string or `null` clears it); an absent field stays.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct MemberPatch {
    #[serde(flatten)]
    pub person: PatchFields,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub member_number: Option<Option<String>>,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PatchFields {
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub full_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub latin_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub gender: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub birth_date: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub national_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub region: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub occupation_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub sector_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub employment_type: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub informal_category: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub workplace_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub preferred_language: Option<Option<String>>,
}

/// Tells a field given as `null` (`Some(None)`) from one left out (`None`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

impl PatchFields {
    /// Applies the patch over the stored input, giving the full input to validate.
    fn over(self, mut base: PersonInput) -> PersonInput {
        fn set(slot: &mut Option<String>, v: Option<Option<String>>) {
            if let Some(v) = v {
                *slot = v;
            }
        }
        set(&mut base.full_name, self.full_name);
        set(&mut base.latin_name, self.latin_name);
        set(&mut base.gender, self.gender);
        set(&mut base.birth_date, self.birth_date);
        set(&mut base.phone, self.phone);
        set(&mut base.email, self.email);
        set(&mut base.national_id, self.national_id);
        set(&mut base.region, self.region);
        set(&mut base.address, self.address);
        set(&mut base.occupation_code, self.occupation_code);
        set(&mut base.sector_code, self.sector_code);
        set(&mut base.employment_type, self.employment_type);
        set(&mut base.informal_category, self.informal_category);
        set(&mut base.workplace_code, self.workplace_code);
        set(&mut base.preferred_language, self.preferred_language);
        base
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct StatusChange {
    pub status: String,
    /// ISO date of the change; today when absent.
    pub on: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct Transfer {
    pub to_unit_code: String,
    /// ISO date of the transfer; today when absent.
    pub on: Option<String>,
    /// A new member number; the current one is kept when absent.
    pub member_number: Option<String>,
}

/// Validates person input into the fields to store. The workplace must lie in the
/// same tree and in the actor's scope.
async fn person_fields(
    conn: &mut Conn,
    actor: &Actor,
    tree_id: i64,
    input: &PersonInput,
    check: &mut Check,
) -> Result<PersonFields, AppError> {
    let workplace_id = match input
        .workplace_code
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(code) => match workplaces::by_code(conn, &code.to_ascii_uppercase()).await? {
            Some(w)
                if w.tree_id == tree_id
                    && units::in_scope(conn, actor.scope(), w.fields.unit_id).await? =>
            {
                Some(w.id)
            }
            _ => {
                check.fail("workplace_code", "unknown_workplace");
                None
            }
        },
    };
    Ok(PersonFields {
        workplace_id,
        ..validate_person(input, check)
    })
}

/// Validates person input but its workplace, which the caller resolves.
pub(crate) fn validate_person(input: &PersonInput, check: &mut Check) -> PersonFields {
    let text = |check: &mut Check, field: &str, v: &Option<String>, max: usize| {
        check
            .take(field, optional_text(v.as_deref(), max))
            .flatten()
    };
    let full_name = match input.full_name.as_deref() {
        Some(n) => check.take("full_name", required_text(n, 200)),
        None => {
            check.fail("full_name", "required");
            None
        }
    };
    let employment = check.opt(
        "employment_type",
        input.employment_type.as_deref(),
        EmploymentType::parse,
    );
    let category = check.opt(
        "informal_category",
        input.informal_category.as_deref(),
        InformalCategory::parse,
    );
    check.take("informal_category", check_employment(employment, category));
    let birth_date = check.opt("birth_date", input.birth_date.as_deref(), Date::parse_iso);
    if birth_date.is_some_and(|d| d > Date::today()) {
        check.fail("birth_date", "in_future");
    }
    PersonFields {
        full_name: full_name.unwrap_or_default(),
        latin_name: text(check, "latin_name", &input.latin_name, 200),
        gender: check
            .opt("gender", input.gender.as_deref(), Gender::parse)
            .map(|g| g.as_str().into()),
        birth_date: birth_date.map(|d| d.to_string()),
        phone: check.opt("phone", input.phone.as_deref(), parse_phone),
        email: check.opt("email", input.email.as_deref(), parse_email),
        national_id: text(check, "national_id", &input.national_id, 40),
        region: text(check, "region", &input.region, 200),
        address: text(check, "address", &input.address, 500),
        occupation_code: check.opt(
            "occupation_code",
            input.occupation_code.as_deref(),
            parse_code,
        ),
        sector_code: check.opt("sector_code", input.sector_code.as_deref(), parse_code),
        employment_type: employment.map(|e| e.as_str().into()),
        informal_category: category.map(|c| c.as_str().into()),
        workplace_id: None,
        preferred_language: check
            .opt(
                "preferred_language",
                input.preferred_language.as_deref(),
                parse_locale,
            )
            .map(str::to_string),
    }
}

/// A date of something that has happened (a join, a transfer, a change of status):
/// today when not given, and never after today.
fn date_or_today(check: &mut Check, field: &str, input: Option<&str>) -> Date {
    let today = Date::today();
    match check.opt(field, input, Date::parse_iso) {
        Some(d) if d > today => {
            check.fail(field, "in_future");
            today
        }
        Some(d) => d,
        None => today,
    }
}

/// Rewrites a person's search keys from their stored name, phone and member number.
pub(crate) async fn refresh_keys(conn: &mut Conn, person_id: i64) -> Result<(), AppError> {
    let Some(p) = store::person(conn, person_id).await? else {
        return Ok(());
    };
    let current = store::current_membership(conn, person_id).await?;
    let keys = search::person_keys(
        &p.fields.full_name,
        p.fields.latin_name.as_deref(),
        p.fields.phone.as_deref(),
        current.as_ref().and_then(|m| m.member_number.as_deref()),
    );
    let unit = current.as_ref().map_or(0, |m| m.unit_id);
    store_search::set_person_keys(conn, person_id, unit, &keys).await?;
    Ok(())
}

fn input_of(p: &PersonFields, workplace_code: Option<String>) -> PersonInput {
    PersonInput {
        full_name: Some(p.full_name.clone()),
        latin_name: p.latin_name.clone(),
        gender: p.gender.clone(),
        birth_date: p.birth_date.clone(),
        phone: p.phone.clone(),
        email: p.email.clone(),
        national_id: p.national_id.clone(),
        region: p.region.clone(),
        address: p.address.clone(),
        occupation_code: p.occupation_code.clone(),
        sector_code: p.sector_code.clone(),
        employment_type: p.employment_type.clone(),
        informal_category: p.informal_category.clone(),
        workplace_code,
        preferred_language: p.preferred_language.clone(),
    }
}

pub(crate) async fn workplace_code(
    conn: &mut Conn,
    id: Option<i64>,
) -> Result<Option<String>, AppError> {
    Ok(match id {
        Some(id) => workplaces::by_id(conn, id).await?.map(|w| w.fields.code),
        None => None,
    })
}

async fn detail(conn: &mut Conn, actor: &Actor, id: i64) -> Result<MemberDetail, AppError> {
    let (p, m) = find_member(conn, actor, id).await?;
    let history = store::memberships(conn, id).await?;
    let audit = trail(conn, "person", id).await?;
    let workplace = workplace_code(conn, p.fields.workplace_id).await?;
    Ok(MemberDetail {
        id,
        person: PersonView::of(p.fields, workplace, actor),
        archived: p.archived,
        unit_code: m.unit_code.clone(),
        status: m.status.clone(),
        member_number: m.member_number.clone(),
        joined_on: m.joined_on.clone(),
        left_on: m.left_on.clone(),
        history: history.iter().map(MembershipView::from).collect(),
        audit: audit
            .into_iter()
            .map(|a| AuditView {
                at: a.at,
                actor: a.actor,
                action: a.action,
                before: a.before,
                after: a.after,
            })
            .collect(),
    })
}

/// What the audit log keeps of a member: the stored fields, never the national id.
pub(crate) fn snapshot(p: &PersonFields, m: &MembershipRow) -> serde_json::Value {
    serde_json::json!({
        "full_name": p.full_name, "latin_name": p.latin_name, "gender": p.gender,
        "birth_date": p.birth_date, "phone": p.phone, "email": p.email,
        "national_id": p.national_id.as_ref().map(|_| "***"),
        "region": p.region, "address": p.address, "occupation_code": p.occupation_code,
        "sector_code": p.sector_code, "employment_type": p.employment_type,
        "informal_category": p.informal_category, "workplace_id": p.workplace_id,
        "preferred_language": p.preferred_language, "unit_code": m.unit_code,
        "status": m.status, "member_number": m.member_number, "joined_on": m.joined_on,
        "left_on": m.left_on,
    })
}

pub(crate) fn commit_err(e: muster_store::SqlxError) -> AppError {
    AppError::Store(StoreError::from(e))
}

impl App {
    pub async fn list_members(
        &self,
        actor: &Actor,
        query: &MemberQuery,
    ) -> Result<MemberPage, AppError> {
        let mut conn = self.db().read().await?;
        let scope = actor.scope();
        let mut check = Check::default();
        let mut filter = MemberFilter::default();
        if let Some(code) = query.unit.as_deref().filter(|s| !s.trim().is_empty()) {
            match find_in_scope(&mut conn, scope, code).await {
                Ok(u) => filter.unit_id = Some(u.id),
                Err(AppError::NotFound(_)) => check.fail("unit", "unknown_unit"),
                Err(e) => return Err(e),
            }
        }
        filter.status = check
            .opt("status", query.status.as_deref(), Status::parse)
            .map(|s| s.as_str().into());
        filter.employment_type = check
            .opt(
                "employment_type",
                query.employment_type.as_deref(),
                EmploymentType::parse,
            )
            .map(|s| s.as_str().into());
        let limit = page_size(query.limit);
        let terms = query.q.as_deref().map(search::terms).unwrap_or_default();
        let cursor = query.cursor.as_deref().unwrap_or("");
        if terms.is_empty() && query.sort.as_deref() == Some("name") {
            let after = match cursor.strip_prefix('n') {
                None if cursor.is_empty() => Some((String::new(), 0)),
                None => None,
                Some(c) => c
                    .split_once('.')
                    .and_then(|(k, id)| Some((store_search::unhex(k)?, id.parse().ok()?))),
            };
            let Some(after) = after else {
                check.fail("cursor", "invalid_cursor");
                return check.finish().map(|_| MemberPage {
                    items: vec![],
                    next_cursor: None,
                });
            };
            check.finish()?;
            let narrow = match filter.unit_id.or(actor.unit_id) {
                Some(u) if store_search::is_small_subtree(&mut conn, u).await? => Some(u),
                _ => None,
            };
            let mut rows = store::list_by_name(
                &mut conn,
                scope,
                &filter,
                (&after.0, after.1),
                limit + 1,
                narrow,
            )
            .await?;
            let next = (rows.len() as i64 > limit).then(|| {
                rows.truncate(limit as usize);
                rows.last()
                    .map(|(r, key)| format!("n{}.{}", store_search::hex(key), r.person_id))
                    .unwrap_or_default()
            });
            return Ok(MemberPage {
                items: rows.into_iter().map(|(r, _)| MemberItem::from(r)).collect(),
                next_cursor: next,
            });
        }
        if terms.is_empty() {
            let after = if cursor.is_empty() {
                Some(0)
            } else {
                cursor.strip_prefix('i').and_then(|c| c.parse().ok())
            };
            let Some(after) = after else {
                check.fail("cursor", "invalid_cursor");
                return check.finish().map(|_| MemberPage {
                    items: vec![],
                    next_cursor: None,
                });
            };
            check.finish()?;
            let narrow = match filter.unit_id.or(actor.unit_id) {
                Some(u) => store_search::is_small_subtree(&mut conn, u).await?,
                None => false,
            };
            let mut rows = store::list(&mut conn, scope, &filter, after, limit + 1, narrow).await?;
            let next = (rows.len() as i64 > limit).then(|| {
                rows.truncate(limit as usize);
                format!("i{}", rows.last().map_or(0, |r| r.membership_id))
            });
            return Ok(MemberPage {
                items: rows.into_iter().map(MemberItem::from).collect(),
                next_cursor: next,
            });
        }
        let cursor = match SearchCursor::decode(cursor) {
            Some(c) => c,
            None => {
                check.fail("cursor", "invalid_cursor");
                SearchCursor::Start
            }
        };
        check.finish()?;
        let (rows, next) =
            store_search::search(&mut conn, scope, &filter, &terms, &cursor, limit).await?;
        Ok(MemberPage {
            items: rows.into_iter().map(MemberItem::from).collect(),
            next_cursor: next.map(|c| c.encode()),
        })
    }

    /// Members in scope passing the filter (no search text).
    pub async fn count_members(
        &self,
        actor: &Actor,
        status: Option<Status>,
    ) -> Result<i64, AppError> {
        let mut conn = self.db().read().await?;
        let filter = MemberFilter {
            status: status.map(|s| s.as_str().into()),
            ..MemberFilter::default()
        };
        Ok(store::count(&mut conn, actor.scope(), &filter).await?)
    }

    pub async fn get_member(&self, actor: &Actor, id: i64) -> Result<MemberDetail, AppError> {
        let mut conn = self.db().read().await?;
        detail(&mut conn, actor, id).await
    }
}

impl App {
    /// Gives every person written before sort keys existed their key; returns how many.
    pub(crate) async fn fill_sort_keys(&self) -> Result<usize, AppError> {
        let mut filled = 0;
        loop {
            let mut tx = self.db().begin().await?;
            let batch = store::missing_sort_keys(&mut tx, 5000).await?;
            if batch.is_empty() {
                return Ok(filled);
            }
            for (id, name) in &batch {
                store::set_sort_key(&mut tx, *id, &muster_domain::names::sort_key(name)).await?;
            }
            tx.commit().await.map_err(commit_err)?;
            filled += batch.len();
        }
    }
}
