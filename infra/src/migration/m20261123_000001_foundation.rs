//! Accounts, sessions and the directory.

use super::util::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    double_null, integer, pk_uuid, string, string_null, text_null, timestamp_with_time_zone,
    timestamp_with_time_zone_null, uuid, uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261123_000001_foundation"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("congresses")
                .col(pk_uuid("id"))
                .col(string("name"))
                .col(string("level"))
                .col(string("region"))
                .col(integer("term"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .to_owned(),
        )
        .await?;

        for table in ["deputy_groups", "committees"] {
            m.create_table(
                Table::create()
                    .table(table)
                    .col(pk_uuid("id"))
                    .col(uuid("congress_id"))
                    .col(string("name"))
                    .col(text_null("description"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk(table, "congress_id", "congresses"))
                    .to_owned(),
            )
            .await?;
        }

        m.create_table(
            Table::create()
                .table("professional_groups")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("name"))
                .col(uuid_null("committee_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("professional_groups", "congress_id", "congresses"))
                .foreign_key(&mut fk("professional_groups", "committee_id", "committees"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("handling_units")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("name"))
                .col(text_null("description"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("handling_units", "congress_id", "congresses"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("liaison_stations")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("name"))
                .col(string("kind"))
                .col(string("address"))
                .col(double_null("latitude"))
                .col(double_null("longitude"))
                .col(string_null("opening_hours"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("liaison_stations", "congress_id", "congresses"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("deputies")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(string("name"))
                .col(string("gender"))
                .col(uuid_null("deputy_group_id"))
                .col(uuid_null("professional_group_id"))
                .col(string("occupation"))
                .col(string_null("industry"))
                .col(uuid_null("liaison_station_id"))
                .col(text_null("bio"))
                .col(string_null("photo_url"))
                .col(string_null("phone"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("deputies", "congress_id", "congresses"))
                .foreign_key(&mut fk("deputies", "deputy_group_id", "deputy_groups"))
                .foreign_key(&mut fk("deputies", "professional_group_id", "professional_groups"))
                .foreign_key(&mut fk("deputies", "liaison_station_id", "liaison_stations"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("deputy_expertise")
                .col(uuid("deputy_id"))
                .col(string("tag"))
                .primary_key(Index::create().col("deputy_id").col("tag"))
                .foreign_key(
                    &mut fk("deputy_expertise", "deputy_id", "deputies")
                        .on_delete(ForeignKeyAction::Cascade)
                        .to_owned(),
                )
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("committee_members")
                .col(uuid("committee_id"))
                .col(uuid("deputy_id"))
                .primary_key(Index::create().col("committee_id").col("deputy_id"))
                .foreign_key(&mut fk("committee_members", "committee_id", "committees"))
                .foreign_key(&mut fk("committee_members", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("accounts")
                .col(pk_uuid("id"))
                .col(string("phone").unique_key())
                .col(string("password_hash"))
                .col(string("name"))
                .col(string("role"))
                .col(uuid_null("congress_id"))
                .col(uuid_null("unit_id"))
                .col(uuid_null("deputy_id").unique_key())
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("accounts", "congress_id", "congresses"))
                .foreign_key(&mut fk("accounts", "unit_id", "handling_units"))
                .foreign_key(&mut fk("accounts", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("refresh_tokens")
                .col(pk_uuid("id"))
                .col(uuid("family_id"))
                .col(uuid("account_id"))
                .col(string("token_hash").unique_key())
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("rotated_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("refresh_tokens", "account_id", "accounts"))
                .to_owned(),
        )
        .await?;

        for stmt in [
            index("deputy_groups", "ix_deputy_groups_congress", &["congress_id"]),
            index("committees", "ix_committees_congress", &["congress_id"]),
            index("professional_groups", "ix_professional_groups_congress", &["congress_id"]),
            index("handling_units", "ix_handling_units_congress", &["congress_id"]),
            index("liaison_stations", "ix_liaison_stations_congress", &["congress_id"]),
            index("liaison_stations", "ix_liaison_stations_position", &["latitude", "longitude"]),
            index("deputies", "ix_deputies_congress", &["congress_id", "id"]),
            index("deputies", "ix_deputies_group", &["deputy_group_id"]),
            index("deputies", "ix_deputies_station", &["liaison_station_id"]),
            index("deputy_expertise", "ix_deputy_expertise_tag", &["tag", "deputy_id"]),
            index("committee_members", "ix_committee_members_deputy", &["deputy_id"]),
            index("refresh_tokens", "ix_refresh_tokens_family", &["family_id"]),
            index("refresh_tokens", "ix_refresh_tokens_account", &["account_id"]),
        ] {
            m.create_index(stmt).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "refresh_tokens",
            "accounts",
            "committee_members",
            "deputy_expertise",
            "deputies",
            "liaison_stations",
            "handling_units",
            "professional_groups",
            "committees",
            "deputy_groups",
            "congresses",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
