//! Bulk import, export and duplicates through the API, as a federation's data clerk
//! meets them: bad files refused with the row and column named, nothing half-written,
//! a second run that changes nothing, exports that import again, merges that keep the
//! history, and nothing of another subtree.

use crate::on_both_backends;
use crate::support::{add_member, csrf_of, enc, small_tree, Backend, Client};
use axum::http::StatusCode;
use serde_json::{json, Value};

const HEADER: &str = "external_id,unit_code,full_name,gender,birth_date,phone,joined_on,member_number,status,employment_type,informal_category";

async fn import(c: &Client, token: &str, query: &str, text: &str) -> (StatusCode, Value) {
    c.import_file(
        &format!("/api/v1/members/import?{query}"),
        token,
        text.as_bytes().to_vec(),
    )
    .await
}

async fn active(c: &Client, token: &str, unit: &str) -> i64 {
    let (_, s) = c.get(&format!("/api/v1/units/{unit}/stats"), token).await;
    s["active"].as_i64().unwrap_or(-1)
}

fn problems(report: &Value) -> Vec<(i64, String, String)> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["row"].as_i64().unwrap(),
                p["column"].as_str().unwrap().to_string(),
                p["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

on_both_backends!(
    bad_rows_are_named_and_good_rows_load_once,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let file = format!(
            "{HEADER}\n\
             E1,G1,Nguyễn Thị Hoa,female,15/03/1990,0912345678,01/02/2024,BT-1,active,formal,\n\
             E2,G1,Trần Văn Bình,male,31/02/1985,,01/02/2024,,active,,\n\
             E3,NOPE,Lê Văn Cường,male,01/01/1980,,01/02/2024,,active,,\n\
             E4,G2,,male,01/01/1980,,01/02/2024,,active,,\n\
             E1,G2,Nguyễn Thị Hoa,female,15/03/1990,,01/02/2024,,active,,\n\
             E5,G2,Võ Văn Phúc,male,02/09/1979,,15/03/2024,BT-1,active,informal,domestic\n\
             E6,G2,Huỳnh Thị Mai,female,۱۲/۰۶/۱۹۹۲,,01/04/2024,,active,informal,domestic\n"
        );
        // A dry run reports and writes nothing.
        let (status, dry) = import(&c, &admin, "dry_run=true&date_order=dmy", &file).await;
        assert_eq!(status, StatusCode::OK, "{dry}");
        assert_eq!(
            (dry["created"].as_i64(), dry["rejected"].as_i64()),
            (Some(2), Some(5))
        );
        assert_eq!(active(&c, &admin, "P").await, 0);

        let (status, run) = import(&c, &admin, "date_order=dmy&file_name=members.csv", &file).await;
        assert_eq!(status, StatusCode::OK, "{run}");
        assert_eq!(run["status"], "done");
        assert_eq!(run["created"], 2, "{run}");
        assert_eq!(run["rejected"], 5);
        assert_eq!(
            problems(&run),
            vec![
                (3, "birth_date".into(), "invalid_date".into()),
                (4, "unit_code".into(), "unknown_unit".into()),
                (5, "full_name".into(), "required".into()),
                (6, "external_id".into(), "repeated_in_file".into()),
                (7, "member_number".into(), "repeated_in_file".into()),
            ]
        );
        // The good rows are members, counted, with native digits read as dates.
        assert_eq!(active(&c, &admin, "P").await, 2);
        let (_, found) = c
            .get(
                &format!("/api/v1/members?q={}", enc("Huỳnh Thị Mai")),
                &admin,
            )
            .await;
        let id = found["items"][0]["id"].as_i64().unwrap();
        let (_, mai) = c.get(&format!("/api/v1/members/{id}"), &admin).await;
        assert_eq!(mai["birth_date"], "1992-06-12");
        assert_eq!(mai["informal_category"], "domestic");

        // The same file again changes nothing.
        let (_, again) = import(&c, &admin, "date_order=dmy", &file).await;
        assert_eq!(
            (again["created"].as_i64(), again["unchanged"].as_i64()),
            (Some(0), Some(2))
        );
        assert_eq!(active(&c, &admin, "P").await, 2);

        // A changed row updates the person its external id names.
        let changed = format!(
            "{HEADER}\nE6,G1,Huỳnh Thị Mai,female,12/06/1992,0987654321,01/04/2024,BT-9,active,informal,domestic\n"
        );
        let (_, upd) = import(&c, &admin, "date_order=dmy", &changed).await;
        assert_eq!(
            (upd["created"].as_i64(), upd["updated"].as_i64()),
            (Some(0), Some(1)),
            "{upd}"
        );
        let (_, mai) = c.get(&format!("/api/v1/members/{id}"), &admin).await;
        assert_eq!(mai["phone"], "0987654321");
        assert_eq!(mai["unit_code"], "G1");
        assert_eq!(mai["member_number"], "BT-9");
        assert_eq!(active(&c, &admin, "D1").await, 2);
        assert_eq!(active(&c, &admin, "D2").await, 0);

        // The XLSX export reads back as a spreadsheet import, changing nothing.
        let req = axum::http::Request::builder()
            .uri("/api/v1/members/export?format=xlsx")
            .header("authorization", format!("Bearer {admin}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let xlsx = c.raw(req).await;
        let sheet = crate::support::Sheet::read(&xlsx);
        let header: Vec<String> = sheet.cells[0].iter().map(|c| c.to_string()).collect();
        let born = header
            .iter()
            .position(|h| h == "birth_date")
            .expect("birth_date");
        let mai_row = (1..sheet.cells.len())
            .find(|&r| sheet.text(r, 2) == "Huỳnh Thị Mai")
            .expect("Mai's row");
        assert!(
            matches!(sheet.cells[mai_row][born], calamine::Data::DateTime(_)),
            "a birth date is a date cell: {:?}",
            sheet.cells[mai_row][born]
        );
        assert_eq!(sheet.text(mai_row, born), "1992-06-12");
        let (status, back) = c.import_file("/api/v1/members/import", &admin, xlsx).await;
        assert_eq!(status, StatusCode::OK, "{back}");
        assert_eq!(
            (back["unchanged"].as_i64(), back["created"].as_i64()),
            (Some(2), Some(0)),
            "{back}"
        );
    }
);

on_both_backends!(
    unreadable_files_are_refused_whole,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        // Windows-1258 bytes are not UTF-8: the row with the first one is named.
        let mut latin = format!("{HEADER}\nE1,G1,Hoa,female,,,,,,,\n").into_bytes();
        latin.extend_from_slice(b"E2,G1,Nguy\xEA\xF1n,male,,,,,,,\n");
        let (status, body) = c.import_file("/api/v1/members/import", &admin, latin).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        assert_eq!(body["fields"]["file"], "not_utf8");
        assert_eq!(body["fields"]["row"], "3");
        // Without the columns a member needs.
        let (status, body) = import(&c, &admin, "", "name,phone\nHoa,0912345678\n").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["fields"]["file"], "missing_columns");
        assert_eq!(body["fields"]["columns"], "unit_code,full_name");
        // UTF-16 with its byte order mark, as some spreadsheet programs save it, reads.
        let text = format!("{HEADER}\nE1,G1,Phạm Thị Thu,female,,,,,,,\n");
        let mut utf16 = vec![0xFF, 0xFE];
        for u in text.encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        let (status, body) = c.import_file("/api/v1/members/import", &admin, utf16).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["created"], 1);
        assert_eq!(active(&c, &admin, "P").await, 1);
    }
);

