//! Schema migrations, one module per change, applied in order. The same migrations run on SQLite and
//! PostgreSQL, so each statement stays within what both understand (one ALTER per statement).

use sea_orm_migration::prelude::*;

mod m20261123_000001_foundation;
mod m20261123_000002_suggestions;
mod m20261123_000003_notifications;
mod m20261123_000004_delivery;
mod m20261123_000005_station_staff;
mod m20261123_000006_qr_and_receptions;
mod m20261123_000007_opinions;
mod m20261201_000008_activities;
mod m20261201_000009_duty_records;
mod m20261201_000010_evaluations;
mod m20261201_000011_statistics;
mod m20261204_000012_sessions;
mod m20261204_000013_one_time_codes;
mod m20261205_000014_ballots;
mod m20261205_000015_livelihood_projects;
mod m20261205_000016_appraisals;
mod m20261205_000017_appraisal_voices;
mod m20261205_000018_bills;
mod m20261205_000019_legislation;
mod m20261205_000020_attachments;
mod m20261205_000021_learning;
mod m20261205_000022_search;
mod m20261205_000023_attachment_parts_and_uploads;
mod m20261205_000024_search_everything;
#[doc(hidden)]
pub use m20261205_000024_search_everything::backfill as backfill_search_24;
mod m20261205_000025_deputy_reports;
mod m20261205_000026_contact_rate;
mod m20261205_000027_evaluation_tree;
mod m20261205_000028_selections;
mod m20261205_000029_deputy_contacts;
mod m20261205_000030_own_suggestion_counts;
mod m20261206_000031_kept_facts;
mod m20261206_000032_deputy_table;
mod m20261206_000033_citizens_side;
mod m20261206_000034_public_content;
mod m20261206_000035_kept_lead_group;
mod util;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261123_000001_foundation::Migration),
            Box::new(m20261123_000002_suggestions::Migration),
            Box::new(m20261123_000003_notifications::Migration),
            Box::new(m20261123_000004_delivery::Migration),
            Box::new(m20261123_000005_station_staff::Migration),
            Box::new(m20261123_000006_qr_and_receptions::Migration),
            Box::new(m20261123_000007_opinions::Migration),
            Box::new(m20261201_000008_activities::Migration),
            Box::new(m20261201_000009_duty_records::Migration),
            Box::new(m20261201_000010_evaluations::Migration),
            Box::new(m20261201_000011_statistics::Migration),
            Box::new(m20261204_000012_sessions::Migration),
            Box::new(m20261204_000013_one_time_codes::Migration),
            Box::new(m20261205_000014_ballots::Migration),
            Box::new(m20261205_000015_livelihood_projects::Migration),
            Box::new(m20261205_000016_appraisals::Migration),
            Box::new(m20261205_000017_appraisal_voices::Migration),
            Box::new(m20261205_000018_bills::Migration),
            Box::new(m20261205_000019_legislation::Migration),
            Box::new(m20261205_000020_attachments::Migration),
            Box::new(m20261205_000021_learning::Migration),
            Box::new(m20261205_000022_search::Migration),
            Box::new(m20261205_000023_attachment_parts_and_uploads::Migration),
            Box::new(m20261205_000024_search_everything::Migration),
            Box::new(m20261205_000025_deputy_reports::Migration),
            Box::new(m20261205_000026_contact_rate::Migration),
            Box::new(m20261205_000027_evaluation_tree::Migration),
            Box::new(m20261205_000028_selections::Migration),
            Box::new(m20261205_000029_deputy_contacts::Migration),
            Box::new(m20261205_000030_own_suggestion_counts::Migration),
            Box::new(m20261206_000031_kept_facts::Migration),
            Box::new(m20261206_000032_deputy_table::Migration),
            Box::new(m20261206_000033_citizens_side::Migration),
            Box::new(m20261206_000034_public_content::Migration),
            Box::new(m20261206_000035_kept_lead_group::Migration),
        ]
    }
}
