//! Bill statistics for staff: tabled bills by state, by committee and on-time handling. One query reads
//! the few columns of a congress's tabled bills (a congress tables hundreds a term, not millions); the
//! counting rule (on time = closed by the deadline) is the domain's.

use crate::Store;
use crate::entity::{bill, committee};
use crate::error::{Result, stored};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::bill::{BillState, on_time};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use std::collections::BTreeMap;
use uuid::Uuid;

/// The counts of one committee's bills (or, with no committee, of those not yet assigned to one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommitteeRow {
    pub committee_id: Option<Uuid>,
    pub name: String,
    /// Bills of the committee (referred to it or assigned to it).
    pub bills: u64,
    /// Reviewed or further along.
    pub reviewed: u64,
    /// Closed or rated.
    pub closed: u64,
    /// Closed by their deadline.
    pub closed_on_time: u64,
    /// Past their deadline and not closed.
    pub overdue: u64,
}

/// A congress's bill statistics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BillStatistics {
    /// Every state with its count (drafts not counted: they are the deputies' own).
    pub by_state: Vec<(BillState, u64)>,
    pub by_committee: Vec<CommitteeRow>,
    /// The whole congress as one row.
    pub total: CommitteeRow,
}

fn reviewed(state: BillState) -> bool {
    matches!(state, BillState::Reviewed | BillState::FollowUp | BillState::Closed | BillState::Rated)
}

fn closed(state: BillState) -> bool {
    matches!(state, BillState::Closed | BillState::Rated)
}

fn count(
    row: &mut CommitteeRow,
    state: BillState,
    due: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) {
    let handled = matches!(
        state,
        BillState::OnAgenda | BillState::Referred | BillState::Reviewed | BillState::FollowUp
    );
    row.bills += 1;
    row.reviewed += u64::from(reviewed(state));
    row.closed += u64::from(closed(state));
    row.closed_on_time += u64::from(closed(state) && on_time(due, closed_at) == Some(true));
    row.overdue += u64::from(handled && due.is_some_and(|d| d < now));
}

/// What the statistics read of one bill: id, state, committee, deadline, close.
type StatRow = (Uuid, String, Option<Uuid>, Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// `billStatistics`: for the congress's staff (and admins).
pub async fn bill_statistics(store: &Store, actor: &Actor, congress_id: Uuid) -> Result<BillStatistics> {
    if !actor.is_staff_of(congress_id) {
        return Err(DomainError::forbidden("only the congress's staff see its statistics").into());
    }
    crate::entity::congress::Entity::find_by_id(congress_id).one(&store.db).await?.ok_or("congress")?;
    let rows: Vec<StatRow> = bill::Entity::find()
        .select_only()
        .column(bill::Column::Id)
        .column(bill::Column::State)
        .column(bill::Column::CommitteeId)
        .column(bill::Column::DueAt)
        .column(bill::Column::ClosedAt)
        .filter(bill::Column::CongressId.eq(congress_id))
        .filter(bill::Column::State.ne(BillState::Draft.as_str()))
        .into_tuple()
        .all(&store.db)
        .await?;
    let names: BTreeMap<Uuid, String> = committee::Entity::find()
        .filter(committee::Column::CongressId.eq(congress_id))
        .all(&store.db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.name))
        .collect();
    let now = Utc::now();
    let mut by_state: BTreeMap<BillState, u64> = BillState::ALL.iter().map(|s| (*s, 0)).collect();
    let mut by_committee: BTreeMap<Option<Uuid>, CommitteeRow> = BTreeMap::new();
    let mut total = CommitteeRow { name: "合计".to_owned(), ..CommitteeRow::default() };
    for (id, state, committee_id, due, closed_at) in rows {
        let state = stored("bill state", id, BillState::parse(&state))?;
        *by_state.entry(state).or_default() += 1;
        let row = by_committee.entry(committee_id).or_insert_with(|| CommitteeRow {
            committee_id,
            name: committee_id
                .and_then(|c| names.get(&c).cloned())
                .unwrap_or_else(|| "未交委员会".to_owned()),
            ..CommitteeRow::default()
        });
        count(row, state, due, closed_at, now);
        count(&mut total, state, due, closed_at, now);
    }
    by_state.remove(&BillState::Draft);
    Ok(BillStatistics {
        by_state: by_state.into_iter().collect(),
        by_committee: by_committee.into_values().collect(),
        total,
    })
}
