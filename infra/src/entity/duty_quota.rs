use sea_orm::entity::prelude::*;

/// A quota ("十个一" item): how many entries of which kinds each deputy owes per period.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "duty_quotas")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub item: String,
    /// MONTH, QUARTER or YEAR.
    pub period: String,
    pub required: i32,
    /// The entry kinds that count, comma-separated.
    pub counts: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub retired_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
