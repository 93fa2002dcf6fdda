//! The directory: congresses, deputies, handling units, liaison stations, deputy groups, committees and
//! professional groups. Staff of a congress (or an admin) change it; everyone may read it, except the
//! deputies' phone numbers.

pub mod card;
pub mod congresses;
pub mod deputies;
mod forget;
pub mod named;
pub mod qr;
pub mod receptions;
pub mod stations;

// What a directory read returns: typed read models, built from the rows when they are loaded, so that a
// stored value that does not parse fails the load (an internal error) and the API never sees a row.
pub use congresses::Congress;
pub use deputies::Deputy;
pub(crate) use forget::{Changed, forget};
pub use named::{Committee, DeputyGroup, HandlingUnit, ProfessionalGroup};
pub use receptions::ReceptionDay;
pub use stations::LiaisonStation;

use crate::entity::congress;
use crate::error::Result;
use crate::page::{Page, PageRequest};
use edaibiao_domain::account::Actor;
use edaibiao_domain::directory::may_manage_directory;
use edaibiao_domain::text::SearchText;
use sea_orm::sea_query::LikeExpr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select,
};
use std::collections::HashMap;
use uuid::Uuid;

/// Loads the congress and checks that `actor` may change its directory.
pub(crate) async fn managed_congress(
    db: &impl ConnectionTrait,
    actor: &Actor,
    congress_id: Uuid,
) -> Result<congress::Model> {
    let congress = congress::Entity::find_by_id(congress_id).one(db).await?.ok_or("congress")?;
    may_manage_directory(actor, Some(congress.id))?;
    Ok(congress)
}

/// One keyset page of `select`, ordered by `id`, with the total count of the filter.
pub(crate) async fn keyset_page<E>(
    db: &impl ConnectionTrait,
    select: Select<E>,
    id: E::Column,
    request: PageRequest,
) -> Result<Page<E::Model>>
where
    E: EntityTrait,
    E::Model: Sync,
{
    let total = select.clone().count(db).await?;
    let mut query = select.order_by_asc(id).limit(request.first + 1);
    if let Some(after) = request.after {
        query = query.filter(id.gt(after));
    }
    Ok(Page::from_overfetch(query.all(db).await?, request, total))
}

/// Loads records by id in one query, keyed by id: what a GraphQL data loader needs.
async fn by_ids<E>(
    db: &impl ConnectionTrait,
    id: E::Column,
    ids: &[Uuid],
    key: impl Fn(&E::Model) -> Uuid,
) -> Result<HashMap<Uuid, E::Model>>
where
    E: EntityTrait,
{
    let rows = E::find().filter(id.is_in(ids.iter().copied())).all(db).await?;
    Ok(rows.into_iter().map(|row| (key(&row), row)).collect())
}

/// A LIKE pattern that matches `needle` anywhere, with `%`, `_` and `\` taken literally. The ESCAPE
/// clause is explicit because SQLite, unlike PostgreSQL, has no default escape character.
pub(crate) fn contains_pattern(needle: &SearchText) -> LikeExpr {
    let escaped = needle.as_str().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// Batch lookups by id, one query each, for the API's data loaders. Each returns read models, never rows.
pub mod lookup {
    use super::{
        Committee, Congress, Deputy, DeputyGroup, HandlingUnit, LiaisonStation, ProfessionalGroup, by_ids,
    };
    use crate::Store;
    use crate::entity::{
        account, committee, congress, deputy, deputy_group, handling_unit, liaison_station,
        professional_group,
    };
    use crate::error::Result;
    use std::collections::HashMap;
    use uuid::Uuid;

    /// Reads the rows of `ids` and builds each one's read model with `from_row`.
    macro_rules! lookup {
        ($(#[$doc:meta])* $vis:vis $name:ident, $entity:ident, $view:ty, $from_row:expr) => {
            $(#[$doc])*
            $vis async fn $name(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, $view>> {
                let rows = by_ids::<$entity::Entity>(&store.db, $entity::Column::Id, ids, |m| m.id).await?;
                rows.into_iter().map(|(id, row)| Ok((id, $from_row(row)?))).collect()
            }
        };
    }

    lookup!(
        /// Congresses by id.
        pub congresses, congress, Congress, Congress::from_row
    );
    lookup!(
        /// Deputies by id, from the database (the memo is filled from here).
        deputies_read, deputy, Deputy, Deputy::from_row
    );
    lookup!(
        /// Handling units by id, from the database (the memo is filled from here).
        handling_units_read, handling_unit, HandlingUnit, |row: handling_unit::Model| Ok::<_, crate::Error>(row.into())
    );
    lookup!(
        /// Deputy groups by id.
        pub deputy_groups, deputy_group, DeputyGroup, |row: deputy_group::Model| Ok::<_, crate::Error>(row.into())
    );
    lookup!(
        /// Committees by id.
        pub committees, committee, Committee, |row: committee::Model| Ok::<_, crate::Error>(row.into())
    );
    lookup!(
        /// Professional groups by id.
        pub professional_groups, professional_group, ProfessionalGroup,
        |row: professional_group::Model| Ok::<_, crate::Error>(row.into())
    );
    lookup!(
        /// Liaison stations by id.
        pub liaison_stations, liaison_station, LiaisonStation, LiaisonStation::from_row
    );

    /// Deputies by id, from the in-process memo where fresh.
    pub async fn deputies(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, Deputy>> {
        let (mut found, missing) = store.directory.deputies.get_many(ids);
        if !missing.is_empty() {
            let read = deputies_read(store, &missing).await?;
            store.directory.deputies.put_all(read.iter().map(|(id, m)| (*id, m.clone())));
            found.extend(read);
        }
        Ok(found)
    }

    /// Handling units by id, from the in-process memo where fresh.
    pub async fn handling_units(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, HandlingUnit>> {
        let (mut found, missing) = store.directory.units.get_many(ids);
        if !missing.is_empty() {
            let read = handling_units_read(store, &missing).await?;
            store.directory.units.put_all(read.iter().map(|(id, m)| (*id, m.clone())));
            found.extend(read);
        }
        Ok(found)
    }

    lookup!(
        /// Accounts by id.
        pub accounts, account, crate::accounts::Account, crate::accounts::Account::from_row
    );
}
