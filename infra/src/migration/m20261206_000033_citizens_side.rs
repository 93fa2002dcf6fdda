//! The citizen's side (issue 21):
//! - when an opinion's contact details were erased (personal data as PIPL asks): the retention job takes
//!   the closed opinions past their period that are not erased yet, from an index;
//! - where an opinion is (WGS-84 latitude and longitude, for "near here" on a map) and the administrative
//!   division of opinions and stations (行政区划代码, for "inside this district");
//! - the consents to the privacy notice that submissions came with;
//! - the citizens following suggestions with a public answer.

use super::util::index;
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    double_null, string, string_null, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid,
    uuid_null,
};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000033_citizens_side"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("opinions")
                .add_column(timestamp_with_time_zone_null("contact_erased_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "opinions",
            "ix_opinions_contact_retention",
            &["contact_erased_at", "closed_at"],
        ))
        .await?;
        for column in [double_null("latitude"), double_null("longitude"), string_null("division_code")] {
            m.alter_table(Table::alter().table("opinions").add_column(column).to_owned()).await?;
        }
        m.create_index(index("opinions", "ix_opinions_position", &["congress_id", "latitude", "longitude"]))
            .await?;
        m.create_index(index("opinions", "ix_opinions_division", &["congress_id", "division_code"])).await?;
        m.alter_table(
            Table::alter().table("liaison_stations").add_column(string_null("division_code")).to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("privacy_consents")
                .col(uuid("id").primary_key())
                .col(string("subject_kind"))
                .col(uuid("subject_id"))
                .col(string("notice_version"))
                .col(string("covers"))
                .col(uuid_null("account_id"))
                .col(timestamp_with_time_zone("given_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "privacy_consents",
            "ix_privacy_consents_subject",
            &["subject_kind", "subject_id"],
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("suggestion_followers")
                .col(uuid("suggestion_id"))
                .col(uuid("account_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("suggestion_id").col("account_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("suggestion_followers", "ix_suggestion_followers_account", &["account_id"]))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("suggestion_followers").to_owned()).await?;
        m.drop_table(Table::drop().table("privacy_consents").to_owned()).await?;
        m.alter_table(Table::alter().table("liaison_stations").drop_column("division_code").to_owned())
            .await?;
        for name in ["ix_opinions_division", "ix_opinions_position"] {
            m.drop_index(Index::drop().table("opinions").name(name).to_owned()).await?;
        }
        for column in ["division_code", "longitude", "latitude"] {
            m.alter_table(Table::alter().table("opinions").drop_column(column).to_owned()).await?;
        }
        m.drop_index(Index::drop().table("opinions").name("ix_opinions_contact_retention").to_owned())
            .await?;
        m.alter_table(Table::alter().table("opinions").drop_column("contact_erased_at").to_owned()).await
    }
}
