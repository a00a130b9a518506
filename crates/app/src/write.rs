//! The one write path. A use case that changes anything first asks the actor for a
//! [`Permit`] of the permission it needs and opens a [`Write`] with it: the role is
//! checked before any input is read, units are
//! looked up through the actor's scope, and the change commits only with its audit
//! entry. A write that checked no scope or recorded no audit entry does not commit,
//! so a new module cannot forget a step without every test of it failing.

use crate::units::find_in_scope;
use crate::{audit, Actor, App, AppError};
use muster_domain::date::now_utc;
use muster_domain::user::Permission;
use muster_store::units::UnitRow;
use muster_store::{Conn, Scope, StoreError, Tx};

/// Proof that an actor holds a permission: asked for first thing in a use case, so a
/// role without it is refused before any input is read, and needed to open a write.
#[derive(Clone, Copy)]
pub(crate) struct Permit<'a> {
    actor: &'a Actor,
}

impl Actor {
    pub(crate) fn permit(&self, permission: Permission) -> Result<Permit<'_>, AppError> {
        if self.role.may(permission) {
            Ok(Permit { actor: self })
        } else {
            Err(AppError::Forbidden)
        }
    }
}

pub(crate) struct Write<'a> {
    tx: Tx,
    actor: &'a Actor,
    now: String,
    scoped: bool,
    audited: bool,
    /// Units whose tallies and computed drive figures the change may move: on every day,
    /// or (`Some`) only on the days named.
    recount: Vec<(i64, Option<Vec<String>>)>,
    /// Tallies the change moves by a known amount: (unit, figure, day, by how much).
    deltas: Vec<(i64, String, String, i64)>,
}

impl App {
    /// Opens a write for the actor of `permit`.
    pub(crate) async fn write<'a>(&self, permit: Permit<'a>) -> Result<Write<'a>, AppError> {
        let actor = permit.actor;
        Ok(Write {
            tx: self.db().begin().await?,
            actor,
            now: now_utc(),
            // An actor over the whole instance has nothing to narrow.
            scoped: actor.unit_id.is_none(),
            audited: false,
            recount: Vec::new(),
            deltas: Vec::new(),
        })
    }
}

impl<'a> Write<'a> {
    /// The actor, for lookups that narrow by its scope themselves (a use case's own
    /// `find(conn, actor, key)`); asking for it this way marks the write as narrowed.
    pub fn scoped(&mut self) -> &'a Actor {
        self.scoped = true;
        self.actor
    }

    /// The moment of the change, one for all its rows and its audit entry.
    pub fn now(&self) -> &str {
        &self.now
    }

    /// The actor's scope, for the lookups of this write. Asking for it is what marks the
    /// write as narrowed: one that never asks (nor looks a unit up here) cannot commit.
    pub fn scope(&mut self) -> Scope {
        self.scoped = true;
        self.actor.scope()
    }

    /// A unit of the actor's subtree by code; any other answers `NotFound`.
    pub async fn unit(&mut self, code: &str) -> Result<UnitRow, AppError> {
        let unit = find_in_scope(&mut self.tx, self.actor.scope(), code).await?;
        self.scoped = true;
        Ok(unit)
    }

    /// The root of a tree, for an act of its top officer: the tree named (the actor's
    /// own when not), refused unless the actor's scope is that whole tree.
    pub async fn tree_root(&mut self, tree_code: Option<&str>) -> Result<UnitRow, AppError> {
        let actor = self.scoped();
        let root = match (tree_code.filter(|c| !c.trim().is_empty()), actor.unit_id()) {
            (Some(code), _) => self.unit(code).await?,
            (None, Some(u)) => muster_store::units::by_id(&mut self.tx, u)
                .await?
                .ok_or(AppError::NotFound("unit"))?,
            (None, None) => return Err(AppError::field("tree_code", "required")),
        };
        if root.id != root.tree_id || actor.unit_id().is_some_and(|u| u != root.id) {
            return Err(AppError::Forbidden);
        }
        Ok(root)
    }

    /// Records the audit entry of the change (one or more per write).
    pub async fn audit(
        &mut self,
        action: &str,
        entity: &str,
        entity_id: i64,
        unit_id: Option<i64>,
        before: Option<serde_json::Value>,
        after: Option<serde_json::Value>,
    ) -> Result<(), AppError> {
        audit(
            &mut self.tx,
            self.actor,
            action,
            entity,
            entity_id,
            unit_id,
            before,
            after,
            &self.now,
        )
        .await?;
        self.audited = true;
        Ok(())
    }

    /// Marks a unit whose committees, meetings, decisions or action items the change
    /// touched: its governance figures and its figures in drives' computed metrics are
    /// counted again before the change commits.
    pub fn recount(&mut self, unit_id: i64) {
        match self.recount.iter_mut().find(|(u, _)| *u == unit_id) {
            Some((_, days)) => *days = None,
            None => self.recount.push((unit_id, None)),
        }
    }

    /// Like `recount`, for a change whose records count on `day` only (a check-in
    /// counts on its event's first day): the unit's other days are not read again.
    pub fn recount_on(&mut self, unit_id: i64, day: &str) {
        match self.recount.iter_mut().find(|(u, _)| *u == unit_id) {
            Some((_, None)) => {}
            Some((_, Some(days))) => {
                if !days.iter().any(|d| d == day) {
                    days.push(day.to_string());
                }
            }
            None => self.recount.push((unit_id, Some(vec![day.to_string()]))),
        }
    }

    /// Adds `by` to a unit's own tally of `figure` on `day` (and to the subtree totals of
    /// every unit above it) when the change commits: for a change whose effect on the
    /// tallies is known without counting again (a first check-in adds one to "came"),
    /// so a busy desk does not count its whole event at each person.
    pub fn add_tally(&mut self, unit_id: i64, figure: String, day: &str, by: i64) {
        self.deltas.push((unit_id, figure, day.to_string(), by));
    }

    /// Commits the change; refuses one that skipped the scope check or the audit.
    pub async fn commit(mut self) -> Result<(), AppError> {
        if !self.scoped {
            return Err(AppError::Internal(
                "a write committed without a scope check".into(),
            ));
        }
        if !self.audited {
            return Err(AppError::Internal(
                "a write committed without an audit entry".into(),
            ));
        }
        for (unit, figure, day, by) in &self.deltas {
            muster_store::tallies::add(&mut self.tx, *unit, figure, day, *by).await?;
        }
        if !self.recount.is_empty() {
            muster_store::tallies::recount(&mut self.tx, &self.recount).await?;
            let units: Vec<i64> = self.recount.iter().map(|(u, _)| *u).collect();
            muster_store::drives::recount(&mut self.tx, &units).await?;
        }
        self.tx.commit().await.map_err(StoreError::from)?;
        Ok(())
    }
}

impl std::ops::Deref for Write<'_> {
    type Target = Conn;

    fn deref(&self) -> &Conn {
        &self.tx
    }
}

impl std::ops::DerefMut for Write<'_> {
    fn deref_mut(&mut self) -> &mut Conn {
        &mut self.tx
    }
}
