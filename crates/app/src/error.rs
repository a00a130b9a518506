use muster_domain::FieldError;
use muster_store::StoreError;
use std::collections::BTreeMap;
use thiserror::Error;

/// Field name → stable error code, for forms and API clients alike.
pub type Fields = BTreeMap<String, String>;

#[derive(Debug, Error)]
pub enum AppError {
    /// Nothing by that name in the caller's scope. Used for what exists outside the
    /// scope too, so that a caller learns nothing about it.
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("not allowed for this role")]
    Forbidden,
    #[error("not authenticated")]
    Unauthenticated,
    #[error("invalid input")]
    Invalid(Fields),
    #[error("conflict on {field}")]
    Conflict { field: String, code: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("internal error: {0}")]
    Internal(String),
    /// Asked too often; ask again in a minute.
    #[error("too many requests")]
    TooMany,
    /// Someone like the person to be registered is already registered.
    #[error("likely duplicate of a registered member")]
    LikelyDuplicate(Vec<crate::dedupe::LikelyDuplicate>),
    /// A file that cannot be read as a table at all: `code` says why, `row` where (1 is
    /// the header), `names` what (missing columns, for one).
    #[error("unreadable file: {code}")]
    BadFile {
        code: &'static str,
        row: Option<i64>,
        names: Vec<String>,
    },
}

impl AppError {
    pub fn field(field: &str, code: &str) -> Self {
        let mut f = Fields::new();
        f.insert(field.into(), code.into());
        AppError::Invalid(f)
    }

    /// A file refused whole, for `code`, at `row` when it is known.
    pub fn bad_file(code: &'static str, row: Option<i64>) -> Self {
        AppError::BadFile {
            code,
            row,
            names: Vec::new(),
        }
    }

    /// A stable snake_case code for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound(_) => "not_found",
            AppError::Forbidden => "forbidden",
            AppError::TooMany => "too_many_requests",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Invalid(_) => "validation_failed",
            AppError::Conflict { .. } => "conflict",
            AppError::BadFile { .. } => "bad_file",
            AppError::LikelyDuplicate(_) => "likely_duplicate",
            AppError::Store(_) | AppError::Internal(_) => "internal_error",
        }
    }
}

/// Collects field errors while a whole input is checked, so a form shows all of them.
#[derive(Default)]
pub(crate) struct Check {
    fields: Fields,
}

impl Check {
    /// Keeps the value, or records the error under `field` and gives `None`.
    pub fn take<T>(&mut self, field: &str, r: Result<T, FieldError>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.fields
                    .entry(field.into())
                    .or_insert_with(|| e.code.into());
                None
            }
        }
    }

    /// Like `take` for an optional input: `None` in, `Ok(None)` out.
    pub fn opt<T, F>(&mut self, field: &str, input: Option<&str>, parse: F) -> Option<T>
    where
        F: FnOnce(&str) -> Result<T, FieldError>,
    {
        match input.map(str::trim).filter(|s| !s.is_empty()) {
            None => None,
            Some(s) => self.take(field, parse(s)),
        }
    }

    /// Whether `field` has an error already.
    pub fn has(&self, field: &str) -> bool {
        self.fields.contains_key(field)
    }

    pub fn fail(&mut self, field: &str, code: &str) {
        self.fields
            .entry(field.into())
            .or_insert_with(|| code.into());
    }

    /// The errors found, field by field.
    pub fn into_fields(self) -> Fields {
        self.fields
    }

    pub fn finish(self) -> Result<(), AppError> {
        if self.fields.is_empty() {
            Ok(())
        } else {
            Err(AppError::Invalid(self.fields))
        }
    }
}

/// Maps a unique-constraint name or message to the field it guards.
pub(crate) fn conflict_field(constraint: &str) -> &'static str {
    if constraint.contains("member_number") || constraint.contains("number_key") {
        "member_number"
    } else if constraint.contains("username") {
        "username"
    } else if constraint.contains("person_id") || constraint.contains("one_current") {
        "person"
    } else {
        "code"
    }
}

/// Turns a store conflict into a field error ("taken"), anything else passes through.
pub(crate) fn on_conflict(e: StoreError) -> AppError {
    match e {
        StoreError::Conflict(name) => AppError::Conflict {
            field: conflict_field(&name).into(),
            code: "taken".into(),
        },
        other => AppError::Store(other),
    }
}
