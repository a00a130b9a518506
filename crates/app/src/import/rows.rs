//! Checking each row and writing a batch: new people, updates, memberships, counters and search keys.

use super::*;

/// Checked rows on their way to be written, with the last row they reach.
#[derive(Default)]
pub(super) struct Chunk {
    pub(super) rows: Vec<Good>,
    pub(super) problems: Vec<RowProblem>,
    pub(super) last_row: i64,
    /// The employment buckets the rows' counts name.
    pub(super) buckets: Vec<(String, String)>,
    /// The rows' search keys in key order (see `sorted_keys`).
    pub(super) keys: Vec<(IdRow, u32)>,
}

/// The search keys of a batch's rows in key order, each with the position of its row,
/// so that they go into the key's index one after another.
pub(super) fn sorted_keys(rows: &mut [Good]) -> Result<Vec<(IdRow, u32)>, AppError> {
    let mut keys: Vec<(String, u32, i64)> = rows
        .iter_mut()
        .enumerate()
        .flat_map(|(i, r)| {
            let branch = r.unit.branch;
            std::mem::take(&mut r.keys)
                .into_iter()
                .map(move |k| (k, i as u32, branch))
        })
        .collect();
    keys.sort_unstable();
    keys.into_iter()
        .map(|(k, i, branch)| Ok((store::key_row(&k, branch)?, i)))
        .collect()
}

/// What writing a batch needs of its run.
pub(super) struct WriteCtx<'a> {
    pub(super) import_id: i64,
    /// Counts wait for the end of a bulk load.
    pub(super) in_bulk: bool,
    pub(super) options: &'a ImportOptions,
    pub(super) columns: &'a [Option<Field>],
    pub(super) actor: &'a Actor,
    pub(super) loaded_before: Option<i64>,
    /// Whether any drive is under way, to count.
    pub(super) drives: bool,
}

/// Where an import's time goes, logged at its end (`MUSTER_LOG=muster_app=debug`).
pub(super) mod timing {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NANOS: [AtomicU64; 9] = [const { AtomicU64::new(0) }; 9];
    pub(crate) fn add(slot: usize, since: std::time::Instant) {
        NANOS[slot].fetch_add(since.elapsed().as_nanos() as u64, Ordering::Relaxed);
    }
    pub(crate) fn report() {
        let ms: Vec<u64> = NANOS
            .iter()
            .map(|n| n.swap(0, Ordering::Relaxed) / 1_000_000)
            .collect();
        tracing::debug!(
            check_ms = ms[0],
            prepare_ms = ms[1],
            people_ms = ms[2],
            memberships_ms = ms[3],
            keys_ms = ms[4],
            counters_ms = ms[5],
            commit_ms = ms[6],
            lookups_ms = ms[7],
            indexes_ms = ms[8],
            "import timing"
        );
    }
}

pub(super) fn problem(row: i64, column: &str, reason: &str, detail: Option<String>) -> RowProblem {
    RowProblem {
        row,
        column: column.into(),
        reason: reason.into(),
        detail,
    }
}

