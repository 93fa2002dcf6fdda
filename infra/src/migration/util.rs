//! Statement helpers shared by migrations. Change them only in ways that build the same statements, since
//! applied migrations must not change meaning.

use sea_orm_migration::prelude::*;

/// A foreign key to `to.id` that refuses to delete a referenced row.
pub(super) fn fk(from: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create().from(from, column).to(to, "id").on_delete(ForeignKeyAction::Restrict).to_owned()
}

/// A plain index on `columns`.
pub(super) fn index(
    table: &'static str,
    name: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(name).table(table);
    for column in columns {
        stmt.col(*column);
    }
    stmt.to_owned()
}

/// A unique index on `columns`.
pub(super) fn unique_index(
    table: &'static str,
    name: &'static str,
    columns: &[&'static str],
) -> IndexCreateStatement {
    let mut stmt = index(table, name, columns);
    stmt.unique();
    stmt
}
