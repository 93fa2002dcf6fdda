//! The evaluation scheme (考评细则, e.g. 五大项二十六小项) over GraphQL: the tree staff set on an OPEN
//! evaluation, the manual item scores, and each result's categories and items as reviewed.

use crate::graphql::directory::Deputy;
use crate::graphql::duty::EntryKind;
use crate::graphql::error::{ApiError, ApiResult};
use crate::graphql::ids::NodeKind;
use crate::graphql::loaders::{DeputyKey, StoreLoader};
use crate::graphql::{ContextExt, ids};
use async_graphql::dataloader::Loader;
use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use edaibiao_domain::duty::scheme::{CategoryDraft, ItemDraft, Scheme, SchemeItem};
use edaibiao_infra::evaluations::scheme::{self as store, ResultCategory as StoredCategory};
use std::collections::HashMap;
use uuid::Uuid;

/// Where an item of an evaluation scheme takes its figure from.
#[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(remote = "edaibiao_domain::duty::scheme::ItemSource")]
pub enum EvaluationItemSource {
    /// Counted from the deputy's archive entries of the year of the item's `kinds`, each worth `points`
    /// (negative points: a deduction), held within ±cap.
    Kinds,
    /// Scored by staff, deputy by deputy (`scoreEvaluationItem`), 0 to the cap.
    Manual,
    /// The points ledger total (from the point rules), scaled to the cap by the evaluation's full mark.
    Points,
    /// The voters' rating of the deputy's reports to voters (0–100), scaled to the cap; 0 when nobody rated.
    VoterRating,
    /// The deputy group's assessment (0–100), scaled to the cap.
    GroupAssessment,
}

/// An item of a scheme to set.
#[derive(InputObject)]
pub struct EvaluationItemInput {
    /// The item's name, 1–50 characters, unique within its category (e.g. 参加视察调研).
    pub name: String,
    /// Where the item's figure comes from.
    pub source: EvaluationItemSource,
    /// Per counted entry, for a KINDS item: non-zero, −1000 to 1000, two decimals; negative for a deduction.
    /// Ignored (0) for the other sources.
    #[graphql(default)]
    pub points: f64,
    /// The most the item scores (and, for a deduction, the most it costs): 0–1000.
    pub cap: f64,
    /// The entry kinds a KINDS item counts (at least one; a kind in one item only); empty for the others.
    #[graphql(default)]
    pub kinds: Vec<EntryKind>,
}

/// A category of a scheme to set.
#[derive(InputObject)]
pub struct EvaluationCategoryInput {
    /// The category's name, 1–50 characters, unique in the scheme (e.g. 闭会期间履职).
    pub name: String,
    /// The most the category scores, 0–1000; without one it can reach the sum of its items' caps.
    pub cap: Option<f64>,
    /// Its items in order, at least one.
    pub items: Vec<EvaluationItemInput>,
}

/// A scheme to set: 1–20 categories, 1–100 items in all.
#[derive(InputObject)]
pub struct EvaluationSchemeInput {
    /// The categories in order.
    pub categories: Vec<EvaluationCategoryInput>,
}

