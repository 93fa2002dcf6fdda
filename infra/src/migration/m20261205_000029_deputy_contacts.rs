//! Contact work (联系代表, issue 19) and professional groups' activities.
//!
//! `member_links` links a standing-committee member (常委会组成人员, a deputy of the congress) to the deputies
//! they contact, as `committee_members` does for committees. `deputy_contacts` records each contact of a
//! committee or a member (exactly one of `committee_id`, `member_id`) with one deputy on one CST day;
//! `deputy_contact_items` the suggestions, opinions and deputies' reports passed on in it.
//!
//! `activities.professional_group_id` makes an activity a professional group's (代表专业小组), as
//! `deputy_group_id` makes it a deputy group's; the group's members' attendance is counted from it.

use super::util::{fk, index};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{date, pk_uuid, string, text, timestamp_with_time_zone, uuid, uuid_null};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000029_deputy_contacts"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("member_links")
                .col(uuid("member_id"))
                .col(uuid("deputy_id"))
                .col(uuid("congress_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("member_id").col("deputy_id"))
                .foreign_key(&mut fk("member_links", "member_id", "deputies"))
                .foreign_key(&mut fk("member_links", "deputy_id", "deputies"))
                .foreign_key(&mut fk("member_links", "congress_id", "congresses"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("member_links", "ix_member_links_congress", &["congress_id"])).await?;

        m.create_table(
            Table::create()
                .table("deputy_contacts")
                .col(pk_uuid("id"))
                .col(uuid("congress_id"))
                .col(uuid_null("committee_id"))
                .col(uuid_null("member_id"))
                .col(uuid("deputy_id"))
                .col(date("contacted_on"))
                .col(string("method"))
                .col(text("content"))
                .col(uuid("recorded_by"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("deputy_contacts", "congress_id", "congresses"))
                .foreign_key(&mut fk("deputy_contacts", "committee_id", "committees"))
                .foreign_key(&mut fk("deputy_contacts", "member_id", "deputies"))
                .foreign_key(&mut fk("deputy_contacts", "deputy_id", "deputies"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "deputy_contacts",
            "ix_deputy_contacts_congress",
            &["congress_id", "contacted_on"],
        ))
        .await?;
        m.create_index(index("deputy_contacts", "ix_deputy_contacts_deputy", &["deputy_id", "id"])).await?;
        m.create_index(index("deputy_contacts", "ix_deputy_contacts_member", &["member_id", "id"])).await?;

        m.create_table(
            Table::create()
                .table("deputy_contact_items")
                .col(uuid("contact_id"))
                .col(string("kind"))
                .col(uuid("item_id"))
                .primary_key(Index::create().col("contact_id").col("kind").col("item_id"))
                .foreign_key(&mut fk("deputy_contact_items", "contact_id", "deputy_contacts"))
                .to_owned(),
        )
        .await?;

        m.alter_table(
            Table::alter().table("activities").add_column(uuid_null("professional_group_id")).to_owned(),
        )
        .await?;
        m.create_index(index("activities", "ix_activities_professional_group", &["professional_group_id"]))
            .await?;
        Ok(())
    }
}
