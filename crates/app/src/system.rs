//! The instance acting for itself: the command line, the demo loader, tests and
//! benchmarks. A `System` is made from a [`Db`], which only a crate that depends on
//! `muster-store` can open: `main` can, the web crate cannot, so no request reaches
//! anything here.

use crate::{Actor, App, AppError};
use muster_store::Db;

#[derive(Clone)]
pub struct System {
    app: App,
}

impl System {
    pub fn new(db: Db) -> Self {
        Self { app: App::new(db) }
    }

    /// The application over the same database, for the use cases every actor has (a
    /// `System` derefs to it too).
    pub fn app(&self) -> &App {
        &self.app
    }

    pub fn db(&self) -> &Db {
        self.app.db()
    }

    /// The instance itself, over every tree.
    pub fn actor(&self) -> Actor {
        Actor::system()
    }

    /// The system acting within one unit's subtree.
    pub async fn actor_in(&self, code: &str) -> Result<Actor, AppError> {
        self.app.system_in(code).await
    }

    /// A case worker of one unit's subtree acting under `username` (benchmarks ask
    /// what such a login sees without a login of that name).
    pub async fn case_worker_in(&self, username: &str, code: &str) -> Result<Actor, AppError> {
        let mut a = self.app.system_in(code).await?;
        a.username = username.to_string();
        a.role = muster_domain::user::Role::CaseWorker;
        Ok(a)
    }

    /// Fills the name sort keys of members stored before they existed (at start-up).
    pub async fn fill_sort_keys(&self) -> Result<usize, AppError> {
        self.app.fill_sort_keys().await
    }

    /// Counts every unit's tallies from the records when records exist but were never
    /// tallied (a database from before the tallies), or always with `force` (after a
    /// bulk load). Answers whether it counted.
    pub async fn count_tallies(&self, force: bool) -> Result<bool, AppError> {
        let mut tx = self.db().begin().await?;
        if !force && !muster_store::tallies::missing(&mut tx).await? {
            return Ok(false);
        }
        muster_store::tallies::rebuild(&mut tx).await?;
        tx.commit().await.map_err(muster_store::StoreError::from)?;
        Ok(true)
    }

    /// Issues a bearer token for a user; only its hash is stored.
    pub async fn create_token(&self, username: &str) -> Result<String, AppError> {
        self.app.create_token(username).await
    }
}

impl std::ops::Deref for System {
    type Target = App;

    fn deref(&self) -> &App {
        &self.app
    }
}
