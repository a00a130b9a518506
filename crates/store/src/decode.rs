//! Column types that the derived `sqlx::FromRow`s read through `#[sqlx(try_from = ...)]`,
//! where a field's type cannot be decoded as it is stored.

use sqlx::any::{Any, AnyTypeInfo, AnyValueRef};
use sqlx::error::BoxDynError;
use sqlx::{Decode, Type};

/// A 0/1 flag, stored as an integer (BIGINT on both backends). The `Any` driver decodes a
/// `bool` only from a boolean value, so a flag is read as an integer: anything but 0 is
/// true. For a field `#[sqlx(try_from = "Flag")] name: bool`.
pub(crate) struct Flag(bool);

impl Type<Any> for Flag {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for Flag {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        <i64 as Decode<'r, Any>>::decode(value).map(|n| Flag(n != 0))
    }
}

impl From<Flag> for bool {
    fn from(flag: Flag) -> bool {
        flag.0
    }
}

/// An integer that is NULL when there is nothing to count (an aggregate of no rows),
/// read as 0 then. For a field `#[sqlx(try_from = "ZeroIfNull")] name: i64`.
pub(crate) struct ZeroIfNull(i64);

impl Type<Any> for ZeroIfNull {
    fn type_info() -> AnyTypeInfo {
        <i64 as Type<Any>>::type_info()
    }

    fn compatible(ty: &AnyTypeInfo) -> bool {
        <i64 as Type<Any>>::compatible(ty)
    }
}

impl<'r> Decode<'r, Any> for ZeroIfNull {
    fn decode(value: AnyValueRef<'r>) -> Result<Self, BoxDynError> {
        <Option<i64> as Decode<'r, Any>>::decode(value).map(|n| ZeroIfNull(n.unwrap_or(0)))
    }
}

impl From<ZeroIfNull> for i64 {
    fn from(n: ZeroIfNull) -> i64 {
        n.0
    }
}
