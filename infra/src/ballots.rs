//! Ballot boxes in storage: the register of who voted and the counts of each mark (see the domain's
//! `ballot` module for the rules). A ballot is never stored: [`cast`] adds its voter to the register and its
//! marks to the counts in the caller's transaction, so neither can happen without the other, and no row holds
//! one voter's marks.
//!
//! The register's primary key makes a second ballot from the same voter a CONFLICT, whatever the timing: two
//! ballots sent at once from one phone, or a retry that lost its idempotency key.
//!
//! What this does not hide: someone with superuser access to PostgreSQL can read system columns (a row's
//! `xmin`, the transaction that last wrote it) and could match the last ballot that changed a count to the
//! register row written in the same transaction. The application, its API and every role in it cannot.

use crate::Error;
use crate::entity::{ballot_register, ballot_tally};
use crate::error::{Result, stored};
use chrono::{DateTime, Utc};
use edaibiao_domain::ballot::{self, Ballot, Mark, Outcome, Question, Tally};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::HashMap;
use uuid::Uuid;

/// One ballot box: what it decides and the record it belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BallotBox {
    /// `PROJECT_ROUND`, `PROJECT_RATING`, `APPRAISAL_CHOICE`, `APPRAISAL_SATISFACTION`, …: one name per kind of
    /// vote, so one record can hold several boxes.
    pub kind: &'static str,
    pub id: Uuid,
}

/// Who votes, as the register records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Voter {
    Deputy(Uuid),
    Account(Uuid),
    /// A citizen invited by SMS, by the keyed digest of their phone (the vault's `phone_digest`).
    Phone(String),
}

impl Voter {
    fn key(&self) -> String {
        match self {
            Voter::Deputy(id) => format!("deputy:{id}"),
            Voter::Account(id) => format!("account:{id}"),
            Voter::Phone(digest) => format!("phone:{digest}"),
        }
    }
}

/// A member's "choose up to the places" ballot (差额): `chosen` among `question`'s candidates (checked by
/// the question: BAD_USER_INPUT for an unknown candidate or too many), counted like [`cast`].
pub async fn cast_choice(
    txn: &impl ConnectionTrait,
    ballot_box: BallotBox,
    deputy_id: Uuid,
    question: &Question,
    chosen: &[Uuid],
) -> Result<()> {
    let ballot = Ballot::parse(question, chosen.iter().map(|c| (*c, Mark::Chosen)).collect())?;
    cast(txn, ballot_box, &Voter::Deputy(deputy_id), &ballot, Utc::now()).await
}

/// Counts a closed box: its turnout and each candidate's outcome against `electorate`, read once.
pub async fn count(
    db: &impl ConnectionTrait,
    ballot_box: BallotBox,
    question: &Question,
    electorate: u32,
) -> Result<(u32, Vec<Outcome>)> {
    let turnout = turnout(db, ballot_box).await?;
    let tallies = tallies(db, ballot_box).await?;
    Ok((turnout, ballot::results(question, &tallies, turnout, electorate)))
}

/// Counts `ballot` in `ballot_box` for `voter`, in the caller's transaction (which must also hold the lock
/// that keeps the box open, e.g. the round's row). CONFLICT when the voter has voted in this box already.
pub async fn cast(
    txn: &impl ConnectionTrait,
    ballot_box: BallotBox,
    voter: &Voter,
    ballot: &Ballot,
    now: DateTime<Utc>,
) -> Result<()> {
    let entry = ballot_register::ActiveModel {
        box_kind: Set(ballot_box.kind.to_owned()),
        box_id: Set(ballot_box.id),
        voter: Set(voter.key()),
        cast_at: Set(now),
    };
    ballot_register::Entity::insert(entry)
        .exec_without_returning(txn)
        .await
        .map_err(|e| Error::unique_as_conflict(e, "you have already voted"))?;
    for (candidate, mark) in ballot.marks() {
        let first = ballot_tally::ActiveModel {
            box_kind: Set(ballot_box.kind.to_owned()),
            box_id: Set(ballot_box.id),
            candidate_id: Set(*candidate),
            mark: Set(mark.as_str().to_owned()),
            votes: Set(1),
        };
        ballot_tally::Entity::insert(first)
            .on_conflict(
                OnConflict::columns([
                    ballot_tally::Column::BoxKind,
                    ballot_tally::Column::BoxId,
                    ballot_tally::Column::CandidateId,
                    ballot_tally::Column::Mark,
                ])
                .value(
                    ballot_tally::Column::Votes,
                    Expr::col((ballot_tally::Entity, ballot_tally::Column::Votes)).add(1),
                )
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(())
}

/// Whether `voter` has voted in `ballot_box`.
pub async fn has_voted(db: &impl ConnectionTrait, ballot_box: BallotBox, voter: &Voter) -> Result<bool> {
    let found = ballot_register::Entity::find_by_id((ballot_box.kind.to_owned(), ballot_box.id, voter.key()))
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// How many ballots were cast in `ballot_box`.
pub async fn turnout(db: &impl ConnectionTrait, ballot_box: BallotBox) -> Result<u32> {
    let count = ballot_register::Entity::find()
        .filter(ballot_register::Column::BoxKind.eq(ballot_box.kind))
        .filter(ballot_register::Column::BoxId.eq(ballot_box.id))
        .count(db)
        .await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}

/// The counts of every candidate that has marks in `ballot_box` (read them only once the box is closed).
pub async fn tallies(db: &impl ConnectionTrait, ballot_box: BallotBox) -> Result<Vec<(Uuid, Tally)>> {
    let rows = ballot_tally::Entity::find()
        .filter(ballot_tally::Column::BoxKind.eq(ballot_box.kind))
        .filter(ballot_tally::Column::BoxId.eq(ballot_box.id))
        .all(db)
        .await?;
    let mut by_candidate: HashMap<Uuid, Tally> = HashMap::new();
    for row in rows {
        let mark = stored("ballot mark", row.candidate_id, Mark::parse(&row.mark))?;
        let votes = u32::try_from(row.votes).unwrap_or_default();
        by_candidate.entry(row.candidate_id).or_default().add(mark, votes);
    }
    let mut tallies: Vec<(Uuid, Tally)> = by_candidate.into_iter().collect();
    tallies.sort_by_key(|(id, _)| *id);
    Ok(tallies)
}

/// The voters of `ballot_box` in the order they voted (the register, for staff: who has not voted yet).
pub async fn register(db: &impl ConnectionTrait, ballot_box: BallotBox) -> Result<Vec<String>> {
    use sea_orm::QueryOrder;
    let rows = ballot_register::Entity::find()
        .filter(ballot_register::Column::BoxKind.eq(ballot_box.kind))
        .filter(ballot_register::Column::BoxId.eq(ballot_box.id))
        .order_by_asc(ballot_register::Column::CastAt)
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| r.voter).collect())
}

/// The electorate of a congress's votes: how many deputies it has now (the caller stores it with the box
/// when the vote opens or closes, so later changes to the roll do not move the quorum).
pub async fn electorate(db: &impl ConnectionTrait, congress_id: Uuid) -> Result<u32> {
    let n = crate::entity::deputy::Entity::find()
        .filter(crate::entity::deputy::Column::CongressId.eq(congress_id))
        .count(db)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}