pub(super) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks one row into a good row or its problems.
pub(super) async fn check_row(
    conn: &mut Conn,
    actor: &Actor,
    options: &ImportOptions,
    columns: &[Option<Field>],
    cells: &[String],
    row: i64,
    look: &mut Lookups,
) -> Result<Result<Good, Vec<RowProblem>>, AppError> {
    let mut values: Vec<Option<String>> = vec![None; Field::ALL.len()];
    for (i, f) in columns.iter().enumerate() {
        if let (Some(f), Some(v)) = (f, cells.get(i)) {
            let v = v.trim();
            if !v.is_empty() {
                values[*f as usize] = Some(v.to_string());
            }
        }
    }
    let get = |f: Field| values[f as usize].clone();
    let mut check = Check::default();
    let date = |check: &mut Check, f: Field| {
        get(f).and_then(|v| {
            check.take(
                f.as_str(),
                parse_ordered(&v, options.calendar, options.date_order),
            )
        })
    };
    let birth = date(&mut check, Field::BirthDate);
    let joined = date(&mut check, Field::JoinedOn);
    let person = PersonInput {
        full_name: get(Field::FullName),
        latin_name: get(Field::LatinName),
        gender: get(Field::Gender).map(|g| g.to_lowercase()),
        birth_date: birth.map(|d| d.to_string()),
        phone: get(Field::Phone),
        email: get(Field::Email),
        national_id: get(Field::NationalId),
        region: get(Field::Region),
        address: get(Field::Address),
        occupation_code: get(Field::OccupationCode),
        sector_code: get(Field::SectorCode),
        employment_type: get(Field::EmploymentType).map(|g| g.to_lowercase()),
        informal_category: get(Field::InformalCategory).map(|g| g.to_lowercase()),
        workplace_code: get(Field::WorkplaceCode),
        preferred_language: get(Field::PreferredLanguage),
    };
    let mut fields = validate_person(&person, &mut check);
    if joined.is_some_and(|d| d > Date::today()) {
        check.fail("joined_on", "in_future");
    }
    let status = check
        .opt(
            "status",
            get(Field::Status).map(|s| s.to_lowercase()).as_deref(),
            Status::parse,
        )
        .unwrap_or(Status::Active);
    let number = check
        .opt(
            "member_number",
            get(Field::MemberNumber).as_deref(),
            MemberNumber::parse,
        )
        .map(|n| n.as_str().to_string());
    let external_id = check.opt("external_id", get(Field::ExternalId).as_deref(), |s| {
        muster_domain::unit::required_text(s, 100)
    });
    let unit = match get(Field::UnitCode) {
        None => {
            check.fail("unit_code", "required");
            None
        }
        Some(code) => {
            let code = code.to_uppercase();
            if !look.unit_codes.contains_key(&code) {
                let found = match find_in_scope(conn, actor.scope(), &code).await {
                    Ok(u) => {
                        let branch = store_search::branch_of(conn, u.id).await?;
                        let ancestors = store::ancestors(conn, u.id).await?;
                        look.units.push(std::sync::Arc::new(UnitInfo {
                            id: u.id,
                            tree_id: u.tree_id,
                            branch,
                            ancestors,
                        }));
                        Some(look.units.len() - 1)
                    }
                    Err(AppError::NotFound(_)) => None,
                    Err(e) => return Err(e),
                };
                look.unit_codes.insert(code.clone(), found);
            }
            let found = look.unit_codes[&code];
            if found.is_none() {
                check.fail("unit_code", "unknown_unit");
            }
            found
        }
    };
    let tree_id = unit.map(|u| look.units[u].tree_id);
    if let (Some(code), Some(tree)) = (get(Field::WorkplaceCode), tree_id) {
        let code = code.to_uppercase();
        if !look.workplaces.contains_key(&code) {
            let found = match workplaces::by_code(conn, &code).await? {
                Some(w)
                    if muster_store::units::in_scope(conn, actor.scope(), w.fields.unit_id)
                        .await? =>
                {
                    Some((w.id, w.tree_id))
                }
                _ => None,
            };
            look.workplaces.insert(code.clone(), found);
        }
        match look.workplaces[&code] {
            Some((id, t)) if t == tree => fields.workplace_id = Some(id),
            _ => check.fail("workplace_code", "unknown_workplace"),
        }
    }
    // The same person twice in one file: the second is refused.
    if let (Some(tree), Some(ext)) = (tree_id, &external_id) {
        if !look.seen_ids.insert((tree, ext.clone())) {
            check.fail("external_id", "repeated_in_file");
        }
    }
    if let (Some(tree), Some(n)) = (tree_id, &number) {
        if !look.seen_numbers.insert((tree, n.clone())) {
            check.fail("member_number", "repeated_in_file");
        }
    }
    let errors = check.into_fields();
    if !errors.is_empty() {
        return Ok(Err(errors
            .into_iter()
            .map(|(column, reason)| {
                let detail = columns
                    .iter()
                    .position(|f| f.map(Field::as_str) == Some(column.as_str()))
                    .and_then(|i| cells.get(i))
                    .map(|v| v.chars().take(80).collect());
                problem(row, &column, &reason, detail)
            })
            .collect()));
    }
    let Some(unit) = unit else {
        return Ok(Err(vec![problem(row, "unit_code", "unknown_unit", None)]));
    };
    let keys = search::person_keys(
        &fields.full_name,
        fields.latin_name.as_deref(),
        fields.phone.as_deref(),
        number.as_deref(),
    );
    let unit = std::sync::Arc::clone(&look.units[unit]);
    let joined_on = joined.unwrap_or_else(Date::today);
    let joined_text = joined_on.to_string();
    let bucket = Bucket::of(
        fields.employment_type.as_deref(),
        fields.informal_category.as_deref(),
        fields.workplace_id,
    );
    let count = RowCount {
        day: joined_on,
        bucket: look.bucket_index(&bucket),
        change: status_change(&bucket, unit.id, joined_on, None, status).map(|c| {
            [
                c.joins,
                c.leaves,
                c.transfers_in,
                c.transfers_out,
                c.active_delta,
            ]
        }),
    };
    Ok(Ok(Good {
        row,
        person_row: store::person_row(
            unit.tree_id,
            &fields,
            external_id.as_deref(),
            &names::sort_key(&fields.full_name),
        )?,
        membership_row: store::membership_row(
            unit.tree_id,
            unit.id,
            status.as_str(),
            number.as_deref(),
            Some(&joined_text),
            status.is_closed().then_some(joined_text.as_str()),
        )?,
        keys,
        count,
        unit,
        fields,
        external_id,
        member_number: number,
        status,
    }))
}

