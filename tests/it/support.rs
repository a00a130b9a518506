//! Test support: a fresh database per test on each backend, the real app behind its
//! router, and a throwaway PostgreSQL cluster started once per test run when
//! `MUSTER_TEST_POSTGRES_URL` does not name one.

use axum::body::Body;
use axum::http::{Request, StatusCode};
use muster_app::users::NewLogin;
use muster_app::System;
use muster_store::Db;
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;
use tower::ServiceExt;

static COUNTER: AtomicUsize = AtomicUsize::new(0);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A directory under the system temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir =
            std::env::temp_dir().join(format!("muster-test-{}-{tag}-{n}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("create temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A database made for one test; for SQLite it lives in a temp dir.
pub struct TestDb {
    pub url: String,
    _dir: Option<TempDir>,
}

impl TestDb {
    pub async fn new(backend: Backend) -> Self {
        match backend {
            Backend::Sqlite => {
                let dir = TempDir::new("db");
                let url = dir.0.join("muster.db").display().to_string();
                Self {
                    url,
                    _dir: Some(dir),
                }
            }
            Backend::Postgres => {
                let base = postgres_base_url();
                let name = format!(
                    "t_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::Relaxed)
                );
                sqlx::any::install_default_drivers();
                let mut admin =
                    <sqlx::AnyConnection as sqlx::Connection>::connect(&format!("{base}/postgres"))
                        .await
                        .expect("connect to the test PostgreSQL server");
                sqlx::Executor::execute(
                    &mut admin,
                    sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")),
                )
                .await
                .expect("create test database");
                Self {
                    url: format!("{base}/{name}"),
                    _dir: None,
                }
            }
        }
    }

    /// The database opened as the command line opens it: a `System` (which derefs to
    /// the `App`).
    pub async fn system(&self) -> System {
        System::new(Db::open(&self.url).await.expect("open test database"))
    }
}

/// The base URL (no database) of the PostgreSQL server for tests.
pub fn postgres_base_url() -> String {
    static URL: OnceLock<String> = OnceLock::new();
    URL.get_or_init(|| match std::env::var("MUSTER_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => url.trim_end_matches('/').to_string(),
        _ => start_cluster(),
    })
    .clone()
}

fn pg_bin(name: &str) -> PathBuf {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.path().join("bin"))
                .collect()
        })
        .unwrap_or_default();
    dirs.sort();
    dirs.into_iter()
        .rev()
        .map(|d| d.join(name))
        .find(|p| p.exists())
        .unwrap_or_else(|| PathBuf::from(name))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Runs a PostgreSQL tool, as the `postgres` user when we are root (the server
/// refuses to run as root).
fn pg_command(name: &str) -> Command {
    if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(pg_bin(name));
        c
    } else {
        Command::new(pg_bin(name))
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("find a free port")
}

/// Starts a throwaway cluster on a loopback port and a watchdog that stops it and
/// removes its files when this test process ends.
fn start_cluster() -> String {
    let dir = std::env::temp_dir().join(format!("muster-pg-{}", std::process::id()));
    let data = dir.join("data");
    std::fs::create_dir_all(&dir).expect("create cluster dir");
    if is_root() {
        let ok = Command::new("chown")
            .args(["-R", "postgres:"])
            .arg(&dir)
            .status();
        assert!(
            ok.is_ok_and(|s| s.success()),
            "chown of the cluster dir failed"
        );
    }
    let out = pg_command("initdb")
        .arg("-D")
        .arg(&data)
        .args([
            "-U",
            "postgres",
            "--auth=trust",
            "-E",
            "UTF8",
            "--locale=C.UTF-8",
            "--no-sync",
        ])
        .output()
        .expect("run initdb: install PostgreSQL (Debian package postgresql)");
    assert!(
        out.status.success(),
        "initdb failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let port = free_port();
    let options = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off \
         -c full_page_writes=off -c max_connections=300",
        dir.display()
    );
    let out = pg_command("pg_ctl")
        .arg("-D")
        .arg(&data)
        .args(["-o", &options, "-l"])
        .arg(dir.join("log"))
        .args(["-w", "start"])
        .output()
        .expect("run pg_ctl");
    assert!(
        out.status.success(),
        "pg_ctl start failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stop = format!(
        "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {ctl} -D {data} stop -m immediate >/dev/null 2>&1; rm -rf {dir}",
        pid = std::process::id(),
        ctl = if is_root() {
            format!("runuser -u postgres -- {}", pg_bin("pg_ctl").display())
        } else {
            pg_bin("pg_ctl").display().to_string()
        },
        data = data.display(),
        dir = dir.display(),
    );
    // Never waited for: the watchdog must outlive this process to clean up after it.
    #[allow(clippy::zombie_processes)]
    Command::new("sh")
        .args(["-c", &stop])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("start the cluster watchdog");
    format!("postgres://postgres@127.0.0.1:{port}")
}

/// Declares one test per backend from one async body taking a `Backend`.
#[macro_export]
macro_rules! on_both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            use super::*;
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                ($body)($crate::support::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                ($body)($crate::support::Backend::Postgres).await;
            }
        }
    };
}

