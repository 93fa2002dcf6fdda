//! Reading activities: one by id, a congress's list, participants in bulk, and the voters' ratings of a
//! report's participants. Only staff and deputies of the congress see its activities.

use super::{participant_of, participation_of, schedule_of};
use crate::Store;
use crate::entity::{activity, activity_participant, voter_rating};
use crate::error::{Result, stored};
use crate::page::{Page, PageRequest};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::{Actor, Role};
use edaibiao_domain::duty::activity::{
    self as rules, ActivityKind, Attendance, LeaveStatus, Participation, attendance,
};
use edaibiao_domain::duty::evaluation::VoterRatings;
use edaibiao_domain::suggestion::Satisfaction;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, Condition, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// An activity (履职活动) as its readers see it, built from the stored row when it is loaded: its kind and
/// how deputies join are domain values, and the check-in secret stays inside this crate.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub id: Uuid,
    pub congress_id: Uuid,
    pub kind: ActivityKind,
    pub title: String,
    pub place: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub organiser_account_id: Uuid,
    pub deputy_group_id: Option<Uuid>,
    /// The professional group (专业小组) whose activity this is, if any.
    pub professional_group_id: Option<Uuid>,
    pub participation: Participation,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Activity {
    pub(crate) fn from_row(row: activity::Model) -> Result<Self> {
        Ok(Self {
            kind: stored("activity kind", row.id, ActivityKind::parse(&row.kind))?,
            participation: participation_of(&row)?,
            id: row.id,
            congress_id: row.congress_id,
            title: row.title,
            place: row.place,
            starts_at: row.starts_at,
            ends_at: row.ends_at,
            organiser_account_id: row.organiser_account_id,
            deputy_group_id: row.deputy_group_id,
            professional_group_id: row.professional_group_id,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// What a list of activities is narrowed to.
#[derive(Debug, Clone)]
pub struct ActivityFilter {
    pub congress_id: Uuid,
    /// Activities starting at or after this instant.
    pub from: Option<DateTime<Utc>>,
    /// Activities starting before this instant.
    pub to: Option<DateTime<Utc>>,
    pub kind: Option<ActivityKind>,
    /// Only the viewer's: a deputy's activities they take part in, a staff member's they organised.
    pub mine: bool,
}

/// An activity if the actor may see it; `None` when it does not exist or is not theirs to see.
pub async fn find_for(store: &Store, actor: &Actor, id: Uuid) -> Result<Option<Activity>> {
    let found = activity::Entity::find_by_id(id).one(&store.db).await?;
    found.filter(|a| rules::may_see(actor, a.congress_id)).map(Activity::from_row).transpose()
}

/// A page of a congress's activities, by start time (then id).
pub async fn list(
    store: &Store,
    actor: &Actor,
    filter: &ActivityFilter,
    request: PageRequest,
) -> Result<Page<Activity>> {
    if !rules::may_see(actor, filter.congress_id) {
        return Err(
            DomainError::forbidden("only staff and deputies of the congress see its activities").into()
        );
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && to <= from
    {
        return Err(DomainError::invalid("to", "must be after from").into());
    }
    let mut select = activity::Entity::find().filter(activity::Column::CongressId.eq(filter.congress_id));
    if let Some(from) = filter.from {
        select = select.filter(activity::Column::StartsAt.gte(from));
    }
    if let Some(to) = filter.to {
        select = select.filter(activity::Column::StartsAt.lt(to));
    }
    if let Some(kind) = filter.kind {
        select = select.filter(activity::Column::Kind.eq(kind.as_str()));
    }
    if filter.mine {
        select = match (actor.role, actor.deputy_id) {
            (Role::Deputy, Some(deputy_id)) => select.filter(
                activity::Column::Id.in_subquery(
                    Query::select()
                        .column(activity_participant::Column::ActivityId)
                        .from(activity_participant::Entity)
                        .and_where(activity_participant::Column::DeputyId.eq(deputy_id))
                        .to_owned(),
                ),
            ),
            _ => select.filter(activity::Column::OrganiserAccountId.eq(actor.user_id)),
        };
    }
    let total = select.clone().count(&store.db).await?;
    let mut query = select
        .order_by_asc(activity::Column::StartsAt)
        .order_by_asc(activity::Column::Id)
        .limit(request.first + 1);
    if let Some(after) = request.after {
        // The cursor is the last activity seen: continue after its (start, id).
        let last = activity::Entity::find_by_id(after)
            .one(&store.db)
            .await?
            .ok_or(DomainError::invalid("after", "is not a cursor from this list"))?;
        query = query.filter(
            Condition::any().add(activity::Column::StartsAt.gt(last.starts_at)).add(
                Condition::all()
                    .add(activity::Column::StartsAt.eq(last.starts_at))
                    .add(activity::Column::Id.gt(after)),
            ),
        );
    }
    Page::from_overfetch(query.all(&store.db).await?, request, total).try_map(Activity::from_row)
}

/// One participant as shown, with the attendance as of now.
#[derive(Debug, Clone)]
pub struct ParticipantView {
    pub activity_id: Uuid,
    pub deputy_id: Uuid,
    /// Registered themselves (open registration), rather than assigned by staff.
    pub registered: bool,
    pub checked_in_at: Option<DateTime<Utc>>,
    pub leave_reason: Option<String>,
    pub leave_requested_at: Option<DateTime<Utc>>,
    pub leave_decided_at: Option<DateTime<Utc>>,
    /// The participant's public voter-rating token, for a report to voters.
    pub rating_token: Option<String>,
    pub attendance: Option<Attendance>,
    pub leave: Option<LeaveStatus>,
}

impl ParticipantView {
    /// The participant `row` of `activity`, as of `now`.
    fn of(activity: &activity::Model, row: activity_participant::Model, now: DateTime<Utc>) -> Result<Self> {
        let p = participant_of(&row)?;
        Ok(Self {
            attendance: attendance(&schedule_of(activity)?, &p, now),
            leave: p.leave,
            activity_id: row.activity_id,
            deputy_id: row.deputy_id,
            registered: row.joined == "REGISTERED",
            checked_in_at: row.checked_in_at,
            leave_reason: row.leave_reason,
            leave_requested_at: row.leave_requested_at,
            leave_decided_at: row.leave_decided_at,
            rating_token: row.rating_token,
        })
    }
}

/// The participants of each activity (in deputy order), in two queries whatever the number of activities.
pub async fn participants_of(store: &Store, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<ParticipantView>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let activities: HashMap<Uuid, activity::Model> = activity::Entity::find()
        .filter(activity::Column::Id.is_in(ids.iter().copied()))
        .all(&store.db)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let rows = activity_participant::Entity::find()
        .filter(activity_participant::Column::ActivityId.is_in(ids.iter().copied()))
        .order_by_asc(activity_participant::Column::ActivityId)
        .order_by_asc(activity_participant::Column::CreatedAt)
        .order_by_asc(activity_participant::Column::DeputyId)
        .all(&store.db)
        .await?;
    let now = Utc::now();
    let mut out: HashMap<Uuid, Vec<ParticipantView>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        let Some(a) = activities.get(&row.activity_id) else { continue };
        let view = ParticipantView::of(a, row, now)?;
        out.entry(view.activity_id).or_default().push(view);
    }
    Ok(out)
}

/// One participant of an activity as shown, with the activity, for those who may see the activity (as its
/// `participants`); `None` when the deputy does not take part, there is no such activity, or `actor` may not
/// see it (its existence is not told).
pub async fn participant_for(
    store: &Store,
    actor: &Actor,
    activity_id: Uuid,
    deputy_id: Uuid,
) -> Result<Option<(Activity, ParticipantView)>> {
    let found = activity::Entity::find_by_id(activity_id).one(&store.db).await?;
    let Some(a) = found.filter(|a| rules::may_see(actor, a.congress_id)) else { return Ok(None) };
    let Some(row) = activity_participant::Entity::find_by_id((activity_id, deputy_id)).one(&store.db).await?
    else {
        return Ok(None);
    };
    let view = ParticipantView::of(&a, row, Utc::now())?;
    Ok(Some((Activity::from_row(a)?, view)))
}

/// The counts of voters' ratings per participant of each of some reports to voters, in one query.
pub async fn ratings_of_participants(
    store: &Store,
    activity_ids: &[Uuid],
) -> Result<HashMap<Uuid, HashMap<Uuid, VoterRatings>>> {
    if activity_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(Uuid, Uuid, String, i64)> = voter_rating::Entity::find()
        .select_only()
        .column(voter_rating::Column::ActivityId)
        .column(voter_rating::Column::DeputyId)
        .column(voter_rating::Column::Rating)
        .column_as(voter_rating::Column::Id.count(), "n")
        .filter(voter_rating::Column::ActivityId.is_in(activity_ids.iter().copied()))
        .group_by(voter_rating::Column::ActivityId)
        .group_by(voter_rating::Column::DeputyId)
        .group_by(voter_rating::Column::Rating)
        .into_tuple()
        .all(&store.db)
        .await?;
    let mut out: HashMap<Uuid, HashMap<Uuid, VoterRatings>> = HashMap::new();
    for (activity_id, deputy_id, rating, n) in rows {
        let ratings = out.entry(activity_id).or_default().entry(deputy_id).or_default();
        super::add_count(ratings, Satisfaction::parse(&rating)?, n);
    }
    Ok(out)
}