/// What one batch did.
#[derive(Default)]
pub(super) struct Written {
    pub(super) created: i64,
    pub(super) updated: i64,
    pub(super) unchanged: i64,
    /// The rows created, for the duplicate check.
    pub(super) people: Vec<NewRow>,
}

/// Counter changes of a batch, summed before they are written, keyed by unit, day
/// (or month: the first day) and employment bucket.
#[derive(Default)]
struct Tally {
    months: HashMap<(i64, Date, u16), [i64; 5]>,
    subtree_months: HashMap<(i64, Date, u16), [i64; 5]>,
    days: HashMap<(i64, Date, u16), [i64; 2]>,
    statuses: HashMap<(i64, Status), i64>,
    subtree_statuses: HashMap<(i64, Status), i64>,
    workplaces: HashMap<i64, i64>,
}

impl Tally {
    /// A new member of `unit`, counted in the members of their workplace if any.
    fn add(&mut self, c: &RowCount, status: Status, unit: &UnitInfo, workplace_id: Option<i64>) {
        *self.statuses.entry((unit.id, status)).or_default() += 1;
        for a in &unit.ancestors {
            *self.subtree_statuses.entry((*a, status)).or_default() += 1;
        }
        let Some(v) = c.change else {
            return;
        };
        let month = Date::new(c.day.year(), c.day.month(), 1).unwrap_or(c.day);
        add(
            self.months.entry((unit.id, month, c.bucket)).or_default(),
            &v,
        );
        for a in &unit.ancestors {
            add(
                self.subtree_months
                    .entry((*a, month, c.bucket))
                    .or_default(),
                &v,
            );
        }
        add(
            self.days.entry((unit.id, c.day, c.bucket)).or_default(),
            &[v[0], v[4]],
        );
        if let (Some(w), true) = (workplace_id, v[4] != 0) {
            *self.workplaces.entry(w).or_default() += v[4];
        }
    }

