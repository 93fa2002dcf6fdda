//! The evaluation scheme (考评细则) in storage: the tree staff set while the evaluation is OPEN, the manual
//! item scores, and the per-item snapshot the review takes. Each change locks the evaluation row first and
//! saves it with a compare-and-set on the version, as every other change of the evaluation does, so a change
//! of the tree and a review never interleave.

use super::{aggregate, save_state};
use crate::entity::{
    deputy, duty_evaluation, evaluation_category, evaluation_item, evaluation_item_score,
    evaluation_result_item,
};
use crate::error::{Result, stored};
use crate::transaction;
use crate::{Error, Store};
use chrono::{DateTime, Utc};
use edaibiao_domain::DomainError;
use edaibiao_domain::account::Actor;
use edaibiao_domain::duty::evaluation::Score;
use edaibiao_domain::duty::points::EntryKind;
use edaibiao_domain::duty::scheme::{
    CategoryDraft, DeputyFacts, ItemSource, Scheme, SchemeCategory, SchemeItem, SchemeReviewInput,
    SchemeReviewed,
};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use uuid::Uuid;

fn kinds_json(kinds: &[EntryKind]) -> Result<String> {
    let names: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
    serde_json::to_string(&names).map_err(|e| Error::Internal(format!("kinds: {e}")))
}

/// A stored item of a scheme, read back.
fn scheme_item(row: evaluation_item::Model) -> Result<SchemeItem> {
    Ok(SchemeItem {
        source: stored("item source", row.id, ItemSource::parse(&row.source))?,
        kinds: kinds_of(row.id, &row.kinds)?,
        id: row.id,
        name: row.name,
        points: row.points,
        cap: row.cap,
    })
}

fn kinds_of(id: Uuid, json: &str) -> Result<Vec<EntryKind>> {
    let names: Vec<String> =
        serde_json::from_str(json).map_err(|e| Error::Internal(format!("stored kinds of {id}: {e}")))?;
    names.iter().map(|n| stored("entry kind", id, EntryKind::parse(n))).collect()
}

