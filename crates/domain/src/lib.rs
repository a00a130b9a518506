//! Muster's domain: types and rules, no I/O, no SQL, no HTTP.
#![forbid(unsafe_code)]

pub mod aid;
pub mod calendar;
pub mod cases;
pub mod competitions;
pub mod courses;
pub mod date;
pub mod dedupe;
pub mod drive;
pub mod error;
pub mod events;
pub mod governance;
pub mod honors;
pub mod member;
pub mod money;
pub mod names;
pub mod schemes;
pub mod search;
pub mod unit;
pub mod user;
pub mod workplace;

#[cfg(test)]
mod props;

pub use date::Date;
pub use error::FieldError;
