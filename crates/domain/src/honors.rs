//! Honors: categories of a tree (exemplary worker, long service), calls for
//! nominations with a quota per nominating unit, approval up the tree level by level,
//! and the award with a certificate whose code a public page confirms.

use crate::{string_enum, FieldError};

string_enum!(
    /// Where a nomination stands.
    NominationStatus, "invalid_nomination_status" {
        Pending => "pending",
        Approved => "approved",
        Rejected => "rejected",
        Awarded => "awarded",
        Withdrawn => "withdrawn",
    }
);

impl NominationStatus {
    /// Whether the nomination takes one of its unit's places in the quota.
    pub fn counts_to_quota(self) -> bool {
        !matches!(
            self,
            NominationStatus::Rejected | NominationStatus::Withdrawn
        )
    }
}

/// Whether a unit may nominate one more person when it already holds `taken` places of
/// `quota`.
pub fn check_quota(quota: i64, taken: i64) -> Result<(), FieldError> {
    if taken >= quota {
        Err(FieldError::new("over_quota"))
    } else {
        Ok(())
    }
}

/// A quota: none to a thousand nominations per unit.
pub fn check_quota_value(quota: i64) -> Result<i64, FieldError> {
    if (0..=1000).contains(&quota) {
        Ok(quota)
    } else {
        Err(FieldError::new("out_of_range"))
    }
}

/// Who approves next: the units from the nominating unit's parent up to the call's
/// unit, nearest first (`chain`), after `approved` of them have. `None` once the call's
/// unit has approved. A nomination by the call's own unit is approved by that unit.
pub fn next_approver(chain: &[i64], call_unit: i64, approved: usize) -> Option<i64> {
    if chain.is_empty() {
        return (approved == 0).then_some(call_unit);
    }
    chain.get(approved).copied()
}

/// Whether a nomination may move from `from` by the act named.
pub fn check_step(from: NominationStatus, act: &str) -> Result<(), FieldError> {
    use NominationStatus::*;
    let ok = match act {
        "approve" | "reject" => from == Pending,
        "award" => from == Approved,
        "withdraw" => matches!(from, Pending | Approved),
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(FieldError::new("not_allowed_now"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approval_climbs_the_chain_to_the_call_unit() {
        // A grassroots unit 30 under a county 20 under the province 10 that called.
        let chain = [20, 10];
        assert_eq!(next_approver(&chain, 10, 0), Some(20));
        assert_eq!(next_approver(&chain, 10, 1), Some(10));
        assert_eq!(next_approver(&chain, 10, 2), None);
        // The province nominating for its own call approves it itself.
        assert_eq!(next_approver(&[], 10, 0), Some(10));
        assert_eq!(next_approver(&[], 10, 1), None);
    }

    #[test]
    fn quota_counts_what_is_not_rejected() {
        assert!(check_quota(2, 1).is_ok());
        assert_eq!(check_quota(2, 2).unwrap_err().code, "over_quota");
        assert_eq!(check_quota(0, 0).unwrap_err().code, "over_quota");
        assert!(NominationStatus::Awarded.counts_to_quota());
        assert!(!NominationStatus::Rejected.counts_to_quota());
    }

    #[test]
    fn steps_follow_the_status() {
        use NominationStatus::*;
        assert!(check_step(Pending, "approve").is_ok());
        assert!(check_step(Approved, "award").is_ok());
        assert_eq!(
            check_step(Pending, "award").unwrap_err().code,
            "not_allowed_now"
        );
        assert_eq!(
            check_step(Awarded, "withdraw").unwrap_err().code,
            "not_allowed_now"
        );
        assert_eq!(
            check_step(Rejected, "approve").unwrap_err().code,
            "not_allowed_now"
        );
    }
}
