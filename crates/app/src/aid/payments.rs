//! Payments on approved requests: never above what was approved, each with a receipt
//! a desk prints.

use super::requests::{answer, day_or_today, find, AidView};
use super::{currency_of, money};
use crate::error::Check;
use crate::{Actor, App, AppError};
use muster_domain::aid::{check_disbursement, settled, AidStatus, PayMethod};
use muster_domain::money::parse_amount;
use muster_domain::unit::optional_text;
use muster_domain::user::Permission;
use muster_store::aid as store;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct PaymentView {
    pub id: i64,
    /// `cash`, `transfer`, `in_kind`.
    pub method: String,
    pub amount: String,
    pub on_day: String,
    pub reference: Option<String>,
    pub receipt: String,
    pub by: String,
}

/// What a printed receipt says.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema, PartialEq)]
pub struct ReceiptView {
    pub receipt: String,
    pub request_id: i64,
    pub name: String,
    pub paid_by_unit: String,
    pub kind: String,
    pub item: Option<String>,
    pub method: String,
    pub currency: String,
    pub amount: String,
    pub on_day: String,
    pub reference: Option<String>,
    pub by: String,
}

#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
pub struct PayInput {
    /// `cash`, `transfer` or `in_kind`.
    pub method: Option<String>,
    /// What is still to pay when not given.
    pub amount: Option<String>,
    /// Today when not given.
    pub on_day: Option<String>,
    /// A transfer's reference, a voucher's number.
    pub reference: Option<String>,
}

pub(super) fn payment_view(p: store::PaymentRow, currency: &str) -> PaymentView {
    PaymentView {
        id: p.id,
        method: p.method,
        amount: money(p.amount, currency),
        on_day: p.on_day,
        reference: p.reference,
        receipt: p.receipt,
        by: p.by_name,
    }
}

impl App {
    /// Pays out on an approved request (all that is left when no amount is given),
    /// never above what was approved, with a receipt.
    pub async fn pay_aid(
        &self,
        actor: &Actor,
        id: i64,
        input: PayInput,
    ) -> Result<AidView, AppError> {
        let permit = actor.permit(Permission::Casework)?;
        let mut tx = self.write(permit).await?;
        let actor = tx.scoped();
        let r = find(&mut tx, actor, id).await?;
        let currency = currency_of(&mut tx, r.tree_id).await?;
        let status = AidStatus::parse(&r.status).map_err(|e| AppError::Internal(e.code.into()))?;
        let mut check = Check::default();
        let method = match input
            .method
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => {
                check.fail("method", "required");
                None
            }
            Some(m) => check.take("method", PayMethod::parse(m)),
        };
        let amount = match input
            .amount
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Some(r.approved_amount.map_or(0, |a| a - r.paid)),
            Some(a) => check.take("amount", parse_amount(a, &currency)),
        };
        if let Some(a) = amount {
            if let Err(e) = check_disbursement(status, r.approved_amount, r.paid, a) {
                check.fail(
                    if e.code == "not_approved" {
                        "status"
                    } else {
                        "amount"
                    },
                    e.code,
                );
            }
        }
        let on = day_or_today(&mut check, "on_day", input.on_day.as_deref());
        if let (Some(d), Some(decided)) = (on, r.decided_on.as_deref()) {
            if d.to_string().as_str() < decided {
                check.fail("on_day", "before_approval");
            }
        }
        let reference = check
            .take("reference", optional_text(input.reference.as_deref(), 100))
            .flatten();
        check.finish()?;
        let (Some(method), Some(amount), Some(on), Some(unit)) =
            (method, amount, on, r.approver_unit_id)
        else {
            return Err(AppError::Internal("checked payment".into()));
        };
        let now = tx.now().to_string();
        let day = on.to_string();
        let payment = store::NewPayment {
            method: method.as_str().into(),
            amount,
            on_day: day.clone(),
            reference,
            receipt: crate::events::desk::new_ticket(),
            by: actor.username().into(),
            settles: settled(r.approved_amount, r.paid, amount),
        };
        let done = store::pay(&mut tx, r.id, r.paid, &payment, &now).await?;
        if !done {
            return Err(AppError::Conflict {
                field: "amount".into(),
                code: "paid_meanwhile".into(),
            });
        }
        tx.recount_on(unit, &day);
        tx.audit(
            "disburse",
            "aid_request",
            r.id,
            Some(unit),
            None,
            Some(serde_json::json!({ "amount": money(amount, &currency), "method": method.as_str(), "receipt": payment.receipt })),
        )
        .await?;
        let v = answer(&mut tx, r.id).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// A receipt of a payment on a request of the caller's subtree.
    pub async fn aid_receipt(
        &self,
        actor: &Actor,
        id: i64,
        receipt: &str,
    ) -> Result<ReceiptView, AppError> {
        let mut conn = self.db().read().await?;
        let r = find(&mut conn, actor, id).await?;
        let currency = currency_of(&mut conn, r.tree_id).await?;
        let p = store::payments(&mut conn, r.id)
            .await?
            .into_iter()
            .find(|p| p.receipt == receipt)
            .ok_or(AppError::NotFound("receipt"))?;
        Ok(ReceiptView {
            receipt: p.receipt,
            request_id: r.id,
            name: r.name,
            paid_by_unit: r.approver_code.unwrap_or(r.unit_code),
            kind: r.kind,
            item: r.item,
            method: p.method,
            currency: currency.clone(),
            amount: money(p.amount, &currency),
            on_day: p.on_day,
            reference: p.reference,
            by: p.by_name,
        })
    }
}