    /// The counter rows of the sums, the buckets named.
    fn rows(self, buckets: &[(String, String)]) -> CounterRows {
        let bucket = |b: u16| buckets[b as usize].clone();
        let months = |m: HashMap<(i64, Date, u16), [i64; 5]>| -> Vec<MonthRow> {
            m.into_iter()
                .map(|((u, mo, b), v)| {
                    let (e, c) = bucket(b);
                    (u, mo.month_key(), e, c, v[0], v[1], v[2], v[3], v[4])
                })
                .collect()
        };
        let statuses = |m: HashMap<(i64, Status), i64>| -> Vec<(i64, String, i64)> {
            m.into_iter()
                .map(|((u, s), n)| (u, s.as_str().to_string(), n))
                .collect()
        };
        CounterRows {
            months: months(self.months),
            subtree_months: months(self.subtree_months),
            days: self
                .days
                .into_iter()
                .map(|((u, d, b), v)| {
                    let (e, c) = bucket(b);
                    (u, d.to_string(), e, c, v[0], v[1])
                })
                .collect(),
            statuses: statuses(self.statuses),
            subtree_statuses: statuses(self.subtree_statuses),
            workplaces: self.workplaces.into_iter().collect(),
        }
    }
}

fn add<const N: usize>(into: &mut [i64; N], v: &[i64; N]) {
    for (a, b) in into.iter_mut().zip(v) {
        *a += b;
    }
}

/// The matcher's record of a person.
pub(crate) fn matcher_record(f: &PersonFields) -> dedupe::Person {
    dedupe::member(
        &f.full_name,
        f.latin_name.as_deref(),
        f.birth_date.as_deref(),
        f.phone.as_deref(),
        f.national_id.as_deref(),
        f.gender.as_deref(),
        f.occupation_code.as_deref(),
    )
}

