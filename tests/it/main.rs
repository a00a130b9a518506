//! Whole-app tests: each runs on a fresh SQLite file and on a fresh PostgreSQL database.

mod support;

mod aid;
mod api_scope;
mod authz;
mod backup;
mod browser;
mod browser_cases;
mod browser_events;
mod browser_governance;
mod browser_schemes;
mod cases;
pub(crate) mod cli;
mod competitions;
mod courses;
mod decisions;
mod drives;
mod events;
mod governance;
mod honors;
mod import;
mod inputs;
mod jobs;
mod mapping;
mod meetings;
mod members;
mod pages;
mod schemes;
mod search;
mod storage;
mod units;
mod webdriver;
