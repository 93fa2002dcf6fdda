//! The congress's point rule table: versions are only added (never edited or deleted), one per kind and
//! effective day.

use crate::entity::{congress, point_rule};
use crate::error::Result;
use crate::{Error, Store};
use chrono::{NaiveDate, Utc};
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::points::{EntryKind, PointRule, RuleTable};
use edaibiao_domain::duty::record::{check_rule, check_rules_reader, check_staff};
use sea_orm::{ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

/// A new version of the points for one kind.
#[derive(Debug, Clone)]
pub struct PointRuleInput {
    pub congress_id: Uuid,
    pub kind: EntryKind,
    pub points: i32,
    pub yearly_cap: Option<u32>,
    pub effective_from: NaiveDate,
}

fn to_rule(row: &point_rule::Model) -> Result<PointRule> {
    Ok(PointRule {
        id: row.id,
        kind: EntryKind::parse(&row.kind)?,
        points: row.points,
        yearly_cap: row.yearly_cap.and_then(|c| u32::try_from(c).ok()),
        effective_from: row.effective_from,
    })
}

/// Every version of the congress's rules, by kind and date.
pub async fn point_rules(db: &impl ConnectionTrait, congress_id: Uuid) -> Result<Vec<PointRule>> {
    let rows = point_rule::Entity::find()
        .filter(point_rule::Column::CongressId.eq(congress_id))
        .order_by_asc(point_rule::Column::Kind)
        .order_by_asc(point_rule::Column::EffectiveFrom)
        .all(db)
        .await?;
    rows.iter().map(to_rule).collect()
}

/// One rule version for those who may read its congress's rules; `None` when there is no such version or
/// `actor` may not read them (its existence is not told).
pub async fn point_rule_for(db: &impl ConnectionTrait, actor: &Actor, id: Uuid) -> Result<Option<PointRule>> {
    match point_rule::Entity::find_by_id(id).one(db).await? {
        Some(row) if check_rules_reader(actor, row.congress_id).is_ok() => Ok(Some(to_rule(&row)?)),
        _ => Ok(None),
    }
}

/// The congress's rule table.
pub async fn rule_table(db: &impl ConnectionTrait, congress_id: Uuid) -> Result<RuleTable> {
    Ok(RuleTable::new(point_rules(db, congress_id).await?)?)
}

/// `setPointRule`: staff add a version; CONFLICT when the kind already has a version from that day.
pub async fn set_point_rule(store: &Store, actor: &Actor, input: PointRuleInput) -> Result<PointRule> {
    check_staff(actor, input.congress_id)?;
    let rule = PointRule {
        id: Uuid::now_v7(),
        kind: input.kind,
        points: input.points,
        yearly_cap: input.yearly_cap,
        effective_from: input.effective_from,
    };
    check_rule(&rule)?;
    congress::Entity::find_by_id(input.congress_id).one(&store.db).await?.ok_or("congress")?;
    insert(&store.db, input.congress_id, &rule, Some(actor.user_id)).await?;
    Ok(rule)
}

/// Adds a version (seeding uses it too).
pub(crate) async fn insert(
    db: &impl ConnectionTrait,
    congress_id: Uuid,
    rule: &PointRule,
    by: Option<Uuid>,
) -> Result<()> {
    let row = point_rule::ActiveModel {
        id: Set(rule.id),
        congress_id: Set(congress_id),
        kind: Set(rule.kind.as_str().to_owned()),
        points: Set(rule.points),
        yearly_cap: Set(rule.yearly_cap.and_then(|c| i32::try_from(c).ok())),
        effective_from: Set(rule.effective_from),
        created_by: Set(by),
        created_at: Set(Utc::now()),
    };
    point_rule::Entity::insert(row).exec_without_returning(db).await.map_err(|e| {
        Error::unique_as_conflict(e, "a version of this rule already takes effect on that day")
    })?;
    Ok(())
}

/// The default rule table (in force since 2000) the demo congress starts with: points per entry and a
/// yearly cap per kind; an unexcused absence is a deduction.
pub const DEFAULT_RULES: [(EntryKind, i32, u32); 13] = [
    (EntryKind::SuggestionLed, 5, 30),
    (EntryKind::SuggestionCoSigned, 2, 10),
    (EntryKind::SuggestionRatedSatisfied, 1, 5),
    (EntryKind::ActivityAttended, 2, 20),
    (EntryKind::ActivityAbsentUnexcused, -3, 15),
    (EntryKind::OpinionClosed, 1, 10),
    (EntryKind::ReceptionServed, 3, 24),
    (EntryKind::TrainingAttended, 2, 10),
    (EntryKind::ReportToVoters, 5, 10),
    (EntryKind::VerifiedOther, 2, 10),
    (EntryKind::BillLed, 10, 30),
    (EntryKind::BillCoSponsored, 3, 15),
    (EntryKind::CourseCompleted, 1, 10),
];

/// Gives a congress the [`DEFAULT_RULES`].
pub async fn seed_default_rules(db: &impl ConnectionTrait, congress_id: Uuid) -> Result<()> {
    let from = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    for (kind, points, cap) in DEFAULT_RULES {
        let rule =
            PointRule { id: Uuid::now_v7(), kind, points, yearly_cap: Some(cap), effective_from: from };
        insert(db, congress_id, &rule, None).await?;
    }
    Ok(())
}
