//! Station staff: an account may belong to one liaison station (联络站工作人员).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::uuid_null;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000005_station_staff"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("accounts").add_column(uuid_null("station_id")).to_owned()).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table("accounts").drop_column("station_id").to_owned()).await
    }
}