on_both_backends!(
    ten_thousand_rows_with_scattered_errors_load_the_rest,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let mut file = format!("{HEADER}\n");
        let mut bad = Vec::new();
        for i in 0..10_000 {
            let row = i + 2;
            let (unit, birth) = match i % 997 {
                13 => {
                    bad.push((row, "unit_code"));
                    ("G9", "1980-01-01".to_string())
                }
                500 => {
                    bad.push((row, "birth_date"));
                    ("G1", "1980-13-01".to_string())
                }
                _ => (
                    if i % 2 == 0 { "G1" } else { "G2" },
                    format!("19{:02}-{:02}-{:02}", 50 + i % 50, 1 + i % 12, 1 + i % 28),
                ),
            };
            file.push_str(&format!(
                "X{i},{unit},Người Số {i} Thứ {},female,{birth},,2024-0{}-1{},N{i},active,formal,\n",
                i * 7919 % 10007,
                1 + i % 9,
                i % 10
            ));
        }
        let (status, run) = c
            .import_file("/api/v1/members/import", &admin, file.clone().into_bytes())
            .await;
        assert_eq!(status, StatusCode::OK);
        let expected_bad = bad.len() as i64;
        assert_eq!(run["rejected"].as_i64(), Some(expected_bad));
        assert_eq!(run["created"].as_i64(), Some(10_000 - expected_bad));
        let named: Vec<(i64, String)> = problems(&run)
            .into_iter()
            .filter(|p| p.2 != "likely_duplicate")
            .map(|p| (p.0, p.1))
            .collect();
        let expected: Vec<(i64, String)> = bad.iter().map(|(r, c)| (*r, c.to_string())).collect();
        assert_eq!(named, expected);
        assert_eq!(active(&c, &admin, "P").await, 10_000 - expected_bad);
        // The export of the same members imports again without a change.
        let (status, csv) = c.get("/api/v1/members/export", &admin).await;
        assert_eq!(status, StatusCode::OK);
        let csv = csv.as_str().unwrap().to_string();
        assert_eq!(csv.lines().count() as i64, 1 + 10_000 - expected_bad);
        assert!(csv
            .trim_start_matches('\u{FEFF}')
            .starts_with("external_id,unit_code,full_name"));
        let (_, again) = c
            .import_file("/api/v1/members/import", &admin, csv.into_bytes())
            .await;
        assert_eq!(
            again["unchanged"].as_i64(),
            Some(10_000 - expected_bad),
            "{}",
            again["problems"]
        );
        assert_eq!(again["created"].as_i64(), Some(0));
    }
);

