//! Activities (履职活动) in storage: creating them, who takes part (assigned or registered), leave requests,
//! check-in with a rotating code or by staff, and the voters' rating of reports to voters (述职测评).
//!
//! Every change is one transaction that first locks the activity row (a write first, so SQLite takes its
//! write lock at once and PostgreSQL queues concurrent changes of the same activity), lets the domain
//! decide, writes the change and the notices.

mod check_in;
mod manage;
mod query;
pub mod voters;

pub use check_in::{CheckInCode, check_in_code, check_in_participant, check_in_with_code};
pub use manage::{ActivityDraft, assign_participants, create, decide_leave, register, request_leave};
pub use query::{
    Activity, ActivityFilter, ParticipantView, find_for, list, participant_for, participants_of,
    ratings_of_participants,
};

use crate::entity::{activity, activity_participant, deputy, deputy_group, voter_rating};
use crate::error::Result;
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::activity::{
    ActivityKind, Attendance, LeaveStatus, Participant, Participation, Schedule, attendance,
};
use edaibiao_domain::duty::evaluation::VoterRatings;
use edaibiao_domain::suggestion::Satisfaction;
use edaibiao_domain::time::cst_midnight;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use std::collections::HashMap;
use uuid::Uuid;

/// One deputy's attendance of one activity, for the duty archive, points and statistics.
#[derive(Debug, Clone, PartialEq)]
pub struct AttendanceRecord {
    pub activity_id: Uuid,
    pub deputy_id: Uuid,
    pub kind: ActivityKind,
    pub title: String,
    pub starts_at: DateTime<Utc>,
    /// As of now; `None` while it is still open (not checked in, not excused, not ended).
    pub attendance: Option<Attendance>,
}

/// The attendance of every participant (or only `deputy`'s) of the activities of `congress_id` that start
/// in `[from, to)`, ordered by start time. Two queries whatever the number of activities.
pub async fn attendance_of(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    deputy: Option<Uuid>,
) -> Result<Vec<AttendanceRecord>, Error> {
    let activities = activity::Entity::find()
        .filter(activity::Column::CongressId.eq(congress_id))
        .filter(activity::Column::StartsAt.gte(from))
        .filter(activity::Column::StartsAt.lt(to))
        .order_by_asc(activity::Column::StartsAt)
        .order_by_asc(activity::Column::Id)
        .all(db)
        .await?;
    if activities.is_empty() {
        return Ok(Vec::new());
    }
    let mut participants = activity_participant::Entity::find().filter(
        activity_participant::Column::ActivityId.in_subquery(
            Query::select()
                .column(activity::Column::Id)
                .from(activity::Entity)
                .and_where(Expr::col(activity::Column::CongressId).eq(congress_id))
                .and_where(Expr::col(activity::Column::StartsAt).gte(from))
                .and_where(Expr::col(activity::Column::StartsAt).lt(to))
                .to_owned(),
        ),
    );
    if let Some(deputy) = deputy {
        participants = participants.filter(activity_participant::Column::DeputyId.eq(deputy));
    }
    let mut by_activity: HashMap<Uuid, Vec<activity_participant::Model>> = HashMap::new();
    for p in participants.order_by_asc(activity_participant::Column::DeputyId).all(db).await? {
        by_activity.entry(p.activity_id).or_default().push(p);
    }
    let now = Utc::now();
    let mut out = Vec::new();
    for a in &activities {
        let Some(ps) = by_activity.remove(&a.id) else { continue };
        let schedule = schedule_of(a)?;
        let kind = ActivityKind::parse(&a.kind)?;
        for p in ps {
            out.push(AttendanceRecord {
                activity_id: a.id,
                deputy_id: p.deputy_id,
                kind,
                title: a.title.clone(),
                starts_at: a.starts_at,
                attendance: attendance(&schedule, &participant_of(&p)?, now),
            });
        }
    }
    Ok(out)
}

/// The voters' ratings of each deputy's reports to voters held in `year` (a CST calendar year, by the
/// activity's start) in `congress_id`. One query.
pub async fn voter_ratings(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    year: i32,
) -> Result<HashMap<Uuid, VoterRatings>, Error> {
    let (from, to) = year_bounds(year)?;
    let rows: Vec<(Uuid, String, i64)> = voter_rating::Entity::find()
        .select_only()
        .column(voter_rating::Column::DeputyId)
        .column(voter_rating::Column::Rating)
        .column_as(voter_rating::Column::Id.count(), "n")
        .filter(
            voter_rating::Column::ActivityId.in_subquery(
                Query::select()
                    .column(activity::Column::Id)
                    .from(activity::Entity)
                    .and_where(Expr::col(activity::Column::CongressId).eq(congress_id))
                    .and_where(Expr::col(activity::Column::Kind).eq(ActivityKind::ReportToVoters.as_str()))
                    .and_where(Expr::col(activity::Column::StartsAt).gte(from))
                    .and_where(Expr::col(activity::Column::StartsAt).lt(to))
                    .to_owned(),
            ),
        )
        .group_by(voter_rating::Column::DeputyId)
        .group_by(voter_rating::Column::Rating)
        .into_tuple()
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, VoterRatings> = HashMap::new();
    for (deputy_id, rating, n) in rows {
        add_count(out.entry(deputy_id).or_default(), Satisfaction::parse(&rating)?, n);
    }
    Ok(out)
}