/// The app behind its real router, with helpers to call it like a client.
pub struct Client {
    pub app: System,
    router: axum::Router,
    pub db: TestDb,
}

impl Client {
    pub async fn new(backend: Backend) -> Self {
        let db = TestDb::new(backend).await;
        let app = db.system().await;
        Self {
            router: muster_web::router(app.app().clone()),
            app,
            db,
        }
    }

    /// Creates a login attached to `unit` (or the instance) and returns its token.
    pub async fn login(&self, username: &str, unit: Option<&str>, role: &str) -> String {
        self.app
            .add_user(
                &self.app.actor(),
                NewLogin {
                    unit_code: unit,
                    username,
                    role,
                    password: "a long password",
                    locale: None,
                },
            )
            .await
            .expect("add user");
        self.app.create_token(username).await.expect("create token")
    }

    pub async fn call(
        &self,
        method: &str,
        path: &str,
        token: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = Request::builder().method(method).uri(path);
        if !token.is_empty() {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        let req = match body {
            Some(b) => req
                .header("content-type", "application/json")
                .body(Body::from(b.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("build request");
        let res = self.router.clone().oneshot(req).await.expect("call router");
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 16 << 20)
            .await
            .expect("read body");
        let value = serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, value)
    }

    pub async fn get(&self, path: &str, token: &str) -> (StatusCode, Value) {
        self.call("GET", path, token, None).await
    }

    /// Calls the router with a request as it is; answers the status, the `Location`
    /// and the body's bytes.
    pub async fn send(&self, req: Request<Body>) -> (StatusCode, String, Vec<u8>) {
        let res = self.router.clone().oneshot(req).await.expect("call router");
        let status = res.status();
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_string();
        let bytes = axum::body::to_bytes(res.into_body(), 64 << 20)
            .await
            .expect("read body");
        (status, location, bytes.to_vec())
    }

    /// The headers of the answer to a plain GET.
    pub async fn headers_of(&self, path: &str) -> axum::http::HeaderMap {
        let req = Request::builder()
            .uri(path)
            .body(Body::empty())
            .expect("build request");
        let res = self.router.clone().oneshot(req).await.expect("call router");
        res.headers().clone()
    }

    /// Calls the router with a request as it is; answers the body's bytes.
    pub async fn raw(&self, req: Request<Body>) -> Vec<u8> {
        let res = self.router.clone().oneshot(req).await.expect("call router");
        axum::body::to_bytes(res.into_body(), 64 << 20)
            .await
            .expect("read body")
            .to_vec()
    }

    /// Sends a file as the body; answers the status and the body as text.
    pub async fn send_file(&self, path: &str, token: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
        let req = Request::builder()
            .method("POST")
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "text/csv")
            .body(Body::from(bytes))
            .expect("build request");
        let res = self.router.clone().oneshot(req).await.expect("call router");
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), 64 << 20)
            .await
            .expect("read body");
        let value = serde_json::from_slice(&bytes)
            .unwrap_or(Value::String(String::from_utf8_lossy(&bytes).into()));
        (status, value)
    }

    /// Sends a file to the import API and, when the run is accepted (202), polls its
    /// record until it ends: the final report, with 200 for a run gone through; a file
    /// refused at once keeps its status and error.
    pub async fn import_file(
        &self,
        path: &str,
        token: &str,
        bytes: Vec<u8>,
    ) -> (StatusCode, Value) {
        let req = Request::builder()
            .method("POST")
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "text/csv")
            .body(Body::from(bytes))
            .expect("build request");
        let res = self.router.clone().oneshot(req).await.expect("call router");
        let status = res.status();
        let location = res.headers().get("location").cloned();
        let body = axum::body::to_bytes(res.into_body(), 64 << 20)
            .await
            .expect("read body");
        let started: Value = serde_json::from_slice(&body)
            .unwrap_or(Value::String(String::from_utf8_lossy(&body).into()));
        if status != StatusCode::ACCEPTED {
            return (status, started);
        }
        let id = started["id"].as_i64().expect("import id");
        assert_eq!(
            location.as_ref().and_then(|l| l.to_str().ok()),
            Some(format!("/api/v1/imports/{id}").as_str()),
            "an accepted run says where to follow it"
        );
        let begun = std::time::Instant::now();
        loop {
            let (s, run) = self.get(&format!("/api/v1/imports/{id}"), token).await;
            assert_eq!(s, StatusCode::OK, "{run}");
            if run["status"] == "done" || !run["failure"].is_null() {
                let mut run = run;
                run["ignored_columns"] = started["ignored_columns"].clone();
                let status = if run["failure"].is_null() {
                    StatusCode::OK
                } else {
                    StatusCode::INTERNAL_SERVER_ERROR
                };
                return (status, run);
            }
            assert!(
                begun.elapsed().as_secs() < 120,
                "import {id} still running: {run}"
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    pub async fn post(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call("POST", path, token, Some(body)).await
    }

    pub async fn patch(&self, path: &str, token: &str, body: Value) -> (StatusCode, Value) {
        self.call("PATCH", path, token, Some(body)).await
    }
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The `full_name`s of a member list answer.
pub fn names(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|i| i["full_name"].as_str().unwrap_or("").to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A small tree through the API, as the instance admin:
/// `P` (province) → `D1`, `D2` (districts) → `G1` under `D1`, `G2` under `D2`.
/// Returns the admin's token.
pub async fn small_tree(c: &Client) -> String {
    small_tree_of_levels(c, &["Province", "District", "Grassroots"]).await
}

/// `small_tree` in a tree whose levels are `levels` (the first three as there).
pub async fn small_tree_of_levels(c: &Client, levels: &[&str]) -> String {
    let admin = c.login("root", None, "admin").await;
    let units = [
        serde_json::json!({"code": "P", "level": "Province", "name": "Tỉnh Bến Tre",
            "names": {"en": "Ben Tre"}, "levels": levels}),
        serde_json::json!({"parent_code": "P", "code": "D1", "level": "District", "name": "Huyện Châu Thành"}),
        serde_json::json!({"parent_code": "P", "code": "D2", "level": "District", "name": "Huyện Ba Tri"}),
        serde_json::json!({"parent_code": "D1", "code": "G1", "level": "Grassroots", "name": "CĐCS May Phú Thành"}),
        serde_json::json!({"parent_code": "D2", "code": "G2", "level": "Grassroots", "name": "CĐCS Dừa Lương Quới"}),
    ];
    for u in units {
        let (status, body) = c.post("/api/v1/units", &admin, u).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    admin
}

/// Registers a member, even one who looks like someone registered already (tests of
/// the duplicate check itself call the API directly).
pub async fn add_member(c: &Client, token: &str, mut body: Value) -> i64 {
    if body.get("allow_duplicate").is_none() {
        body["allow_duplicate"] = Value::Bool(true);
    }
    let (status, created) = c.post("/api/v1/members", token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["id"].as_i64().expect("member id")
}

/// A page answer: status, `Set-Cookie` values, `Location`, body.
pub struct PageAnswer {
    pub status: StatusCode,
    pub cookies: Vec<String>,
    pub location: Option<String>,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Client {
    /// Calls a page as a browser would: with cookies, and a form body when given.
    pub async fn page(
        &self,
        method: &str,
        path: &str,
        cookies: &str,
        form: Option<&str>,
    ) -> PageAnswer {
        self.page_from(None, method, path, cookies, form).await
    }

    /// `page` from a given address, as a server behind a socket sees it.
    pub async fn page_from(
        &self,
        source: Option<&str>,
        method: &str,
        path: &str,
        cookies: &str,
        form: Option<&str>,
    ) -> PageAnswer {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header("accept-language", "en");
        if let Some(ip) = source {
            let addr = std::net::SocketAddr::new(ip.parse().expect("an address"), 40_000);
            req = req.extension(axum::extract::ConnectInfo(addr));
        }
        if !cookies.is_empty() {
            req = req.header("cookie", cookies);
        }
        let req = match form {
            Some(f) => req
                .header("content-type", "application/x-www-form-urlencoded")
                .body(Body::from(f.to_string())),
            None => req.body(Body::empty()),
        }
        .expect("build request");
        let res = self.router.clone().oneshot(req).await.expect("call router");
        let status = res.status();
        let cookies = res
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|v| v.split(';').next().unwrap_or("").to_string())
            .collect();
        let location = res
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .map(String::from);
        let bytes = axum::body::to_bytes(res.into_body(), 16 << 20)
            .await
            .expect("read body");
        PageAnswer {
            status,
            cookies,
            location,
            body: String::from_utf8_lossy(&bytes).into(),
            bytes: bytes.to_vec(),
        }
    }

    /// Logs in through the login form; returns the session cookie header value.
    pub async fn web_login(&self, username: &str, password: &str) -> PageAnswer {
        self.web_login_from(None, username, password).await
    }

    /// `web_login` from a given address.
    pub async fn web_login_from(
        &self,
        source: Option<&str>,
        username: &str,
        password: &str,
    ) -> PageAnswer {
        let form = self.page("GET", "/login", "", None).await;
        let csrf_cookie = form
            .cookies
            .iter()
            .find(|c| c.starts_with("muster_login_csrf="))
            .cloned()
            .expect("login csrf cookie");
        let token = csrf_cookie
            .split_once('=')
            .map(|(_, t)| t.to_string())
            .unwrap();
        self.page_from(
            source,
            "POST",
            "/login",
            &csrf_cookie,
            Some(&format!(
                "username={}&password={}&csrf={token}&next=%2F",
                enc(username),
                enc(password)
            )),
        )
        .await
    }

    /// The session cookie of a successful login.
    pub async fn session_cookie(&self, username: &str) -> String {
        let answer = self.web_login(username, "a long password").await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
        answer
            .cookies
            .into_iter()
            .find(|c| c.starts_with("muster_session="))
            .expect("session cookie")
    }
}

/// The CSRF token printed in a page's forms.
pub fn csrf_of(body: &str) -> String {
    body.split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap_or("")
        .to_string()
}

/// Starts a duplicate scan through the API and waits for its jobs: what they found, summed
/// (`likely_pairs`, `people`).
pub async fn scan(c: &Client, token: &str) -> Value {
    let (status, started) = c
        .post("/api/v1/duplicates/scan", token, serde_json::json!({}))
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{started}");
    let mut total = serde_json::json!({"people": 0, "likely_pairs": 0, "jobs": []});
    for job in started["items"].as_array().expect("jobs") {
        let id = job["id"].as_i64().expect("job id");
        let started = std::time::Instant::now();
        let done = loop {
            let (_, j) = c.get(&format!("/api/v1/jobs/{id}"), token).await;
            if j["state"] != "running" {
                break j;
            }
            assert!(started.elapsed().as_secs() < 60, "scan {id} still running");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        };
        assert_eq!(done["state"], "done", "{done}");
        total["jobs"].as_array_mut().unwrap().push(id.into());
        for k in ["people", "likely_pairs"] {
            total[k] = (total[k].as_i64().unwrap() + done["result"][k].as_i64().unwrap()).into();
        }
    }
    total
}

/// A workbook's first sheet as a spreadsheet program reads it (cells, dates as dates), and
/// the sheet's XML for what cells do not show (direction, frozen panes, filters).
pub struct Sheet {
    pub cells: Vec<Vec<calamine::Data>>,
    pub xml: String,
}

impl Sheet {
    pub fn read(bytes: &[u8]) -> Sheet {
        use calamine::Reader;
        use std::io::Read;
        let mut book: calamine::Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec()))
                .expect("an XLSX workbook");
        let first = book.sheet_names()[0].clone();
        let range = book.worksheet_range(&first).expect("its first sheet");
        let cells = range.rows().map(|r| r.to_vec()).collect();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
        let mut xml = String::new();
        zip.by_name("xl/worksheets/sheet1.xml")
            .expect("sheet1")
            .read_to_string(&mut xml)
            .expect("utf-8");
        Sheet { cells, xml }
    }

    /// The cell's text as a spreadsheet shows it without a format (dates as ISO days).
    pub fn text(&self, row: usize, col: usize) -> String {
        match &self.cells[row][col] {
            calamine::Data::DateTime(d) => {
                // Days since 1899-12-30, the spreadsheet's day zero.
                let serial = d.as_f64() as i64;
                let zero = muster_domain::Date::parse_iso("1899-12-30").expect("a date");
                zero.add_days(serial).to_string()
            }
            other => other.to_string(),
        }
    }
}

/// Asks the export API for a file made by a job (`background=true`, more `query` after)
/// and waits for it: the job's id and the file's bytes.
pub async fn export_job(c: &Client, token: &str, query: &str) -> (i64, Vec<u8>) {
    let (status, job) = c
        .get(
            &format!("/api/v1/members/export?background=true{query}"),
            token,
        )
        .await;
    assert_eq!(status, StatusCode::ACCEPTED, "{job}");
    let id = job["id"].as_i64().expect("job id");
    assert_eq!(job["kind"], "export");
    let begun = std::time::Instant::now();
    loop {
        let (_, j) = c.get(&format!("/api/v1/jobs/{id}"), token).await;
        if j["state"] != "running" {
            assert_eq!(j["state"], "done", "{j}");
            break;
        }
        assert!(begun.elapsed().as_secs() < 60, "export {id} still running");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let req = Request::builder()
        .uri(format!("/api/v1/jobs/{id}/file"))
        .header("authorization", format!("Bearer {token}"))
        .body(Body::empty())
        .expect("build request");
    (id, c.raw(req).await)
}

/// An error answer's field codes, field by field in name order.
pub fn field_codes(body: &Value) -> Vec<(String, String)> {
    body["fields"]
        .as_object()
        .map(|f| {
            f.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default()
}