/// Writes one batch of checked rows: updates of the people they name, the others new.
/// Rows that turn out to clash with the registry go to `rejected`.
pub(super) async fn write_batch(
    conn: &mut Conn,
    run: &WriteCtx<'_>,
    rows: Vec<Good>,
    sorted_keys: &[(IdRow, u32)],
    buckets: &[(String, String)],
    rejected: &mut Vec<RowProblem>,
    now: &str,
) -> Result<Written, AppError> {
    let mut written = Written::default();
    let t0 = std::time::Instant::now();
    let ext_keys: Vec<(i64, &str)> = rows
        .iter()
        .filter_map(|r| Some((r.unit.tree_id, r.external_id.as_deref()?)))
        .collect();
    let mut by_ext: HashMap<(i64, String), i64> = store::by_external_id(conn, &ext_keys)
        .await?
        .into_iter()
        .map(|(t, k, id)| ((t, k), id))
        .collect();
    // Ids an export wrote for people the registry knows by no external id.
    let own: Vec<(i64, String, i64)> = ext_keys
        .iter()
        .filter(|(t, k)| !by_ext.contains_key(&(*t, k.to_string())))
        .filter_map(|(t, k)| Some((*t, k.to_string(), own_id(k)?)))
        .collect();
    if !own.is_empty() {
        let ids: Vec<i64> = own.iter().map(|o| o.2).collect();
        let trees: HashMap<i64, i64> = store::trees_of(conn, &ids).await?.into_iter().collect();
        for (tree, key, id) in own {
            if trees.get(&id) == Some(&tree) {
                by_ext.insert((tree, key), id);
            }
        }
    }
    let number_keys: Vec<(i64, &str)> = rows
        .iter()
        .filter_map(|r| Some((r.unit.tree_id, r.member_number.as_deref()?)))
        .collect();
    let by_number: HashMap<(i64, String), i64> = store::by_member_number(conn, &number_keys)
        .await?
        .into_iter()
        .map(|(t, k, id)| ((t, k), id))
        .collect();
    timing::add(7, t0);
    // New rows with their positions in the batch, which its sorted keys name.
    let mut fresh: Vec<(usize, Good)> = Vec::new();
    let mut matched: Vec<(Good, i64)> = Vec::new();
    let batch_len = rows.len();
    for (pos, r) in rows.into_iter().enumerate() {
        let tree = r.unit.tree_id;
        let by_id = r
            .external_id
            .as_ref()
            .and_then(|e| by_ext.get(&(tree, e.clone())).copied());
        let number_holder = r
            .member_number
            .as_ref()
            .and_then(|n| by_number.get(&(tree, n.clone())).copied());
        match (by_id, number_holder) {
            (Some(p), Some(q)) if p != q => {
                rejected.push(problem(r.row, "member_number", "member_number_taken", None));
            }
            (Some(p), _) => matched.push((r, p)),
            // A member number names the person when the row has no external id, or one
            // the registry does not know yet.
            (None, Some(q)) => matched.push((r, q)),
            (None, None) => {
                if run.loaded_before.is_some()
                    && r.external_id.is_none()
                    && r.member_number.is_none()
                {
                    written.unchanged += 1;
                } else {
                    fresh.push((pos, r));
                }
            }
        }
    }
    // Updates, one at a time: few, and each needs its own counters and audit.
    let ids: Vec<i64> = matched.iter().map(|(_, p)| *p).collect();
    let stored: HashMap<i64, (PersonRow, MembershipRow)> =
        members_store::people_with_membership(conn, &ids)
            .await?
            .into_iter()
            .map(|(p, m)| (p.id, (p, m)))
            .collect();
    for (r, person_id) in matched {
        let Some((p, m)) = stored.get(&person_id) else {
            // Archived or without a membership: the row cannot name them.
            rejected.push(problem(r.row, "external_id", "person_not_current", None));
            continue;
        };
        if !muster_store::units::in_scope(conn, run.actor.scope(), m.unit_id).await? {
            rejected.push(problem(r.row, "external_id", "person_outside_scope", None));
            continue;
        }
        match update_one(conn, run, &r, p, m, now).await? {
            Ok(true) => written.updated += 1,
            Ok(false) => written.unchanged += 1,
            Err(reason) => rejected.push(problem(r.row, reason.0, reason.1, None)),
        }
    }
    if fresh.is_empty() {
        return Ok(written);
    }
    let t0 = std::time::Instant::now();
    let ids = if run.options.dry_run {
        vec![0; fresh.len()]
    } else {
        store::next_person_ids(conn, fresh.len()).await?
    };
    let mut people = IdRows::default();
    let mut memberships = IdRows::default();
    let mut id_at: Vec<Option<i64>> = vec![None; batch_len];
    let mut tally = Tally::default();
    let (first, last) = (ids.first().copied(), ids.last().copied());
    for ((pos, r), id) in fresh.into_iter().zip(ids) {
        id_at[pos] = Some(id);
        tally.add(&r.count, r.status, &r.unit, r.fields.workplace_id);
        people.push(id, &r.person_row);
        memberships.push(id, &r.membership_row);
        if run.options.check_duplicates {
            written.people.push(NewRow {
                row: r.row,
                tree_id: r.unit.tree_id,
                person_id: id,
                fields: r.fields,
            });
        }
        written.created += 1;
    }
    if run.options.dry_run {
        return Ok(written);
    }
    let mut keys = IdRows::default();
    for (row, pos) in sorted_keys {
        if let Some(id) = id_at[*pos as usize] {
            keys.push(id, row);
        }
    }
    timing::add(1, t0);
    let t0 = std::time::Instant::now();
    store::insert_people(conn, people, run.import_id, now).await?;
    timing::add(2, t0);
    let t0 = std::time::Instant::now();
    store::insert_memberships(conn, memberships, now).await?;
    timing::add(3, t0);
    let t0 = std::time::Instant::now();
    store::insert_keys(conn, keys).await?;
    timing::add(4, t0);
    let t0 = std::time::Instant::now();
    let counts = tally.rows(buckets);
    if run.in_bulk {
        muster_store::bulk::stage_counts(conn, &counts).await?;
    } else {
        counts.add_to(conn, run.drives).await?;
    }
    timing::add(5, t0);
    audit(
        conn,
        run.actor,
        "import",
        "import",
        run.import_id,
        run.actor.unit_id,
        None,
        Some(serde_json::json!({
            "created": written.created,
            "first_person": first,
            "last_person": last,
        })),
        now,
    )
    .await?;
    Ok(written)
}

