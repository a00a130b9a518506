//! The `muster` command as a user runs it: set-up, errors, tokens, and
//! `serve --demo` answering over real HTTP.

use crate::support::{postgres_base_url, Backend, TempDir, TestDb};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

pub(crate) fn muster(dir: &TempDir, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
        .current_dir(&dir.0)
        .env_remove("MUSTER_DATABASE_URL")
        .env("MUSTER_LOG", "warn")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run muster");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    child.wait_with_output().expect("wait for muster")
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// A plain HTTP/1.1 GET on loopback; returns status and body.
pub fn http_get(addr: &str, path: &str, token: Option<&str>) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).expect("connect");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\n{auth}Connection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b.to_string())
        .unwrap_or_default();
    (status, body)
}

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn user_and_token_commands_explain_their_errors() {
    let dir = TempDir::new("cli");
    let out = muster(&dir, &["migrate"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        dir.0.join("muster.db").exists(),
        "the default database is muster.db in the working directory"
    );

    let out = muster(
        &dir,
        &[
            "user",
            "add",
            "--username",
            "lan",
            "--unit",
            "NOPE",
            "--role",
            "officer",
            "--password-stdin",
        ],
        "a long password\n",
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("unit_code: no unit has this code"),
        "{}",
        text(&out.stderr)
    );

    let out = muster(&dir, &["demo"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = muster(&dir, &["demo"], "");
    assert!(
        !out.status.success(),
        "the demo loads only into an empty database"
    );

    let add = [
        "user",
        "add",
        "--username",
        "lan",
        "--unit",
        "BT-CT",
        "--role",
        "organizer",
        "--password-stdin",
    ];
    let out = muster(&dir, &add, "a long password\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = muster(&dir, &add, "a long password\n");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("username: already taken"),
        "{}",
        text(&out.stderr)
    );
    let out = muster(
        &dir,
        &[
            "user",
            "add",
            "--username",
            "xx2",
            "--unit",
            "BT",
            "--role",
            "boss",
            "--password-stdin",
        ],
        "a long password\n",
    );
    assert!(text(&out.stderr).contains("role:"), "{}", text(&out.stderr));

    let out = muster(&dir, &["token", "create", "--username", "lan"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout);
    assert!(
        token.starts_with("mst_") && token.trim_end().len() == 68 && token.ends_with('\n'),
        "{token:?}"
    );
    assert_eq!(token.lines().count(), 1, "the token and nothing else");
    let out = muster(&dir, &["token", "create", "--username", "nobody"], "");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no user named nobody"));

    let out = muster(&dir, &["--database", "mysql://x/y", "migrate"], "");
    assert!(
        text(&out.stderr).contains("unsupported database URL"),
        "{}",
        text(&out.stderr)
    );
    let out = muster(&dir, &["--database", "/no/such/dir/m.db", "migrate"], "");
    assert!(
        text(&out.stderr).contains("directory is missing"),
        "{}",
        text(&out.stderr)
    );
    let out = muster(&dir, &["serve", "--help"], "");
    assert!(text(&out.stdout).contains("--demo"));
}

#[test]
fn serve_demo_prints_where_to_open_it_and_answers() {
    let dir = TempDir::new("serve");
    let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
        .current_dir(&dir.0)
        .env_remove("MUSTER_DATABASE_URL")
        .env("MUSTER_LOG", "warn")
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start muster serve");
    let stdout = child.stdout.take().unwrap();
    let server = Server(child);
    let mut lines = BufReader::new(stdout).lines();
    let started = Instant::now();
    let mut printed = Vec::new();
    // Until the last demo login is printed.
    let last = muster_app::demo::DEMO_LOGINS.last().map_or("", |l| l.0);
    while !printed
        .iter()
        .any(|l: &String| l.trim_start().starts_with(last))
        && started.elapsed() < Duration::from_secs(300)
    {
        match lines.next() {
            Some(Ok(line)) => printed.push(line),
            _ => break,
        }
    }
    let first = printed.first().cloned().unwrap_or_default();
    let url = first
        .strip_prefix("Muster is running at ")
        .expect("the URL comes first")
        .trim()
        .to_string();
    let addr = url
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_string();
    let all = printed.join("\n");
    for login in ["admin", "bentre", "tuvan", "markazi", "uttarpradesh"] {
        assert!(all.contains(login), "demo login {login} is printed:\n{all}");
    }
    assert_eq!(http_get(&addr, "/healthz", None).0, 200);

    let out = muster(&dir, &["token", "create", "--username", "admin"], "");
    let admin = text(&out.stdout).trim().to_string();
    let out = muster(&dir, &["token", "create", "--username", "markazi"], "");
    let markazi = text(&out.stdout).trim().to_string();

    let (status, body) = http_get(&addr, "/api/v1/units", Some(&admin));
    assert_eq!(status, 200);
    let units: serde_json::Value = serde_json::from_str(&body).unwrap();
    let roots: Vec<&str> = units["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["parent_code"].is_null())
        .map(|u| u["code"].as_str().unwrap())
        .collect();
    assert_eq!(roots, vec!["BT", "MK", "UP"]);
    let mut total = 0;
    for root in ["BT", "MK", "UP"] {
        let (_, body) = http_get(&addr, &format!("/api/v1/units/{root}/stats"), Some(&admin));
        let stats: serde_json::Value = serde_json::from_str(&body).unwrap();
        total += stats["active"].as_i64().unwrap();
    }
    assert!(
        (3400..=4000).contains(&total),
        "about 4,000 members, most active: {total}"
    );

    // The Persian officer sees the Persian tree only.
    let (_, body) = http_get(&addr, "/api/v1/units", Some(&markazi));
    let units: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(units["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|u| u["code"].as_str().unwrap().starts_with("MK")));
    let (status, _) = http_get(&addr, "/api/v1/units/BT/stats", Some(&markazi));
    assert_eq!(status, 404);
    let (_, body) = http_get(
        &addr,
        "/api/v1/members?q=%D9%85%D8%AD%D9%85%D8%AF&limit=5",
        Some(&markazi),
    );
    let page: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(
        page["items"].as_array().unwrap().len(),
        5,
        "Persian names in the demo: {body}"
    );
    drop(server);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_loads_on_postgres_too() {
    let t = TestDb::new(Backend::Postgres).await;
    assert!(t.url.starts_with(&postgres_base_url()));
    let dir = TempDir::new("pgdemo");
    let out = muster(&dir, &["--database", &t.url, "demo"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let app = t.system().await;
    let actor = app
        .authenticate_password("uttarpradesh", muster_app::demo::DEMO_PASSWORD)
        .await
        .unwrap();
    let stats = app.unit_stats(&actor, "UP").await.unwrap();
    assert!(stats.active > 800, "{}", stats.active);
    assert!(
        stats
            .active_by_employment
            .get("informal")
            .copied()
            .unwrap_or(0)
            > 800,
        "Hindi tree is informal workers"
    );
    assert!(app.unit_stats(&actor, "BT").await.is_err());
}

/// People an import wrote into the SQLite file of `dir`.
async fn imported(dir: &TempDir) -> i64 {
    let url = format!("sqlite://{}", dir.0.join("muster.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM people WHERE import_id IS NOT NULL")
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    n
}

#[tokio::test]
async fn an_import_killed_mid_way_keeps_whole_batches_and_finishes_when_run_again() {
    let dir = TempDir::new("import-kill");
    let out = muster(&dir, &["demo"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let rows = 60_000;
    let mut file = String::from("external_id,unit_code,full_name,birth_date,joined_on\n");
    for i in 0..rows {
        file.push_str(&format!(
            "K{i},BT-BD-G01,Lê Thị Số {i},19{:02}-0{}-1{},2025-0{}-0{}\n",
            50 + i % 50,
            1 + i % 9,
            i % 10,
            1 + i % 9,
            1 + i % 9
        ));
    }
    std::fs::write(dir.0.join("big.csv"), file).unwrap();
    let args = [
        "import",
        "members",
        "big.csv",
        "--batch-rows",
        "2000",
        "--skip-duplicate-check",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_muster"))
        .current_dir(&dir.0)
        .env_remove("MUSTER_DATABASE_URL")
        .env("MUSTER_LOG", "warn")
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    loop {
        let n = imported(&dir).await;
        if n >= 4000 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no batch written"
        );
        assert!(
            child.try_wait().unwrap().is_none(),
            "the import ended before it was killed"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // SIGKILL: no chance to clean up.
    child.kill().unwrap();
    child.wait().unwrap();
    let after_kill = imported(&dir).await;
    assert!(after_kill < rows, "killed too late to test anything");
    assert_eq!(after_kill % 2000, 0, "a half-written batch: {after_kill}");

    let out = muster(&dir, &args, "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let said = text(&out.stderr);
    assert!(said.contains("resuming import"), "{said}");
    assert_eq!(imported(&dir).await, rows, "{said}");
    // Once more: nothing new.
    let out = muster(&dir, &args, "");
    assert!(
        text(&out.stderr).contains(" 0 created"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(imported(&dir).await, rows);
}