on_both_backends!(
    a_likely_duplicate_is_shown_before_saving_and_merges_keep_the_history,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let first = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Nguyễn Văn An", "birth_date": "1988-04-02",
                   "phone": "0912000111", "member_number": "A-1"}),
        )
        .await;
        // The same man typed without diacritics in another unit: not saved, shown.
        let again = json!({"unit_code": "G2", "full_name": "Nguyen Van An", "birth_date": "1988-04-02",
                           "email": "an@example.org"});
        let (status, body) = c.post("/api/v1/members", &admin, again.clone()).await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert_eq!(body["error"], "likely_duplicate");
        assert_eq!(body["duplicates"][0]["id"].as_i64(), Some(first));
        assert_eq!(active(&c, &admin, "P").await, 1);
        let (_, checked) = c
            .post("/api/v1/members/check-duplicates", &admin, again.clone())
            .await;
        assert_eq!(checked[0]["id"].as_i64(), Some(first));
        // Someone else of the same name, born another year, is not a duplicate.
        let other = add_member(
            &c,
            &admin,
            json!({"unit_code": "G2", "full_name": "Trần Thị Lan", "birth_date": "1990-01-01", "allow_duplicate": false}),
        )
        .await;
        let mut forced = again.clone();
        forced["allow_duplicate"] = json!(true);
        let (status, second) = c.post("/api/v1/members", &admin, forced).await;
        assert_eq!(status, StatusCode::CREATED);
        let second = second["id"].as_i64().unwrap();
        assert_eq!(active(&c, &admin, "P").await, 3);

        // The scan finds the pair; a district officer of D2 alone does not see it.
        let scan = crate::support::scan(&c, &admin).await;
        assert_eq!(scan["likely_pairs"], 1, "{scan}");
        let (_, list) = c.get("/api/v1/duplicates", &admin).await;
        assert_eq!(list["total"], 1);
        let pair = &list["pairs"][0];
        let diffs: Vec<&str> = pair["differences"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d.as_str().unwrap())
            .collect();
        assert!(
            diffs.contains(&"full_name") && diffs.contains(&"unit_code"),
            "{diffs:?}"
        );
        let d2 = c.login("district2", Some("D2"), "officer").await;
        let (_, theirs) = c.get("/api/v1/duplicates", &d2).await;
        assert_eq!(theirs["total"], 0);
        let (status, _) = c
            .post(
                "/api/v1/duplicates/merge",
                &d2,
                json!({"keep": second, "drop": first}),
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);

        // Merge: the first record stays, takes the email, and carries both histories.
        let (status, merged) = c
            .post(
                "/api/v1/duplicates/merge",
                &admin,
                json!({"keep": first, "drop": second}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{merged}");
        assert_eq!(merged["email"], "an@example.org");
        assert_eq!(merged["member_number"], "A-1");
        assert_eq!(merged["history"].as_array().unwrap().len(), 2);
        assert!(merged["audit"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["action"] == "merge"));
        let (status, _) = c.get(&format!("/api/v1/members/{second}"), &admin).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(active(&c, &admin, "P").await, 2);
        assert_eq!(active(&c, &admin, "D2").await, 1);
        let (_, list) = c.get("/api/v1/duplicates", &admin).await;
        assert_eq!(list["total"], 0);

        // Dismissed pairs do not come back with the next scan.
        let lan2 = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Tran Thi Lan", "birth_date": "1990-01-01"}),
        )
        .await;
        crate::support::scan(&c, &admin).await;
        let (_, list) = c.get("/api/v1/duplicates", &admin).await;
        assert_eq!(list["total"], 1);
        let (status, _) = c
            .post(
                "/api/v1/duplicates/dismiss",
                &admin,
                json!({"a": other, "b": lan2}),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        crate::support::scan(&c, &admin).await;
        let (_, list) = c.get("/api/v1/duplicates", &admin).await;
        assert_eq!(list["total"], 0);
    }
);

