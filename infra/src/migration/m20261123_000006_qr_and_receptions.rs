//! Deputy QR codes and reception days (接待日).
//!
//! Deputies get a `qr_token` (unique; null until first used for deputies that existed before, set at
//! creation for new ones) and `qr_rotated_at`. A reception day belongs to a liaison station and has
//! the deputies on duty in `reception_day_deputies`.

use super::util::{fk, index, unique_index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    pk_uuid, string_null, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000006_qr_and_receptions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("deputies").add_column(string_null("qr_token")).to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table("deputies")
                .add_column(timestamp_with_time_zone_null("qr_rotated_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("reception_days")
                .col(pk_uuid("id"))
                .col(uuid("station_id"))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(text_null("note"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone_null("cancelled_at"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("reception_days", "station_id", "liaison_stations"))
                .foreign_key(&mut fk("reception_days", "created_by", "accounts"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("reception_day_deputies")
                .col(uuid("reception_day_id"))
                .col(uuid("deputy_id"))
                .primary_key(Index::create().col("reception_day_id").col("deputy_id"))
                .foreign_key(
                    &mut fk("reception_day_deputies", "reception_day_id", "reception_days")
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                )
                .foreign_key(&mut fk("reception_day_deputies", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        for stmt in [
            unique_index("deputies", "ux_deputies_qr_token", &["qr_token"]),
            index("reception_days", "ix_reception_days_station", &["station_id", "starts_at"]),
            index("reception_day_deputies", "ix_reception_day_deputies_deputy", &["deputy_id"]),
        ] {
            m.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["reception_day_deputies", "reception_days"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.drop_index(Index::drop().name("ux_deputies_qr_token").table("deputies").to_owned()).await?;
        m.alter_table(Table::alter().table("deputies").drop_column("qr_rotated_at").to_owned()).await?;
        m.alter_table(Table::alter().table("deputies").drop_column("qr_token").to_owned()).await
    }
}
