//! The one record of a person's own fields, as every view of a person shows it.

use crate::Actor;
use muster_domain::user::Permission;
use muster_store::members::PersonFields;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A person as every view of one shows them (a member's page, a pair under review): the
/// one record of a person's own fields, with what the reader may not see left out.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PersonView {
    pub full_name: String,
    pub latin_name: Option<String>,
    pub gender: Option<String>,
    pub birth_date: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// Sensitive: shown only to roles that may read it.
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

impl PersonView {
    /// The stored fields as `actor` may see them; `workplace_code` names the workplace
    /// the fields hold by id.
    pub(crate) fn of(f: PersonFields, workplace_code: Option<String>, actor: &Actor) -> Self {
        Self {
            national_id: f
                .national_id
                .filter(|_| actor.role.may(Permission::ReadSensitive)),
            full_name: f.full_name,
            latin_name: f.latin_name,
            gender: f.gender,
            birth_date: f.birth_date,
            phone: f.phone,
            email: f.email,
            region: f.region,
            address: f.address,
            occupation_code: f.occupation_code,
            sector_code: f.sector_code,
            employment_type: f.employment_type,
            informal_category: f.informal_category,
            workplace_code,
            preferred_language: f.preferred_language,
        }
    }
}