on_both_backends!(
    the_registration_page_shows_a_likely_duplicate_before_saving,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let first = add_member(
            &c,
            &admin,
            json!({"unit_code": "G1", "full_name": "Huỳnh Thị Mai", "birth_date": "1992-06-12"}),
        )
        .await;
        c.login("clerk", Some("P"), "officer").await;
        let me = c.session_cookie("clerk").await;
        let csrf = csrf_of(&c.page("GET", "/members/new", &me, None).await.body);
        let form = format!(
            "unit_code=G2&full_name={}&birth_date=12%2F06%2F1992&csrf={csrf}",
            enc("Huynh Thi Mai")
        );
        let shown = c.page("POST", "/members/new", &me, Some(&form)).await;
        assert_eq!(shown.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            shown.body.contains("id=\"likely-duplicates\""),
            "{}",
            shown.body
        );
        assert!(shown.body.contains(&format!("href=\"/members/{first}\"")));
        assert!(shown.body.contains("name=\"allow_duplicate\" value=\"1\""));
        assert!(
            shown.body.contains("Huynh Thi Mai"),
            "what was typed is kept"
        );
        assert_eq!(active(&c, &admin, "P").await, 1, "nothing saved yet");
        // Saved anyway, as the clerk decides.
        let saved = c
            .page(
                "POST",
                "/members/new",
                &me,
                Some(&format!("{form}&allow_duplicate=1")),
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        assert_eq!(active(&c, &admin, "P").await, 2);

        // The list's download in Vietnamese: headers and day-first dates as the reader
        // writes them; it imports again as it is with that date order.
        let csrf = csrf_of(&c.page("GET", "/settings", &me, None).await.body);
        c.page(
            "POST",
            "/language",
            &me,
            Some(&format!("lang=vi&csrf={csrf}")),
        )
        .await;
        let csv = c
            .page("GET", "/members/export.csv?unit=G1", &me, None)
            .await;
        assert_eq!(csv.status, StatusCode::OK);
        assert!(
            csv.body.contains("Họ và tên") && csv.body.contains("Ngày sinh"),
            "{}",
            csv.body
        );
        assert!(
            csv.body.contains("Huỳnh Thị Mai") && csv.body.contains("12/06/1992"),
            "{}",
            csv.body
        );
        assert!(!csv.body.contains("Huynh Thi Mai"), "only G1's subtree");
        let (status, back) = import(&c, &admin, "date_order=dmy", &csv.body).await;
        assert_eq!(status, StatusCode::OK, "{back}");
        assert_eq!(
            (back["unchanged"].as_i64(), back["created"].as_i64()),
            (Some(1), Some(0)),
            "{back}"
        );
    }
);