impl EvaluationSchemeInput {
    pub fn drafts(self) -> Vec<CategoryDraft> {
        self.categories
            .into_iter()
            .map(|c| CategoryDraft {
                name: c.name,
                cap: c.cap,
                items: c
                    .items
                    .into_iter()
                    .map(|i| ItemDraft {
                        name: i.name,
                        points: i.points,
                        cap: i.cap,
                        source: i.source.into(),
                        kinds: i.kinds.into_iter().map(Into::into).collect(),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// An evaluation's scheme.
pub struct EvaluationScheme(pub Uuid, pub Scheme);

/// An evaluation's scheme (考评细则): categories of items, each item fed by entry kinds, manual scores or a
/// computed part. A deputy's score is the sum of the categories, scaled to 0–100 by `maxScore` for grading
/// and ranking.
#[Object]
impl EvaluationScheme {
    /// The most a deputy can score: the sum of what each category can reach.
    async fn max_score(&self) -> f64 {
        self.1.max()
    }
    /// The categories in order.
    async fn categories(&self) -> Vec<EvaluationCategory> {
        self.1
            .categories()
            .iter()
            .map(|c| EvaluationCategory {
                name: c.name.clone(),
                cap: c.cap,
                max_score: c.max(),
                items: c.items.iter().map(|i| EvaluationItem(self.0, i.clone())).collect(),
            })
            .collect()
    }
}

/// A category of an evaluation's scheme (大项).
#[derive(SimpleObject)]
pub struct EvaluationCategory {
    /// Its name.
    pub name: String,
    /// Its cap; null when it can reach the sum of its items' caps.
    pub cap: Option<f64>,
    /// The most it can score: its cap, or the sum of its items' caps when lower.
    pub max_score: f64,
    /// Its items in order.
    pub items: Vec<EvaluationItem>,
}

/// An item of an evaluation's scheme (小项), with the evaluation it belongs to.
pub struct EvaluationItem(pub Uuid, pub SchemeItem);

/// An item of an evaluation's scheme (小项): where its figure comes from, its points per entry and its cap.
/// Seen by whoever may read the evaluation.
#[Object]
impl EvaluationItem {
    /// Global ID (used by `scoreEvaluationItem`).
    pub async fn id(&self) -> ID {
        ids::encode(NodeKind::EvaluationItem, self.1.id)
    }
    /// Global ID of the evaluation.
    async fn evaluation_id(&self) -> ID {
        ids::encode(NodeKind::DutyEvaluation, self.0)
    }
    /// Its name.
    async fn name(&self) -> &str {
        &self.1.name
    }
    /// Where its figure comes from.
    async fn source(&self) -> EvaluationItemSource {
        self.1.source.into()
    }
    /// Per counted entry (KINDS; negative for a deduction); 0 for the other sources.
    async fn points(&self) -> f64 {
        self.1.points
    }
    /// The most it scores (or, for a deduction, costs).
    async fn cap(&self) -> f64 {
        self.1.cap
    }
    /// The entry kinds counted (KINDS only).
    async fn kinds(&self) -> Vec<EntryKind> {
        self.1.kinds.iter().map(|k| (*k).into()).collect()
    }
}

/// A score staff gave a deputy on a MANUAL item.
pub struct EvaluationItemScore(pub store::ItemScore);

/// A score staff gave a deputy on a MANUAL item of an evaluation's scheme (staff only).
#[Object]
impl EvaluationItemScore {
    /// Global ID of the item.
    async fn item_id(&self) -> ID {
        ids::encode(NodeKind::EvaluationItem, self.0.item_id)
    }
    /// The deputy scored.
    async fn deputy(&self, ctx: &Context<'_>) -> ApiResult<Option<Deputy>> {
        Ok(ctx.loader()?.load_one(DeputyKey(self.0.deputy_id)).await?.map(Deputy))
    }
    /// The score, 0 to the item's cap.
    async fn score(&self) -> f64 {
        self.0.score
    }
    /// When it was given or last changed.
    async fn scored_at(&self) -> DateTime<Utc> {
        self.0.scored_at
    }
}

/// The categories of a result, by result id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ResultCategoriesKey(pub Uuid);

impl Loader<ResultCategoriesKey> for StoreLoader {
    type Value = Vec<StoredCategory>;
    type Error = ApiError;

    async fn load(
        &self,
        keys: &[ResultCategoriesKey],
    ) -> Result<HashMap<ResultCategoriesKey, Vec<StoredCategory>>, ApiError> {
        let ids: Vec<Uuid> = keys.iter().map(|k| k.0).collect();
        let found = store::categories_of(&self.0.db, &ids).await?;
        Ok(found.into_iter().map(|(id, c)| (ResultCategoriesKey(id), c)).collect())
    }
}

/// A category of a deputy's reviewed result.
#[derive(SimpleObject)]
pub struct ResultCategory {
    /// The category's name.
    pub name: String,
    /// What the deputy scored in it: the sum of its items, within 0 and `maxScore`.
    pub score: f64,
    /// Its cap; null when it could reach the sum of its items' caps.
    pub cap: Option<f64>,
    /// The most it could score.
    pub max_score: f64,
    /// Its items in order.
    pub items: Vec<ResultItem>,
}

/// An item of a deputy's reviewed result.
#[derive(SimpleObject)]
pub struct ResultItem {
    /// The item's name.
    pub name: String,
    /// What was counted: entries for KINDS, voters for VOTER_RATING, the ledger total for POINTS, 1 when
    /// scored (0 when not) for MANUAL and GROUP_ASSESSMENT.
    pub count: i64,
    /// Per counted entry (KINDS); 0 for the other sources.
    pub points: f64,
    /// What the deputy scored on it, within ±cap.
    pub score: f64,
    /// Its cap.
    pub cap: f64,
    /// Where its figure came from.
    pub source: EvaluationItemSource,
    /// The entry kinds counted (KINDS only).
    pub kinds: Vec<EntryKind>,
}

impl From<StoredCategory> for ResultCategory {
    fn from(c: StoredCategory) -> Self {
        Self {
            name: c.name,
            score: c.score,
            cap: c.cap,
            max_score: c.max,
            items: c
                .items
                .into_iter()
                .map(|i| ResultItem {
                    name: i.name,
                    count: i.count,
                    points: i.points,
                    score: i.score,
                    cap: i.cap,
                    source: i.source.into(),
                    kinds: i.kinds.into_iter().map(Into::into).collect(),
                })
                .collect(),
        }
    }
}

/// `node(id)` for an item: whoever may read its evaluation; null for anyone else.
pub async fn item_node(ctx: &Context<'_>, id: Uuid) -> ApiResult<Option<EvaluationItem>> {
    let found = store::item_for(&ctx.services()?.store, ctx.actor()?, id).await?;
    Ok(found.map(|(evaluation, item)| EvaluationItem(evaluation, item)))
}