fn position(n: usize) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// The scheme of an evaluation, `None` when it has none (it is then weighted).
pub async fn load(db: &impl ConnectionTrait, evaluation_id: Uuid) -> Result<Option<Scheme>> {
    let categories = evaluation_category::Entity::find()
        .filter(evaluation_category::Column::EvaluationId.eq(evaluation_id))
        .order_by_asc(evaluation_category::Column::Position)
        .all(db)
        .await?;
    if categories.is_empty() {
        return Ok(None);
    }
    let mut items: HashMap<Uuid, Vec<evaluation_item::Model>> = HashMap::new();
    for item in evaluation_item::Entity::find()
        .filter(evaluation_item::Column::EvaluationId.eq(evaluation_id))
        .order_by_asc(evaluation_item::Column::Position)
        .all(db)
        .await?
    {
        items.entry(item.category_id).or_default().push(item);
    }
    let tree = categories
        .into_iter()
        .map(|c| {
            let items = items
                .remove(&c.id)
                .unwrap_or_default()
                .into_iter()
                .map(scheme_item)
                .collect::<Result<Vec<_>>>()?;
            Ok(SchemeCategory { id: c.id, name: c.name, cap: c.cap, items })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(stored("evaluation scheme", evaluation_id, Scheme::stored(tree))?))
}

async fn clear(txn: &DatabaseTransaction, evaluation_id: Uuid) -> Result<()> {
    evaluation_item_score::Entity::delete_many()
        .filter(evaluation_item_score::Column::EvaluationId.eq(evaluation_id))
        .exec(txn)
        .await?;
    evaluation_item::Entity::delete_many()
        .filter(evaluation_item::Column::EvaluationId.eq(evaluation_id))
        .exec(txn)
        .await?;
    evaluation_category::Entity::delete_many()
        .filter(evaluation_category::Column::EvaluationId.eq(evaluation_id))
        .exec(txn)
        .await?;
    Ok(())
}

/// Staff set (or replace, or with `None` remove) the scheme of an evaluation while it is OPEN. Replacing
/// the tree drops the manual scores given on the old one.
pub async fn set(
    store: &Store,
    actor: &Actor,
    evaluation_id: Uuid,
    drafts: Option<Vec<CategoryDraft>>,
) -> Result<(super::Evaluation, Option<Scheme>)> {
    // Checked before anything is read, so bad input is BAD_USER_INPUT whoever sends it.
    let scheme = drafts.map(|d| Scheme::new(d, Uuid::now_v7)).transpose()?;
    let row = transaction::run(store, async |txn| {
        let row = transaction::lock::<duty_evaluation::Entity>(txn, evaluation_id).await?;
        let e = aggregate(&row)?;
        e.change_scheme(actor)?;
        clear(txn, evaluation_id).await?;
        if let Some(scheme) = &scheme {
            let mut categories = Vec::new();
            let mut items = Vec::new();
            for (c_at, c) in scheme.categories().iter().enumerate() {
                categories.push(evaluation_category::ActiveModel {
                    id: Set(c.id),
                    evaluation_id: Set(evaluation_id),
                    position: Set(position(c_at)),
                    name: Set(c.name.clone()),
                    cap: Set(c.cap),
                });
                for (i_at, i) in c.items.iter().enumerate() {
                    items.push(evaluation_item::ActiveModel {
                        id: Set(i.id),
                        evaluation_id: Set(evaluation_id),
                        category_id: Set(c.id),
                        position: Set(position(i_at)),
                        name: Set(i.name.clone()),
                        points: Set(i.points),
                        cap: Set(i.cap),
                        source: Set(i.source.as_str().to_owned()),
                        kinds: Set(kinds_json(&i.kinds)?),
                    });
                }
            }
            evaluation_category::Entity::insert_many(categories).exec(txn).await?;
            evaluation_item::Entity::insert_many(items).exec(txn).await?;
        }
        save_state(txn, &row, &e, Utc::now(), None).await
    })
    .await?;
    Ok((super::Evaluation::from_row(&row)?, scheme))
}

/// A score staff gave a deputy on a manual item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemScore {
    pub id: Uuid,
    pub evaluation_id: Uuid,
    pub item_id: Uuid,
    pub deputy_id: Uuid,
    pub score: f64,
    pub scored_at: DateTime<Utc>,
}

impl From<evaluation_item_score::Model> for ItemScore {
    fn from(m: evaluation_item_score::Model) -> Self {
        Self {
            id: m.id,
            evaluation_id: m.evaluation_id,
            item_id: m.item_id,
            deputy_id: m.deputy_id,
            score: m.score,
            scored_at: m.scored_at,
        }
    }
}

/// Staff give (or change) a deputy's score on a MANUAL item while the evaluation is OPEN: between 0 and the
/// item's cap.
pub async fn score_item(
    store: &Store,
    actor: &Actor,
    evaluation_id: Uuid,
    item_id: Uuid,
    deputy_id: Uuid,
    score: f64,
) -> Result<ItemScore> {
    transaction::run(store, async |txn| {
        let row = transaction::lock::<duty_evaluation::Entity>(txn, evaluation_id).await?;
        let e = aggregate(&row)?;
        e.change_scheme(actor)?;
        let scheme = load(txn, evaluation_id)
            .await?
            .ok_or_else(|| DomainError::invalid("itemId", "the evaluation has no scheme"))?;
        let score = scheme.check_manual(item_id, score)?;
        let deputy = deputy::Entity::find_by_id(deputy_id).one(txn).await?.ok_or("deputy")?;
        if deputy.congress_id != row.congress_id {
            return Err(DomainError::invalid("deputyId", "is not a deputy of the evaluated congress").into());
        }
        let model = evaluation_item_score::ActiveModel {
            id: Set(Uuid::now_v7()),
            evaluation_id: Set(evaluation_id),
            item_id: Set(item_id),
            deputy_id: Set(deputy_id),
            score: Set(score),
            scored_by: Set(actor.user_id),
            scored_at: Set(Utc::now()),
        };
        evaluation_item_score::Entity::insert(model)
            .on_conflict(
                OnConflict::columns([
                    evaluation_item_score::Column::ItemId,
                    evaluation_item_score::Column::DeputyId,
                ])
                .update_columns([
                    evaluation_item_score::Column::Score,
                    evaluation_item_score::Column::ScoredBy,
                    evaluation_item_score::Column::ScoredAt,
                ])
                .to_owned(),
            )
            .exec(txn)
            .await?;
        Ok(evaluation_item_score::Entity::find()
            .filter(evaluation_item_score::Column::ItemId.eq(item_id))
            .filter(evaluation_item_score::Column::DeputyId.eq(deputy_id))
            .one(txn)
            .await?
            .ok_or("evaluation item score")?
            .into())
    })
    .await
}