on_both_backends!(
    an_officer_imports_and_exports_inside_their_subtree_only,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let (_, theirs) = import(
            &c,
            &admin,
            "",
            &format!("{HEADER}\nA1,G1,Lê Văn Minh,male,1980-01-01,,2024-01-01,,active,,\n"),
        )
        .await;
        let d2 = c.login("district2", Some("D2"), "officer").await;
        // A unit of another district is unknown to them, as if it did not exist.
        let (status, mine) = import(
            &c,
            &d2,
            "",
            &format!(
                "{HEADER}\nB1,G2,Trần Thị Lan,female,1985-02-02,,2024-01-01,,active,,\n\
                 B2,G1,Phạm Văn Đức,male,1979-03-03,,2024-01-01,,active,,\n\
                 A1,G2,Lê Văn Minh,male,1980-01-01,,2024-01-01,,active,,\n"
            ),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{mine}");
        assert_eq!(mine["created"], 1, "{mine}");
        // A1 names someone outside their district: refused, neither moved nor copied
        // (an external id is one person's in the whole tree, as a member number is).
        assert_eq!(
            problems(&mine),
            vec![
                (3, "unit_code".into(), "unknown_unit".into()),
                (4, "external_id".into(), "person_outside_scope".into()),
            ]
        );
        let (_, minh) = c
            .get(&format!("/api/v1/members?q={}", enc("Lê Văn Minh")), &admin)
            .await;
        assert_eq!(minh["items"].as_array().unwrap().len(), 1);
        assert_eq!(minh["items"][0]["unit_code"], "G1");
        // Another's import record, and their members in an export, stay out of sight.
        let (status, _) = c
            .get(&format!("/api/v1/imports/{}", theirs["id"]), &d2)
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (_, csv) = c.get("/api/v1/members/export", &d2).await;
        let csv = csv.as_str().unwrap();
        assert!(
            csv.contains("Trần Thị Lan") && !csv.contains("G1,"),
            "{csv}"
        );
    }
);

/// The indexes and keys of the tables a bulk load fills, as the database lists them.
async fn schema_of(db: &muster_store::Db) -> Vec<String> {
    let sql = match db.backend() {
        muster_store::Backend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'index' \
             AND tbl_name IN ('people', 'memberships', 'person_keys') ORDER BY name"
        }
        muster_store::Backend::Postgres => {
            "SELECT CAST(indexname AS TEXT) FROM pg_indexes WHERE tablename IN \
             ('people', 'memberships', 'person_keys') UNION ALL \
             SELECT CAST(conname AS TEXT) FROM pg_constraint WHERE conrelid IN \
             (CAST('people' AS regclass), CAST('memberships' AS regclass), \
             CAST('person_keys' AS regclass)) ORDER BY 1"
        }
    };
    sqlx::query_scalar(sql).fetch_all(db.pool()).await.unwrap()
}

/// 240 members, each name once, over both grassroots units: joined over two years, some
/// informal, some lapsed or applicants, some with member numbers.
fn bulk_file() -> String {
    let statuses = ["active", "active", "lapsed", "applicant", "active"];
    let families = ["Phạm", "Lê", "Trần", "Võ"];
    let middles = ["Văn", "Thị", "Đức", "Minh"];
    let given = [
        "An", "Bình", "Cường", "Dũng", "Giang", "Hải", "Khoa", "Lâm", "Mạnh", "Nam", "Phúc",
        "Quân", "Sơn", "Tài", "Vinh",
    ];
    let mut file = format!("{HEADER}\n");
    for i in 0..240 {
        let name = format!(
            "{} {} {}",
            families[i % 4],
            middles[(i / 4) % 4],
            given[i / 16]
        );
        let unit = if i % 3 == 0 { "G2" } else { "G1" };
        let (employment, category) = match i % 4 {
            0 => ("informal", "domestic"),
            1 => ("formal", ""),
            _ => ("", ""),
        };
        let number = if i % 5 == 0 {
            format!("BT-{i}")
        } else {
            String::new()
        };
        file.push_str(&format!(
            "B{i},{unit},{name},male,{:02}/{:02}/19{:02},09{i:08},{:02}/{:02}/202{},{number},{},{employment},{category}\n",
            1 + i % 28,
            1 + i % 12,
            60 + i % 30,
            1 + (i * 7) % 28,
            1 + (i * 5) % 12,
            4 + i % 2,
            statuses[i % 5],
        ));
    }
    file
}

