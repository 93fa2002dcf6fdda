//! The QR columns of `deputies`, kept out of [`super::deputy::Model`] on purpose: the token travels only
//! where a QR code is wanted (the image endpoints, the public card lookup, rotation), never with the
//! profile that lists, loaders and the in-process memo pass around.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "deputies")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub congress_id: Uuid,
    pub liaison_station_id: Option<Uuid>,
    /// Null for deputies created before QR codes, until their code is first asked for.
    pub qr_token: Option<String>,
    pub qr_rotated_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
