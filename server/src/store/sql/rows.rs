//! Row decoding helpers shared by the store modules (both backends).

use chrono::{DateTime, Utc};
use loopdesk::store::StoreError;
use uuid::Uuid;

use super::db::{Done, FromDb, Json, Row};
use super::{other, parse_ts, CorruptRow};

pub(super) fn corrupt(what: String) -> StoreError {
    other(CorruptRow(what))
}

pub(super) fn code<T>(text: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, StoreError> {
    parse(text).ok_or_else(|| corrupt(format!("unknown code {text:?}")))
}

pub(super) fn opt_ts(text: Option<String>) -> Result<Option<DateTime<Utc>>, StoreError> {
    text.as_deref().map(parse_ts).transpose()
}

pub(super) fn col<T: FromDb>(row: &Row, name: &str) -> Result<T, StoreError> {
    row.get(name).map_err(other)
}

pub(super) fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, StoreError> {
    serde_json::from_str(text).map_err(|e| corrupt(format!("bad JSON: {e}")))
}

pub(super) fn to_json<T: serde::Serialize>(value: &T) -> Result<Json, StoreError> {
    serde_json::to_string(value).map(Json).map_err(other)
}

pub(super) fn uuid_col(row: &Row, name: &str) -> Result<Uuid, StoreError> {
    col(row, name)
}

pub(super) fn opt_uuid_col(row: &Row, name: &str) -> Result<Option<Uuid>, StoreError> {
    col(row, name)
}

pub(super) fn count(row: &Row, name: &str) -> Result<u32, StoreError> {
    u32::try_from(col::<i64>(row, name)?).map_err(|_| corrupt(format!("bad {name}")))
}

/// A write that must have touched a row: none touched means the row does not exist.
pub(super) fn found(done: &Done) -> Result<(), StoreError> {
    match done.rows_affected() {
        0 => Err(StoreError::NotFound),
        _ => Ok(()),
    }
}
