//! Bulk import of suggestions built elsewhere: history from the spreadsheets a congress kept before, and
//! benchmark data. Each suggestion arrives with its events; rows, timelines and projections are written in
//! one transaction per batch, and serial counters continue after the highest imported number.

use super::record::{event_rows, row, unit_rows};
use crate::entity::{serial_counter, suggestion, suggestion_co_signer, suggestion_event, suggestion_unit};
use crate::error::Result;
use crate::transaction;
use crate::{Error, Store};
use chrono::Utc;
use edaibiao_domain::suggestion::{Event, Suggestion, own_count_changes, own_deputies};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ActiveValue::Set, EntityTrait};

/// Imports `events` histories (each starting with `Created`), as one transaction.
pub async fn import(store: &Store, histories: &[Vec<Event>]) -> Result<usize> {
    let mut rows = Vec::with_capacity(histories.len());
    let mut events = Vec::new();
    let mut units = Vec::new();
    let mut co_signers = Vec::new();
    let mut ratings = Vec::new();
    let mut counters: std::collections::HashMap<(uuid::Uuid, String), i64> = std::collections::HashMap::new();
    let mut texts = Vec::with_capacity(histories.len());
    let mut own: std::collections::HashMap<uuid::Uuid, i64> = std::collections::HashMap::new();
    let now = Utc::now();
    for history in histories {
        let s = Suggestion::replay(history)
            .ok_or_else(|| Error::Internal("a history must start with Created".into()))?;
        let (timeline, facts) = event_rows(&s, history)?;
        let mut model = row(&s, now)?;
        model.first_submitted_at = Set(facts.first_submitted_at);
        rows.push(model);
        ratings.extend(facts.rating_rows(s.id, s.congress_id));
        texts.push((s.id, s.congress_id, s.title.clone(), s.content.clone()));
        for (deputy_id, n) in own_count_changes(&Default::default(), &own_deputies(&s)) {
            *own.entry(deputy_id).or_default() += n;
        }
        events.extend(timeline);
        units.extend(unit_rows(&s));
        co_signers.extend(s.co_signers.iter().map(|c| suggestion_co_signer::ActiveModel {
            suggestion_id: Set(s.id),
            deputy_id: Set(c.deputy_id),
            status: Set(c.status.as_str().to_owned()),
        }));
        if let Some(n) = s.serial.as_deref().and_then(serial_number) {
            let entry = counters.entry((s.congress_id, s.sitting.key())).or_default();
            *entry = (*entry).max(n);
        }
    }
    transaction::run(store, async |txn| {
        for chunk in rows.chunks(500) {
            suggestion::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
        }
        let ids: Vec<uuid::Uuid> = texts.iter().map(|(id, ..)| *id).collect();
        super::lead_group::keep(txn, &ids).await?;
        let indexed: Vec<crate::search::Indexed<'_>> = texts
            .iter()
            .map(|(id, congress_id, title, body)| crate::search::Indexed {
                kind: edaibiao_domain::search::SearchKind::Suggestion,
                item_id: *id,
                congress_id: *congress_id,
                title,
                body,
                at: now,
            })
            .collect();
        crate::search::index_many(txn, &indexed).await?;
        for chunk in events.chunks(500) {
            suggestion_event::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
        }
        super::duty_facts::insert_ratings(txn, ratings.clone()).await?;
        for chunk in units.chunks(1000) {
            suggestion_unit::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
        }
        for chunk in co_signers.chunks(1000) {
            suggestion_co_signer::Entity::insert_many(chunk.to_vec()).exec(txn).await?;
        }
        let mut own: Vec<(uuid::Uuid, i64)> = own.into_iter().collect();
        own.sort_unstable();
        for chunk in own.chunks(1000) {
            super::own_counts::apply(txn, chunk).await?;
        }
        for ((congress_id, sitting_key), last_value) in counters {
            let counter = serial_counter::ActiveModel {
                congress_id: Set(congress_id),
                sitting_key: Set(sitting_key),
                last_value: Set(last_value),
            };
            serial_counter::Entity::insert(counter)
                .on_conflict(
                    OnConflict::columns([
                        serial_counter::Column::CongressId,
                        serial_counter::Column::SittingKey,
                    ])
                    .update_column(serial_counter::Column::LastValue)
                    .to_owned(),
                )
                .exec(txn)
                .await?;
        }
        Ok(())
    })
    .await?;
    Ok(histories.len())
}

/// The number in a serial such as 第2次会议第0123号.
fn serial_number(serial: &str) -> Option<i64> {
    let digits: String = serial.rsplit('第').next()?.chars().filter(char::is_ascii_digit).collect();
    digits.parse().ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn reads_the_number_of_a_serial() {
        assert_eq!(super::serial_number("第2次会议第0123号"), Some(123));
        assert_eq!(super::serial_number("2026年闭会期间第0007号"), Some(7));
        assert_eq!(super::serial_number("garbage"), None);
    }
}
