//! What each membership change does to the monthly counters.

use muster_domain::member::Status;
use muster_domain::Date;
use muster_store::counters::{self, CountChange};
use muster_store::members::PersonFields;
use muster_store::{Conn, StoreError};

/// The employment bucket a person is counted in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Bucket {
    pub employment_type: String,
    pub informal_category: String,
    /// The workplace whose member count the person is in.
    pub workplace_id: Option<i64>,
}

impl Bucket {
    pub fn of(
        employment_type: Option<&str>,
        informal_category: Option<&str>,
        workplace_id: Option<i64>,
    ) -> Self {
        Self {
            employment_type: employment_type.unwrap_or("").into(),
            informal_category: informal_category.unwrap_or("").into(),
            workplace_id,
        }
    }

    pub fn change(&self, unit_id: i64, day: Date) -> CountChange {
        CountChange {
            unit_id,
            day: day.to_string(),
            employment_type: self.employment_type.clone(),
            informal_category: self.informal_category.clone(),
            workplace_id: self.workplace_id,
            ..CountChange::default()
        }
    }
}

impl Bucket {
    /// The bucket of a person as stored.
    pub fn of_person(f: &PersonFields) -> Self {
        Self::of(
            f.employment_type.as_deref(),
            f.informal_category.as_deref(),
            f.workplace_id,
        )
    }
}

/// An active member of unit `unit_id` moving from bucket `old` to `new` on `day`: one
/// out of the first, one into the second. Nothing when they are the same.
pub(crate) async fn rebucket(
    conn: &mut Conn,
    old: &Bucket,
    new: &Bucket,
    unit_id: i64,
    day: Date,
) -> Result<(), StoreError> {
    if old == new {
        return Ok(());
    }
    let mut out = old.change(unit_id, day);
    out.active_delta = -1;
    let mut into = new.change(unit_id, day);
    into.active_delta = 1;
    counters::apply(conn, &out).await?;
    counters::apply(conn, &into).await
}

/// A status change from `from` (None: a new membership) to `to` in one unit.
/// Joins are members becoming active who were not merely lapsed or suspended; leaves
/// are active members whose membership ends. Lapses and returns move only the active count.
pub(crate) fn status_change(
    bucket: &Bucket,
    unit_id: i64,
    day: Date,
    from: Option<Status>,
    to: Status,
) -> Option<CountChange> {
    let was_active = from.is_some_and(Status::is_active);
    let mut c = bucket.change(unit_id, day);
    match (was_active, to.is_active()) {
        (false, true) => {
            c.active_delta = 1;
            c.joins = i64::from(!matches!(from, Some(Status::Lapsed | Status::Suspended)));
        }
        (true, false) => {
            c.active_delta = -1;
            c.leaves = i64::from(to.is_closed());
        }
        _ => return None,
    }
    Some(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_leaves_and_lapses() {
        let b = Bucket::of(Some("informal"), Some("domestic"), None);
        let m = || Date::parse_iso("2024-05-15").unwrap();
        let join = status_change(&b, 1, m(), None, Status::Active).unwrap();
        assert_eq!((join.joins, join.active_delta), (1, 1));
        assert!(status_change(&b, 1, m(), None, Status::Applicant).is_none());
        let lapse = status_change(&b, 1, m(), Some(Status::Active), Status::Lapsed).unwrap();
        assert_eq!((lapse.leaves, lapse.active_delta), (0, -1));
        let back = status_change(&b, 1, m(), Some(Status::Lapsed), Status::Active).unwrap();
        assert_eq!((back.joins, back.active_delta), (0, 1));
        let quit = status_change(&b, 1, m(), Some(Status::Active), Status::Resigned).unwrap();
        assert_eq!((quit.leaves, quit.active_delta), (1, -1));
        assert!(status_change(&b, 1, m(), Some(Status::Lapsed), Status::Resigned).is_none());
    }
}
