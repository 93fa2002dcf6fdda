//! Creating activities and who takes part: assignment by staff, registration by deputies, leave requests
//! and their decision. Each change is one transaction holding the activity's row lock, with its notices.

use super::{Activity, participant_of, participation_of, schedule_of};
use crate::entity::{activity, activity_participant, deputy, professional_group};
use crate::error::Result;
use crate::idempotency::{self, Idempotency};
use crate::notifications::{self, Message};
use crate::transaction::{self, Key, Once};
use crate::{Store, secrets};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::activity::{
    self as rules, ActivityKind, LeaveReason, LeaveStatus, NewActivity, Participation, Schedule,
};
use edaibiao_domain::notification::Audience;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter,
};
use std::collections::BTreeSet;
use uuid::Uuid;

/// What staff fill in to create an activity.
#[derive(Debug, Clone)]
pub struct ActivityDraft {
    pub congress_id: Uuid,
    pub kind: ActivityKind,
    pub title: String,
    pub place: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub participation: Participation,
    /// The deputies assigned at once (only with assigned participation).
    pub deputy_ids: Vec<Uuid>,
    /// The deputy group whose activity this is, if any.
    pub deputy_group_id: Option<Uuid>,
    /// The professional group (专业小组) whose activity this is, if any; organised by staff only.
    pub professional_group_id: Option<Uuid>,
}

/// How a participant joined.
const ASSIGNED: &str = "ASSIGNED";
const REGISTERED: &str = "REGISTERED";

/// Checks that every deputy belongs to the congress; returns them without duplicates.
async fn deputies_of_congress(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    ids: &[Uuid],
) -> Result<BTreeSet<Uuid>> {
    let wanted: BTreeSet<Uuid> = ids.iter().copied().collect();
    if wanted.is_empty() {
        return Ok(wanted);
    }
    let found = deputy::Entity::find()
        .filter(deputy::Column::Id.is_in(wanted.iter().copied()))
        .filter(deputy::Column::CongressId.eq(congress_id))
        .count(db)
        .await?;
    if found != wanted.len() as u64 {
        return Err(DomainError::invalid("deputyIds", "every deputy must belong to the congress").into());
    }
    Ok(wanted)
}

/// A group's leader (not staff) assigns only members of the group.
async fn check_group_members(
    db: &impl ConnectionTrait,
    actor: &Actor,
    congress_id: Uuid,
    group_id: Option<Uuid>,
    deputies: &BTreeSet<Uuid>,
) -> Result<()> {
    let Some(group_id) = group_id else { return Ok(()) };
    if actor.is_staff_of(congress_id) || deputies.is_empty() {
        return Ok(());
    }
    let members = deputy::Entity::find()
        .filter(deputy::Column::Id.is_in(deputies.iter().copied()))
        .filter(deputy::Column::DeputyGroupId.eq(group_id))
        .count(db)
        .await?;
    if members != deputies.len() as u64 {
        return Err(
            DomainError::invalid("deputyIds", "a group's leader assigns deputies of the group").into()
        );
    }
    Ok(())
}

/// A professional group's activity: the group is of the congress, and the activity is not also a deputy
/// group's (an activity belongs to one group at most).
async fn check_professional_group(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    deputy_group_id: Option<Uuid>,
    group_id: Uuid,
) -> Result<()> {
    if deputy_group_id.is_some() {
        return Err(DomainError::invalid(
            "professionalGroupId",
            "an activity belongs to a deputy group or a professional group, not both",
        )
        .into());
    }
    let group = professional_group::Entity::find_by_id(group_id).one(db).await?;
    if group.is_none_or(|g| g.congress_id != congress_id) {
        return Err(DomainError::invalid(
            "professionalGroupId",
            "no such professional group in the congress",
        )
        .into());
    }
    Ok(())
}

