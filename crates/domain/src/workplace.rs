//! Workplaces: enterprises and worksites, with or without a union.

use crate::string_enum;

string_enum!(Ownership, "invalid_ownership" {
    State => "state",
    DomesticPrivate => "domestic_private",
    ForeignInvested => "foreign_invested",
    Cooperative => "cooperative",
    Household => "household",
});