/// Opens a run of `file` as the system, in batches of 100 rows, in bulk, row by row or
/// as the size decides (`None`), without the duplicate check.
async fn start(c: &Client, file: &str, bulk: Option<bool>) -> muster_app::import::Prepared {
    let options = muster_app::import::ImportOptions {
        date_order: muster_domain::calendar::DateOrder::Dmy,
        bulk,
        batch_rows: 100,
        check_duplicates: false,
        ..Default::default()
    };
    c.app
        .start_import(
            &c.app.actor(),
            "members.csv",
            file.as_bytes().to_vec(),
            options,
        )
        .await
        .unwrap()
}

/// Imports `file` as the system, in bulk or row by row; the report and whether the run
/// said it was building indexes.
async fn load(c: &Client, file: &str, bulk: bool) -> (muster_app::import::ImportReport, bool) {
    let run = start(c, file, Some(bulk)).await;
    let mut indexing = false;
    let report = c
        .app
        .run_import(run, &mut |p| indexing |= p.indexing)
        .await
        .unwrap();
    (report, indexing)
}

on_both_backends!(
    a_bulk_load_ends_with_what_a_row_by_row_load_gives,
    |backend: Backend| async move {
        let file = bulk_file();
        let bulk = Client::new(backend).await;
        let admin = small_tree(&bulk).await;
        let schema = schema_of(bulk.app.db()).await;
        let rows = Client::new(backend).await;
        let other = small_tree(&rows).await;
        let (report, indexing) = load(&bulk, &file, true).await;
        assert_eq!(report.import.counts.created, 240);
        assert!(indexing, "the bulk load builds indexes at its end");
        let (_, indexing) = load(&rows, &file, false).await;
        assert!(!indexing);
        // The indexes and keys are all back, and nothing is left to do.
        assert_eq!(schema_of(bulk.app.db()).await, schema);
        assert!(!bulk.app.db().finish_bulk().await.unwrap());
        // The same counts, month by month, at every level.
        for unit in ["P", "D1", "G1", "G2"] {
            let (_, a) = bulk
                .get(&format!("/api/v1/units/{unit}/stats"), &admin)
                .await;
            let (_, b) = rows
                .get(&format!("/api/v1/units/{unit}/stats"), &other)
                .await;
            assert_eq!(a, b, "{unit}");
        }
        let (_, stats) = bulk.get("/api/v1/units/P/stats", &admin).await;
        assert_eq!(stats["active"], 144, "{stats}");
        // Found by name, number and phone, as the row-by-row load's are.
        for q in ["vo thi vinh", "BT-35", "0900000121"] {
            let (_, a) = bulk
                .get(&format!("/api/v1/members?q={}", enc(q)), &admin)
                .await;
            let (_, b) = rows
                .get(&format!("/api/v1/members?q={}", enc(q)), &other)
                .await;
            assert_eq!(a["items"].as_array().unwrap().len(), 1, "{q}: {a}");
            assert_eq!(
                a["items"][0]["full_name"], b["items"][0]["full_name"],
                "{q}"
            );
        }
        // The file again changes nothing.
        let (again, _) = load(&bulk, &file, true).await;
        assert_eq!(again.import.counts.created, 0);
        assert_eq!(again.import.counts.unchanged, 240);
        assert_eq!(schema_of(bulk.app.db()).await, schema);
    }
);