/// A participant row; a report to voters gives each participant a rating link token.
fn participant_row(
    activity: &activity::Model,
    deputy_id: Uuid,
    joined: &str,
    now: DateTime<Utc>,
) -> Result<activity_participant::ActiveModel> {
    let rating_token = if activity.kind == ActivityKind::ReportToVoters.as_str() {
        Some(secrets::random_token()?)
    } else {
        None
    };
    Ok(activity_participant::ActiveModel {
        activity_id: Set(activity.id),
        deputy_id: Set(deputy_id),
        joined: Set(joined.to_owned()),
        checked_in_at: Set(None),
        checked_in_by: Set(None),
        leave_status: Set(None),
        leave_reason: Set(None),
        leave_requested_at: Set(None),
        leave_decided_at: Set(None),
        leave_decided_by: Set(None),
        rating_token: Set(rating_token),
        created_at: Set(now),
    })
}

/// Adds assigned participants that are not there yet and tells them. Returns how many were added.
async fn add_assigned(
    txn: &DatabaseTransaction,
    actor: &Actor,
    activity: &activity::Model,
    deputies: &BTreeSet<Uuid>,
    now: DateTime<Utc>,
) -> Result<usize> {
    if deputies.is_empty() {
        return Ok(0);
    }
    let present: BTreeSet<Uuid> = activity_participant::Entity::find()
        .filter(activity_participant::Column::ActivityId.eq(activity.id))
        .filter(activity_participant::Column::DeputyId.is_in(deputies.iter().copied()))
        .all(txn)
        .await?
        .into_iter()
        .map(|p| p.deputy_id)
        .collect();
    let new: Vec<Uuid> = deputies.difference(&present).copied().collect();
    if new.is_empty() {
        return Ok(0);
    }
    let rows =
        new.iter().map(|d| participant_row(activity, *d, ASSIGNED, now)).collect::<Result<Vec<_>>>()?;
    activity_participant::Entity::insert_many(rows).exec(txn).await?;
    let audience: Vec<Audience> = new.iter().map(|d| Audience::Deputy(*d)).collect();
    let recipients = notifications::accounts_of(txn, &audience).await?;
    let message = Message {
        kind: "DUTY_ACTIVITY_ASSIGNED",
        title: "您有新的履职活动安排",
        body: Some(format!("{}（{}）", activity.title, activity.place)),
        subject_kind: "Activity",
        subject_id: Some(activity.id),
    };
    notifications::write(txn, &recipients, &message, Some(actor.user_id)).await?;
    Ok(new.len())
}

/// Staff create an activity (with its assigned deputies, who are told). An idempotency key makes a retry
/// return the first activity.
pub async fn create(
    store: &Store,
    actor: &Actor,
    draft: ActivityDraft,
    idempotency_key: Option<&str>,
) -> Result<Activity> {
    let group = match draft.deputy_group_id {
        Some(group_id) => match super::group_of(&store.db, group_id).await? {
            Some((congress_id, leader)) if congress_id == draft.congress_id => leader,
            _ => {
                return Err(
                    DomainError::invalid("deputyGroupId", "no such deputy group in the congress").into()
                );
            }
        },
        None => None,
    };
    rules::check_organiser(actor, draft.congress_id, group)?;
    if let Some(group_id) = draft.professional_group_id {
        check_professional_group(&store.db, draft.congress_id, draft.deputy_group_id, group_id).await?;
    }
    let idem = idempotency_key.map(|key| Idempotency { key, operation: "createActivity" });
    if let Some(idem) = &idem {
        idempotency::check(idem)?;
        if let Some(done) = idempotency::find(&store.db, actor.user_id, idem).await? {
            return super::load(store, done).await?.ok_or_else(|| "activity".into());
        }
    }
    let now = Utc::now();
    let schedule = Schedule::new(draft.starts_at, draft.ends_at)?;
    let new = NewActivity::parse(draft.kind, &draft.title, &draft.place, schedule, draft.participation, now)?;
    if draft.participation != Participation::Assigned && !draft.deputy_ids.is_empty() {
        return Err(
            DomainError::invalid("deputyIds", "deputies register themselves for an open activity").into()
        );
    }
    if draft.deputy_ids.len() > rules::MAX_PARTICIPANTS {
        return Err(DomainError::invalid(
            "deputyIds",
            format!("at most {} deputies", rules::MAX_PARTICIPANTS),
        )
        .into());
    }
    let deputies = deputies_of_congress(&store.db, draft.congress_id, &draft.deputy_ids).await?;
    check_group_members(&store.db, actor, draft.congress_id, draft.deputy_group_id, &deputies).await?;
    let (participation, capacity) = match new.participation {
        Participation::Assigned => ("ASSIGNED", None),
        Participation::OpenRegistration { capacity } => (
            "OPEN",
            Some(i32::try_from(capacity).map_err(|_| DomainError::invalid("capacity", "too large"))?),
        ),
    };
    let id = Uuid::now_v7();
    let model = activity::Model {
        id,
        congress_id: draft.congress_id,
        kind: new.kind.as_str().to_owned(),
        title: new.title,
        place: new.place,
        starts_at: schedule.starts_at(),
        ends_at: schedule.ends_at(),
        organiser_account_id: actor.user_id,
        deputy_group_id: draft.deputy_group_id,
        professional_group_id: draft.professional_group_id,
        participation: participation.to_owned(),
        capacity,
        check_in_secret: secrets::random_token()?,
        created_at: now,
        updated_at: now,
        version: 1,
    };

    let key = idem.as_ref().map(|idempotency| Key { owner: actor.user_id, idempotency, result: id });
    let created = transaction::run_once(store, key, async |txn| {
        let saved = activity::ActiveModel::from(model).reset_all().insert(txn).await?;
        add_assigned(txn, actor, &saved, &deputies, now).await?;
        Ok(saved)
    })
    .await?;
    match created {
        Once::Done(saved) => Activity::from_row(saved),
        // A retry of a request that is done (or finishing): answer with its result.
        Once::Replayed(done) => super::load(store, done).await?.ok_or_else(|| "activity".into()),
    }
}