/// The manual scores given so far in an evaluation, for staff.
pub async fn item_scores(
    store: &Store,
    actor: &Actor,
    evaluation: &super::Evaluation,
) -> Result<Vec<ItemScore>> {
    evaluation.rules.ensure_staff(actor)?;
    let rows = evaluation_item_score::Entity::find()
        .filter(evaluation_item_score::Column::EvaluationId.eq(evaluation.rules.id))
        .order_by_asc(evaluation_item_score::Column::Id)
        .all(&store.db)
        .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// The scheme of an evaluation, for whoever may read the evaluation.
pub async fn scheme_for(
    store: &Store,
    actor: &Actor,
    evaluation: &super::Evaluation,
) -> Result<Option<Scheme>> {
    evaluation.rules.ensure_readable(actor)?;
    load(&store.db, evaluation.rules.id).await
}

/// One item of a scheme with the evaluation it belongs to, for whoever may read the evaluation; `None` when
/// there is none or `actor` may not see it.
pub async fn item_for(store: &Store, actor: &Actor, id: Uuid) -> Result<Option<(Uuid, SchemeItem)>> {
    let Some(row) = evaluation_item::Entity::find_by_id(id).one(&store.db).await? else { return Ok(None) };
    let Some(evaluation) = duty_evaluation::Entity::find_by_id(row.evaluation_id).one(&store.db).await?
    else {
        return Ok(None);
    };
    if aggregate(&evaluation)?.ensure_readable(actor).is_err() {
        return Ok(None);
    }
    let evaluation_id = row.evaluation_id;
    Ok(Some((evaluation_id, scheme_item(row)?)))
}

/// What the review reads for an evaluation with a scheme, beyond what the weighted review reads.
pub(super) struct Facts {
    pub entries: HashMap<Uuid, Vec<edaibiao_domain::duty::points::PointEntry>>,
    pub manual: HashMap<Uuid, HashMap<Uuid, f64>>,
}

pub(super) async fn facts(txn: &DatabaseTransaction, row: &duty_evaluation::Model) -> Result<Facts> {
    let entries = crate::duty::archive_entries(txn, row.congress_id, row.year, None).await?;
    let mut manual: HashMap<Uuid, HashMap<Uuid, f64>> = HashMap::new();
    for s in evaluation_item_score::Entity::find()
        .filter(evaluation_item_score::Column::EvaluationId.eq(row.id))
        .all(txn)
        .await?
    {
        manual.entry(s.deputy_id).or_default().insert(s.item_id, s.score);
    }
    Ok(Facts { entries, manual })
}

/// The facts of one deputy for the scoring.
pub(super) fn input<'a>(
    facts: &'a Facts,
    row: &duty_evaluation::Model,
    full_mark: edaibiao_domain::duty::evaluation::FullMark,
    d: &deputy::Model,
    points_total: i64,
    ratings: Option<edaibiao_domain::duty::evaluation::VoterRatings>,
    group_assessment: Option<Score>,
) -> SchemeReviewInput<'a> {
    let voter_count = ratings.map_or(0, |r| r.satisfied + r.basically_satisfied + r.dissatisfied);
    SchemeReviewInput {
        deputy_id: d.id,
        name: d.name.clone(),
        facts: DeputyFacts {
            year: row.year,
            entries: facts.entries.get(&d.id).map_or(&[], Vec::as_slice),
            points_total,
            full_mark,
            voter_rating: ratings.and_then(|r| r.score()),
            voter_count,
            group_assessment,
            manual: facts.manual.get(&d.id).cloned().unwrap_or_default(),
        },
    }
}

