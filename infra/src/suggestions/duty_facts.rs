//! What the duty record counts of a suggestion, kept in the step's own transaction: when it was first
//! submitted (its lead's and co-signers' entries are dated by it) and each official rating of SATISFIED (an
//! entry of the rating deputy). The timeline says both, but reading a congress-year of it per ledger meant
//! grouping every SUBMITTED event and parsing every RATED event's JSON; the ledgers and the deputy table read
//! these narrow rows instead. [`recount`] reads them from the timelines again, so a test (and an operator)
//! can prove the kept facts equal a full recount.

use crate::entity::{suggestion, suggestion_event, suggestion_satisfied_rating};
use crate::error::Result;
use chrono::{DateTime, SubsecRound, Utc};
use edaibiao_domain::duty::record::rated_satisfied;
use edaibiao_domain::suggestion::Event;
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;
use uuid::Uuid;

/// An official rating of SATISFIED: the RATED event's `seq`, the deputy who rated and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct SatisfiedRating {
    pub seq: i32,
    pub deputy_id: Uuid,
    pub at: DateTime<Utc>,
}

/// What one suggestion's timeline gives the duty record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DutyFacts {
    pub first_submitted_at: Option<DateTime<Utc>>,
    /// In `seq` order.
    pub satisfied_ratings: Vec<SatisfiedRating>,
}

impl DutyFacts {
    /// Adds what one timeline event (number `seq`, stored at `at`) counts.
    pub(super) fn add(&mut self, seq: i32, event: &Event, at: DateTime<Utc>) {
        match event {
            // A suggestion sent back for revision is submitted again; the first submission dates it.
            Event::Submitted { .. } => {
                self.first_submitted_at =
                    Some(self.first_submitted_at.map_or(at, |first| Ord::min(first, at)));
            }
            Event::Rated { rating, official, .. } if rated_satisfied(rating, *official) => {
                // Stored to the microsecond, as both backends keep timestamps.
                let at = rating.at.trunc_subsecs(6);
                self.satisfied_ratings.push(SatisfiedRating { seq, deputy_id: rating.deputy_id, at });
            }
            _ => {}
        }
    }

    fn is_empty(&self) -> bool {
        self.first_submitted_at.is_none() && self.satisfied_ratings.is_empty()
    }

    /// The rows of `suggestion_satisfied_ratings` these facts hold.
    pub(super) fn rating_rows(
        &self,
        suggestion_id: Uuid,
        congress_id: Uuid,
    ) -> impl Iterator<Item = suggestion_satisfied_rating::ActiveModel> + '_ {
        self.satisfied_ratings.iter().map(move |r| suggestion_satisfied_rating::ActiveModel {
            suggestion_id: Set(suggestion_id),
            seq: Set(r.seq),
            congress_id: Set(congress_id),
            deputy_id: Set(r.deputy_id),
            rated_at: Set(r.at),
        })
    }
}

/// Keeps what new events of a suggestion add, in their transaction: an earlier first submission, and the
/// new satisfied ratings.
pub(super) async fn keep(
    db: &impl ConnectionTrait,
    suggestion_id: Uuid,
    congress_id: Uuid,
    new: &DutyFacts,
) -> Result<()> {
    if let Some(at) = new.first_submitted_at {
        suggestion::Entity::update_many()
            .col_expr(suggestion::Column::FirstSubmittedAt, Expr::value(at))
            .filter(suggestion::Column::Id.eq(suggestion_id))
            .filter(
                sea_orm::Condition::any()
                    .add(suggestion::Column::FirstSubmittedAt.is_null())
                    .add(suggestion::Column::FirstSubmittedAt.gt(at)),
            )
            .exec(db)
            .await?;
    }
    insert_ratings(db, new.rating_rows(suggestion_id, congress_id).collect()).await
}