/// Staff add deputies to an activity whose participants are assigned; those already there stay as they
/// are, the new ones are told.
pub async fn assign_participants(
    store: &Store,
    actor: &Actor,
    activity_id: Uuid,
    deputy_ids: &[Uuid],
) -> Result<Activity> {
    if deputy_ids.is_empty() {
        return Err(DomainError::invalid("deputyIds", "name at least one deputy").into());
    }
    let activity = transaction::run(store, async |txn| {
        let activity = transaction::lock::<activity::Entity>(txn, activity_id).await?;
        rules::check_organiser(actor, activity.congress_id, super::leader_of(txn, &activity).await?)?;
        let now = Utc::now();
        rules::check_assignment(
            participation_of(&activity)?,
            &schedule_of(&activity)?,
            deputy_ids.len(),
            now,
        )?;
        let deputies = deputies_of_congress(txn, activity.congress_id, deputy_ids).await?;
        check_group_members(txn, actor, activity.congress_id, activity.deputy_group_id, &deputies).await?;
        if add_assigned(txn, actor, &activity, &deputies, now).await? > 0 {
            bump(txn, &activity, now).await?;
        }
        Ok(activity)
    })
    .await?;
    Activity::from_row(activity)
}

/// Records a change of the activity's participants (its version and time).
async fn bump(txn: &DatabaseTransaction, activity: &activity::Model, now: DateTime<Utc>) -> Result<()> {
    let update = activity::Entity::update_many().col_expr(activity::Column::UpdatedAt, Expr::value(now));
    transaction::save(txn, activity.id, activity.version, activity.version + 1, update).await
}