/// The snapshot rows of one reviewed deputy's items.
pub(super) fn result_items(
    evaluation_id: Uuid,
    result_id: Uuid,
    scheme: &Scheme,
    reviewed: &SchemeReviewed,
) -> Result<Vec<evaluation_result_item::ActiveModel>> {
    let mut rows = Vec::new();
    for (c_at, (category, figures)) in scheme.categories().iter().zip(&reviewed.score.categories).enumerate()
    {
        for (i_at, (item, figure)) in category.items.iter().zip(&figures.items).enumerate() {
            rows.push(evaluation_result_item::ActiveModel {
                id: Set(Uuid::now_v7()),
                evaluation_id: Set(evaluation_id),
                result_id: Set(result_id),
                category_position: Set(position(c_at)),
                category_name: Set(category.name.clone()),
                category_cap: Set(category.cap),
                category_max: Set(category.max()),
                category_score: Set(figures.score),
                item_position: Set(position(i_at)),
                item_name: Set(item.name.clone()),
                source: Set(item.source.as_str().to_owned()),
                kinds: Set(kinds_json(&item.kinds)?),
                points: Set(item.points),
                cap: Set(item.cap),
                count: Set(figure.count),
                score: Set(figure.score),
            });
        }
    }
    Ok(rows)
}

/// A category of a deputy's reviewed result.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultCategory {
    pub name: String,
    pub cap: Option<f64>,
    /// The most it could score.
    pub max: f64,
    pub score: f64,
    pub items: Vec<ResultItem>,
}

/// An item of a deputy's reviewed result.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultItem {
    pub name: String,
    pub source: ItemSource,
    pub kinds: Vec<EntryKind>,
    pub points: f64,
    pub cap: f64,
    pub count: i64,
    pub score: f64,
}

/// The categories of some results, by result id, in order (results of a weighted evaluation have none).
/// One query.
pub async fn categories_of(
    db: &impl ConnectionTrait,
    result_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<ResultCategory>>> {
    if result_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = evaluation_result_item::Entity::find()
        .filter(evaluation_result_item::Column::ResultId.is_in(result_ids.to_vec()))
        .order_by_asc(evaluation_result_item::Column::ResultId)
        .order_by_asc(evaluation_result_item::Column::CategoryPosition)
        .order_by_asc(evaluation_result_item::Column::ItemPosition)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<ResultCategory>> = HashMap::new();
    let mut last: Option<(Uuid, i32)> = None;
    for r in rows {
        let item = ResultItem {
            source: stored("item source", r.id, ItemSource::parse(&r.source))?,
            kinds: kinds_of(r.id, &r.kinds)?,
            name: r.item_name,
            points: r.points,
            cap: r.cap,
            count: r.count,
            score: r.score,
        };
        let categories = out.entry(r.result_id).or_default();
        if last != Some((r.result_id, r.category_position)) {
            categories.push(ResultCategory {
                name: r.category_name,
                cap: r.category_cap,
                max: r.category_max,
                score: r.category_score,
                items: Vec::new(),
            });
            last = Some((r.result_id, r.category_position));
        }
        if let Some(c) = categories.last_mut() {
            c.items.push(item);
        }
    }
    Ok(out)
}

/// Drops the snapshot of an evaluation's items (before its results).
pub(super) async fn drop_snapshot(txn: &DatabaseTransaction, evaluation_id: Uuid) -> Result<()> {
    evaluation_result_item::Entity::delete_many()
        .filter(evaluation_result_item::Column::EvaluationId.eq(evaluation_id))
        .exec(txn)
        .await?;
    Ok(())
}
