//! `muster backup` while the registry is being written to, and `muster restore` into a
//! blank database: the copy is consistent (its counters agree with its rows) and a
//! backup of a quiet registry restores to the same rows, table by table.

use crate::cli::{muster, text};
use crate::on_both_backends;
use crate::support::{Backend, TempDir, TestDb};
use muster_app::members::{NewMember, PersonInput};
use muster_store::{Backend as Kind, Db};

/// Every table of the schema with its row count.
async fn counts(db: &Db) -> Vec<(String, i64)> {
    let sql = match db.backend() {
        Kind::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Kind::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() ORDER BY table_name"
        }
    };
    let tables: Vec<String> = sqlx::query_scalar(sql).fetch_all(db.pool()).await.unwrap();
    let mut out = Vec::new();
    for t in tables {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {t}")))
            .fetch_one(db.pool())
            .await
            .unwrap();
        out.push((t, n));
    }
    out
}

/// A blank database of the same kind as `source`: a new file, or an empty PostgreSQL
/// database.
async fn blank_like(backend: Backend, dir: &TempDir) -> (String, Option<TestDb>) {
    match backend {
        Backend::Sqlite => (dir.0.join("restored.db").display().to_string(), None),
        Backend::Postgres => {
            let t = TestDb::new(Backend::Postgres).await;
            (t.url.clone(), Some(t))
        }
    }
}