fn add_count(ratings: &mut VoterRatings, rating: Satisfaction, n: i64) {
    let n = u32::try_from(n).unwrap_or(u32::MAX);
    let slot = match rating {
        Satisfaction::Satisfied => &mut ratings.satisfied,
        Satisfaction::BasicallySatisfied => &mut ratings.basically_satisfied,
        Satisfaction::Dissatisfied => &mut ratings.dissatisfied,
    };
    *slot = slot.saturating_add(n);
}

/// The instants bounding a CST calendar year: `[1 Jan 00:00 CST, next 1 Jan 00:00 CST)`.
pub(crate) fn year_bounds(year: i32) -> Result<(DateTime<Utc>, DateTime<Utc>)> {
    let start = |y: i32| {
        chrono::NaiveDate::from_ymd_opt(y, 1, 1)
            .and_then(cst_midnight)
            .ok_or(DomainError::invalid("year", "out of range"))
    };
    Ok((start(year)?, start(year + 1)?))
}

/// The stored schedule as the domain's.
pub(crate) fn schedule_of(a: &activity::Model) -> Result<Schedule> {
    Schedule::new(a.starts_at, a.ends_at)
        .map_err(|_| Error::Internal(format!("activity {} ends before it starts", a.id)))
}

/// How deputies join the stored activity.
pub(crate) fn participation_of(a: &activity::Model) -> Result<Participation> {
    match (a.participation.as_str(), a.capacity) {
        ("ASSIGNED", _) => Ok(Participation::Assigned),
        ("OPEN", Some(capacity)) => Ok(Participation::OpenRegistration {
            capacity: u32::try_from(capacity).map_err(|_| Error::Internal("negative capacity".into()))?,
        }),
        (other, _) => Err(Error::Internal(format!("unknown participation {other:?}"))),
    }
}

/// The stored participant as the domain's.
pub(crate) fn participant_of(p: &activity_participant::Model) -> Result<Participant> {
    Ok(Participant {
        checked_in_at: p.checked_in_at,
        leave: p.leave_status.as_deref().map(LeaveStatus::parse).transpose()?,
    })
}

/// A deputy group's congress and leader (组长). The leader column belongs to activities, so it is read
/// without the directory's entity.
pub(crate) async fn group_of(
    db: &impl ConnectionTrait,
    group_id: Uuid,
) -> Result<Option<(Uuid, Option<Uuid>)>> {
    let stmt = Query::select()
        .column(Alias::new("congress_id"))
        .column(Alias::new("leader_deputy_id"))
        .from(deputy_group::Entity)
        .and_where(Expr::col(Alias::new("id")).eq(group_id))
        .to_owned();
    let Some(row) = db.query_one(&stmt).await? else { return Ok(None) };
    Ok(Some((row.try_get("", "congress_id")?, row.try_get("", "leader_deputy_id")?)))
}

/// The leader of the deputy group an activity belongs to, if any.
pub(crate) async fn leader_of(db: &impl ConnectionTrait, activity: &activity::Model) -> Result<Option<Uuid>> {
    match activity.deputy_group_id {
        Some(group_id) => Ok(group_of(db, group_id).await?.and_then(|(_, leader)| leader)),
        None => Ok(None),
    }
}

/// The leader (组长) of a deputy group, or `None`.
pub async fn group_leader(store: &Store, group_id: Uuid) -> Result<Option<Uuid>> {
    Ok(group_of(&store.db, group_id).await?.ok_or("deputy group")?.1)
}

/// Staff of the congress name a deputy of the group its leader (组长), who may then organise the group's
/// activities; `None` clears it.
pub async fn set_group_leader(
    store: &Store,
    actor: &Actor,
    group_id: Uuid,
    leader: Option<Uuid>,
) -> Result<Option<Uuid>> {
    let (congress_id, _) = group_of(&store.db, group_id).await?.ok_or("deputy group")?;
    if !actor.is_staff_of(congress_id) {
        return Err(DomainError::forbidden("only staff of the congress name a deputy group's leader").into());
    }
    if let Some(deputy_id) = leader {
        let member = deputy::Entity::find_by_id(deputy_id).one(&store.db).await?;
        if member.is_none_or(|d| d.deputy_group_id != Some(group_id)) {
            return Err(DomainError::invalid("deputyId", "the leader must be a deputy of the group").into());
        }
    }
    let stmt = Query::update()
        .table(deputy_group::Entity)
        .value(Alias::new("leader_deputy_id"), leader)
        .and_where(Expr::col(Alias::new("id")).eq(group_id))
        .to_owned();
    store.db.execute(&stmt).await?;
    Ok(leader)
}

/// Reads an activity outside a transaction.
pub async fn load(store: &Store, id: Uuid) -> Result<Option<Activity>> {
    activity::Entity::find_by_id(id).one(&store.db).await?.map(Activity::from_row).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cst_year_starts_at_midnight_in_beijing() {
        let Ok((from, to)) = year_bounds(2026) else { panic!("bounds") };
        assert_eq!(from.to_rfc3339(), "2025-12-31T16:00:00+00:00");
        assert_eq!(to.to_rfc3339(), "2026-12-31T16:00:00+00:00");
    }

    #[test]
    fn counts_add_up_per_rating() {
        let mut r = VoterRatings::default();
        add_count(&mut r, Satisfaction::Satisfied, 2);
        add_count(&mut r, Satisfaction::Dissatisfied, 1);
        add_count(&mut r, Satisfaction::Satisfied, 1);
        assert_eq!((r.satisfied, r.basically_satisfied, r.dissatisfied), (3, 0, 1));
    }
}