on_both_backends!(
    indexes_a_bulk_load_dropped_come_back_when_the_program_starts_again,
    |backend: Backend| async move {
        let db = crate::support::TestDb::new(backend).await;
        let app = db.system().await;
        app.create_unit(
            &app.actor(),
            muster_app::units::NewUnit {
                code: "P".into(),
                level: "Province".into(),
                name: "Tỉnh Bến Tre".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let unit: i64 = sqlx::query_scalar("SELECT id FROM units WHERE code = 'P'")
            .fetch_one(app.db().pool())
            .await
            .unwrap();
        let schema = schema_of(app.db()).await;
        // The load's first step and one batch, then the program is cut off.
        let mut conn = app.db().bulk().await.unwrap();
        let mut tx = app.db().begin_on(&mut conn).await.unwrap();
        let dropped = muster_store::bulk::begin(&mut tx).await.unwrap();
        let batch = muster_store::import::CounterRows {
            statuses: vec![(unit, "active".into(), 7)],
            ..Default::default()
        };
        muster_store::bulk::stage_counts(&mut tx, &batch)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        drop(conn);
        assert!(dropped >= 8, "{dropped}");
        assert!(schema_of(app.db()).await.len() < schema.len());
        app.db().close().await;
        let app = db.system().await;
        assert_eq!(schema_of(app.db()).await, schema);
        let counted: i64 = sqlx::query_scalar(
            "SELECT members FROM unit_status_counts WHERE unit_id = $1 AND status = 'active'",
        )
        .bind(unit)
        .fetch_one(app.db().pool())
        .await
        .unwrap();
        assert_eq!(counted, 7);
    }
);

on_both_backends!(
    a_drive_under_way_counts_an_import_as_a_drive_made_after_it,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let drive = |code: &str| {
            json!({
                "code": code, "name": "Phát triển đoàn viên 2024-2025", "scope_unit_code": "D1",
                "start_month": "2024-01", "end_month": "2025-12",
                "metrics": [{"kind": "new_members"}, {"kind": "new_informal"}, {"kind": "net_change"}]
            })
        };
        let (status, body) = c.post("/api/v1/drives", &admin, drive("DURING")).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let file = bulk_file();
        // Half the file row by row, the other half in bulk.
        let lines: Vec<&str> = file.lines().collect();
        let (first, second) = lines[1..].split_at(120);
        load(&c, &format!("{HEADER}\n{}\n", first.join("\n")), false).await;
        load(&c, &format!("{HEADER}\n{}\n", second.join("\n")), true).await;
        let (status, body) = c.post("/api/v1/drives", &admin, drive("AFTER")).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        let figures = |p: &Value| -> Vec<Value> {
            p["metrics"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| json!([m["metric"]["kind"], m["total"], m["own"], m["children"]]))
                .collect()
        };
        let (_, during) = c
            .get("/api/v1/drives/DURING/progress?as_of=2025-12-31", &admin)
            .await;
        let (_, after) = c
            .get("/api/v1/drives/AFTER/progress?as_of=2025-12-31", &admin)
            .await;
        assert_eq!(figures(&during), figures(&after));
        // G1 is under D1: two thirds of the file, three in five of them active.
        let new_members = &during["metrics"][0]["total"]["actual"];
        assert_eq!(new_members, 96, "{during}");
    }
);

on_both_backends!(
    the_page_says_when_a_bulk_load_builds_its_indexes,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        small_tree(&c).await;
        let cookie = c.session_cookie("root").await;
        let run = start(&c, &bulk_file(), Some(true)).await;
        let path = format!("/members/imports/{}", run.import_id);
        // What the page shows at the moment the run says it builds its indexes.
        let mut seen = Vec::new();
        let report = c
            .app
            .run_import(run, &mut |p| {
                if p.indexing {
                    let page = tokio::task::block_in_place(|| {
                        tokio::runtime::Handle::current()
                            .block_on(c.page("GET", &path, &cookie, None))
                    });
                    seen.push(page.body);
                }
            })
            .await
            .unwrap();
        assert_eq!(report.import.counts.created, 240);
        assert_eq!(seen.len(), 1);
        assert!(
            seen[0].contains("building the search indexes") && seen[0].contains("Running"),
            "{}",
            seen[0]
        );
        assert!(seen[0].contains("http-equiv=\"refresh\""));
        // Once done, the page says so and no longer speaks of indexes.
        let done = c.page("GET", &path, &cookie, None).await;
        assert!(done.body.contains("Done"), "{}", done.body);
        assert!(!done.body.contains("building the search indexes"));
        assert!(!done.body.contains("http-equiv=\"refresh\""));
    }
);