on_both_backends!(
    a_backup_taken_while_writing_restores_consistent_and_whole,
    |backend: Backend| async move {
        let source = TestDb::new(backend).await;
        let dir = TempDir::new("backup");
        let out = muster(&dir, &["--database", &source.url, "demo"], "");
        assert!(out.status.success(), "{}", text(&out.stderr));
        let system = source.system().await;
        let clerk = system.actor_in("BT-CT").await.unwrap();
        let units: Vec<String> = system
            .list_units(&clerk)
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.code)
            .collect();

        // Members are registered one after another while the backup is taken.
        let writer = {
            let system = system.clone();
            let clerk = clerk.clone();
            tokio::spawn(async move {
                for i in 0..60 {
                    system
                        .create_member(
                            &clerk,
                            NewMember {
                                unit_code: units[i % units.len()].clone(),
                                person: PersonInput {
                                    full_name: Some(format!("Người Ghi Thêm {i}")),
                                    ..PersonInput::default()
                                },
                                allow_duplicate: true,
                                ..NewMember::default()
                            },
                        )
                        .await
                        .unwrap();
                }
            })
        };
        let during = dir.0.join("during.backup");
        let out = muster(
            &dir,
            &[
                "--database",
                &source.url,
                "backup",
                during.to_str().unwrap(),
            ],
            "",
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        writer.await.unwrap();

        // The copy taken mid-stream is one moment: its counters agree with its rows.
        let (url, _keep) = blank_like(backend, &dir).await;
        let out = muster(
            &dir,
            &["--database", &url, "restore", during.to_str().unwrap()],
            "",
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let restored = muster_app::System::new(Db::open(&url).await.unwrap());
        let root = restored.actor();
        let stats = restored.unit_stats(&root, "BT").await.unwrap();
        let active: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM memberships m JOIN people p ON p.id = m.person_id \
             WHERE m.status = 'active' AND m.is_current = 1 AND p.archived = 0 \
             AND m.tree_id = (SELECT id FROM units WHERE code = 'BT')",
        )
        .fetch_one(restored.db().pool())
        .await
        .unwrap();
        assert_eq!(stats.active, active, "counters and rows of one moment");

        // A backup of the registry at rest restores to the same rows, table by table.
        let after = dir.0.join("after.backup");
        let out = muster(
            &dir,
            &["--database", &source.url, "backup", after.to_str().unwrap()],
            "",
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let again = muster(
            &dir,
            &["--database", &source.url, "backup", after.to_str().unwrap()],
            "",
        );
        assert!(
            !again.status.success(),
            "an existing file is not overwritten"
        );
        let dir2 = TempDir::new("restore");
        let (url2, _keep2) = blank_like(backend, &dir2).await;
        let out = muster(
            &dir2,
            &["--database", &url2, "restore", after.to_str().unwrap()],
            "",
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let whole = Db::connect(&url2).await.unwrap();
        assert_eq!(counts(&whole).await, counts(system.db()).await);
        // Restoring over a registry is refused and leaves it as it was.
        let out = muster(
            &dir2,
            &["--database", &url2, "restore", after.to_str().unwrap()],
            "",
        );
        assert!(!out.status.success());
        assert_eq!(counts(&whole).await, counts(system.db()).await);
    }
);

/// A JSON POST on loopback with a bearer token: the status and body, or `None` when
/// the server is gone.
fn post_json(addr: &str, path: &str, token: &str, body: &str) -> Option<(u16, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr).ok()?;
    write!(
        stream,
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    let status = response.split(' ').nth(1)?.parse().ok()?;
    let body = response.split_once("\r\n\r\n")?.1.to_string();
    Some((status, body))
}

on_both_backends!(
    a_server_killed_mid_write_keeps_every_acknowledged_write,
    |backend: Backend| async move {
        use std::io::BufRead;
        let source = TestDb::new(backend).await;
        let token = {
            let system = source.system().await;
            system
                .create_unit(
                    &system.actor(),
                    muster_app::units::NewUnit {
                        code: "P".into(),
                        level: "Province".into(),
                        name: "Tỉnh Bến Tre".into(),
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            system
                .add_user(
                    &system.actor(),
                    muster_app::users::NewLogin {
                        unit_code: Some("P"),
                        username: "clerk",
                        role: "officer",
                        password: "a long password",
                        locale: None,
                    },
                )
                .await
                .unwrap();
            let token = system.create_token("clerk").await.unwrap();
            system.db().close().await;
            token
        };
        let dir = TempDir::new("crash");
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_muster"))
            .current_dir(&dir.0)
            .env("MUSTER_LOG", "warn")
            .args([
                "--database",
                &source.url,
                "serve",
                "--listen",
                "127.0.0.1:0",
            ])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let first = lines.next().unwrap().unwrap();
        // The rest of what it prints is read too, so that no write of its fails.
        std::thread::spawn(move || lines.for_each(drop));
        let addr = first
            .split("http://")
            .nth(1)
            .unwrap()
            .trim_end_matches('/')
            .to_string();

        // Registrations go on, one after another, until the server dies under them.
        let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(i64, String)>::new()));
        let writer = {
            let acked = acked.clone();
            std::thread::spawn(move || {
                for i in 0.. {
                    let name = format!("Người Ghi {i}");
                    let body = format!(
                        r#"{{"unit_code": "P", "full_name": "{name}", "allow_duplicate": true}}"#
                    );
                    match post_json(&addr, "/api/v1/members", &token, &body) {
                        Some((201, answer)) => {
                            let v: serde_json::Value = serde_json::from_str(&answer).unwrap();
                            acked
                                .lock()
                                .unwrap()
                                .push((v["id"].as_i64().unwrap(), name));
                        }
                        Some((status, answer)) => {
                            eprintln!("write {i} answered {status}: {answer}");
                            break;
                        }
                        None => {
                            eprintln!("write {i}: no answer from {addr}");
                            break;
                        }
                    }
                }
            })
        };
        let started = std::time::Instant::now();
        while acked.lock().unwrap().len() < 40 {
            assert!(!writer.is_finished(), "the writer stopped before the kill");
            assert!(started.elapsed().as_secs() < 120, "too slow to write");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        child.kill().unwrap(); // SIGKILL: no shutdown, no flush
        child.wait().unwrap();
        writer.join().unwrap();

        let db = Db::open(&source.url).await.unwrap();
        if db.backend() == Kind::Sqlite {
            let check: String = sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(db.pool())
                .await
                .unwrap();
            assert_eq!(check, "ok");
        }
        let acked = acked.lock().unwrap().clone();
        for (id, name) in &acked {
            let stored: Option<String> =
                sqlx::query_scalar("SELECT full_name FROM people WHERE id = $1")
                    .bind(id)
                    .fetch_optional(db.pool())
                    .await
                    .unwrap();
            assert_eq!(
                stored.as_deref(),
                Some(name.as_str()),
                "acknowledged write {id}"
            );
        }
        // Nothing half-written: the counters agree with the rows that are there.
        let rows: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM memberships WHERE status = 'active' AND is_current = 1",
        )
        .fetch_one(db.pool())
        .await
        .unwrap();
        assert!(rows >= acked.len() as i64);
        let system = muster_app::System::new(db);
        let stats = system.unit_stats(&system.actor(), "P").await.unwrap();
        assert_eq!(stats.active, rows, "counters and rows agree after the kill");
    }
);