/// A deputy of the congress registers for an activity with open registration while places remain. The
/// activity's row lock makes concurrent registrations take turns, so the last place goes to one deputy.
pub async fn register(store: &Store, actor: &Actor, activity_id: Uuid) -> Result<Activity> {
    let activity = transaction::run(store, async |txn| {
        let activity = transaction::lock::<activity::Entity>(txn, activity_id).await?;
        let deputy_id = rules::acting_deputy(actor, activity.congress_id)?;
        let registered = activity_participant::Entity::find()
            .filter(activity_participant::Column::ActivityId.eq(activity.id))
            .count(txn)
            .await?;
        let already =
            activity_participant::Entity::find_by_id((activity.id, deputy_id)).one(txn).await?.is_some();
        let now = Utc::now();
        rules::check_registration(
            participation_of(&activity)?,
            &schedule_of(&activity)?,
            u32::try_from(registered).unwrap_or(u32::MAX),
            already,
            now,
        )?;
        activity_participant::Entity::insert(participant_row(&activity, deputy_id, REGISTERED, now)?)
            .on_conflict(
                OnConflict::columns([
                    activity_participant::Column::ActivityId,
                    activity_participant::Column::DeputyId,
                ])
                .do_nothing()
                .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
        bump(txn, &activity, now).await?;
        Ok(activity)
    })
    .await?;
    Activity::from_row(activity)
}

/// The participant row of `deputy_id`, or NOT_FOUND.
async fn participant(
    txn: &DatabaseTransaction,
    activity_id: Uuid,
    deputy_id: Uuid,
) -> Result<activity_participant::Model> {
    Ok(activity_participant::Entity::find_by_id((activity_id, deputy_id))
        .one(txn)
        .await?
        .ok_or("participant")?)
}

/// A participant asks for leave with a reason; the congress's staff are told.
pub async fn request_leave(
    store: &Store,
    actor: &Actor,
    activity_id: Uuid,
    reason: &str,
) -> Result<Activity> {
    let reason = LeaveReason::parse(reason)?;
    let activity = transaction::run(store, async |txn| {
        let activity = transaction::lock::<activity::Entity>(txn, activity_id).await?;
        let deputy_id = rules::acting_deputy(actor, activity.congress_id)?;
        let row = participant(txn, activity.id, deputy_id).await?;
        let now = Utc::now();
        rules::check_leave_request(&schedule_of(&activity)?, &participant_of(&row)?, now)?;
        let mut model: activity_participant::ActiveModel = row.into();
        model.leave_status = Set(Some(LeaveStatus::Pending.as_str().to_owned()));
        model.leave_reason = Set(Some(reason.as_str().to_owned()));
        model.leave_requested_at = Set(Some(now));
        model.leave_decided_at = Set(None);
        model.leave_decided_by = Set(None);
        model.update(txn).await?;
        bump(txn, &activity, now).await?;
        let name = deputy::Entity::find_by_id(deputy_id).one(txn).await?.map(|d| d.name).unwrap_or_default();
        let staff = notifications::accounts_of(txn, &[Audience::Staff(activity.congress_id)]).await?;
        let message = Message {
            kind: "DUTY_LEAVE_REQUESTED",
            title: "代表请假待审批",
            body: Some(format!("{name}：{}", activity.title)),
            subject_kind: "Activity",
            subject_id: Some(activity.id),
        };
        notifications::write(txn, &staff, &message, Some(actor.user_id)).await?;
        Ok(activity)
    })
    .await?;
    Activity::from_row(activity)
}

/// Staff approve or reject a pending leave request; the deputy is told.
pub async fn decide_leave(
    store: &Store,
    actor: &Actor,
    activity_id: Uuid,
    deputy_id: Uuid,
    approve: bool,
) -> Result<Activity> {
    let activity = transaction::run(store, async |txn| {
        let activity = transaction::lock::<activity::Entity>(txn, activity_id).await?;
        if !actor.is_staff_of(activity.congress_id) {
            return Err(DomainError::forbidden("only staff of the congress decide leave requests").into());
        }
        let row = participant(txn, activity.id, deputy_id).await?;
        let current =
            participant_of(&row)?.leave.ok_or_else(|| DomainError::conflict("no leave was asked for"))?;
        let decided = rules::decide_leave(actor, activity.congress_id, current, approve)?;
        let now = Utc::now();
        let mut model: activity_participant::ActiveModel = row.into();
        model.leave_status = Set(Some(decided.as_str().to_owned()));
        model.leave_decided_at = Set(Some(now));
        model.leave_decided_by = Set(Some(actor.user_id));
        model.update(txn).await?;
        bump(txn, &activity, now).await?;
        let recipients = notifications::accounts_of(txn, &[Audience::Deputy(deputy_id)]).await?;
        let title = if approve { "请假已批准" } else { "请假未获批准" };
        let message = Message {
            kind: "DUTY_LEAVE_DECIDED",
            title,
            body: Some(activity.title.clone()),
            subject_kind: "Activity",
            subject_id: Some(activity.id),
        };
        notifications::write(txn, &recipients, &message, Some(actor.user_id)).await?;
        Ok(activity)
    })
    .await?;
    Activity::from_row(activity)
}