on_both_backends!(
    a_run_whose_process_is_gone_shows_as_stopped_and_resumes,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let cookie = c.session_cookie("root").await;
        // A run started by a process that then died: its record says running.
        let run = start(&c, &bulk_file(), None).await;
        let id = run.import_id;
        drop(run);
        let path = format!("/members/imports/{id}");
        let page = c.page("GET", &path, &cookie, None).await;
        assert!(page.body.contains("Running"), "{}", page.body);
        let (_, view) = c.get(&format!("/api/v1/imports/{id}"), &admin).await;
        assert_eq!(view["stalled"], false, "{view}");
        // No sign of life for five minutes.
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE imports SET updated_at = '{}' WHERE id = {id}",
            muster_domain::date::utc_in(-300)
        )))
        .execute(c.app.db().pool())
        .await
        .unwrap();
        let page = c.page("GET", &path, &cookie, None).await;
        assert!(page.body.contains("Stopped"), "{}", page.body);
        assert!(
            page.body.contains("import the same file again"),
            "{}",
            page.body
        );
        assert!(!page.body.contains("http-equiv=\"refresh\""));
        let (_, view) = c.get(&format!("/api/v1/imports/{id}"), &admin).await;
        assert_eq!(view["stalled"], true, "{view}");
        let list = c.page("GET", "/members/import", &cookie, None).await;
        assert!(list.body.contains("Stopped"), "{}", list.body);
        // The same file again takes up the same run and finishes it.
        let again = start(&c, &bulk_file(), None).await;
        assert_eq!(again.import_id, id);
        let report = c.app.run_import(again, &mut |_| {}).await.unwrap();
        assert_eq!(report.import.counts.created, 240);
        let (_, view) = c.get(&format!("/api/v1/imports/{id}"), &admin).await;
        assert_eq!(
            (view["status"].as_str(), view["stalled"].as_bool()),
            (Some("done"), Some(false)),
            "{view}"
        );
    }
);

on_both_backends!(
    a_solar_hijri_file_reads_iso_dates_as_gregorian,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        // A clerk in Iran exports from a Gregorian system and from a Solar Hijri one.
        let file = "external_id,unit_code,full_name,birth_date,joined_on\n\
                    F1,G1,مریم احمدی,1977-07-11,۱۴۰۳/۰۲/۲۶\n\
                    F2,G1,رضا کریمی,1355-04-20,1403-02-26\n\
                    F3,G1,زهرا رضایی,1977-13-11,\n";
        let (status, report) = import(
            &c,
            &admin,
            "file_name=fa.csv&calendar=persian&date_order=ymd",
            file,
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{report}");
        assert_eq!(report["created"], 2, "{report}");
        assert_eq!(
            problems(&report),
            vec![(4, "birth_date".to_string(), "invalid_date".to_string())]
        );
        let (_, page) = c
            .get("/api/v1/members?q=%D9%85%D8%B1%DB%8C%D9%85", &admin)
            .await;
        let id = page["items"][0]["id"].as_i64().unwrap();
        let (_, m) = c.get(&format!("/api/v1/members/{id}"), &admin).await;
        assert_eq!(m["birth_date"], "1977-07-11", "{m}");
        assert_eq!(m["joined_on"], "2024-05-15", "{m}");
        let (_, page) = c.get("/api/v1/members?q=%D8%B1%D8%B6%D8%A7", &admin).await;
        let id = page["items"][0]["id"].as_i64().unwrap();
        let (_, m) = c.get(&format!("/api/v1/members/{id}"), &admin).await;
        assert_eq!(m["birth_date"], "1976-07-11", "{m}");
        assert_eq!(m["joined_on"], "2024-05-15", "{m}");
    }
);

on_both_backends!(
    an_api_import_answers_at_once_and_is_followed_to_its_end,
    |backend: Backend| async move {
        let c = Client::new(backend).await;
        let admin = small_tree(&c).await;
        let file =
            "unit_code,full_name,favourite colour\nG1,Trần Văn Bình,blue\nG9,Lê Thị Cúc,red\n";
        let (status, run) = import(&c, &admin, "file_name=two.csv", file).await;
        assert_eq!(status, StatusCode::OK, "{run}");
        assert_eq!(run["status"], "done");
        assert_eq!(run["ignored_columns"], json!(["favourite colour"]));
        assert_eq!(
            (run["created"].as_i64(), run["rejected"].as_i64()),
            (Some(1), Some(1))
        );
        assert_eq!(
            problems(&run),
            vec![(3, "unit_code".into(), "unknown_unit".into())]
        );
        assert_eq!(active(&c, &admin, "G1").await, 1);
        // A viewer of another tree cannot follow it.
        let id = run["id"].as_i64().unwrap();
        let (s, other) = c
            .post(
                "/api/v1/units",
                &admin,
                json!({"code": "Q", "level": "Province", "name": "Tỉnh Khác",
                       "levels": ["Province", "District", "Grassroots"]}),
            )
            .await;
        assert_eq!(s, StatusCode::CREATED, "{other}");
        let q = c.login("q-viewer", Some("Q"), "viewer").await;
        let (s, _) = c.get(&format!("/api/v1/imports/{id}"), &q).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
);