/// Brings one person in line with their row; `Ok(false)` when nothing differs, an
/// `Err` (column, reason) when the row asks for what cannot be.
async fn update_one(
    conn: &mut Conn,
    run: &WriteCtx<'_>,
    r: &Good,
    p: &PersonRow,
    m: &MembershipRow,
    now: &str,
) -> Result<Result<bool, (&'static str, &'static str)>, AppError> {
    // Columns the file does not have keep their stored values.
    let has = |f: Field| run.columns.contains(&Some(f));
    let mut next = p.fields.clone();
    macro_rules! take {
        ($field:ident, $col:expr) => {
            if has($col) {
                next.$field = r.fields.$field.clone();
            }
        };
    }
    take!(full_name, Field::FullName);
    take!(latin_name, Field::LatinName);
    take!(gender, Field::Gender);
    take!(birth_date, Field::BirthDate);
    take!(phone, Field::Phone);
    take!(email, Field::Email);
    take!(national_id, Field::NationalId);
    take!(region, Field::Region);
    take!(address, Field::Address);
    take!(occupation_code, Field::OccupationCode);
    take!(sector_code, Field::SectorCode);
    take!(employment_type, Field::EmploymentType);
    take!(informal_category, Field::InformalCategory);
    take!(workplace_id, Field::WorkplaceCode);
    take!(preferred_language, Field::PreferredLanguage);
    let unit = &r.unit;
    let number = if has(Field::MemberNumber) {
        r.member_number.clone()
    } else {
        m.member_number.clone()
    };
    let stored_status =
        Status::parse(&m.status).map_err(|_| AppError::Internal("stored status".into()))?;
    let status = if has(Field::Status) {
        r.status
    } else {
        stored_status
    };
    let same = next == p.fields
        && number == m.member_number
        && unit.id == m.unit_id
        && status == stored_status;
    if same {
        return Ok(Ok(false));
    }
    if status != stored_status && !stored_status.can_become(status) {
        return Ok(Err(("status", "transition_not_allowed")));
    }
    if unit.tree_id != m.tree_id {
        return Ok(Err(("unit_code", "other_tree")));
    }
    if run.options.dry_run {
        return Ok(Ok(true));
    }
    let today = Date::today();
    members_store::update_person(conn, p.id, &next, now).await?;
    if number != m.member_number && unit.id == m.unit_id {
        members_store::set_member_number(conn, m.id, number.as_deref(), now)
            .await
            .map_err(crate::error::on_conflict)?;
    }
    let new = Bucket::of_person(&next);
    if stored_status.is_active() {
        rebucket(conn, &Bucket::of_person(&p.fields), &new, m.unit_id, today).await?;
    }
    let mut current = m.clone();
    if unit.id != m.unit_id {
        move_membership(conn, &new, m, unit.id, today, number.clone(), now).await?;
        current = members_store::current_membership(conn, p.id)
            .await?
            .ok_or(AppError::NotFound("member"))?;
    }
    if status != stored_status {
        let left = status.is_closed().then(|| today.to_string());
        members_store::set_status(
            conn,
            current.id,
            status.as_str(),
            None,
            left.as_deref(),
            now,
        )
        .await?;
        counters::status_delta(conn, current.unit_id, stored_status.as_str(), -1).await?;
        counters::status_delta(conn, current.unit_id, status.as_str(), 1).await?;
        if let Some(c) = status_change(&new, current.unit_id, today, Some(stored_status), status) {
            counters::apply(conn, &c).await?;
        }
    }
    refresh_keys(conn, p.id).await?;
    let after = members_store::current_membership(conn, p.id)
        .await?
        .ok_or(AppError::NotFound("member"))?;
    audit(
        conn,
        run.actor,
        "import_update",
        "person",
        p.id,
        Some(after.unit_id),
        Some(snapshot(&p.fields, m)),
        Some(snapshot(&next, &after)),
        now,
    )
    .await?;
    Ok(Ok(true))
}
