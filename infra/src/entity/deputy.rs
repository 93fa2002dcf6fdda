use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deputies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub name: String,
    pub gender: String,
    pub deputy_group_id: Option<Uuid>,
    pub professional_group_id: Option<Uuid>,
    pub occupation: String,
    pub industry: Option<String>,
    pub liaison_station_id: Option<Uuid>,
    pub bio: Option<String>,
    pub photo_url: Option<String>,
    pub phone: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
