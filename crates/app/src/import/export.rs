//! Members as a file: every field an import reads, in the order it reads them.

use super::*;

/// The external id an export gives a person the registry knows by no other:
/// `muster:` and their id, which an import reads back as that person.
pub fn own_external_id(person_id: i64) -> String {
    format!("muster:{person_id}")
}

pub(crate) fn own_id(external_id: &str) -> Option<i64> {
    external_id.strip_prefix("muster:")?.parse().ok()
}

/// The cells of one exported member in the order of `Field::ALL`, dates written by
/// `date` (ISO or the reader's). (The national id is there only for readers who may see
/// it: `export_members` leaves it out for the others.)
pub fn export_cells(r: &ExportRow, date: &dyn Fn(&str) -> String) -> Vec<String> {
    let f = &r.person.fields;
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    let d = |v: &Option<String>| v.as_deref().map(date).unwrap_or_default();
    Field::ALL
        .iter()
        .map(|field| match field {
            Field::ExternalId => r
                .external_id
                .clone()
                .unwrap_or_else(|| own_external_id(r.person.id)),
            Field::UnitCode => r.unit_code.clone(),
            Field::FullName => f.full_name.clone(),
            Field::LatinName => s(&f.latin_name),
            Field::Gender => s(&f.gender),
            Field::BirthDate => d(&f.birth_date),
            Field::Phone => s(&f.phone),
            Field::Email => s(&f.email),
            Field::NationalId => s(&f.national_id),
            Field::Region => s(&f.region),
            Field::Address => s(&f.address),
            Field::OccupationCode => s(&f.occupation_code),
            Field::SectorCode => s(&f.sector_code),
            Field::EmploymentType => s(&f.employment_type),
            Field::InformalCategory => s(&f.informal_category),
            Field::WorkplaceCode => s(&r.workplace_code),
            Field::PreferredLanguage => s(&f.preferred_language),
            Field::JoinedOn => d(&r.joined_on),
            Field::MemberNumber => s(&r.member_number),
            Field::Status => r.status.clone(),
        })
        .collect()
}

impl App {
    /// Every member passing the list's filters (search text included), with every field
    /// an import reads, for a download.
    pub async fn export_members(
        &self,
        actor: &Actor,
        query: &crate::members::MemberQuery,
    ) -> Result<Vec<ExportRow>, AppError> {
        let mut rows = Vec::new();
        if query.q.as_deref().is_some_and(|q| !q.trim().is_empty()) {
            // A search: its pages give the people, in its order.
            let mut q = query.clone();
            q.limit = Some(500);
            q.cursor = None;
            let mut ids = Vec::new();
            loop {
                let page = self.list_members(actor, &q).await?;
                ids.extend(page.items.iter().map(|m| m.id));
                match page.next_cursor {
                    Some(c) => q.cursor = Some(c),
                    None => break,
                }
            }
            let mut conn = self.db().read().await?;
            let rows = muster_store::members::export_people(&mut conn, &ids).await?;
            return Ok(redacted(actor, rows));
        }
        // Checks the filters as the list does.
        let mut probe = query.clone();
        probe.limit = Some(1);
        self.list_members(actor, &probe).await?;
        let filter = crate::members::filter_of(self, actor, query).await?;
        let mut conn = self.db().read().await?;
        let mut after = 0;
        loop {
            let page =
                muster_store::members::export_page(&mut conn, actor.scope(), &filter, after, 5000)
                    .await?;
            let Some(last) = page.last() else { break };
            after = last.membership_id;
            rows.extend(page);
        }
        Ok(redacted(actor, rows))
    }
}

/// Exported rows without what the actor may not read: national ids.
fn redacted(actor: &Actor, mut rows: Vec<ExportRow>) -> Vec<ExportRow> {
    if !actor.role.may(Permission::ReadSensitive) {
        for r in &mut rows {
            r.person.fields.national_id = None;
        }
    }
    rows
}
