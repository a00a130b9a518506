//! Aid: a request for money or an item in kind, approved by an officer within the
//! limit of their unit's level (above it the request waits on the unit above), paid
//! out in one or more disbursements never above what was approved, and drawn on the
//! approving unit's budget, which nothing exceeds without a stated reason.

use crate::{string_enum, FieldError};

string_enum!(
    /// Where an aid request stands.
    AidStatus, "invalid_aid_status" {
        Requested => "requested",
        Approved => "approved",
        Rejected => "rejected",
        Disbursed => "disbursed",
        Cancelled => "cancelled",
    }
);

string_enum!(
    /// What is asked for: money, or an item given in kind (with its value when known).
    AidKind, "invalid_aid_kind" {
        Cash => "cash",
        InKind => "in_kind",
    }
);

string_enum!(
    /// How a disbursement was paid.
    PayMethod, "invalid_pay_method" {
        Cash => "cash",
        Transfer => "transfer",
        InKind => "in_kind",
    }
);

/// One level of the path from a request's unit up to its tree's top: the unit and the
/// most its officers may approve on one request (`None`: not set).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rung {
    pub unit_id: i64,
    pub limit: Option<i64>,
}

/// The most an officer of a unit may approve: its level's limit; the tree's top unit
/// approves any amount unless a limit is set for its level, a level without one
/// approves nothing.
pub fn limit_of(limit: Option<i64>, is_top: bool) -> Option<i64> {
    match (limit, is_top) {
        (Some(l), _) => Some(l),
        (None, true) => None,
        (None, false) => Some(0),
    }
}

/// The unit whose officers decide a request of `amount`: the nearest one on `path`
/// (the request's unit first, the tree's top last) whose limit covers it. The top
/// decides when none does, so a request never waits on nobody.
pub fn decides(path: &[Rung], amount: Option<i64>) -> Option<i64> {
    let last = path.len().saturating_sub(1);
    path.iter()
        .enumerate()
        .find(|(i, r)| {
            let amount = amount.unwrap_or(0);
            limit_of(r.limit, *i == last).is_none_or(|l| amount <= l)
        })
        .or(path.last().map(|r| (last, r)))
        .map(|(_, r)| r.unit_id)
}

/// Whether an officer whose unit may approve up to `limit` (`None`: any amount) may
/// approve `amount`.
pub fn check_limit(limit: Option<i64>, amount: i64) -> Result<(), FieldError> {
    match limit {
        Some(l) if amount > l => Err(FieldError::new("above_limit")),
        _ => Ok(()),
    }
}

/// What an approval does to the approving unit's budget: `Ok` when it fits; else the
/// reason it needs an override (no budget for the day, or over what is left).
pub fn check_budget(budget: Option<i64>, committed: i64, amount: i64) -> Result<(), &'static str> {
    match budget {
        None => Err("no_budget"),
        Some(b) if committed.saturating_add(amount) > b => Err("over_budget"),
        Some(_) => Ok(()),
    }
}

/// Whether a disbursement of `amount` may be paid on a request approved for
/// `approved` (`None`: an item in kind without a value) of which `paid` went out
/// already.
pub fn check_disbursement(
    status: AidStatus,
    approved: Option<i64>,
    paid: i64,
    amount: i64,
) -> Result<(), FieldError> {
    if status != AidStatus::Approved {
        return Err(FieldError::new("not_approved"));
    }
    match approved {
        // An item in kind without a value is given once, for nothing counted.
        None if amount != 0 => Err(FieldError::new("above_approved")),
        None => Ok(()),
        Some(_) if amount <= 0 => Err(FieldError::new("invalid_amount")),
        Some(a) if paid.saturating_add(amount) > a => Err(FieldError::new("above_approved")),
        Some(_) => Ok(()),
    }
}

/// Whether a request is paid in full once `amount` more is paid.
pub fn settled(approved: Option<i64>, paid: i64, amount: i64) -> bool {
    approved.is_none_or(|a| paid.saturating_add(amount) >= a)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(limits: &[Option<i64>]) -> Vec<Rung> {
        limits
            .iter()
            .enumerate()
            .map(|(i, l)| Rung {
                unit_id: i as i64 + 1,
                limit: *l,
            })
            .collect()
    }

    #[test]
    fn a_request_waits_on_the_nearest_unit_whose_limit_covers_it() {
        // grassroots (no limit) → district 5M → province (top, no limit set)
        let p = path(&[None, Some(5_000_000), None]);
        assert_eq!(decides(&p, Some(2_000_000)), Some(2));
        assert_eq!(decides(&p, Some(5_000_000)), Some(2));
        assert_eq!(decides(&p, Some(5_000_001)), Some(3));
        // An item in kind without a value is decided where it is asked, when that level
        // may approve at all.
        assert_eq!(decides(&path(&[Some(0), Some(10)]), None), Some(1));
        // A top with a limit too low still decides: nobody above it.
        assert_eq!(decides(&path(&[Some(10), Some(100)]), Some(1000)), Some(2));
    }

    #[test]
    fn limits_budgets_and_disbursements_are_guarded() {
        assert_eq!(limit_of(None, true), None);
        assert_eq!(limit_of(None, false), Some(0));
        assert!(check_limit(Some(5), 5).is_ok());
        assert_eq!(check_limit(Some(5), 6).unwrap_err().code, "above_limit");
        assert!(check_limit(None, i64::MAX).is_ok());
        assert_eq!(check_budget(None, 0, 1), Err("no_budget"));
        assert_eq!(check_budget(Some(100), 60, 41), Err("over_budget"));
        assert_eq!(check_budget(Some(100), 60, 40), Ok(()));
        let approved = AidStatus::Approved;
        assert!(check_disbursement(approved, Some(100), 60, 40).is_ok());
        assert_eq!(
            check_disbursement(approved, Some(100), 60, 41)
                .unwrap_err()
                .code,
            "above_approved"
        );
        assert_eq!(
            check_disbursement(AidStatus::Requested, Some(100), 0, 1)
                .unwrap_err()
                .code,
            "not_approved"
        );
        assert_eq!(
            check_disbursement(AidStatus::Rejected, Some(100), 0, 1)
                .unwrap_err()
                .code,
            "not_approved"
        );
        assert_eq!(
            check_disbursement(approved, Some(100), 0, 0)
                .unwrap_err()
                .code,
            "invalid_amount"
        );
        assert!(check_disbursement(approved, None, 0, 0).is_ok());
        assert!(settled(None, 0, 0));
        assert!(!settled(Some(100), 60, 39));
        assert!(settled(Some(100), 60, 40));
    }
}
