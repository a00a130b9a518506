//! Storage: migrations, the SQLite file's settings, and URL handling.

use crate::on_both_backends;
use crate::support::{Backend, TempDir, TestDb};
use muster_store::Db;

on_both_backends!(
    migrations_run_once_and_again_do_nothing,
    |backend: Backend| async move {
        let t = TestDb::new(backend).await;
        let db = Db::connect(&t.url).await.unwrap();
        assert_eq!(db.migrate().await.unwrap(), 26);
        assert_eq!(db.migrate().await.unwrap(), 0);
        let versions: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM schema_migrations ORDER BY version")
                .fetch_all(db.pool())
                .await
                .unwrap();
        assert_eq!(versions, (1..=26).collect::<Vec<i64>>());
        // A schema from a newer program is refused rather than used.
        sqlx::query(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'future', 'x')",
        )
        .execute(db.pool())
        .await
        .unwrap();
        let err = Db::open(&t.url).await.unwrap_err().to_string();
        assert!(err.contains("newer"), "{err}");
    }
);

#[tokio::test]
async fn sqlite_file_uses_wal_and_foreign_keys() {
    let t = TestDb::new(Backend::Sqlite).await;
    let db = Db::open(&t.url).await.unwrap();
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    let fk: i64 = sqlx::query_scalar("PRAGMA foreign_keys")
        .fetch_one(db.pool())
        .await
        .unwrap();
    assert_eq!(fk, 1);
    let err = sqlx::query(
        "INSERT INTO unit_closure (ancestor_id, descendant_id, depth) VALUES (5, 6, 0)",
    )
    .execute(db.pool())
    .await;
    assert!(err.is_err(), "foreign keys are enforced");
}

#[tokio::test]
async fn urls_are_checked() {
    let dir = TempDir::new("url");
    let missing = dir.0.join("no-such-dir").join("muster.db");
    let err = Db::open(&missing.display().to_string())
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("directory is missing"), "{err}");
    let err = Db::open("mysql://localhost/x")
        .await
        .unwrap_err()
        .to_string();
    assert!(err.contains("unsupported database URL"), "{err}");
    assert!(!dir.0.join("no-such-dir").exists(), "nothing was created");
}

on_both_backends!(
    a_database_of_the_previous_schema_keeps_its_data,
    |backend: Backend| async move {
        let t = TestDb::new(backend).await;
        let db = Db::connect(&t.url).await.unwrap();
        assert_eq!(db.migrate_up_to(1).await.unwrap(), 1);
        sqlx::query("INSERT INTO users (username, password_hash, role, created_at) VALUES ('lan', 'x', 'viewer', 'now')")
        .execute(db.pool())
        .await
        .unwrap();
        assert_eq!(db.migrate_up_to(5).await.unwrap(), 4);
        // Monthly counters written before drives existed become day counters dated on
        // the month's first day, so a drive created later counts them.
        sqlx::query("INSERT INTO units (code, level, name, created_at, updated_at) VALUES ('P', 'Province', 'P', 'now', 'now')")
            .execute(db.pool())
            .await
            .unwrap();
        sqlx::query("INSERT INTO unit_month_counts (unit_id, month, employment_type, informal_category, joins, active_delta) \
            SELECT id, '2024-05', 'informal', 'domestic', 3, 2 FROM units")
            .execute(db.pool())
            .await
            .unwrap();
        assert_eq!(db.migrate().await.unwrap(), 21);
        let (day, joins): (String, i64) = sqlx::query_as("SELECT day, joins FROM unit_day_counts")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!((day.as_str(), joins), ("2024-05-01", 3));
        let users: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(users, 1);
        let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
            .fetch_one(db.pool())
            .await
            .unwrap();
        assert_eq!(sessions, 0);
    }
);
