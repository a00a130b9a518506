//! Finding a member for a use case: by id, or as a form names them (by id or member
//! number), in the actor's subtree.

use crate::{Actor, AppError};
use muster_store::members::{self as store, MembershipRow};
use muster_store::{units, Conn};

/// A member a form names by id or by member number (in tree `tree_id`): one of the
/// actor's subtree and, when `under` is given, of that unit's subtree; else the
/// field's error (`unknown_member`, `not_of_unit`). `None` when the form names none.
pub(crate) async fn member_field(
    conn: &mut Conn,
    actor: &Actor,
    check: &mut crate::error::Check,
    tree_id: Option<i64>,
    person_id: Option<i64>,
    member_number: Option<&str>,
    under: Option<i64>,
) -> Result<Option<i64>, AppError> {
    let field = if person_id.is_some() {
        "person_id"
    } else {
        "member_number"
    };
    let id = match (person_id, member_number.map(str::trim), tree_id) {
        (Some(p), _, _) => Some(p),
        (None, Some(n), Some(tree)) if !n.is_empty() => {
            match muster_store::events::person_by_number(conn, tree, n).await? {
                Some(p) => Some(p),
                None => {
                    check.fail(field, "unknown_member");
                    return Ok(None);
                }
            }
        }
        _ => return Ok(None),
    };
    let Some(p) = id else { return Ok(None) };
    if find_member(conn, actor, p).await.is_err() {
        check.fail(field, "unknown_member");
        return Ok(None);
    }
    if let Some(u) = under {
        if !muster_store::competitions::person_under(conn, p, u).await? {
            check.fail(field, "not_of_unit");
            return Ok(None);
        }
    }
    Ok(Some(p))
}

/// The person and current membership of `id`, if the membership lies in scope.
pub(crate) async fn find_member(
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
