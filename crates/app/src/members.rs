//! Members: a person and their membership in a tree, as one resource.

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
    pub full_name: String,
    pub latin_name: Option<String>,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Sensitive: shown only to roles that edit the registry.
    pub national_id: Option<String>,
    pub region: Option<String>,
    pub address: Option<String>,
    pub occupation_code: Option<String>,
    pub sector_code: Option<String>,
    pub employment_type: Option<String>,
    pub informal_category: Option<String>,
    pub workplace_code: Option<String>,
    pub preferred_language: Option<String>,
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

/// The person and current membership of `id`, if the membership lies in scope.
async fn find_member(
    conn: &mut Conn,
    actor: &Actor,
    id: i64,
) -> Result<(store::PersonRow, MembershipRow), AppError> {
    let person = store::person(conn, id).await?.filter(|p| !p.archived);
    let membership = match person {
        Some(_) => store::current_membership(conn, id).await?,
        None => None,
    };
    match (person, membership) {
        (Some(p), Some(m)) if units::in_scope(conn, actor.scope(), m.unit_id).await? => Ok((p, m)),
        _ => Err(AppError::NotFound("member")),
    }
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

async fn workplace_code(conn: &mut Conn, id: Option<i64>) -> Result<Option<String>, AppError> {
    Ok(match id {
        Some(id) => workplaces::by_id(conn, id).await?.map(|w| w.fields.code),
        None => None,
    })
}

async fn detail(conn: &mut Conn, actor: &Actor, id: i64) -> Result<MemberDetail, AppError> {
    let (p, m) = find_member(conn, actor, id).await?;
    let history = store::memberships(conn, id).await?;
    let audit = trail(conn, "person", id).await?;
    let f = p.fields;
    Ok(MemberDetail {
        id,
        workplace_code: workplace_code(conn, f.workplace_id).await?,
        full_name: f.full_name,
        latin_name: f.latin_name,
        gender: f.gender,
        birth_date: f.birth_date,
        phone: f.phone,
        email: f.email,
        national_id: f.national_id.filter(|_| actor.role.edits_registry()),
        region: f.region,
        address: f.address,
        occupation_code: f.occupation_code,
        sector_code: f.sector_code,
        employment_type: f.employment_type,
        informal_category: f.informal_category,
        preferred_language: f.preferred_language,
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
            let mut rows = store::list(&mut conn, scope, &filter, after, limit + 1).await?;
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

    pub async fn create_member(
        &self,
        actor: &Actor,
        input: NewMember,
    ) -> Result<MemberDetail, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let mut check = Check::default();
        let unit = match tx.unit(&input.unit_code).await {
            Ok(u) => Some(u),
            Err(AppError::NotFound(_)) => {
                check.fail("unit_code", "unknown_unit");
                None
            }
            Err(e) => return Err(e),
        };
        let tree_id = unit.as_ref().map_or(0, |u| u.tree_id);
        let fields = person_fields(&mut tx, actor, tree_id, &input.person, &mut check).await?;
        let joined_on = date_or_today(&mut check, "joined_on", input.joined_on.as_deref());
        let number = check.opt(
            "member_number",
            input.member_number.as_deref(),
            MemberNumber::parse,
        );
        let status = check
            .opt("status", input.status.as_deref(), Status::parse)
            .unwrap_or(Status::Active);
        if !matches!(status, Status::Active | Status::Applicant) {
            check.fail("status", "invalid_initial_status");
        }
        check.finish()?;
        let Some(unit) = unit else {
            return Err(AppError::field("unit_code", "unknown_unit"));
        };
        if !input.allow_duplicate {
            let found =
                crate::dedupe::likely_duplicates_of(&mut tx, actor, unit.tree_id, &fields, None)
                    .await?;
            if !found.is_empty() {
                return Err(AppError::LikelyDuplicate(found));
            }
        }
        let now = tx.now().to_string();
        let person_id = store::insert_person(&mut tx, unit.tree_id, &fields, &now).await?;
        let membership = NewMembership {
            tree_id: unit.tree_id,
            person_id,
            unit_id: unit.id,
            status: status.as_str().into(),
            member_number: number.map(|n| n.as_str().into()),
            joined_on: Some(joined_on.to_string()),
            recruited_by: None,
            previous_id: None,
        };
        store::insert_membership(&mut tx, &membership, &now)
            .await
            .map_err(on_conflict)?;
        let bucket = Bucket::of(
            fields.employment_type.as_deref(),
            fields.informal_category.as_deref(),
            fields.workplace_id,
        );
        if let Some(c) = status_change(&bucket, unit.id, joined_on, None, status) {
            counters::apply(&mut tx, &c).await?;
        }
        counters::status_delta(&mut tx, unit.id, status.as_str(), 1).await?;
        refresh_keys(&mut tx, person_id).await?;
        let m = store::current_membership(&mut tx, person_id)
            .await?
            .ok_or(AppError::NotFound("member"))?;
        tx.audit(
            "create",
            "person",
            person_id,
            Some(unit.id),
            None,
            Some(snapshot(&fields, &m)),
        )
        .await?;
        let created = detail(&mut tx, actor, person_id).await?;
        tx.commit().await?;
        Ok(created)
    }

    pub async fn update_member(
        &self,
        actor: &Actor,
        id: i64,
        patch: MemberPatch,
    ) -> Result<MemberDetail, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let (person, membership) = find_member(&mut tx, actor, id).await?;
        let base = input_of(
            &person.fields,
            workplace_code(&mut tx, person.fields.workplace_id).await?,
        );
        let input = patch.person.over(base);
        let mut check = Check::default();
        let fields = person_fields(&mut tx, actor, person.tree_id, &input, &mut check).await?;
        let number = match &patch.member_number {
            None => membership.member_number.clone(),
            Some(n) => check
                .opt("member_number", n.as_deref(), MemberNumber::parse)
                .map(|n| n.as_str().to_string()),
        };
        check.finish()?;
        let now = tx.now().to_string();
        store::update_person(&mut tx, id, &fields, &now).await?;
        if number != membership.member_number {
            store::set_member_number(&mut tx, membership.id, number.as_deref(), &now)
                .await
                .map_err(on_conflict)?;
        }
        if Status::parse(&membership.status).is_ok_and(Status::is_active) {
            // The member moves between employment buckets this month.
            rebucket(
                &mut tx,
                &Bucket::of_person(&person.fields),
                &Bucket::of_person(&fields),
                membership.unit_id,
                Date::today(),
            )
            .await?;
        }
        refresh_keys(&mut tx, id).await?;
        let after = store::current_membership(&mut tx, id)
            .await?
            .ok_or(AppError::NotFound("member"))?;
        tx.audit(
            "update",
            "person",
            id,
            Some(membership.unit_id),
            Some(snapshot(&person.fields, &membership)),
            Some(snapshot(&fields, &after)),
        )
        .await?;
        let updated = detail(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(updated)
    }

    pub async fn change_status(
        &self,
        actor: &Actor,
        id: i64,
        change: StatusChange,
    ) -> Result<MemberDetail, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut check = Check::default();
        let to = check.take("status", Status::parse(&change.status));
        let on = date_or_today(&mut check, "on", change.on.as_deref());
        check.finish()?;
        let Some(to) = to else {
            return Err(AppError::field("status", "invalid_status"));
        };
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let (person, m) = find_member(&mut tx, actor, id).await?;
        let from =
            Status::parse(&m.status).map_err(|_| AppError::Internal("stored status".into()))?;
        if !from.can_become(to) {
            return Err(AppError::field("status", "transition_not_allowed"));
        }
        if m.joined_on
            .as_deref()
            .is_some_and(|j| on.to_string().as_str() < j)
        {
            return Err(AppError::field("on", "before_joined"));
        }
        let now = tx.now().to_string();
        let joined = (from == Status::Applicant && to == Status::Active).then(|| on.to_string());
        let left = to.is_closed().then(|| on.to_string());
        store::set_status(
            &mut tx,
            m.id,
            to.as_str(),
            joined.as_deref(),
            left.as_deref(),
            &now,
        )
        .await?;
        counters::status_delta(&mut tx, m.unit_id, from.as_str(), -1).await?;
        counters::status_delta(&mut tx, m.unit_id, to.as_str(), 1).await?;
        let bucket = Bucket::of(
            person.fields.employment_type.as_deref(),
            person.fields.informal_category.as_deref(),
            person.fields.workplace_id,
        );
        if let Some(c) = status_change(&bucket, m.unit_id, on, Some(from), to) {
            counters::apply(&mut tx, &c).await?;
        }
        tx.audit(
            "status",
            "person",
            id,
            Some(m.unit_id),
            Some(serde_json::json!({ "status": from.as_str() })),
            Some(serde_json::json!({ "status": to.as_str(), "on": on.to_string() })),
        )
        .await?;
        let updated = detail(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Closes the current membership and opens one in another unit of the same tree,
    /// with the same status; both units must lie in the actor's scope.
    pub async fn transfer_member(
        &self,
        actor: &Actor,
        id: i64,
        t: Transfer,
    ) -> Result<MemberDetail, AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut check = Check::default();
        let on = date_or_today(&mut check, "on", t.on.as_deref());
        let number = check.opt(
            "member_number",
            t.member_number.as_deref(),
            MemberNumber::parse,
        );
        let mut tx = self.write(permit).await?;
        let (person, m) = find_member(&mut tx, actor, id).await?;
        let to = match tx.unit(&t.to_unit_code).await {
            Ok(u) => Some(u),
            Err(AppError::NotFound(_)) => {
                check.fail("to_unit_code", "unknown_unit");
                None
            }
            Err(e) => return Err(e),
        };
        if let Some(u) = &to {
            if u.tree_id != m.tree_id {
                check.fail("to_unit_code", "other_tree");
            } else if u.id == m.unit_id {
                check.fail("to_unit_code", "same_unit");
            }
        }
        let status =
            Status::parse(&m.status).map_err(|_| AppError::Internal("stored status".into()))?;
        if status.is_closed() {
            check.fail("status", "membership_closed");
        }
        if m.joined_on
            .as_deref()
            .is_some_and(|j| on.to_string().as_str() < j)
        {
            check.fail("on", "before_joined");
        }
        check.finish()?;
        let Some(to) = to else {
            return Err(AppError::field("to_unit_code", "unknown_unit"));
        };
        let now = tx.now().to_string();
        let bucket = Bucket::of(
            person.fields.employment_type.as_deref(),
            person.fields.informal_category.as_deref(),
            person.fields.workplace_id,
        );
        let number = number
            .map(|n| n.as_str().to_string())
            .or(m.member_number.clone());
        move_membership(&mut tx, &bucket, &m, to.id, on, number, &now).await?;
        refresh_keys(&mut tx, id).await?;
        tx.audit(
            "transfer",
            "person",
            id,
            Some(to.id),
            Some(serde_json::json!({ "unit_code": m.unit_code })),
            Some(serde_json::json!({ "unit_code": to.code, "on": on.to_string() })),
        )
        .await?;
        let updated = detail(&mut tx, actor, id).await?;
        tx.commit().await?;
        Ok(updated)
    }

    /// Archives a person: they leave every list and count, and stay on record.
    pub async fn archive_member(&self, actor: &Actor, id: i64) -> Result<(), AppError> {
        let permit = actor.permit(Permission::EditRegistry)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let (person, m) = find_member(&mut tx, actor, id).await?;
        let now = tx.now().to_string();
        store::archive_person(&mut tx, id, &now).await?;
        counters::status_delta(&mut tx, m.unit_id, &m.status, -1).await?;
        if Status::parse(&m.status).is_ok_and(Status::is_active) {
            let bucket = Bucket::of(
                person.fields.employment_type.as_deref(),
                person.fields.informal_category.as_deref(),
                person.fields.workplace_id,
            );
            let mut c = bucket.change(m.unit_id, Date::today());
            c.active_delta = -1;
            counters::apply(&mut tx, &c).await?;
        }
        tx.audit(
            "archive",
            "person",
            id,
            Some(m.unit_id),
            Some(snapshot(&person.fields, &m)),
            None,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

impl App {
    /// Gives every person written before sort keys existed their key; returns how many.
    pub async fn fill_sort_keys(&self) -> Result<usize, AppError> {
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

// --- Workers at workplaces, for workplace mapping ------------------------------------

/// Registers someone known at a workplace who is not a member: a person with no
/// membership, found by the workplace's pages only.
pub(crate) async fn insert_worker(
    conn: &mut Conn,
    tree_id: i64,
    full_name: &str,
    now: &str,
) -> Result<i64, AppError> {
    let fields = PersonFields {
        full_name: full_name.to_string(),
        ..PersonFields::default()
    };
    Ok(store::insert_person(conn, tree_id, &fields, now).await?)
}

/// The workplace a person works at.
pub(crate) async fn workplace_of(conn: &mut Conn, person_id: i64) -> Result<Option<i64>, AppError> {
    Ok(store::person(conn, person_id)
        .await?
        .filter(|p| !p.archived)
        .and_then(|p| p.fields.workplace_id))
}

/// Whether a person of `tree_id` lies in the actor's scope: by their current
/// membership's unit, or for someone who is not a member, by their workplace's unit.
pub(crate) async fn person_in_scope(
    conn: &mut Conn,
    actor: &Actor,
    person_id: i64,
    tree_id: i64,
) -> Result<bool, AppError> {
    let Some(p) = store::person(conn, person_id)
        .await?
        .filter(|p| !p.archived && p.tree_id == tree_id)
    else {
        return Ok(false);
    };
    let unit = match store::current_membership(conn, person_id).await? {
        Some(m) => Some(m.unit_id),
        None => match p.fields.workplace_id {
            Some(w) => workplaces::by_id(conn, w).await?.map(|w| w.fields.unit_id),
            None => None,
        },
    };
    Ok(match unit {
        Some(u) => units::in_scope(conn, actor.scope(), u).await?,
        None => false,
    })
}

/// Places a person at a workplace (and department); an active member's count moves
/// with them.
pub(crate) async fn set_workplace(
    conn: &mut Conn,
    person_id: i64,
    workplace_id: Option<i64>,
    department_id: Option<i64>,
) -> Result<(), AppError> {
    let Some(p) = store::person(conn, person_id).await? else {
        return Err(AppError::NotFound("person"));
    };
    let active = store::current_membership(conn, person_id)
        .await?
        .and_then(|m| Status::parse(&m.status).ok())
        .is_some_and(Status::is_active);
    if active && p.fields.workplace_id != workplace_id {
        if let Some(old) = p.fields.workplace_id {
            muster_store::mapping::count_member(conn, old, -1).await?;
        }
        if let Some(new) = workplace_id {
            muster_store::mapping::count_member(conn, new, 1).await?;
        }
    }
    muster_store::mapping::place_worker(conn, person_id, workplace_id, department_id).await?;
    Ok(())
}

/// Makes a worker a member of `unit` from `on`: a member elsewhere in the tree is
/// transferred (keeping their number), anyone else joins as an active member.
pub(crate) async fn join_or_move(
    conn: &mut Conn,
    person_id: i64,
    unit: &muster_store::units::UnitRow,
    on: Date,
    now: &str,
) -> Result<(), AppError> {
    let Some(person) = store::person(conn, person_id).await? else {
        return Err(AppError::NotFound("person"));
    };
    let bucket = Bucket::of(
        person.fields.employment_type.as_deref(),
        person.fields.informal_category.as_deref(),
        person.fields.workplace_id,
    );
    let current = store::current_membership(conn, person_id).await?;
    match current {
        Some(m) if m.unit_id == unit.id => {}
        Some(m) if !Status::parse(&m.status).is_ok_and(Status::is_closed) => {
            let on = on.max(
                m.joined_on
                    .as_deref()
                    .and_then(|j| Date::parse_iso(j).ok())
                    .unwrap_or(on),
            );
            move_membership(conn, &bucket, &m, unit.id, on, m.member_number.clone(), now).await?;
        }
        _ => {
            let membership = NewMembership {
                tree_id: unit.tree_id,
                person_id,
                unit_id: unit.id,
                status: Status::Active.as_str().into(),
                member_number: None,
                joined_on: Some(on.to_string()),
                recruited_by: None,
                previous_id: None,
            };
            store::insert_membership(conn, &membership, now)
                .await
                .map_err(on_conflict)?;
            if let Some(c) = status_change(&bucket, unit.id, on, None, Status::Active) {
                counters::apply(conn, &c).await?;
            }
            counters::status_delta(conn, unit.id, Status::Active.as_str(), 1).await?;
        }
    }
    refresh_keys(conn, person_id).await
}

/// Closes membership `m` as transferred on `on` and opens the next one in unit `to`
/// with the same status, moving the status and flow counters with it.
pub(crate) async fn move_membership(
    conn: &mut Conn,
    bucket: &Bucket,
    m: &MembershipRow,
    to: i64,
    on: Date,
    member_number: Option<String>,
    now: &str,
) -> Result<(), AppError> {
    let status =
        Status::parse(&m.status).map_err(|_| AppError::Internal("stored status".into()))?;
    store::close_for_transfer(conn, m.id, &on.to_string(), now).await?;
    let next = NewMembership {
        tree_id: m.tree_id,
        person_id: m.person_id,
        unit_id: to,
        status: m.status.clone(),
        member_number,
        joined_on: Some(on.to_string()),
        recruited_by: m.recruited_by,
        previous_id: Some(m.id),
    };
    store::insert_membership(conn, &next, now)
        .await
        .map_err(on_conflict)?;
    counters::status_delta(conn, m.unit_id, status.as_str(), -1).await?;
    counters::status_delta(conn, to, status.as_str(), 1).await?;
    if status.is_active() {
        let mut out = bucket.change(m.unit_id, on);
        out.transfers_out = 1;
        out.active_delta = -1;
        let mut into = bucket.change(to, on);
        into.transfers_in = 1;
        into.active_delta = 1;
        counters::apply(conn, &out).await?;
        counters::apply(conn, &into).await?;
    }
    Ok(())
}

/// The store's filter of a members query, its unit checked to lie in scope (the
/// caller has validated the query through `list_members`).
pub(crate) async fn filter_of(
    app: &App,
    actor: &Actor,
    query: &MemberQuery,
) -> Result<MemberFilter, AppError> {
    let mut conn = app.db().read().await?;
    let mut filter = MemberFilter::default();
    if let Some(code) = query.unit.as_deref().filter(|s| !s.trim().is_empty()) {
        filter.unit_id = Some(find_in_scope(&mut conn, actor.scope(), code).await?.id);
    }
    filter.status = query
        .status
        .as_deref()
        .and_then(|s| Status::parse(s).ok())
        .map(|s| s.as_str().into());
    filter.employment_type = query
        .employment_type
        .as_deref()
        .and_then(|s| EmploymentType::parse(s).ok())
        .map(|s| s.as_str().into());
    Ok(filter)
}