pub(super) async fn insert_ratings(
    db: &impl ConnectionTrait,
    rows: Vec<suggestion_satisfied_rating::ActiveModel>,
) -> Result<()> {
    for chunk in rows.chunks(1000) {
        suggestion_satisfied_rating::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

/// The facts of the suggestions (of one congress, or all) as the timelines tell them: a full recount.
/// Suggestions whose timeline gives nothing are left out.
pub async fn recount(
    db: &impl ConnectionTrait,
    congress_id: Option<Uuid>,
) -> Result<BTreeMap<Uuid, DutyFacts>> {
    Ok(recount_by_congress(db, congress_id).await?.into_iter().map(|(id, (_, facts))| (id, facts)).collect())
}

/// [`recount`], with each suggestion's congress.
async fn recount_by_congress(
    db: &impl ConnectionTrait,
    congress_id: Option<Uuid>,
) -> Result<BTreeMap<Uuid, (Uuid, DutyFacts)>> {
    let (e, s) = (suggestion_event::Entity, suggestion::Entity);
    let mut query = Query::select()
        .columns([
            (e, suggestion_event::Column::SuggestionId),
            (e, suggestion_event::Column::Seq),
            (e, suggestion_event::Column::Payload),
            (e, suggestion_event::Column::At),
        ])
        .column((s, suggestion::Column::CongressId))
        .from(e)
        .inner_join(
            s,
            Expr::col((s, suggestion::Column::Id)).equals((e, suggestion_event::Column::SuggestionId)),
        )
        .and_where(Expr::col((e, suggestion_event::Column::Kind)).is_in(["SUBMITTED", "RATED"]))
        .to_owned();
    if let Some(congress_id) = congress_id {
        query.and_where(Expr::col((s, suggestion::Column::CongressId)).eq(congress_id));
    }
    let mut out: BTreeMap<Uuid, (Uuid, DutyFacts)> = BTreeMap::new();
    for row in db.query_all(&query).await? {
        let payload: String = row.try_get("", "payload")?;
        // A payload this build cannot read counts nothing, as it would in the timeline.
        let Ok(event) = serde_json::from_str::<Event>(&payload) else { continue };
        let congress_id: Uuid = row.try_get("", "congress_id")?;
        let (_, facts) =
            out.entry(row.try_get("", "suggestion_id")?).or_insert((congress_id, DutyFacts::default()));
        facts.add(row.try_get("", "seq")?, &event, row.try_get("", "at")?);
    }
    out.retain(|_, (_, f)| !f.is_empty());
    for (_, facts) in out.values_mut() {
        facts.satisfied_ratings.sort_unstable();
    }
    Ok(out)
}

/// The facts as kept, in the shape of [`recount`].
pub async fn kept(db: &impl ConnectionTrait, congress_id: Option<Uuid>) -> Result<BTreeMap<Uuid, DutyFacts>> {
    let mut submitted = suggestion::Entity::find()
        .select_only()
        .columns([suggestion::Column::Id, suggestion::Column::FirstSubmittedAt])
        .filter(suggestion::Column::FirstSubmittedAt.is_not_null());
    let mut ratings = suggestion_satisfied_rating::Entity::find();
    if let Some(congress_id) = congress_id {
        submitted = submitted.filter(suggestion::Column::CongressId.eq(congress_id));
        ratings = ratings.filter(suggestion_satisfied_rating::Column::CongressId.eq(congress_id));
    }
    let mut out: BTreeMap<Uuid, DutyFacts> = BTreeMap::new();
    for (id, at) in submitted.into_tuple::<(Uuid, Option<DateTime<Utc>>)>().all(db).await? {
        out.entry(id).or_default().first_submitted_at = at;
    }
    for r in ratings.all(db).await? {
        let rating = SatisfiedRating { seq: r.seq, deputy_id: r.deputy_id, at: r.rated_at };
        out.entry(r.suggestion_id).or_default().satisfied_ratings.push(rating);
    }
    for facts in out.values_mut() {
        facts.satisfied_ratings.sort_unstable();
    }
    Ok(out)
}

/// Recounts every suggestion's facts from its timeline and keeps the result: the migration that introduced
/// them, and a repair after timeline rows were written by hand.
pub async fn rebuild_all(db: &impl ConnectionTrait) -> Result<()> {
    let facts = recount_by_congress(db, None).await?;
    suggestion_satisfied_rating::Entity::delete_many().exec(db).await?;
    // One statement for the dates: the earliest SUBMITTED event, the rule of [`DutyFacts::add`].
    db.execute_unprepared(
        "UPDATE suggestions SET first_submitted_at = (SELECT MIN(e.at) FROM suggestion_events e \
         WHERE e.suggestion_id = suggestions.id AND e.kind = 'SUBMITTED')",
    )
    .await?;
    let rows = facts.iter().flat_map(|(id, (congress_id, f))| f.rating_rows(*id, *congress_id)).collect();
    insert_ratings(db, rows).await
}
